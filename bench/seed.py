"""Fast, bulk seeding of one person's history: N scored assessments in a few statements."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, update
from werkzeug.security import generate_password_hash

from assessment.checkup.submission import suggestions_to_json
from assessment.core.catalog import current_catalog
from assessment.core.extensions import db
from assessment.core.models import (
    Answer,
    Assessment,
    DimensionScore,
    PartnerLink,
    PlanStatus,
    SafetyResponse,
    User,
    utcnow,
)
from scoring import score_assessment

PASSWORD = "a long walk by the river"


def make_user(username: str) -> User:
    """A user with the benchmark password."""
    user = User(username=username, password_hash=generate_password_hash(PASSWORD))
    db.session.add(user)
    db.session.commit()
    return user


def seed_history(user: User, count: int, seed: int = 7) -> None:
    """``count`` assessments, a week apart, every fourth a pulse; scored as the app scores."""
    catalog = current_catalog()
    checkup, pulse = catalog.latest("checkup"), catalog.latest("pulse")
    rng = random.Random(seed)
    start = utcnow() - timedelta(weeks=count)
    heads, children = [], []
    for index in range(count):
        definition = pulse if index % 4 == 3 else checkup
        answers = {item.id: rng.randint(1, 5) for item in definition.items}
        safety = {item.id: "no" for item in definition.safety}
        scored = score_assessment(definition, catalog.strategies, answers, safety)
        heads.append(
            {
                "user_id": user.id,
                "questionnaire_id": definition.id,
                "questionnaire_version": definition.version,
                "created_at": start + timedelta(weeks=index),
                "safety_flag": False,
                "submission_token": f"bench-{user.id}-{index:06d}-seeded",
                "overall": scored.overall,
                "suggestions": suggestions_to_json(scored.suggestions),
            }
        )
        children.append((answers, safety, scored.scores))
    ids = db.session.scalars(
        insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True), heads
    ).all()
    answers_rows, safety_rows, score_rows = [], [], []
    for assessment_id, (answers, safety, scores) in zip(ids, children, strict=True):
        answers_rows += [
            {"assessment_id": assessment_id, "item_id": k, "value": v} for k, v in answers.items()
        ]
        safety_rows += [
            {"assessment_id": assessment_id, "item_id": k, "response": v} for k, v in safety.items()
        ]
        score_rows += [
            {"assessment_id": assessment_id, "dimension": k, "score": v} for k, v in scores.items()
        ]
    db.session.execute(insert(Answer), answers_rows)
    db.session.execute(insert(SafetyResponse), safety_rows)
    db.session.execute(insert(DimensionScore), score_rows)
    db.session.commit()


def seed_plans(user: User, count: int) -> None:
    """``count`` plans chosen from the user's check-ups, each with a check-in at the next one."""
    from sqlalchemy import select

    from assessment.core.models import Plan, PlanCheckin

    checkups = db.session.execute(
        select(Assessment.id, Assessment.created_at, Assessment.suggestions)
        .where(Assessment.user_id == user.id, Assessment.questionnaire_id == "checkup")
        .order_by(Assessment.created_at)
    ).all()
    step = max(1, (len(checkups) - 1) // max(count, 1))
    chosen = 0
    for index in range(0, len(checkups) - 1, step):
        if chosen == count:
            break
        assessment_id, created_at, suggestions = checkups[index]
        if not suggestions:
            continue
        nxt_id, nxt_at, _ = checkups[index + 1]
        plan = Plan(
            user_id=user.id,
            assessment_id=assessment_id,
            strategy_id=suggestions[0]["strategy_id"],
            dimension=suggestions[0]["dimension"],
            status=PlanStatus.CLOSED,
            created_at=created_at + timedelta(hours=1),
            closed_at=nxt_at,
        )
        db.session.add(plan)
        db.session.flush()
        db.session.add(
            PlanCheckin(
                plan_id=plan.id,
                assessment_id=nxt_id,
                tried="yes",
                helped="unsure",
                created_at=nxt_at,
            )
        )
        chosen += 1
    db.session.commit()


def seed_linked_couple(names: tuple[str, str], size: int) -> list[User]:
    """Two linked people with ``size`` check-ins each, every check-up shared: what Partner
    shows, for the in-process figures and for Lighthouse alike."""
    people = [make_user(name) for name in names]
    for person in people:
        seed_history(person, size)
    db.session.add(PartnerLink(inviter_id=people[0].id, partner_id=people[1].id))
    db.session.execute(
        update(Assessment)
        .where(Assessment.questionnaire_id == "checkup")
        .where(Assessment.user_id.in_([p.id for p in people]))
        .values(shared=True)
    )
    db.session.commit()
    return people
