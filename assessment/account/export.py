"""A user's own data as plain JSON and CSV: everything of theirs, nothing of anyone else's.

Both are sent as they are written, a batch of check-ins at a time (docs/architecture.md#exports).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from questionnaires.loader import Catalog
from questionnaires.models import PREFER_NOT_TO_SAY, Questionnaire

from ..core import (
    Answer,
    Assessment,
    DimensionScore,
    PlanStatus,
    SafetyResponse,
    Talk,
    User,
    band_name,
    current_catalog,
    db,
)
from ..plans import PlanRow, plans_with_checkins
from ..talk import area_label, strategy_title, talks_of

CSV_COLUMNS = (
    "assessment_id",
    "questionnaire",
    "version",
    "created_at",
    "kind",
    "item_id",
    "question",
    "value",
    "answer",
)
# The words beside each machine value (the ids and values stay as they are: imports read
# them); in the language of the person who downloads.
SAFETY_LABELS = {
    # NOTE: an answer to a safety question, in the CSV download.
    "yes": _l("Yes"),
    # NOTE: an answer to a safety question, in the CSV download.
    "no": _l("No"),
    # NOTE: a safety question left unanswered on purpose, in the CSV download.
    "skip": _l("I'd rather not say"),
}
PLAN_STATUS_LABELS: dict[str, Any] = {
    # NOTE: a plan's state in the CSV download: the person is trying it now.
    PlanStatus.ACTIVE: _l("trying it now"),
    # NOTE: a plan's state in the CSV download: tried, and finished with.
    PlanStatus.CLOSED: _l("tried"),
    # NOTE: a plan's state in the CSV download: stopped without finishing.
    PlanStatus.DROPPED: _l("let go"),
}
# Assessments read at a time: about 40 rows each, so memory stays flat however long the
# history, and each batch goes out before the next is read.
BATCH = 100
TRIED_LABELS = {
    # NOTE: "Did you try it?" answered in the CSV download.
    "yes": _l("yes"),
    # NOTE: "Did you try it?" answered in the CSV download.
    "partly": _l("partly"),
    # NOTE: "Did you try it?" answered in the CSV download.
    "no": _l("not yet"),
}
HELPED_LABELS = {
    # NOTE: "Did it help?" answered in the CSV download.
    "yes": _l("yes"),
    # NOTE: "Did it help?" answered in the CSV download.
    "unsure": _l("not sure"),
    # NOTE: "Did it help?" answered in the CSV download.
    "no": _l("no"),
}


@dataclass
class StoredCheckin:
    """One assessment as plain rows: the few columns an export shows, nothing loaded as ORM."""

    id: int
    questionnaire_id: str
    questionnaire_version: int
    created_at: datetime
    safety_flag: bool
    overall: float | None
    answers: list[tuple[str, int | None]] = field(default_factory=list)
    safety_responses: list[tuple[str, str]] = field(default_factory=list)
    scores: list[tuple[str, float | None]] = field(default_factory=list)


def _batches(user_id: int) -> Iterator[list[StoredCheckin]]:
    """The person's assessments, oldest first, ``BATCH`` at a time, with their rows.

    Each batch is four statements of plain rows; between batches the connection goes
    back to the pool, so an export sent to a slow reader holds none while it waits.
    """
    ids = list(
        db.session.scalars(
            select(Assessment.id)
            .where(Assessment.user_id == user_id)
            .order_by(Assessment.created_at, Assessment.id)
        )
    )
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        heads = db.session.execute(
            select(
                Assessment.id,
                Assessment.questionnaire_id,
                Assessment.questionnaire_version,
                Assessment.created_at,
                Assessment.safety_flag,
                Assessment.overall,
            ).where(Assessment.id.in_(chunk))
        )
        found = {row.id: StoredCheckin(*row) for row in heads}
        for model, value, target in (
            (Answer, Answer.value, "answers"),
            (SafetyResponse, SafetyResponse.response, "safety_responses"),
        ):
            for owner, key, held in db.session.execute(
                select(model.assessment_id, model.item_id, value)
                .where(model.assessment_id.in_(chunk))
                .order_by(model.id)
            ):
                if owner in found:
                    getattr(found[owner], target).append((key, held))
        for owner, dimension, score in db.session.execute(
            select(DimensionScore.assessment_id, DimensionScore.dimension, DimensionScore.score)
            .where(DimensionScore.assessment_id.in_(chunk))
            .order_by(DimensionScore.id)
        ):
            if owner in found:
                found[owner].scores.append((dimension, score))
        db.session.close()  # the connection goes back before the batch is sent
        yield [found[i] for i in chunk if i in found]  # one deleted meanwhile is left out


def _assessment_document(a: StoredCheckin, safety: bool) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": a.id,
        "questionnaire": a.questionnaire_id,
        "version": a.questionnaire_version,
        "created_at": a.created_at.isoformat(),
        "safety_flag": a.safety_flag,
        "answers": dict(a.answers),
        "safety_responses": dict(a.safety_responses),
        "scores": dict(a.scores),
        "overall": a.overall,
    }
    if not safety:
        # The flag says that a safety answer was "yes": it is as private as the answers.
        del document["safety_flag"], document["safety_responses"]
    return document


def _plans_document(user_id: int) -> list[dict[str, Any]]:
    return [
        {
            "id": row.plan.id,
            "strategy": row.plan.strategy_id,
            "dimension": row.plan.dimension,
            "chosen_from_assessment": row.plan.assessment_id,
            "status": row.plan.status,
            "created_at": row.plan.created_at.isoformat(),
            "closed_at": row.plan.closed_at.isoformat() if row.plan.closed_at else None,
            "checkins": [
                {
                    "assessment": checkin.assessment_id,
                    "tried": checkin.tried,
                    "helped": checkin.helped,
                    "created_at": checkin.created_at.isoformat(),
                }
                for checkin in row.checkins
            ],
        }
        for row in plans_with_checkins(user_id)
    ]


def _talks_document(user_id: int) -> list[dict[str, Any]]:
    return [_talk_document(talk, user_id) for talk in talks_of(user_id)]


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _talk_document(talk: Talk, user_id: int) -> dict[str, Any]:
    """A talk as the person was in it: only its facts, and the proposal made to them.

    Nothing of the partner: not their name, nor what they said to a proposal made to them
    (docs/architecture.md#exports).
    """
    mine = next((p for p in talk.proposals if p.user_id == user_id), None)
    return {
        "id": talk.id,
        "started_by_me": talk.started_by_id == user_id,
        "dimension": talk.dimension,
        "strategy": talk.strategy,
        "step": talk.step,
        "created_at": talk.created_at.isoformat(),
        "joined_at": _moment(talk.joined_at),
        "finished_at": _moment(talk.finished_at),
        "proposal": None
        if mine is None
        else {
            "strategy": mine.strategy,
            "status": mine.status,
            "created_at": mine.created_at.isoformat(),
        },
    }


def json_pieces(user: User, safety: bool = True) -> Iterator[str]:
    """The JSON export in pieces: every assessment with its answers, safety responses (unless
    left out) and scores, then the plans, the talks, then the person; keys sorted as
    ``jsonify`` does.

    Written batch by batch, so a long history never sits whole in memory and the first
    bytes leave at once (docs/architecture.md#exports). What it needs of the person is
    read now, before the first batch lets the session go.
    """
    person = {
        "username": user.username,
        "created_at": user.created_at.isoformat(),
        "helpline_country": user.helpline_country,
    }
    compact = partial(current_app.json.dumps, separators=(",", ":"))  # as jsonify sends
    return _json_pieces(user.id, person, safety, compact)


def _json_pieces(
    user_id: int, person: dict[str, Any], safety: bool, dumps: Callable[[Any], str]
) -> Iterator[str]:
    yield '{"assessments":['
    separator = ""
    for batch in _batches(user_id):
        if batch:
            yield separator + ",".join(dumps(_assessment_document(a, safety)) for a in batch)
            separator = ","
    plans, talks = dumps(_plans_document(user_id)), dumps(_talks_document(user_id))
    yield f'],"plans":{plans},"talks":{talks},"user":{dumps(person)}}}\n'


def _definition(catalog: Catalog, a: StoredCheckin) -> Questionnaire | None:
    try:
        return catalog.get(a.questionnaire_id, a.questionnaire_version)
    except KeyError:
        return None  # a retired version: the ids and values still say everything


def _strategy_title(catalog: Catalog, strategy_id: str) -> str:
    try:
        return catalog.strategies.by_id(strategy_id).title
    except KeyError:
        return ""


def csv_pieces(user: User, safety: bool = True) -> Iterator[str]:
    """One row per answer, safety response (unless left out) and score, in words and ids,
    then the plans and the talks: written batch by batch, as the JSON export is."""
    return _csv_pieces(user.id, safety, current_catalog())


def _csv_pieces(user_id: int, safety: bool, catalog: Catalog) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for batch in _batches(user_id):
        for assessment in batch:
            writer.writerows(_assessment_rows(assessment, _definition(catalog, assessment), safety))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    for row in plans_with_checkins(user_id):
        writer.writerows(_plan_rows(row, _strategy_title(catalog, row.plan.strategy_id)))
    for talk in talks_of(user_id):
        writer.writerow(_talk_row(talk))
    yield buffer.getvalue()


def _talk_row(talk: Talk) -> tuple[object, ...]:
    """A talk's row: when, the area and, in words, what was chosen."""
    if talk.dimension:
        # NOTE: a talk in the CSV download; %(area)s is an area of the relationship.
        words = _("Talked about %(area)s", area=area_label(talk.dimension))
    else:
        words = _("Asked to talk")
    return (
        "",
        "",
        "",
        talk.created_at.isoformat(),
        "talk",
        talk.dimension or "",
        words,
        talk.strategy or "",
        strategy_title(talk.strategy),
    )


def _assessment_rows(
    a: StoredCheckin, definition: Questionnaire | None, safety: bool
) -> Iterator[tuple[object, ...]]:
    """An assessment's answers, safety responses and scores: ids, the question, the answer."""
    items = {i.id: i.text for i in definition.items} if definition else {}
    left = {i.id: i.left_label(definition.scale) for i in definition.items} if definition else {}
    safety_texts = {i.id: i.text for i in definition.safety} if definition else {}
    labels: dict[str, str] = {d.id: d.label for d in definition.dimensions} if definition else {}
    head = (a.id, a.questionnaire_id, a.questionnaire_version, a.created_at.isoformat())
    value: str | float  # an answer (int) or a score, "" where there is none
    for item_id, answer in a.answers:
        if answer is None:
            value, label = "", left.get(item_id) or PREFER_NOT_TO_SAY
        else:
            value = answer
            label = definition.scale.label(answer) if definition else ""
        yield (*head, "answer", item_id, items.get(item_id, ""), value, label)
    for item_id, response in a.safety_responses if safety else ():
        question = safety_texts.get(item_id, "")
        label = str(SAFETY_LABELS.get(response, ""))
        yield (*head, "safety", item_id, question, response, label)
    for dimension, score in a.scores:
        value = "" if score is None else score
        question = labels.get(dimension, "")
        yield (*head, "score", dimension, question, value, band_name(score))


def _plan_rows(row: PlanRow, title: str) -> Iterator[tuple[object, ...]]:
    """A plan's row, then one row per check-in ("tried/helped" beside it in words)."""
    plan = row.plan
    head = (plan.assessment_id, row.questionnaire_id, "", plan.created_at.isoformat())
    status = str(PLAN_STATUS_LABELS.get(plan.status, ""))
    yield (*head, "plan", plan.strategy_id, title, plan.status, status)
    for checkin in row.checkins:
        said = checkin.tried if checkin.helped is None else f"{checkin.tried}/{checkin.helped}"
        tried = str(TRIED_LABELS.get(checkin.tried, checkin.tried))
        if checkin.helped is None:
            # NOTE: a plan check-in in the CSV download: whether the person tried the plan.
            words = _("Tried: %(tried)s", tried=tried)
        else:
            helped = str(HELPED_LABELS.get(checkin.helped, checkin.helped))
            # NOTE: a plan check-in in the CSV download: tried it, and whether it helped.
            words = _("Tried: %(tried)s; helped: %(helped)s", tried=tried, helped=helped)
        moment = checkin.created_at.isoformat()
        yield (
            *(checkin.assessment_id, "", "", moment, "plan_checkin"),
            *(plan.strategy_id, title, said, words),
        )
