"""Moving servers: fill an empty account from a Rekindle ``export.json``.

See docs/architecture.md#exports.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import exists, insert, select
from werkzeug.wrappers import Response

from questionnaires.loader import Catalog
from scoring import score_assessment, unhelpful_strategies

from ..checkup import suggestions_to_json
from ..core import (
    Answer,
    Assessment,
    DimensionScore,
    Plan,
    PlanCheckin,
    SafetyResponse,
    Talk,
    TalkProposal,
    User,
    current_catalog,
    db,
    lock_users,
)
from ..safety import extend_flag, flag_at, flag_ends
from .forms import ImportForm
from .import_file import ImportedExport, ImportProblem, read_export
from .page import account_page

bp = Blueprint("import_export", __name__)

NOT_EMPTY = _l(
    "This account already has check-ins, so nothing was imported. Import into a new,"
    " empty account, or delete these check-ins first."
)


def _holds_anything(user_id: int) -> bool:
    """Whether the person has a check-in or a plan stored (a plan needs a check-in, too)."""
    return bool(
        db.session.scalar(
            select(
                exists().where(Assessment.user_id == user_id)
                | exists().where(Plan.user_id == user_id)
            )
        )
    )


def store_import(user: User, contents: ImportedExport, catalog: Catalog) -> int:
    """Write every assessment, plan, check-in and talk of the file in one transaction.

    Each assessment is scored again, with the strategies reported unhelpful up to it
    ranked last, as when it was first taken. Returns how many assessments were stored.
    """
    stored = _store_assessments(user, contents, catalog)
    for plan in sorted(contents.plans, key=lambda p: p.created_at):
        row = Plan(
            user_id=user.id,
            assessment_id=stored[plan.chosen_from],
            strategy_id=plan.strategy_id,
            dimension=plan.dimension,
            status=plan.status,
            created_at=plan.created_at,
            closed_at=plan.closed_at,
        )
        row.checkins = [
            PlanCheckin(
                assessment_id=stored[checkin.assessment],
                tried=checkin.tried,
                helped=checkin.helped,
                created_at=checkin.created_at,
            )
            for checkin in plan.checkins
        ]
        db.session.add(row)
    _store_talks(user, contents)
    return len(stored)


def _store_talks(user: User, contents: ImportedExport) -> None:
    """Each talk with this person on their side of it; the other side names nobody here."""
    for talk in contents.talks:
        row = Talk(
            started_by_id=user.id if talk.started_by_me else None,
            partner_id=None if talk.started_by_me else user.id,
            dimension=talk.dimension,
            strategy=talk.strategy_id,
            step=talk.step,
            created_at=talk.created_at,
            joined_at=talk.joined_at,
            finished_at=talk.finished_at,
        )
        if talk.proposal is not None:
            row.proposals.append(
                TalkProposal(
                    user_id=user.id,
                    strategy=talk.proposal.strategy_id,
                    status=talk.proposal.status,
                    created_at=talk.proposal.created_at,
                )
            )
        db.session.add(row)


def _store_assessments(user: User, contents: ImportedExport, catalog: Catalog) -> dict[int, int]:
    """Score and add every assessment; the file's id -> the new id (rows added in bulk).

    Scored in time order as when first taken, with the flag each was taken under, and the
    person's flag lasting from the latest flagged one, by the same rule every page asks
    (docs/architecture.md#safety).
    """
    user_id = user.id
    flagged_until: datetime | None = None
    violence_until: datetime | None = None
    said_at: dict[int, list[tuple[str, str, str | None]]] = {}
    for plan in contents.plans:
        for checkin in plan.checkins:
            said_at.setdefault(checkin.assessment, []).append(
                (plan.strategy_id, checkin.tried, checkin.helped)
            )
    reports: list[tuple[str, str, str | None]] = []
    added = []
    for item in contents.assessments:
        reports += said_at.get(item.file_id, [])
        flag = flag_at(flagged_until, violence_until, item.created_at)
        scored = score_assessment(
            item.definition,
            catalog.strategies,
            item.answers,
            item.safety,
            unhelpful=unhelpful_strategies(reports),
            sexual_violence_before=flag is not None and flag.sexual_violence,
        )
        if scored.flagged:
            flagged_until = max(flagged_until or item.created_at, flag_ends(item.created_at))
            extend_flag(user, item.created_at, True, scored.names_sexual_violence)
        if scored.names_sexual_violence:
            violence_until = flag_ends(item.created_at)
        assessment = Assessment(
            user_id=user_id,
            questionnaire_id=item.definition.id,
            questionnaire_version=item.definition.version,
            created_at=item.created_at,
            safety_flag=scored.flagged,
            submission_token=f"import-{secrets.token_urlsafe(24)}",
            overall=scored.overall,
            suggestions=suggestions_to_json(scored.suggestions),
            safe_suggestions=suggestions_to_json(scored.safe_suggestions),
        )
        db.session.add(assessment)
        added.append((assessment, item, scored.scores))
    db.session.flush()  # the new ids, for the rows below
    rows: dict[type, list[dict[str, Any]]] = {Answer: [], SafetyResponse: [], DimensionScore: []}
    for assessment, item, scores in added:
        rows[Answer] += [
            {"assessment_id": assessment.id, "item_id": k, "value": v}
            for k, v in item.answers.items()
        ]
        rows[SafetyResponse] += [
            {"assessment_id": assessment.id, "item_id": k, "response": v}
            for k, v in item.safety.items()
        ]
        rows[DimensionScore] += [
            {"assessment_id": assessment.id, "dimension": k, "score": v} for k, v in scores.items()
        ]
    for model, values in rows.items():
        if values:
            db.session.execute(insert(model), values)
    return {item.file_id: assessment.id for assessment, item, _ in added}


@bp.post("/account/import")
@login_required
def import_file() -> Response | tuple[str, int]:
    """Fill this empty account from an export.json; a bad or foreign file is a 400."""
    form = ImportForm()
    if not form.has_exact_fields():
        abort(400)
    if not form.validate_on_submit():
        return account_page(import_form=form), 400
    catalog = current_catalog()
    try:
        contents = read_export(form.file.data.read(), catalog)
    except ImportProblem as problem:
        # NOTE: %(problem)s is one sentence saying what is wrong with the file.
        form.file.errors.append(_("%(problem)s Nothing was imported.", problem=problem))
        return account_page(import_form=form), 400
    me = current_user.id
    # "Empty" is read and the history written holding the person's row: two imports at
    # once store one history, and the file's plans (at most three on the go, checked
    # above) are the only ones (docs/architecture.md#locks).
    lock_users(me)
    if _holds_anything(me):
        db.session.rollback()  # let the lock go before drawing the page
        form.file.errors.append(NOT_EMPTY)
        return account_page(import_form=form), 400
    count = store_import(db.session.get_one(User, me), contents, catalog)
    db.session.commit()
    flash(
        ngettext(
            "Your history is here: %(num)d check-in was imported.",
            "Your history is here: %(num)d check-ins were imported.",
            count,
        ),
        "success",
    )
    return redirect(url_for("history.history"), 303)
