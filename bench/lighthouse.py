"""Lighthouse 12 on the pages a person sees, signed in, as a phone and as a desktop.

Benchmarks only: needs Node and `make lighthouse` (tools/lighthouse), never `make test`.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app
from assessment.core.extensions import db
from assessment.core.models import Assessment

from .report import Report, Row
from .seed import PASSWORD, make_user, seed_history, seed_linked_couple

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run"
)
PRESETS = ("mobile", "desktop")
RUNS = 3  # each figure is the median of this many runs: one run on a busy machine varies
# Performance goals per page on a phone (Lighthouse's mobile defaults: a mid-range phone,
# slow 4G, the CPU slowed four times); the desktop preset aims higher everywhere.
PHONE_TARGETS = {"result": 0.95, "History": 0.90}
PHONE_DEFAULT_TARGET = 0.90
DESKTOP_TARGET = 0.98


@dataclass(frozen=True)
class Settings:
    """The history size to measure the result, History and Partner pages at."""

    size: int = 200
    runs: int = RUNS
    presets: tuple[str, ...] = PRESETS
    pages: tuple[str, ...] = ()  # only these pages (by name); all when empty


def available() -> bool:
    """Whether Lighthouse is installed (by `make lighthouse`)."""
    return LIGHTHOUSE.exists() and Path(CHROME).exists()


def load_average() -> str:
    """The machine's load over 1, 5 and 15 minutes (/proc/loadavg), or "unknown"."""
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _session_cookie(client, username: str) -> str:  # type: ignore[no-untyped-def]
    from .inprocess import hidden_fields

    fields = hidden_fields(client.get("/login").get_data(as_text=True))
    client.post("/login", data={**fields, "username": username, "password": PASSWORD})
    cookie = client.get_cookie("session")
    return f"session={cookie.value}"


def _audit(url: str, cookie: str, preset: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            "--only-categories=performance,accessibility,best-practices",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--extra-headers={json.dumps({'Cookie': cookie})}",
        ]
        if preset == "desktop":
            command.append("--preset=desktop")
        for _attempt in range(2):  # a run on a busy machine sometimes fails to paint: retry
            finished = subprocess.run(
                command, env={**os.environ, "CHROME_PATH": CHROME}, timeout=240, check=False
            )
            if finished.returncode == 0 and output.exists():
                break
        else:
            raise RuntimeError(f"Lighthouse failed twice on {url}")
        result = json.loads(output.read_text())
    categories = result["categories"]
    audits = result["audits"]
    compression = audits["uses-text-compression"]
    return {
        "performance": categories["performance"]["score"],
        "accessibility": categories["accessibility"]["score"],
        "best-practices": categories["best-practices"]["score"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        # Passed when every text response came compressed (docs/architecture.md#privacy: a
        # kept library does it); "not applicable" (no text worth compressing) passes too.
        "compression": 1.0 if compression["score"] in (1, None) else 0.0,
    }


def _median_of_runs(url: str, cookie: str, preset: str, runs: int) -> dict[str, float]:
    """Each figure's median over ``runs`` audits (the lower middle one for an even count)."""
    audits = [_audit(url, cookie, preset) for _ in range(runs)]
    return {key: sorted(a[key] for a in audits)[(runs - 1) // 2] for key in audits[0]}


def _seed_partner(size: int) -> str:
    """Two linked people with ``size`` check-ins each, every check-up shared; the first's name."""
    people = seed_linked_couple((f"lighthouse-alex{size}", f"lighthouse-sam{size}"), size)
    return people[0].username


def run(report: Report, settings: Settings) -> None:
    """Home, questionnaire, result, History and Partner, as a phone and as a desktop."""
    if not available():
        report.notes.append("Lighthouse section skipped: run `make lighthouse` first (needs Node).")
        return
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "INSTANCE_PATH": folder,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/lighthouse.sqlite3",
                "SECRET_KEY": "lighthouse",
                "RATELIMIT_ENABLED": False,
                "QUICK_EXIT_URL": "/healthz",
            }
        )
        size = settings.size
        with app.app_context():
            upgrade()
            user = make_user(f"lighthouse{size}")
            username = user.username
            seed_history(user, size)
            latest = db.session.scalar(
                select(Assessment.id)
                .where(Assessment.user_id == user.id, Assessment.questionnaire_id == "checkup")
                .order_by(Assessment.created_at.desc())
                .limit(1)
            )
            couple = _seed_partner(size)
        pages: list[tuple[str, str, str]] = [
            ("home", "/", username),
            ("questionnaire", "/checkup/checkup", username),
            ("result", f"/results/{latest}", username),
            ("History", "/history", username),
            ("Partner", "/partner", couple),
        ]
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per figure, not per file
        server = make_server("127.0.0.1", 0, app, threaded=True)
        base = f"http://127.0.0.1:{server.server_port}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            cookies = {name: _session_cookie(app.test_client(), name) for _, _, name in pages}
            for preset in settings.presets:
                for name, path, person in pages:
                    if settings.pages and name not in settings.pages:
                        continue
                    before = load_average()
                    try:
                        url = base + path
                        scores = _median_of_runs(url, cookies[person], preset, settings.runs)
                    except RuntimeError as error:
                        report.notes.append(f"{preset} {name}: {error}")
                        continue
                    if preset == "mobile":
                        target = PHONE_TARGETS.get(name, PHONE_DEFAULT_TARGET)
                    else:
                        target = DESKTOP_TARGET
                    compressed = scores["compression"] == 1
                    met = (
                        scores["performance"] >= target
                        and scores["accessibility"] == 1
                        and scores["best-practices"] == 1
                        and compressed
                    )
                    report.add(
                        Row(
                            f"lighthouse {preset}",
                            f"{name}, N = {size}: performance / accessibility / best practices,"
                            f" median of {settings.runs}",
                            f"{scores['performance']:.2f} / {scores['accessibility']:.2f}"
                            f" / {scores['best-practices']:.2f}",
                            f"TBT {scores['tbt']:.0f} ms, LCP {scores['lcp'] / 1000:.1f} s,"
                            f" CLS {scores['cls']:.2f}, {scores['bytes'] / 1024:.0f} KiB,"
                            f" text compression {'passed' if compressed else 'FAILED'};"
                            f" load {before} before, {load_average()} after",
                            target=f">= {target:.2f} / 1.00 / 1.00, compressed",
                            met="yes" if met else "no",
                        )
                    )
        finally:
            server.shutdown()
            with app.app_context():
                db.engine.dispose()
        report.notes.append(
            f"Lighthouse: {settings.runs} runs per page and preset, each figure the median;"
            " `load` is /proc/loadavg (1, 5 and 15 minutes) around those runs, on "
            f"{os.cpu_count()} cores. The mobile preset is Lighthouse's default phone."
        )
