"""A real gunicorn serving the app on a free loopback port, and people who use it over HTTP."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app import create_app
from tests.conftest import PASSWORD, empty_database, hidden_fields

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now, on ``host`` (a loopback address)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def migrate(database_url: str, instance: Path) -> None:
    """Create the schema with the real migrations, as `make run` does."""
    from flask_migrate import upgrade

    app = create_app(
        {"INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"}
    )
    with app.app_context():
        upgrade()
        app.extensions["sqlalchemy"].engine.dispose()


@dataclass
class Server:
    """A running gunicorn: its URL and process, so a test can kill a worker."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the gunicorn master)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


@contextmanager
def gunicorn(
    database_url: str,
    instance: Path,
    workers: int = 2,
    environment: Mapping[str, str] | None = None,
    host: str = "127.0.0.1",
) -> Iterator[Server]:
    """Serve the app with gunicorn until the block ends; the database must be migrated."""
    port = free_port(host)
    log = instance / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REKINDLE_INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "QUICK_EXIT_URL": "/healthz",
        **(environment or {}),
    }
    command = [
        str(GUNICORN),
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--access-logformat",
        "%(p)s %(r)s %(s)s",
        "--graceful-timeout",
        "2",
        "app:create_app()",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://{host}:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start:\n" + log.read_text()) from None
                time.sleep(0.1)
        yield Server(url, process, log)
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a server process: SIGTERM, then SIGKILL if it has not gone within 10 s."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def migrated_database(kind: str, folder: Path, name: str = "test.sqlite3") -> Iterator[str]:
    """An empty database of this kind, migrated as `make run` does; yields its URL."""
    with empty_database(kind, folder, name) as url:
        migrate(url, folder)
        yield url


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@dataclass
class Reply:
    """Status, headers and body of one HTTP response."""

    status: int
    headers: Mapping[str, str]
    body: str


class HttpPerson:
    """Someone using a real server over HTTP, with their own cookies."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(
        self, path: str, data: Mapping[str, str] | list[tuple[str, str]] | None = None
    ) -> Reply:
        """GET (no data) or POST a form; redirects are returned, not followed."""
        body = None if data is None else urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base_url + path, data=body))

    def _open(self, request: urllib.request.Request) -> Reply:
        try:
            with self.opener.open(request, timeout=60) as response:
                return Reply(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read().decode())

    def upload(self, path: str, fields: Mapping[str, str], name: str, raw: bytes) -> Reply:
        """POST a multipart form with one file, as a browser sends a file input."""
        boundary = f"rekindle-test-{uuid.uuid4().hex}"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            for key, value in fields.items()
        ]
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}";'
            f' filename="{name}.json"\r\nContent-Type: application/json\r\n\r\n'
        )
        body = ("".join(parts) + head).encode() + raw + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.base_url + path,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        return self._open(request)

    def form(self, path: str) -> dict[str, str]:
        """The hidden fields of the form on a page."""
        reply = self.request(path)
        assert reply.status == 200, (path, reply.status)
        return hidden_fields(reply.body)

    def register(self, username: str, password: str = PASSWORD) -> Reply:
        """Create an account (and sign in)."""
        fields = self.form("/register")
        return self.request(
            "/register",
            {**fields, "username": username, "password": password, "confirm": password},
        )

    def login(self, username: str, password: str = PASSWORD) -> Reply:
        """Sign in."""
        fields = self.form("/login")
        return self.request("/login", {**fields, "username": username, "password": password})

    def submit(
        self, qid: str, answers: Mapping[str, str], hidden: Mapping[str, str] | None = None
    ) -> Reply:
        """Open the questionnaire and post answers with its hidden fields."""
        fields = dict(hidden if hidden is not None else self.form(f"/checkup/{qid}"))
        return self.request(f"/checkup/{qid}", {**fields, **answers})
