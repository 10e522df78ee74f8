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
from .seed import PASSWORD, make_user, seed_history

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run"
)
PRESETS = ("mobile", "desktop")


@dataclass(frozen=True)
class Settings:
    """History sizes to measure the result and History pages at."""

    sizes: tuple[int, ...] = (6, 200)


def available() -> bool:
    """Whether Lighthouse is installed (by `make lighthouse`)."""
    return LIGHTHOUSE.exists() and Path(CHROME).exists()


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
    return {
        "performance": categories["performance"]["score"],
        "accessibility": categories["accessibility"]["score"],
        "best-practices": categories["best-practices"]["score"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        # 1 when every text response came compressed (docs/architecture.md#privacy: a kept library
        # does it).
        "compression": audits["uses-text-compression"]["score"],
    }


def run(report: Report, settings: Settings) -> None:
    """Home, questionnaire, result and History at each size, with both presets."""
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
        pages: list[tuple[str, str, str]] = []
        with app.app_context():
            upgrade()
            for size in settings.sizes:
                user = make_user(f"lighthouse{size}")
                seed_history(user, size)
                latest = db.session.scalar(
                    select(Assessment.id)
                    .where(Assessment.user_id == user.id, Assessment.questionnaire_id == "checkup")
                    .order_by(Assessment.created_at.desc())
                    .limit(1)
                )
                pages.append((f"result, N = {size}", f"/results/{latest}", user.username))
                pages.append((f"History, N = {size}", "/history", user.username))
        first_user = f"lighthouse{settings.sizes[0]}"
        pages = [
            ("home", "/", first_user),
            ("questionnaire", "/checkup/checkup", first_user),
            *pages,
        ]
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per figure, not per file
        server = make_server("127.0.0.1", 0, app, threaded=True)
        base = f"http://127.0.0.1:{server.server_port}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            cookies = {user: _session_cookie(app.test_client(), user) for _, _, user in pages}
            for preset in PRESETS:
                for name, path, user in pages:
                    try:
                        scores = _audit(base + path, cookies[user], preset)
                    except RuntimeError as error:
                        report.notes.append(f"{preset} {name}: {error}")
                        continue
                    target = 0.90 if preset == "mobile" else 0.98
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
                            f"{name}: performance / accessibility / best practices",
                            f"{scores['performance']:.2f} / {scores['accessibility']:.2f}"
                            f" / {scores['best-practices']:.2f}",
                            f"TBT {scores['tbt']:.0f} ms, {scores['bytes'] / 1024:.0f} KiB,"
                            f" text compression {'passed' if compressed else 'FAILED'}",
                            target=f">= {target:.2f} / 1.00 / 1.00, compressed",
                            met="yes" if met else "no",
                        )
                    )
        finally:
            server.shutdown()
            with app.app_context():
                db.engine.dispose()
