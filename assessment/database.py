"""Database set-up that SQLAlchemy cannot be told in a URL: SQLite pragmas and health."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from flask import Flask
from sqlalchemy import event, text

from .extensions import db

SQLITE_BUSY_TIMEOUT_MS = 30_000


def init_app(app: Flask) -> None:
    """Bind the SQLite pragmas to the app's engines and keep rows out of the logs.

    Called by the factory after ``db.init_app`` (flaskr's ``db.init_app`` style): importing
    this module registers nothing.
    """
    keep_answers_out_of_logs()
    with app.app_context():
        for engine in db.engines.values():
            if not event.contains(engine, "connect", _sqlite_pragmas):
                event.listen(engine, "connect", _sqlite_pragmas)


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
