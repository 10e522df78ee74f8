"""In-process figures (Flask test client, a SQLite file): time, SQL statements and bytes."""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event

from app import create_app
from assessment.core.assets import plotly_filename
from assessment.core.extensions import db
from scoring import score_assessment

from .report import Report, Row
from .seed import PASSWORD, make_user, seed_history, seed_linked_couple, seed_plans
from .timing import Timing, measure

HISTORY_SIZES = (1, 10, 100, 1000)
_HIDDEN = re.compile(r'<input[^>]*name="(\w+)"[^>]*type="hidden"[^>]*value="([^"]*)"')
_HIDDEN_ALT = re.compile(r'<input[^>]*type="hidden"[^>]*name="(\w+)"[^>]*value="([^"]*)"')


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of a form (csrf_token, submission_token, version)."""
    return dict(_HIDDEN.findall(html) + _HIDDEN_ALT.findall(html))


@dataclass
class Settings:
    """How much to measure: the real run, or the smoke test's tiny one."""

    repeats: int = 30
    history_sizes: tuple[int, ...] = HISTORY_SIZES
    partner_size: int = 1000


class StatementCounter:
    """Counts SQL statements an app's engine sends, to show cost that grows with N."""

    def __init__(self, app: Flask) -> None:
        self.count = 0
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:  # type: ignore[no-untyped-def]
        self.count += 1


@contextmanager
def bench_app(folder: Path) -> Iterator[Flask]:
    """A migrated app on a SQLite file, with a bare route to compare everything against."""
    app = create_app(
        {
            "INSTANCE_PATH": str(folder),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
        }
    )
    app.add_url_rule("/bench-bare", "bench_bare", lambda: "ok")
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _ratio(timing: Timing, bare: Timing) -> str:
    return f"{timing.median / bare.median:.1f}"


def _spread(timing: Timing) -> str:
    return f"[{timing.low:.2f} - {timing.high:.2f}]"


def _met(value: float, limit: float) -> str:
    return "yes" if value <= limit else "no"


def _sign_in(client, username: str) -> None:  # type: ignore[no-untyped-def]
    fields = hidden_fields(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={**fields, "username": username, "password": PASSWORD})
    assert response.status_code == 303, response.status_code


def run(report: Report, settings: Settings) -> None:
    """Every in-process figure of issue 6 (and /partner's of issue 9)."""
    with tempfile.TemporaryDirectory() as folder, bench_app(Path(folder)) as app:
        client = app.test_client()
        bare = measure(lambda: client.get("/bench-bare"), settings.repeats * 3)
        report.add(
            Row("baseline", "bare Flask route", f"{bare.median:.3f} ms", _spread(bare), "1.0")
        )

        catalog = app.extensions["rekindle.catalog"]
        checkup = catalog.latest("checkup")
        answers = {item.id: (index % 5) + 1 for index, item in enumerate(checkup.items)}
        safety = {item.id: "no" for item in checkup.safety}
        scoring = measure(
            lambda: score_assessment(checkup, catalog.strategies, answers, safety),
            settings.repeats * 10,
        )
        report.add(
            Row(
                "scoring",
                "score one check-up (scoring package alone)",
                f"{scoring.median:.3f} ms",
                _spread(scoring),
                _ratio(scoring, bare),
                "<= 1 ms",
                _met(scoring.median, 1),
            )
        )

        with app.app_context():
            make_user("bench")
        _sign_in(client, "bench")
        counter = StatementCounter(app)
        body = {item_id: str(value) for item_id, value in answers.items()} | safety

        # Time only the POST: the GET that draws a fresh form is outside the measurement.
        posts: list[float] = []
        for _ in range(settings.repeats):
            fields = hidden_fields(client.get("/checkup/checkup").get_data(as_text=True))
            start = time.perf_counter()
            response = client.post("/checkup/checkup", data={**fields, **body})
            posts.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 303
        location = response.headers["Location"]
        post_timing = Timing(sorted(posts)[len(posts) // 2], min(posts), max(posts), len(posts))
        report.add(
            Row(
                "in-process",
                "POST a check-up (store, 303)",
                f"{post_timing.median:.2f} ms",
                _spread(post_timing),
                _ratio(post_timing, bare),
                "<= 15 ms",
                _met(post_timing.median, 15),
            )
        )

        result = measure(lambda: client.get(location), settings.repeats)
        counter.count = 0
        page = client.get(location)
        report.add(
            Row(
                "in-process",
                "GET a result page",
                f"{result.median:.2f} ms",
                _spread(result),
                _ratio(result, bare),
                "<= 15 ms",
                _met(result.median, 15),
            )
        )
        report.add(
            Row(
                "in-process",
                "result page: SQL statements",
                str(counter.count),
                target="<= 5",
                met=_met(counter.count, 5),
            )
        )
        report.add(Row("in-process", "result page: HTML bytes", f"{len(page.data):,}"))

        for size in settings.history_sizes:
            username = f"history{size}"
            with app.app_context():
                seed_history(make_user(username), size)
            history_client = app.test_client()
            _sign_in(history_client, username)
            timing = measure(
                lambda c=history_client: c.get("/history"), max(5, settings.repeats // 3)
            )
            counter.count = 0
            page = history_client.get("/history")
            assert page.status_code == 200
            limit = 80 if size >= 1000 else None
            report.add(
                Row(
                    "in-process",
                    f"GET History, N = {size:,}",
                    f"{timing.median:.2f} ms",
                    _spread(timing),
                    _ratio(timing, bare),
                    "<= 80 ms" if limit else "",
                    _met(timing.median, limit) if limit else "",
                )
            )
            report.add(
                Row(
                    "in-process",
                    f"History N = {size:,}: SQL statements",
                    str(counter.count),
                    target="<= 5, same at every N",
                    met=_met(counter.count, 5),
                )
            )
            report.add(
                Row(
                    "in-process",
                    f"History N = {size:,}: HTML bytes",
                    f"{len(page.data):,}",
                    target="<= 200 KB" if size >= 1000 else "",
                    met=_met(len(page.data), 200 * 1024) if size >= 1000 else "",
                )
            )

        largest = max(settings.history_sizes)
        plans = max(1, largest // 10)
        with app.app_context():
            planner = make_user(f"planner{largest}")
            seed_history(planner, largest)
            seed_plans(planner, plans)
        plan_client = app.test_client()
        _sign_in(plan_client, f"planner{largest}")
        timing = measure(lambda: plan_client.get("/history"), max(5, settings.repeats // 3))
        counter.count = 0
        page = plan_client.get("/history")
        assert page.status_code == 200
        label = f"History, N = {largest:,} with {plans} plans"
        report.add(
            Row(
                "in-process",
                f"GET {label}",
                f"{timing.median:.2f} ms",
                _spread(timing),
                _ratio(timing, bare),
                "<= 80 ms",
                _met(timing.median, 80),
            )
        )
        report.add(
            Row(
                "in-process",
                f"{label}: SQL statements",
                str(counter.count),
                target="<= 5",
                met=_met(counter.count, 5),
            )
        )
        report.add(Row("in-process", f"{label}: HTML bytes", f"{len(page.data):,}"))

        asset = client.get(f"/assets/{plotly_filename()}", headers={"Accept-Encoding": "gzip"})
        report.add(
            Row(
                "size",
                "plotly.js on the wire (gzip)",
                f"{len(asset.data):,} bytes",
                target="<= 1.5 MB",
                met=_met(len(asset.data), 1.5 * 1024 * 1024),
            )
        )
        asset.close()


def run_partner(report: Report, settings: Settings) -> None:
    """GET /partner with N shared check-ups each: time, SQL statements (constant in N), bytes."""
    with tempfile.TemporaryDirectory() as folder, bench_app(Path(folder)) as app:
        client = app.test_client()
        bare = measure(lambda: client.get("/bench-bare"), settings.repeats * 3)
        for size in sorted({min(settings.history_sizes), settings.partner_size}):
            names = (f"alex{size}", f"sam{size}")
            with app.app_context():
                seed_linked_couple(names, size)
            partner_client = app.test_client()
            _sign_in(partner_client, names[0])
            counter = StatementCounter(app)
            timing = measure(
                lambda c=partner_client: c.get("/partner"), max(5, settings.repeats // 3)
            )
            counter.count = 0
            page = partner_client.get("/partner")
            assert page.status_code == 200
            report.add(
                Row(
                    "in-process",
                    f"GET /partner, N = {size:,} each",
                    f"{timing.median:.2f} ms",
                    _spread(timing),
                    _ratio(timing, bare),
                )
            )
            report.add(
                Row(
                    "in-process",
                    f"/partner N = {size:,}: SQL statements",
                    str(counter.count),
                    target="same at every N",
                )
            )
            report.add(
                Row("in-process", f"/partner N = {size:,}: HTML bytes", f"{len(page.data):,}")
            )
