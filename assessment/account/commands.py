"""The self-hoster's commands: list, reset and delete users; back up SQLite (see
docs/architecture.md#accounts).

``flask --app app users list``, ``users reset-password NAME [--stdin]``,
``users delete NAME --yes`` and ``backup PATH``. None of them ever prints an answer.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import string
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import URL, func, select

from ..core import Assessment, User, db, end_every_session, utcnow
from .forms import MIN_PASSWORD_LENGTH
from .hashing import hash_password

NEW_PASSWORD_LENGTH = 16
# pg_dump makes a consistent copy of a live PostgreSQL database; restore with pg_restore.
# Source: the PostgreSQL manual, "pg_dump" and "pg_restore" (www.postgresql.org/docs/).
PG_DUMP_HINT = (
    "This server uses PostgreSQL, so back it up with pg_dump (this command copies SQLite"
    " only), for example:\n"
    '  pg_dump --format=custom --file=rekindle.dump "{url}"\n'
    "The password, if any, comes from PGPASSWORD or ~/.pgpass. Restore with pg_restore."
)

users = click.Group("users", help="List the accounts, set a new password, delete an account.")


def _user_named(name: str) -> User:
    """The account with this user name, or a clear error (exit 1)."""
    user = db.session.scalar(select(User).where(User.username == name.strip().lower()))
    if user is None:
        raise click.ClickException(f"There is no account named {name!r}.")
    return user


@users.command("list")
@with_appcontext
def list_users() -> None:
    """Every account: its name, when it was created, how many check-ins it holds."""
    rows = db.session.execute(
        select(User.username, User.created_at, func.count(Assessment.id))
        .outerjoin(Assessment, Assessment.user_id == User.id)
        .group_by(User.id, User.username, User.created_at)
        .order_by(User.username)
    ).all()
    width = max([len("name"), *(len(name) for name, _, _ in rows)])
    click.echo(f"{'name':<{width}}  {'created':<16}  assessments")
    for name, created_at, count in rows:
        click.echo(f"{name:<{width}}  {created_at:%Y-%m-%d %H:%M}  {count}")


def _new_password() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(NEW_PASSWORD_LENGTH))


@users.command("reset-password")
@click.argument("name")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the new password from stdin.")
@with_appcontext
def reset_password(name: str, from_stdin: bool) -> None:
    """Give NAME a new password (printed, or read with --stdin); every session of NAME ends."""
    user = _user_named(name)
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise click.ClickException(
                f"A password needs at least {MIN_PASSWORD_LENGTH} characters. Nothing changed."
            )
    else:
        password = _new_password()
    user.password_hash = hash_password(password)
    end_every_session(user)
    db.session.commit()
    if from_stdin:
        click.echo(f"The password of {user.username} is changed; every session of it ended.")
    else:
        click.echo(f"new password: {password}")


@users.command("delete")
@click.argument("name")
@click.confirmation_option(
    "--yes", prompt="Delete this account and everything in it, for good?", help="Do not ask."
)
@with_appcontext
def delete_user(name: str) -> None:
    """Delete NAME and everything of theirs; every session of NAME ends with it."""
    user = _user_named(name)
    end_every_session(user)
    db.session.delete(user)
    db.session.commit()
    click.echo(f"Deleted the account {user.username} and everything in it.")


def _backup_target(path: Path) -> Path:
    """A folder gets a file named by the time; a file path is taken as it is."""
    if path.is_dir():
        return path / f"rekindle-{utcnow():%Y%m%d-%H%M%S}.sqlite3"
    return path


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Copy the SQLite database to PATH, consistently, while the app goes on serving."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        # libpq's own URL: no SQLAlchemy driver name, and never the password.
        url = engine.url
        plain = URL.create(
            "postgresql", url.username, None, url.host, url.port, url.database, url.query
        )
        click.echo(PG_DUMP_HINT.format(url=plain.render_as_string(hide_password=False)), err=True)
        raise SystemExit(2)
    source_file = engine.url.database
    if not source_file or source_file == ":memory:":
        raise click.ClickException("This database is not a file, so there is nothing to copy.")
    target = _backup_target(path)
    if not target.parent.is_dir():
        raise click.ClickException(f"The folder {target.parent} does not exist.")
    draft = target.with_name(f".{target.name}.{os.getpid()}.part")
    # The copy holds every answer: only its owner may read it, whatever the umask.
    os.close(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        source = sqlite3.connect(source_file, timeout=30)
        copy = sqlite3.connect(draft)
        try:
            # SQLite's online backup API: one consistent snapshot, even while others write.
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
            source.close()
        os.replace(draft, target)
    finally:
        draft.unlink(missing_ok=True)
    size = target.stat().st_size
    click.echo(f"Backed up the database to {target} ({size} bytes).")


def register_commands(app: Flask) -> None:
    """Add ``users`` and ``backup`` to ``flask``."""
    app.cli.add_command(users)
    app.cli.add_command(backup)
