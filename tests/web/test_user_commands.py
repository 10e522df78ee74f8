"""The self-hoster's commands, run with Click's runner like `flask --app app`.

See docs/architecture.md#accounts.
"""

from __future__ import annotations

import re
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import create_app
from assessment.core.extensions import db
from assessment.core.models import Assessment, User
from tests.conftest import PASSWORD, TEST_DATABASE_URL, Person, assert_whole_backup, keyed_answers
from tests.web.test_partner import levels, new_person


def test_users_list_names_created_and_counts_never_answers(app, runner, checkup) -> None:
    """Does `users list` show each name, when it was made and its number of check-ins only?"""
    alex, sam = new_person(app, "alex"), new_person(app, "sam")
    alex.take(checkup, levels())
    alex.take(checkup, levels(communication=1))
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["name", "created", "assessments"]
    assert re.fullmatch(r"alex\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+2", lines[1])
    assert re.fullmatch(r"sam\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+0", lines[2])
    for item in checkup.items:
        assert item.text not in result.output and item.id not in result.output
    assert sam  # sam's account exists and is listed with no check-ins


def test_reset_password_prints_a_new_one_and_ends_every_session(app, runner, member) -> None:
    """Does `users reset-password` print `new password: <letters and digits>` that works,
    while the old password and every open session stop working?"""
    copied = member.client.get_cookie("session").value
    other = Person(app.test_client())
    assert other.login("alex", PASSWORD).status_code == 303
    result = runner.invoke(args=["users", "reset-password", "alex"])
    assert result.exit_code == 0, result.output
    match = re.fullmatch(r"new password: ([A-Za-z0-9]+)\n", result.output)
    assert match and len(match.group(1)) >= 12
    assert member.client.get("/history").status_code == 302
    assert other.client.get("/history").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/history").status_code == 302
    fresh = Person(app.test_client())
    assert fresh.login("alex", PASSWORD).status_code == 401
    assert fresh.login("alex", match.group(1)).status_code == 303


def test_reset_password_reads_stdin_and_refuses_a_short_one(app, runner, member) -> None:
    """With --stdin, is the typed password set (and never printed), a short one refused?"""
    short = runner.invoke(args=["users", "reset-password", "alex", "--stdin"], input="short\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    chosen = "evening light on the hill"
    result = runner.invoke(args=["users", "reset-password", "alex", "--stdin"], input=chosen + "\n")
    assert result.exit_code == 0, result.output
    assert chosen not in result.output
    assert member.client.get("/history").status_code == 302
    assert Person(app.test_client()).login("alex", chosen).status_code == 303


def test_unknown_name_is_a_clear_error(runner, member) -> None:
    """Is a name with no account an error that says so, changing nothing?"""
    for args in (["users", "reset-password", "nobody"], ["users", "delete", "nobody", "--yes"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1
        assert "There is no account named 'nobody'" in result.output
    assert member.client.get("/history").status_code == 200


def test_users_delete_needs_yes_removes_everything_and_ends_sessions(
    app, runner, member, checkup
) -> None:
    """Does `users delete NAME --yes` remove the account and its check-ups, and only then?"""
    member.take(checkup, levels())
    sam = new_person(app, "sam")
    sam.take(checkup, levels())
    asked = runner.invoke(args=["users", "delete", "alex"], input="n\n")
    assert asked.exit_code == 1
    assert member.client.get("/history").status_code == 200
    result = runner.invoke(args=["users", "delete", "alex", "--yes"])
    assert result.exit_code == 0, result.output
    assert member.client.get("/history").status_code == 302
    with app.app_context():
        assert list(db.session.scalars(select(User.username))) == ["sam"]
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 1
    assert sam.client.get("/history").status_code == 200


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the SQLite backup, on the SQLite app")
def test_backup_copies_the_database_consistently_while_it_is_written(
    app, runner, checkup, tmp_path
) -> None:
    """While another thread keeps storing check-ups, is the copy whole and readable by its
    owner only, every check-up in it with all its answers?"""
    writer = new_person(app, "alex")
    answers = keyed_answers(checkup, levels())
    safety = {item.id: "no" for item in checkup.safety}
    stop = threading.Event()

    def keep_writing() -> None:
        while not stop.is_set():
            assert writer.submit("checkup", answers, safety).status_code == 303

    thread = threading.Thread(target=keep_writing)
    thread.start()
    copies = []
    try:
        for number in range(3):
            target = tmp_path / f"copy-{number}.sqlite3"
            result = runner.invoke(args=["backup", str(target)])
            assert result.exit_code == 0, result.output
            copies.append(target)
    finally:
        stop.set()
        thread.join()
    for target in copies:
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert not Path(f"{target}-wal").exists()
        assert_whole_backup(target, checkup)
    folder = tmp_path / "backups"
    folder.mkdir()
    into_folder = runner.invoke(args=["backup", str(folder)])
    assert into_folder.exit_code == 0, into_folder.output
    assert [p.suffix for p in folder.iterdir()] == [".sqlite3"]


def test_backup_on_postgresql_says_to_use_pg_dump_and_exits_2(tmp_path) -> None:
    """On PostgreSQL, does `backup` point to pg_dump and exit 2, writing nothing?"""
    url = "postgresql+psycopg://rekindle:hunter2secret@127.0.0.1:5432/test"
    application = create_app(
        {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"}
    )
    target = tmp_path / "copy.sqlite3"
    result = application.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 2
    assert 'pg_dump --format=custom --file=rekindle.dump "postgresql://rekindle@' in result.output
    assert "hunter2secret" not in result.output
    assert not target.exists()
