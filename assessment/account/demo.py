"""``flask --app app demo``: a demo account with six months of history, and its partner."""

from __future__ import annotations

import os
import random
import secrets
import string
from datetime import datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from questionnaires.models import Questionnaire

from ..checkup import Checkin, store_assessment
from ..core import Assessment, PartnerLink, Plan, PlanStatus, User, current_catalog, db, utcnow
from .hashing import hash_password

DEMO_USERNAME = "demo"
DEMO_CHECKUPS = 6
DAYS_BETWEEN_CHECKUPS = 30
# The version the demo answered at each check-up (and at the pulse after it): two of each, so
# History, results and Partner show the questions changing twice, and the last two, of the
# newest version, can be judged against each other (docs/architecture.md#versions).
DEMO_VERSIONS = (1, 1, 2, 2, 3, 3)

# Keyed answer level (1-5) per dimension, at evenly spaced points from the first check-up to the
# last (two points: a straight line). Communication rises late, after the plan chosen at the
# fifth check-up, far enough to read as a reliable improvement between the last two; the rest
# move within normal variation.
DEMO_TRAJECTORY: dict[str, tuple[float, ...]] = {
    "communication": (2.2, 2.5, 2.8, 3.0, 2.9, 4.3),
    "emotional_needs": (3.0, 3.6),
    "stress": (3.4, 3.0),
    "romance": (2.0, 3.9),
    "intimacy": (2.6, 3.4),
    "support": (3.8, 4.2),
}


def demo_password(instance_path: str, filename: str = "demo_password") -> str:
    """The demo password: generated once (letters and digits), kept in ``instance/``."""
    path = Path(instance_path) / filename
    if path.exists():
        stored = path.read_text().strip()
        if stored.isalnum():
            return stored
    alphabet = string.ascii_letters + string.digits
    password = "".join(secrets.choice(alphabet) for _ in range(16))
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password)
    return password


def level_at(points: tuple[float, ...], progress: float) -> float:
    """The trajectory's level at ``progress`` (0 to 1), straight between evenly spaced points."""
    if len(points) == 1:
        return points[0]
    position = min(max(progress, 0.0), 1.0) * (len(points) - 1)
    index = min(int(position), len(points) - 2)
    share = position - index
    return points[index] + (points[index + 1] - points[index]) * share


def demo_answers(
    definition: Questionnaire,
    progress: float,
    rng: random.Random,
    trajectory: dict[str, tuple[float, ...]] = DEMO_TRAJECTORY,
) -> dict[str, int | None]:
    """Answers that put each dimension near its point on a trajectory (demo's by default)."""
    scale = definition.scale
    answers: dict[str, int | None] = {}
    for item in definition.items:
        points = trajectory.get(item.dimension, (3.0,))
        level = level_at(points, progress) + rng.uniform(-0.45, 0.45)
        keyed = min(scale.max, max(scale.min, round(level)))
        answers[item.id] = scale.min + scale.max - keyed if item.reverse else keyed
    return answers


def demo_version(catalog_latest: Questionnaire, index: int) -> int:
    """The version the demo answered at its ``index``-th check-up (never past the newest)."""
    return min(catalog_latest.version, DEMO_VERSIONS[min(index, len(DEMO_VERSIONS) - 1)])


def _demo_account(username: str, password_file: str) -> tuple[User, int]:
    """The demo user (made once, its password set from ``instance/``) and its assessment count."""
    password = demo_password(current_app.instance_path, password_file)
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, password_hash="")
        db.session.add(user)
    user.password_hash = hash_password(password)
    db.session.commit()
    count = db.session.scalar(
        select(func.count()).select_from(Assessment).where(Assessment.user_id == user.id)
    )
    return user, count or 0


def load_demo(now: datetime | None = None) -> tuple[User, bool]:
    """Create the demo user and its history once; (user, whether history was created)."""
    catalog = current_catalog()
    user, count = _demo_account(DEMO_USERNAME, "demo_password")
    if count:
        return user, False
    rng = random.Random(20260525)
    now = now or utcnow()
    latest_checkup = catalog.latest("checkup")
    latest_pulse = catalog.latest("pulse")
    first = now - timedelta(days=DAYS_BETWEEN_CHECKUPS * (DEMO_CHECKUPS - 1) + 1)
    plan: Plan | None = None
    for index in range(DEMO_CHECKUPS):
        checkup = catalog.get("checkup", demo_version(latest_checkup, index))
        # A pulse taken after this check-up: the newest version once the check-up is.
        pulse = catalog.get("pulse", demo_version(latest_pulse, index))
        safe = {item.id: "no" for item in checkup.safety}
        progress = index / (DEMO_CHECKUPS - 1)
        taken = first + timedelta(days=DAYS_BETWEEN_CHECKUPS * index, hours=rng.randint(0, 8))
        stored = store_assessment(
            user,
            checkup,
            catalog,
            demo_answers(checkup, progress, rng),
            safe,
            f"demo-checkup-{index:02d}-seed",
            created_at=taken,
            checkins=_demo_checkin(plan, DEMO_CHECKINS.get(("checkup", index))),
        )
        if index in DEMO_PLAN_AFTER_CHECKUPS:
            plan = _demo_plan(user, stored, taken + timedelta(hours=1))
        if index < DEMO_CHECKUPS - 1:
            _demo_pulse(user, pulse, index, taken, plan, rng)
    return user, True


def _demo_pulse(
    user: User,
    pulse: Questionnaire,
    index: int,
    after: datetime,
    plan: Plan | None,
    rng: random.Random,
) -> None:
    """The pulse the demo takes halfway between its ``index``-th check-up and the next."""
    store_assessment(
        user,
        pulse,
        current_catalog(),
        demo_answers(pulse, (index + 0.5) / (DEMO_CHECKUPS - 1), rng),
        {item.id: "no" for item in pulse.safety},
        f"demo-pulse-{index:02d}-seeded",
        created_at=after + timedelta(days=DAYS_BETWEEN_CHECKUPS // 2),
        checkins=_demo_checkin(plan, DEMO_CHECKINS.get(("pulse", index))),
    )


# Follow-through in the demo: a plan chosen after check-ups 1, 3 and 5 (the last still
# active), and what was said of each at the next check-ins.
DEMO_PLAN_AFTER_CHECKUPS = (0, 2, 4)
DEMO_CHECKINS = {
    ("pulse", 0): ("yes", "yes"),
    ("pulse", 2): ("no", None),
    ("checkup", 3): ("partly", "unsure"),
}


def _demo_plan(user: User, assessment: Assessment, chosen_at: datetime) -> Plan | None:
    """Choose the first suggestion of a demo result, as a person would with "I'll try this"."""
    if not assessment.suggestions:
        return None
    first = assessment.suggestions[0]
    plan = Plan(
        user_id=user.id,
        assessment_id=assessment.id,
        strategy_id=first["strategy_id"],
        dimension=first["dimension"],
        status=PlanStatus.ACTIVE,
        created_at=chosen_at,
    )
    db.session.add(plan)
    db.session.commit()
    return plan


def _demo_checkin(plan: Plan | None, answer: tuple[str, str | None] | None) -> dict[int, Checkin]:
    """The check-in the demo gives for its open plan at this questionnaire, if any."""
    if plan is None or answer is None or plan.status != PlanStatus.ACTIVE:
        return {}
    return {plan.id: Checkin(*answer)}


DEMO_PARTNER_USERNAME = "demo-partner"
PARTNER_FILE = "demo_partner_password"
PARTNER_OFFSET_DAYS = 3  # each of the partner's check-ups a few days after one of demo's

# The partner starts out seeing communication and romance far more warmly than demo does;
# as demo's scores rise the two views meet, while stress stays seen differently throughout.
PARTNER_TRAJECTORY: dict[str, tuple[float, ...]] = {
    "communication": (3.9, 4.2),
    "emotional_needs": (3.2, 3.6),
    "stress": (2.0, 1.7),
    "romance": (3.7, 3.9),
    "intimacy": (3.0, 3.4),
    "support": (4.0, 4.2),
}


def load_demo_partner(demo: User) -> tuple[User, bool]:
    """Create (once) demo's partner, linked to demo, both sharing their full check-ups."""
    catalog = current_catalog()
    partner, count = _demo_account(DEMO_PARTNER_USERNAME, PARTNER_FILE)
    if count:
        return partner, False
    demo_checkups = db.session.scalars(
        select(Assessment)
        .where(Assessment.user_id == demo.id, Assessment.questionnaire_id == "checkup")
        .order_by(Assessment.created_at)
    ).all()
    rng = random.Random(20260526)
    now = utcnow()
    for index, theirs in enumerate(demo_checkups):
        # The partner answered the same version as demo did at that time.
        checkup = catalog.get("checkup", theirs.questionnaire_version)
        safe = {item.id: "no" for item in checkup.safety}
        progress = index / max(1, len(demo_checkups) - 1)
        answers = demo_answers(checkup, progress, rng, PARTNER_TRAJECTORY)
        taken = min(now, theirs.created_at + timedelta(days=PARTNER_OFFSET_DAYS))
        mine = store_assessment(
            partner, checkup, catalog, answers, safe, f"demo-partner-{index:02d}-seed", taken
        )
        mine.shared = True
        theirs.shared = True
    linked = db.session.scalar(
        select(PartnerLink).where(
            PartnerLink.inviter_id.in_([demo.id, partner.id])
            | PartnerLink.partner_id.in_([demo.id, partner.id])
        )
    )
    if linked is None:
        db.session.add(PartnerLink(inviter_id=demo.id, partner_id=partner.id))
    db.session.commit()
    return partner, True


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create (once) the demo account with half a year of history and print its password."""
    user, created = load_demo()
    state = "created with six months of history" if created else "already there"
    click.echo(f"demo user: {user.username} ({state})")
    click.echo(f"demo password: {demo_password(current_app.instance_path)}")
    partner, partner_created = load_demo_partner(user)
    state = "linked, with six months of shared check-ups" if partner_created else "already there"
    click.echo(f"demo partner: {partner.username} ({state})")
    click.echo(f"demo-partner password: {demo_password(current_app.instance_path, PARTNER_FILE)}")
