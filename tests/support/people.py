"""Many people's answers, drawn from a latent-trait model and stored as the app stores them."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import insert

from assessment.checkup.submission import suggestions_to_json
from assessment.core.extensions import db
from assessment.core.models import Answer, Assessment, DimensionScore, User
from questionnaires.loader import Catalog
from questionnaires.models import Questionnaire
from scoring import score_assessment

START = datetime(2026, 6, 1, 9, 0)


def draw_answers(
    definition: Questionnaire,
    people: int,
    seed: int,
    noise_items: frozenset[str] = frozenset(),
    skip: dict[int, str] | None = None,
) -> list[dict[str, int | None]]:
    """Answers of ``people``: keyed = round(3 + trait + noise) in 1..5, reverse items mirrored.

    Items in ``noise_items`` ignore the trait (they measure nothing); ``skip`` maps a
    person's index to an item they answered "prefer not to say".
    """
    rng = np.random.default_rng(seed)
    low, high = definition.scale.min, definition.scale.max
    traits = {d.id: rng.normal(size=people) for d in definition.dimensions}
    answers: list[dict[str, int | None]] = [{} for _ in range(people)]
    for item in definition.items:
        signal = 0 if item.id in noise_items else traits[item.dimension]
        keyed = np.clip(np.round(3 + signal + rng.normal(scale=0.7, size=people)), low, high)
        for index in range(people):
            value = int(keyed[index])
            answers[index][item.id] = low + high - value if item.reverse else value
    for index, item_id in (skip or {}).items():
        answers[index][item_id] = None
    return answers


def store_people(
    catalog: Catalog,
    definition: Questionnaire,
    answer_sets: list[dict[str, int | None]],
    prefix: str,
    start: datetime = START,
    language: str = "en",
) -> list[int]:
    """One new user per answer set, each with one scored assessment read in ``language``;
    their user ids."""
    users = db.session.scalars(
        insert(User).returning(User.id, sort_by_parameter_order=True),
        [{"username": f"{prefix}{i}", "password_hash": "x"} for i in range(len(answer_sets))],
    ).all()
    for user_id, answers in zip(users, answer_sets, strict=True):
        add_assessment(catalog, definition, user_id, answers, start, language)
    db.session.commit()
    return list(users)


def add_assessment(
    catalog: Catalog,
    definition: Questionnaire,
    user_id: int,
    answers: dict[str, int | None],
    created_at: datetime,
    language: str = "en",
) -> int:
    """Store one scored assessment for a user, read in ``language``, as the app would (no
    commit)."""
    scored = score_assessment(definition, catalog.strategies, answers, {})
    assessment_id = db.session.scalar(
        insert(Assessment).returning(Assessment.id),
        {
            "user_id": user_id,
            "questionnaire_id": definition.id,
            "questionnaire_version": definition.version,
            "created_at": created_at,
            "language": language,
            "safety_flag": False,
            "submission_token": f"people-{user_id}-{created_at:%Y%m%d%H%M%S%f}",
            "overall": scored.overall,
            "suggestions": suggestions_to_json(scored.suggestions),
        },
    )
    db.session.execute(
        insert(Answer),
        [{"assessment_id": assessment_id, "item_id": k, "value": v} for k, v in answers.items()],
    )
    db.session.execute(
        insert(DimensionScore),
        [
            {"assessment_id": assessment_id, "dimension": k, "score": v}
            for k, v in scored.scores.items()
        ],
    )
    return assessment_id


def later(days: int) -> datetime:
    """A moment ``days`` after the people's first answers."""
    return START + timedelta(days=days)
