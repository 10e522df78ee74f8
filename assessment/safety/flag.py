"""The flag lasts: the one answer to "is this person recently flagged?".

See docs/architecture.md#safety.

Every safety rule asks ``recently_flagged``: results offer only safe strategies, unsafe
plans are paused, and no starter, invitation, share suggestion or talk is offered. The
answer is kept on the person (``User.flagged_until``), 90 days after their latest flagged
assessment, so that neither a later "no", a skipped pulse, nor deleting the flagged
assessment lifts it early.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, or_, update
from sqlalchemy.orm import InstrumentedAttribute

from questionnaires.models import Strategy, StrategyLibrary
from scoring import AVOIDED_AFTER_SEXUAL_VIOLENCE

from ..core import Plan, PlanStatus, User, db, utcnow

FLAG_LASTS = timedelta(days=90)


@dataclass(frozen=True)
class Flag:
    """A person recently flagged: until when, and whether it named sexual violence."""

    until: datetime
    sexual_violence: bool


def recently_flagged(person: User, now: datetime | None = None) -> Flag | None:
    """The person's flag while it lasts, else None. Every safety rule asks this."""
    return flag_at(person.flagged_until, person.sexual_violence_until, now or utcnow())


def flag_at(
    flagged_until: datetime | None, violence_until: datetime | None, moment: datetime
) -> Flag | None:
    """The rule itself, on the two dates a person keeps: flagged before ``flagged_until``."""
    if flagged_until is None or moment >= flagged_until:
        return None
    violence = violence_until is not None and moment < violence_until
    return Flag(until=flagged_until, sexual_violence=violence)


def flag_ends(moment: datetime) -> datetime:
    """When a flag raised at ``moment`` ends: 90 days later."""
    return moment + FLAG_LASTS


def _later_of(
    column: InstrumentedAttribute[datetime | None], moment: datetime
) -> ColumnElement[datetime]:
    return case((or_(column.is_(None), column < moment), moment), else_=column)


def extend_flag(person: User, moment: datetime, flagged: bool, sexual_violence: bool) -> None:
    """After a flagged assessment at ``moment``, the flag lasts 90 days from it (never less).

    One UPDATE that keeps the later of the two dates, so two submissions at once, or an
    import of older assessments, can never shorten a flag. Part of the caller's transaction.
    """
    until = flag_ends(moment)
    values: dict[InstrumentedAttribute[datetime | None], ColumnElement[datetime]] = {}
    if flagged:
        values[User.flagged_until] = _later_of(User.flagged_until, until)
    if sexual_violence:
        values[User.sexual_violence_until] = _later_of(User.sexual_violence_until, until)
    if not values:
        return
    db.session.execute(
        update(User).where(User.id == person.id).values(values),
        execution_options={"synchronize_session": False},
    )
    db.session.expire(person, ["flagged_until", "sexual_violence_until"])


def allowed_while(flag: Flag, strategy: Strategy) -> bool:
    """Whether a strategy may be offered or tried while this flag lasts."""
    if flag.sexual_violence and strategy.dimension in AVOIDED_AFTER_SEXUAL_VIOLENCE:
        return False
    return strategy.safe_if_flagged


def is_paused(plan: Plan, flag: Flag | None, library: StrategyLibrary) -> bool:
    """An active plan whose strategy is unsafe waits, untouched, while the person is flagged.

    Paused plans are kept as they are (an export does not change), never shown and never
    asked about, and come back when the flag's period ends. A retired strategy counts as
    unsafe: nobody can tell any more whether it was safe.
    """
    if flag is None or plan.status != PlanStatus.ACTIVE:
        return False
    try:
        strategy = library.by_id(plan.strategy_id)
    except KeyError:
        return True
    return not allowed_while(flag, strategy)


def unpaused(plans: Iterable[Plan], flag: Flag | None, library: StrategyLibrary) -> list[Plan]:
    """The plans a page may show and a questionnaire may ask about."""
    return [plan for plan in plans if not is_paused(plan, flag, library)]
