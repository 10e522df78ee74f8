"""`flask norms report` at 10,000 assessments: what a busy server's administrator waits for."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from assessment.core.catalog import current_catalog
from assessment.core.extensions import db
from assessment.core.models import Answer, Assessment, DimensionScore, User, utcnow
from scoring import dimension_scores

from .inprocess import bench_app
from .report import Report, Row
from .timing import measure

GOAL_MS = 2000.0


@dataclass
class Settings:
    """How many assessments to seed and how often to time the report."""

    assessments: int = 10_000
    repeats: int = 5


def seed_people(count: int, seed: int = 18) -> None:
    """``count`` people with one assessment each (every fourth a pulse), answers that cohere.

    Every assessment is someone's first, so the report reads every answer: the heaviest case.
    """
    catalog = current_catalog()
    checkup, pulse = catalog.latest("checkup"), catalog.latest("pulse")
    rng = np.random.default_rng(seed)
    users = db.session.scalars(
        insert(User).returning(User.id, sort_by_parameter_order=True),
        [{"username": f"norms{i}", "password_hash": "x"} for i in range(count)],
    ).all()
    start = utcnow() - timedelta(days=count)
    heads, answer_sets = [], []
    for index, user_id in enumerate(users):
        definition = pulse if index % 4 == 3 else checkup
        trait = rng.normal()
        answers = {}
        for item in definition.items:
            keyed = int(np.clip(np.round(3 + trait + rng.normal(scale=0.8)), 1, 5))
            answers[item.id] = 6 - keyed if item.reverse else keyed
        heads.append(
            {
                "user_id": user_id,
                "questionnaire_id": definition.id,
                "questionnaire_version": definition.version,
                "created_at": start + timedelta(days=index),
                "safety_flag": False,
                "submission_token": f"norms-{user_id}",
                "overall": None,
                "suggestions": [],
            }
        )
        answer_sets.append((definition, answers))
    ids = db.session.scalars(
        insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True), heads
    ).all()
    answer_rows, score_rows = [], []
    for assessment_id, (definition, answers) in zip(ids, answer_sets, strict=True):
        answer_rows += [
            {"assessment_id": assessment_id, "item_id": k, "value": v} for k, v in answers.items()
        ]
        score_rows += [
            {"assessment_id": assessment_id, "dimension": k, "score": v}
            for k, v in dimension_scores(definition, answers).items()
        ]
    db.session.execute(insert(Answer), answer_rows)
    db.session.execute(insert(DimensionScore), score_rows)
    db.session.commit()


def run(report: Report, settings: Settings) -> None:
    """Time `flask norms report --json` and the table on a SQLite file."""
    with tempfile.TemporaryDirectory() as folder, bench_app(Path(folder)) as app:
        with app.app_context():
            seed_people(settings.assessments)
        runner = app.test_cli_runner()

        def report_json() -> None:
            result = runner.invoke(args=["norms", "report", "--json"])
            assert result.exit_code == 0, result.output

        def report_table() -> None:
            result = runner.invoke(args=["norms", "report"])
            assert result.exit_code == 0, result.output

        size = f"{settings.assessments:,}"
        for what, action in (("--json", report_json), ("table", report_table)):
            timing = measure(action, settings.repeats, warmup=1)
            report.add(
                Row(
                    "norms",
                    f"flask norms report {what}, {size} assessments",
                    f"{timing.median:.0f} ms",
                    f"[{timing.low:.0f} - {timing.high:.0f}]",
                    target="< 2 s",
                    met="yes" if timing.median < GOAL_MS else "no",
                )
            )
