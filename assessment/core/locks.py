"""Row locks for rules that read and then write, on PostgreSQL and SQLite.

See docs/architecture.md#locks.

A rule such as "at most three active plans" is read, then written; two requests at
once could both read "two" and both write. ``lock_users`` makes the second wait until
the first has committed, so it reads what the first wrote.
"""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .models import User

# Execution option read by the "begin" listener in assessment/database.py.
BEGIN_IMMEDIATE = "rekindle_begin_immediate"
# How long a request waits for another's lock before the page says "not available" (503).
LOCK_TIMEOUT_SECONDS = 5


def lock_users(*user_ids: int) -> None:
    """Start a transaction that holds these people's rows until it commits or rolls back.

    Call it before reading what the rule depends on, with nothing changed in the session
    yet: whatever was read before is let go, so every read after it is fresh.
    PostgreSQL: ``SELECT ... FOR UPDATE`` on the users' rows, in id order, so two
    requests locking the same two people cannot deadlock. SQLite has one write lock
    for the whole file: the transaction begins with ``BEGIN IMMEDIATE`` and takes it.
    """
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("lock_users must come before any change in the transaction")
    session.rollback()  # a fresh transaction: nothing read before the lock is trusted
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={BEGIN_IMMEDIATE: True})
        return
    ids = sorted(set(user_ids))
    session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'"))
    session.execute(select(User.id).where(User.id.in_(ids)).order_by(User.id).with_for_update())


def lock_users_in_flush(connection: Connection, *user_ids: int) -> None:
    """The same lock from inside a flush (an ORM event), where the transaction has begun.

    PostgreSQL: ``SELECT ... FOR UPDATE``. SQLite needs nothing more: each write of the
    flush waits for the file's one write lock, sees what was committed before it, and
    holds the lock until the commit.
    """
    if connection.dialect.name == "sqlite":
        return
    ids = sorted(set(user_ids))
    connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'"))
    connection.execute(select(User.id).where(User.id.in_(ids)).order_by(User.id).with_for_update())


def stored(*rows: object) -> bool:
    """Add ``rows`` (if any) and commit what the session holds; False, with everything rolled
    back, when a unique rule of the database kept it out: a racing request stored the same
    thing a moment ago (one active plan per strategy, one link per person, one user name).
    The rule lives in the database; this is the one way a write learns it lost the race."""
    db.session.add_all(rows)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True
