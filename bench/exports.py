"""Exports beside everyone else: 8 exports of a long history at once while /healthz is polled.

gunicorn serves as `make run` does (one worker, the Makefile's ``THREADS``), on a SQLite
file holding one person with 1,000 check-ins (bench/seed.py). Eight clients signed in as
that person download the CSV (then the JSON) export over and over for the run's length;
meanwhile a ninth asks ``/healthz`` every 50 ms. The figures: how long ``/healthz`` took
(p50 / p95 / max) while the exports ran, how long one export took, and its size.
`python -m bench.exports` runs this section alone; `python -m bench` runs it with the rest.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from .http import Client, _database, _gunicorn
from .report import Report, Row
from .seed import PASSWORD, make_user, seed_history, seed_plans
from .timing import percentile

SECTION = "exports"
MAKEFILE = Path(__file__).resolve().parents[1] / "Makefile"
POLL_SECONDS = 0.05


@dataclass
class Settings:
    """How long a history, how many exports at once, and for how long."""

    history: int = 1000
    exporters: int = 8
    seconds: float = 20.0
    threads: int | None = None  # None: as `make run` serves (the Makefile's THREADS)


def make_run_threads() -> int:
    """The threads `make run` serves with (``THREADS ?= N`` in the Makefile)."""
    found = re.search(r"^THREADS \?= (\d+)$", MAKEFILE.read_text(), re.M)
    assert found, "the Makefile names THREADS"
    return int(found.group(1))


def _signed_in(address: str) -> Client:
    client = Client(address)
    _, _, page = client.request("GET", "/login")
    from .inprocess import hidden_fields

    fields = hidden_fields(page)
    status, _, _ = client.request(
        "POST", "/login", {**fields, "username": "exporter", "password": PASSWORD}
    )
    assert status == 303, status
    return client


@dataclass
class Run:
    """What one run saw: /healthz latencies, export durations and sizes, failures."""

    health: list[float]
    exports: list[float]
    size: int
    errors: int


def _run(address: str, path: str, exporters: list[Client], seconds: float) -> Run:
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    run = Run([], [], 0, 0)

    def export(client: Client) -> None:
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                status, _, body = client.request("GET", path)
            except OSError:
                status, body = 0, ""
            with lock:
                run.exports.append((time.perf_counter() - began) * 1000)
                run.size = max(run.size, len(body.encode()))
                run.errors += 0 if status == 200 else 1

    def poll() -> None:
        prober = Client(address)
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                status = prober.request("GET", "/healthz")[0]
            except OSError:
                status = 0
            with lock:
                run.health.append((time.perf_counter() - began) * 1000)
                run.errors += 0 if status == 200 else 1
            time.sleep(POLL_SECONDS)

    threads = [threading.Thread(target=export, args=(c,)) for c in exporters]
    threads.append(threading.Thread(target=poll))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return run


def run(report: Report, settings: Settings) -> None:
    """CSV, then JSON: /healthz while ``exporters`` exports of one long history run at once."""
    threads = settings.threads or make_run_threads()

    def seed(_app: Flask) -> None:
        person = make_user("exporter")
        seed_history(person, settings.history)
        seed_plans(person, 20)

    serving = ("--workers", "1", "--threads", str(threads))
    with (
        tempfile.TemporaryDirectory() as folder,
        _database("sqlite", Path(folder)) as url,
        _gunicorn(url, Path(folder), serving=serving, prepare=seed) as address,
    ):
        exporters = [_signed_in(address) for _ in range(settings.exporters)]
        for kind in ("csv", "json"):
            seen = _run(address, f"/export.{kind}", exporters, settings.seconds)
            what = (
                f"{settings.exporters} {kind.upper()} exports of {settings.history:,} check-ins"
                f" at once ({threads} threads)"
            )
            p50, p95 = (percentile(seen.health, q) for q in (0.5, 0.95))
            most = max(seen.health, default=float("nan"))
            report.add(
                Row(
                    SECTION,
                    f"{what}: /healthz p50 / p95 / max",
                    f"{p50:.0f} / {p95:.0f} / {most:.0f} ms",
                )
            )
            e50, e95 = (percentile(seen.exports, q) for q in (0.5, 0.95))
            report.add(Row(SECTION, f"{what}: one export p50 / p95", f"{e50:.0f} / {e95:.0f} ms"))
            report.add(
                Row(
                    SECTION,
                    f"{what}: exports done, size, errors",
                    f"{len(seen.exports)}, {seen.size / 1e6:.1f} MB, {seen.errors}",
                )
            )


def main(argv: list[str] | None = None) -> Report:
    """This section alone: prints its rows (the full `python -m bench` writes RESULTS.md)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=Settings.seconds)
    parser.add_argument("--history", type=int, default=Settings.history)
    parser.add_argument("--threads", type=int, help="gunicorn threads (default: make run's)")
    options = parser.parse_args(argv)
    report = Report()
    print("Rekindle benchmarks: exports beside /healthz (figures, not tests)")
    settings = Settings(history=options.history, seconds=options.seconds, threads=options.threads)
    run(report, settings)
    return report


if __name__ == "__main__":
    main()
