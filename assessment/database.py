"""Database set-up that SQLAlchemy cannot be told in a URL: SQLite pragmas and health."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from sqlalchemy import Integer, Table, event, text
from sqlalchemy.engine import Engine

from .extensions import db

SQLITE_BUSY_TIMEOUT_MS = 30_000


@event.listens_for(Engine, "connect")
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


@event.listens_for(Table, "before_create")
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
    """True when the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return False
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
