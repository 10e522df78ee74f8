"""Over HTTP: gunicorn with 2 workers on loopback, 20 concurrent clients, bounded in time."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from app import create_app

from .inprocess import hidden_fields
from .report import Report, Row
from .seed import PASSWORD
from .timing import percentile

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@dataclass
class Settings:
    """Load shape: clients, seconds per run, and which databases."""

    clients: int = 20
    seconds: float = 30.0
    databases: tuple[str, ...] = ("sqlite", "postgresql")


def _free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@contextmanager
def _database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'load.sqlite3'}"
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(POSTGRES_URL)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@contextmanager
def _gunicorn(
    url: str,
    folder: Path,
    host: str = "127.0.0.1",
    serving: tuple[str, ...] = ("--workers", "2"),
    prepare: Callable[[Flask], None] | None = None,
) -> Iterator[str]:
    """Migrate, let ``prepare`` fill the database, then serve it as ``serving`` says."""
    app = create_app(
        {"INSTANCE_PATH": str(folder), "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "b"}
    )
    with app.app_context():
        upgrade()
        if prepare is not None:
            prepare(app)
        app.extensions["sqlalchemy"].engine.dispose()
    port = _free_port(host)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REKINDLE_INSTANCE_PATH": str(folder),
        "SECRET_KEY": "bench-secret",
        "RATELIMIT_ENABLED": "0",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            *(str(gunicorn), "--config", str(ROOT / "gunicorn.conf.py")),
            *("--bind", f"{host}:{port}", *serving, "app:create_app()"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection(host, port, timeout=2)
            try:
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
            finally:
                connection.close()
        yield f"{host}:{port}"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)


class Client:
    """One signed-in person: its cookies (session, device) and plain http.client requests."""

    def __init__(self, address: str) -> None:
        self.host, port = address.split(":")
        self.port = int(port)
        self.cookies: dict[str, str] = {}

    @property
    def cookie(self) -> str:
        """The Cookie header this person sends."""
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, body: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        """One request on a fresh connection; returns (status, headers, text)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text_body = response.read().decode()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        connection.close()
        return response.status, response, text_body

    def register(self, username: str) -> None:
        """Create the account (and sign in)."""
        _, _, page = self.request("GET", "/register")
        fields = hidden_fields(page)
        status, _, _ = self.request(
            "POST",
            "/register",
            {**fields, "username": username, "password": PASSWORD, "confirm": PASSWORD},
        )
        assert status == 303, status

    def submit(self, answers: dict[str, str]) -> tuple[int, str]:
        """Take the check-up once; returns (status, result path)."""
        _, _, page = self.request("GET", "/checkup/checkup")
        status, response, _ = self.request(
            "POST", "/checkup/checkup", {**hidden_fields(page), **answers}
        )
        return status, response.getheader("Location") or ""


@dataclass
class Load:
    """What one load run saw."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0


def _load(clients: list[Client], action, seconds: float) -> Load:  # type: ignore[no-untyped-def]
    result = Load()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(client: Client) -> None:
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                ok = action(client)
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                result.latencies.append(elapsed)
                result.errors += 0 if ok else 1

    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - began
    return result


def _report(report: Report, kind: str, what: str, load: Load, targets: bool) -> None:
    rate = len(load.latencies) / load.seconds if load.seconds else 0.0
    p50, p95, p99 = (percentile(load.latencies, q) for q in (0.5, 0.95, 0.99))
    report.add(
        Row(
            f"http {kind}",
            f"{what}: requests/s",
            f"{rate:.0f}",
            target=">= 300" if targets else "",
            met=("yes" if rate >= 300 else "no") if targets else "",
        )
    )
    report.add(
        Row(
            f"http {kind}",
            f"{what}: p50 / p95 / p99 latency",
            f"{p50:.0f} / {p95:.0f} / {p99:.0f} ms",
            target="p95 <= 100 ms" if targets else "",
            met=("yes" if p95 <= 100 else "no") if targets else "",
        )
    )
    report.add(
        Row(
            f"http {kind}",
            f"{what}: errors",
            f"{load.errors} of {len(load.latencies)}",
            target="0" if targets else "",
            met=("yes" if load.errors == 0 else "no") if targets else "",
        )
    )


def run(report: Report, settings: Settings, checkup_answers: dict[str, str]) -> None:
    """Result page and submissions under load, on each database."""
    for kind in settings.databases:
        with (
            tempfile.TemporaryDirectory() as folder,
            _database(kind, Path(folder)) as url,
            _gunicorn(url, Path(folder)) as address,
        ):
            clients = [Client(address) for _ in range(settings.clients)]
            results = []
            for index, client in enumerate(clients):
                client.register(f"load{index}")
                status, location = client.submit(checkup_answers)
                assert status == 303, status
                results.append(urllib.parse.urlsplit(location).path)
            paths = dict(zip(map(id, clients), results, strict=True))

            def read_result(client: Client, paths: dict[int, str] = paths) -> bool:
                return client.request("GET", paths[id(client)])[0] == 200

            reads = _load(clients, read_result, settings.seconds)
            _report(report, kind, f"result page, {settings.clients} clients", reads, True)
            writes = _load(clients, lambda c: c.submit(checkup_answers)[0] == 303, settings.seconds)
            _report(report, kind, f"submissions, {settings.clients} clients", writes, False)
