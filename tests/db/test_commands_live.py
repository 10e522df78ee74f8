"""The self-hoster's commands against a real gunicorn serving the same SQLite file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from questionnaires.loader import load_catalog
from tests.conftest import PASSWORD, assert_whole_backup, keyed_answers
from tests.support.server import ROOT, HttpPerson, gunicorn, migrate

pytestmark = pytest.mark.slow
FLASK = [str(Path(sys.executable).with_name("flask")), "--app", "app"]


def flask(url: str, instance: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `flask --app app ...` as a self-hoster would, on the served database."""
    env = {**os.environ, "DATABASE_URL": url, "REKINDLE_INSTANCE_PATH": str(instance)}
    env["SECRET_KEY"] = "test-secret-key-not-for-production"
    return subprocess.run(
        FLASK + list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_backup_and_reset_while_gunicorn_serves(tmp_path) -> None:
    """While people keep submitting, are backups whole, and does a reset end live sessions?"""
    url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    migrate(url, tmp_path)
    checkup = load_catalog().latest("checkup")
    answers = keyed_answers(checkup, dict.fromkeys([d.id for d in checkup.dimensions], 3))
    answers |= {item.id: "no" for item in checkup.safety}
    with gunicorn(url, tmp_path, workers=2, environment={"RATELIMIT_ENABLED": "0"}) as server:
        writer, reader = HttpPerson(server.url), HttpPerson(server.url)
        assert writer.register("writer").status == 303
        assert reader.register("reader").status == 303
        stop, stored = threading.Event(), []

        def keep_writing() -> None:
            while not stop.is_set():
                reply = writer.submit("checkup", answers)
                assert reply.status == 303, reply.status
                stored.append(reply)

        thread = threading.Thread(target=keep_writing)
        thread.start()
        try:
            copies = []
            for number in range(3):
                target = tmp_path / f"live-{number}.sqlite3"
                done = flask(url, tmp_path, "backup", str(target))
                assert done.returncode == 0, done.stderr
                copies.append(target)
        finally:
            stop.set()
            thread.join()
        assert stored, "the server was written to while the backups ran"
        for target in copies:
            assert_whole_backup(target, checkup)

        listed = flask(url, tmp_path, "users", "list")
        assert re.search(rf"writer\s+\S+ \S+\s+{len(stored)}\n", listed.stdout), listed.stdout
        reset = flask(url, tmp_path, "users", "reset-password", "reader")
        assert reset.returncode == 0, reset.stderr
        new_password = re.fullmatch(r"new password: ([A-Za-z0-9]+)\n", reset.stdout).group(1)
        assert reader.request("/history").status == 302  # its live session ended
        assert HttpPerson(server.url).login("reader", PASSWORD).status == 401
        assert HttpPerson(server.url).login("reader", new_password).status == 303
        gone = flask(url, tmp_path, "users", "delete", "writer", "--yes")
        assert gone.returncode == 0, gone.stderr
        assert writer.request("/history").status == 302
