"""What a Rekindle ``export.json`` must hold to be imported: read and check it, store nothing.

Every check happens here, before anything is written, so a bad or foreign file is a
clear 400 with nothing stored. Scores, the safety flag and suggestions are not taken
from the file: they are worked out again from the answers, and a file whose scores do
not match its answers is refused as tampered with or foreign.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _

from questionnaires.loader import Catalog
from questionnaires.models import DIMENSION_IDS, SAFETY_RESPONSES, Questionnaire
from scoring import HELPED_CHOICES, TRIED_CHOICES, dimension_scores, is_flagged

from ..core import TALK_STEPS, PlanStatus, ProposalStatus
from ..plans import MAX_ACTIVE_PLANS

PLAN_STATES = tuple(PlanStatus)
ASSESSMENT_KEYS = {
    "id",
    "questionnaire",
    "version",
    "created_at",
    "safety_flag",
    "answers",
    "safety_responses",
    "scores",
    "overall",
}
PLAN_KEYS = {
    "id",
    "strategy",
    "dimension",
    "chosen_from_assessment",
    "status",
    "created_at",
    "closed_at",
    "checkins",
}
CHECKIN_KEYS = {"assessment", "tried", "helped", "created_at"}
TALK_KEYS = {
    "id",
    "started_by_me",
    "dimension",
    "strategy",
    "step",
    "created_at",
    "joined_at",
    "finished_at",
    "proposal",
}
PROPOSAL_KEYS = {"strategy", "status", "created_at"}
PROPOSAL_STATES = tuple(ProposalStatus)
SCORE_TOLERANCE = 1e-6
# The times an export can hold: none before Unix time began, none after 2100. A time far
# outside them (year 1 or 9999 with a zone) cannot even be turned into UTC.
EARLIEST = datetime(1970, 1, 1)
LATEST = datetime(2101, 1, 1)


class ImportProblem(ValueError):
    """Why a file cannot be imported, in words for the person who chose it."""


@dataclass
class ImportedAssessment:
    """One assessment of the file, checked against its questionnaire's definition."""

    file_id: int
    definition: Questionnaire
    created_at: datetime
    answers: dict[str, int | None]
    safety: dict[str, str]


@dataclass
class ImportedCheckin:
    """What was said of a plan at a later questionnaire (``assessment`` is the file's id)."""

    assessment: int
    tried: str
    helped: str | None
    created_at: datetime


@dataclass
class ImportedPlan:
    """A plan of the file; ``chosen_from`` is the file's id of its assessment."""

    strategy_id: str
    dimension: str
    chosen_from: int
    status: str
    created_at: datetime
    closed_at: datetime | None
    checkins: list[ImportedCheckin] = field(default_factory=list)


@dataclass
class ImportedProposal:
    """What a talk proposed to this person, and what they said."""

    strategy_id: str
    status: str
    created_at: datetime


@dataclass
class ImportedTalk:
    """A talk this person was in; on the new server the other side names nobody."""

    started_by_me: bool
    dimension: str | None
    strategy_id: str | None
    step: int
    created_at: datetime
    joined_at: datetime | None
    finished_at: datetime | None
    proposal: ImportedProposal | None


@dataclass
class ImportedExport:
    """Everything a file holds, oldest assessment first."""

    assessments: list[ImportedAssessment]
    plans: list[ImportedPlan]
    talks: list[ImportedTalk] = field(default_factory=list)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _time(value: Any, where: str) -> datetime:
    """An ISO-8601 time from 1970 to 2100; one with a zone is turned into UTC, as stored."""
    if not isinstance(value, str) or len(value) > 40:
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(_("%(where)s has no readable time.", where=where))
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(_("%(where)s has no readable time.", where=where)) from None
    if not EARLIEST <= moment < LATEST:
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(_("%(where)s has a time outside 1970 to 2100.", where=where))
    return moment


def _file_id(value: Any, ids: set[int]) -> bool:
    """Whether ``value`` names a check-in of this file (a whole number, never a list)."""
    return _is_int(value) and value in ids


def _keys(value: Any, expected: set[str], where: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != expected:
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(_("%(where)s is not laid out as a Rekindle export.", where=where))
    return value


def _answers(definition: Questionnaire, value: Any, where: str) -> dict[str, int | None]:
    items = {item.id: item for item in definition.items}
    if not isinstance(value, dict) or set(value) != set(items):
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(
            _("%(where)s: the answers are not those of this questionnaire.", where=where)
        )
    answers: dict[str, int | None] = {}
    for item_id, answer in value.items():
        if answer is None and items[item_id].may_be_left:
            answers[item_id] = None
        elif _is_int(answer) and answer in definition.scale.points:
            answers[item_id] = answer
        else:
            # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
            raise ImportProblem(
                _("%(where)s: an answer is outside the questionnaire's scale.", where=where)
            )
    return answers


def _safety(definition: Questionnaire, value: Any, where: str) -> dict[str, str]:
    expected = {item.id for item in definition.safety}
    if not isinstance(value, dict) or set(value) != expected:
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(
            _("%(where)s: the safety answers are not those of this questionnaire.", where=where)
        )
    if any(response not in SAFETY_RESPONSES for response in value.values()):
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(_("%(where)s: a safety answer is not yes, no or skip.", where=where))
    return dict(value)


def _same_score(worked_out: float | None, given: Any) -> bool:
    if worked_out is None or given is None:
        return worked_out is None and given is None
    if isinstance(given, bool) or not isinstance(given, int | float):
        return False
    return math.isclose(float(given), worked_out, abs_tol=SCORE_TOLERANCE)


def _same_scores(definition: Questionnaire, answers: dict[str, int | None], value: Any) -> bool:
    worked_out = dimension_scores(definition, answers)
    return (
        isinstance(value, dict)
        and set(value) == set(worked_out)
        and all(_same_score(score, value[d]) for d, score in worked_out.items())
    )


def _assessment(catalog: Catalog, value: Any, number: int) -> ImportedAssessment:
    where = _("Check-in %(number)d", number=number)
    if isinstance(value, dict) and "safety_responses" not in value:
        raise ImportProblem(
            _(
                "This file was downloaded without the safety answers. To move your history,"
                " download the full JSON file on your old server and upload that one."
            )
        )
    row = _keys(value, ASSESSMENT_KEYS, where)
    if not _is_int(row["id"]) or not _is_int(row["version"]):
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(_("%(where)s is not laid out as a Rekindle export.", where=where))
    try:
        definition = catalog.get(row["questionnaire"], row["version"])
    except (KeyError, TypeError):
        raise ImportProblem(
            # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
            _("%(where)s is of a questionnaire or version this server does not have.", where=where)
        ) from None
    answers = _answers(definition, row["answers"], where)
    safety = _safety(definition, row["safety_responses"], where)
    if row["safety_flag"] is not is_flagged(safety) or not _same_scores(
        definition, answers, row["scores"]
    ):
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(_("%(where)s: its scores do not match its answers.", where=where))
    return ImportedAssessment(
        row["id"], definition, _time(row["created_at"], where), answers, safety
    )


def _checkin(value: Any, ids: set[int], where: str) -> ImportedCheckin:
    row = _keys(value, CHECKIN_KEYS, where)
    tried, helped = row["tried"], row["helped"]
    if not _file_id(row["assessment"], ids) or tried not in TRIED_CHOICES:
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(_("%(where)s: a check-in does not fit this file.", where=where))
    if helped is not None and (helped not in HELPED_CHOICES or tried == "no"):
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(_("%(where)s: a check-in does not fit this file.", where=where))
    return ImportedCheckin(row["assessment"], tried, helped, _time(row["created_at"], where))


def _plan(catalog: Catalog, value: Any, ids: set[int], number: int) -> ImportedPlan:
    where = _("Plan %(number)d", number=number)
    row = _keys(value, PLAN_KEYS, where)
    try:
        strategy = catalog.strategies.by_id(row["strategy"])
    except (KeyError, TypeError):
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(
            _("%(where)s names a strategy this server does not have.", where=where)
        ) from None
    status, closed_at = row["status"], row["closed_at"]
    if (
        row["dimension"] != strategy.dimension
        or not _file_id(row["chosen_from_assessment"], ids)
        or status not in PLAN_STATES
        or (status == PlanStatus.ACTIVE) != (closed_at is None)
        or not isinstance(row["checkins"], list)
    ):
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(_("%(where)s does not fit this file.", where=where))
    return ImportedPlan(
        strategy_id=strategy.id,
        dimension=strategy.dimension,
        chosen_from=row["chosen_from_assessment"],
        status=status,
        created_at=_time(row["created_at"], where),
        closed_at=None if closed_at is None else _time(closed_at, where),
        checkins=[_checkin(checkin, ids, where) for checkin in row["checkins"]],
    )


def _maybe_time(value: Any, where: str) -> datetime | None:
    return None if value is None else _time(value, where)


def _known_strategy(catalog: Catalog, strategy_id: Any, dimension: Any, where: str) -> str:
    """A strategy this server has, of the talk's area."""
    try:
        strategy = catalog.strategies.by_id(strategy_id)
    except (KeyError, TypeError):
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(
            _("%(where)s names a strategy this server does not have.", where=where)
        ) from None
    if strategy.dimension != dimension:
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(_("%(where)s does not fit this file.", where=where))
    return strategy.id


def _proposal(catalog: Catalog, value: Any, talk: dict[str, Any], where: str) -> ImportedProposal:
    row = _keys(value, PROPOSAL_KEYS, where)
    if row["status"] not in PROPOSAL_STATES or row["strategy"] != talk["strategy"]:
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(_("%(where)s does not fit this file.", where=where))
    return ImportedProposal(
        strategy_id=_known_strategy(catalog, row["strategy"], talk["dimension"], where),
        status=row["status"],
        created_at=_time(row["created_at"], where),
    )


def _talk(catalog: Catalog, value: Any, number: int) -> ImportedTalk:
    """A talk of the file: its facts checked as the talk room keeps them
    (docs/architecture.md#talk), an odd value refused."""
    where = _("Talk %(number)d", number=number)
    row = _keys(value, TALK_KEYS, where)
    dimension, strategy, step = row["dimension"], row["strategy"], row["step"]
    if (
        not _is_int(row["id"])
        or not isinstance(row["started_by_me"], bool)
        or (dimension is not None and dimension not in DIMENSION_IDS)
        or not _is_int(step)
        or not 1 <= step <= TALK_STEPS
    ):
        # NOTE: %(where)s names a part of the file: "Check-in 3", "Plan 2" or "Talk 1".
        raise ImportProblem(_("%(where)s does not fit this file.", where=where))
    if strategy is not None:
        strategy = _known_strategy(catalog, strategy, dimension, where)
    proposal = row["proposal"]
    return ImportedTalk(
        started_by_me=row["started_by_me"],
        dimension=dimension,
        strategy_id=strategy,
        step=step,
        created_at=_time(row["created_at"], where),
        joined_at=_maybe_time(row["joined_at"], where),
        finished_at=_maybe_time(row["finished_at"], where),
        proposal=None if proposal is None else _proposal(catalog, proposal, row, where),
    )


def read_export(raw: bytes, catalog: Catalog) -> ImportedExport:
    """The checked contents of an ``export.json``, or ImportProblem saying what is wrong."""
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ImportProblem(_("This file is not a Rekindle export (it is not JSON).")) from None
    if (
        not isinstance(document, dict)
        or not {"user", "assessments"} <= set(document) <= {"user", "assessments", "plans", "talks"}
        or not isinstance(document["assessments"], list)
        or not isinstance(document.get("plans", []), list)
        or not isinstance(document.get("talks", []), list)
    ):
        raise ImportProblem(_("This file is not a Rekindle export."))
    if not document["assessments"]:
        raise ImportProblem(_("This export holds no check-ins, so there is nothing to bring over."))
    assessments = [
        _assessment(catalog, value, number)
        for number, value in enumerate(document["assessments"], 1)
    ]
    ids = {a.file_id for a in assessments}
    if len(ids) != len(assessments):
        raise ImportProblem(_("This file names one check-in twice."))
    plans = [
        _plan(catalog, value, ids, number)
        for number, value in enumerate(document.get("plans", []), 1)
    ]
    active = [plan.strategy_id for plan in plans if plan.status == PlanStatus.ACTIVE]
    if len(active) > MAX_ACTIVE_PLANS or len(set(active)) != len(active):
        raise ImportProblem(_("This file has more plans on the go than Rekindle allows."))
    talks = [
        _talk(catalog, value, number) for number, value in enumerate(document.get("talks", []), 1)
    ]
    assessments.sort(key=lambda a: (a.created_at, a.file_id))
    return ImportedExport(assessments, plans, talks)
