"""Database set-up that SQLAlchemy cannot be told in a URL: SQLite pragmas, locks, health."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from typing import Any

from flask import Flask
from sqlalchemy import Integer, Table, event, insert
from sqlalchemy.engine import Connection

from .extensions import db
from .locks import BEGIN_IMMEDIATE
from .models import utcnow
from .server_tables import HealthProbe

# Long enough for concurrent writers to take turns, short enough that a database locked
# by another process gives the 503 page within 10 s (docs/architecture.md#database).
SQLITE_BUSY_TIMEOUT_MS = 5_000
# A PostgreSQL that does not answer gives the 503 page within 10 s too.
POSTGRES_CONNECT_TIMEOUT_SECONDS = 5


def init_app(app: Flask) -> None:
    """Bind the SQLite pragmas to the app's engines and keep rows out of the logs.

    Also: BEGIN IMMEDIATE where ``locks.lock_users`` asks for it, and AUTOINCREMENT on every
    SQLite table created. Called by the factory after ``db.init_app`` (flaskr's
    ``db.init_app`` style): importing this module registers nothing.
    """
    keep_answers_out_of_logs()
    if not event.contains(Table, "before_create", _sqlite_never_reuses_ids):
        event.listen(Table, "before_create", _sqlite_never_reuses_ids)
    with app.app_context():
        for engine in db.engines.values():
            if not event.contains(engine, "connect", _sqlite_pragmas):
                event.listen(engine, "connect", _sqlite_pragmas)
            if not event.contains(engine, "begin", _sqlite_begin_immediate):
                event.listen(engine, "begin", _sqlite_begin_immediate)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Make every SQLite connection use WAL, a busy timeout and enforced foreign keys."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while a submission writes; the busy timeout makes
    # concurrent writers wait their turn instead of failing with "locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin_immediate(connection: Connection) -> None:
    """Begin with SQLite's write lock when ``locks.lock_users`` asks for it.

    This is SQLAlchemy's documented pysqlite recipe (a "begin" listener emits BEGIN),
    applied only to the transactions that ask: every other transaction keeps pysqlite's
    default, which begins just before the first write. A plain deferred BEGIN for all
    would make a transaction that read first fail at once, not wait, when another
    writer committed in between (WAL's busy snapshot). Recipe: SQLAlchemy's SQLite
    dialect docs, "Serializable isolation / Savepoints / Transactional DDL"
    (docs.sqlalchemy.org/en/20/dialects/sqlite.html#serializable-isolation-savepoints-transactional-ddl).
    """
    if connection.dialect.name == "sqlite" and connection.get_execution_options().get(
        BEGIN_IMMEDIATE
    ):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def engine_options(uri: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """The engine options with the database's own time limits (docs/architecture.md#database)."""
    merged = dict(options)
    if uri.startswith("postgresql"):
        connect_args = dict(merged.get("connect_args", {}))
        connect_args.setdefault("connect_timeout", POSTGRES_CONNECT_TIMEOUT_SECONDS)
        merged["connect_args"] = connect_args
    return merged


def _sqlite_never_reuses_ids(table: Table, connection: Any, **_kw: Any) -> None:
    """Every SQLite table with an integer id is created AUTOINCREMENT, rebuilt ones too.

    Alembic's batch mode rebuilds a SQLite table from its reflection, which does not carry
    AUTOINCREMENT; without this, a later migration would quietly let ids be reused.
    """
    if connection.dialect.name != "sqlite":
        return
    key = list(table.primary_key.columns)
    if len(key) == 1 and isinstance(key[0].type, Integer) and not key[0].foreign_keys:
        table.dialect_kwargs["sqlite_autoincrement"] = True


def is_healthy() -> bool:
    """True when the database takes a write: a row written and rolled back at once.

    A read alone would say "ok" for a read-only file or a database locked by another
    process, where every submission would fail.
    """
    try:
        db.session.execute(insert(HealthProbe).values(probed_at=utcnow()))
    except Exception:
        return False
    finally:
        try:
            db.session.rollback()
        except Exception:
            db.session().invalidate()  # scoped_session does not proxy invalidate()
    return True


class _NoResultRows(logging.Filter):
    """Drop SQLAlchemy's DEBUG lines that print result rows: rows hold answers."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg not in ("Row %r", "Col %r")


def keep_answers_out_of_logs() -> None:
    """SQL logging stays quiet by default and, if switched on, never prints rows or values.

    Parameters are hidden by ``hide_parameters`` in the engine options; this covers rows.
    """
    engine_logger = logging.getLogger("sqlalchemy.engine")
    if engine_logger.level == logging.NOTSET:
        engine_logger.setLevel(logging.WARNING)  # a DEBUG root logger must not switch it on
    for name in ("sqlalchemy.engine", "sqlalchemy.engine.Engine"):
        target = logging.getLogger(name)
        if not any(isinstance(f, _NoResultRows) for f in target.filters):
            target.addFilter(_NoResultRows())
