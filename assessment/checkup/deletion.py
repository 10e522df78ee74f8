"""Deleting one check-up and everything recorded with it (docs/architecture.md#accounts)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import delete, or_, select
from werkzeug.wrappers import Response

from ..core import (
    Answer,
    Assessment,
    DimensionScore,
    Plan,
    PlanCheckin,
    SafetyResponse,
    db,
    lock_users,
)
from .forms import DeleteResultForm
from .queries import own_assessment_or_404

bp = Blueprint("deletion", __name__)


def delete_assessment(assessment: Assessment) -> None:
    """Remove the assessment, its answers, scores, safety responses, check-ins and plans.

    Rows are deleted explicitly rather than left to ``ON DELETE CASCADE``, so nothing
    stays behind on a database whose foreign keys are not enforced. Its share is a
    column of the assessment and goes with it. The caller commits.
    """
    plans = select(Plan.id).where(Plan.assessment_id == assessment.id)
    db.session.execute(
        delete(PlanCheckin).where(
            or_(PlanCheckin.assessment_id == assessment.id, PlanCheckin.plan_id.in_(plans))
        )
    )
    db.session.execute(delete(Plan).where(Plan.assessment_id == assessment.id))
    for model in (Answer, SafetyResponse, DimensionScore):
        db.session.execute(delete(model).where(model.assessment_id == assessment.id))
    db.session.execute(delete(Assessment).where(Assessment.id == assessment.id))


@bp.post("/results/<id:assessment_id>/delete")
@login_required
def delete_result(assessment_id: int) -> Response:
    """Delete one of the person's own check-ups after they confirmed it (another's: 404).

    Done holding the person's row, which letting a plan go, choosing one and sharing take
    too: whichever comes second reads what the first did (docs/architecture.md#locks).
    """
    form = DeleteResultForm()
    me = current_user.id
    lock_users(me)
    assessment = own_assessment_or_404(me, assessment_id)
    if not form.has_exact_fields() or not form.validate_on_submit():
        abort(400)
    delete_assessment(assessment)
    db.session.commit()
    flash(_("That check-in and everything recorded with it have been deleted."), "info")
    return redirect(url_for("history.history"), 303)
