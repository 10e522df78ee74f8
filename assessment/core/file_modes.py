"""Files that hold answers are the owner's alone: ``instance/`` 0700, SQLite files 0600.

Applied at start-up whatever the umask, to new files and to ones an older version left
readable. SQLite gives its ``-wal`` and ``-shm`` files the mode of the database file, so
the database is created 0600 before SQLite first opens it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sqlalchemy.engine import make_url

PRIVATE_DIRECTORY = 0o700
PRIVATE_FILE = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def _tighten(path: Path, mode: int) -> None:
    """Set the mode of a path we own (another owner's path is theirs to keep)."""
    if path.exists() and path.stat().st_uid == os.getuid():
        path.chmod(mode)


def private_instance(instance_path: str) -> None:
    """Create ``instance/`` (mode 0700), or make an existing one 0700."""
    path = Path(instance_path)
    path.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
    _tighten(path, PRIVATE_DIRECTORY)


def sqlite_path(database_uri: str, instance_path: str) -> Path | None:
    """The file a SQLite URL names, or None (another database, or one in memory).

    A relative path is under ``instance/``, as Flask-SQLAlchemy reads it.
    """
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.database.startswith("file:"):
        return None  # a URI filename: SQLite reads its own options from it
    return Path(instance_path) / url.database


def private_sqlite_files(database_uri: str, instance_path: str) -> None:
    """Create the SQLite file 0600 before SQLite does, and make existing ones 0600."""
    database = sqlite_path(database_uri, instance_path)
    if database is None:
        return
    if not database.exists() and database.parent.is_dir():
        with contextlib.suppress(FileExistsError):  # another worker made it a moment ago
            os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    for suffix in SQLITE_COMPANIONS:
        _tighten(database.with_name(database.name + suffix), PRIVATE_FILE)
