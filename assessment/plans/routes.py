"""Follow-through's routes: "I'll try this", letting a plan go, and the list of plans (§8)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from ..checkup import active_plans, offered_suggestions, own_assessment_or_404, user_plans
from ..core import (
    Assessment,
    CsrfForm,
    Plan,
    PlanStatus,
    current_catalog,
    db,
    lock_users,
    parse_id,
    stored,
    utcnow,
)
from ..safety import Flag, recently_flagged, unpaused
from .forms import PlanForm
from .records import MAX_ACTIVE_PLANS

bp = Blueprint("plans", __name__)

# What the list of past plans says of each way a plan ended.
# NOTE: how a past plan ended, after its title: "Plan a date night: tried on 3 March 2026."
OUTCOME_WORDS = {PlanStatus.CLOSED: _l("tried"), PlanStatus.DROPPED: _l("let go")}


def offered_strategies(assessment: Assessment, flag: Flag | None) -> set[str]:
    """The strategies this result offers now (safe ones only while its person is flagged)."""
    library = current_catalog().strategies
    return {strategy.id for _, strategy in offered_suggestions(assessment, library, flag)}


@bp.post("/plans")
@login_required
def choose() -> Response | tuple[str, int]:
    """Choose a suggested strategy to try; the same choice twice is one plan."""
    form = PlanForm()
    form.require_exact_fields()
    assessment_id = parse_id(form.assessment_id.data)
    if assessment_id is None:
        abort(400)
    assessment = own_assessment_or_404(current_user.id, assessment_id)
    strategy_id = form.strategy_id.data or ""
    flag = recently_flagged(current_user)
    if strategy_id not in offered_strategies(assessment, flag):
        if flag is not None and strategy_id in offered_strategies(assessment, None):
            return _plans_page(full=False, paused_choice=True), 409  # offered again later
        abort(400)
    back = url_for("checkup.result", assessment_id=assessment.id) + "#focus-heading"
    me, assessment_id = current_user.id, assessment.id
    # Counted and written holding the person's row: six clicks at once make one plan,
    # and never a fourth (docs/architecture.md#locks).
    lock_users(me)
    active = active_plans(me)
    if any(plan.strategy_id == strategy_id for plan in active):
        return redirect(back, 303)
    # Paused plans wait unseen and do not take a place: the page could not offer to let
    # one go without naming it (docs/architecture.md#safety).
    if len(unpaused(active, flag, current_catalog().strategies)) >= MAX_ACTIVE_PLANS:
        return _plans_page(full=True), 409
    # Not stored: the same choice was stored a moment ago (uq_plans_active_strategy), and
    # the person sees it chosen either way.
    stored(
        Plan(
            user_id=me,
            assessment_id=assessment_id,
            strategy_id=strategy_id,
            dimension=current_catalog().strategies.by_id(strategy_id).dimension,
            status=PlanStatus.ACTIVE,
            created_at=utcnow(),
        )
    )
    return redirect(back, 303)


@bp.post("/plans/<id:plan_id>/drop")
@login_required
def drop(plan_id: int) -> Response:
    """Let a plan go (another person's plan looks absent: 404)."""
    CsrfForm().require_exact_fields()
    me = current_user.id
    # Read and written holding the person's row, as deleting its check-up is: a plan
    # deleted a moment ago is a 404, never a write to a row that has gone
    # (docs/architecture.md#locks).
    lock_users(me)
    plan = db.session.get(Plan, plan_id)
    if plan is None or plan.user_id != me:
        abort(404)
    if plan.status == PlanStatus.ACTIVE:
        plan.status = PlanStatus.DROPPED
        plan.closed_at = utcnow()
        db.session.commit()
    return redirect(url_for("plans.index"), 303)


@bp.get("/plans")
@login_required
def index() -> str:
    """What you are trying now, and what you tried before (paused plans are not shown)."""
    return _plans_page(full=False)


def _plans_page(full: bool, paused_choice: bool = False) -> str:
    strategies = current_catalog().strategies
    known = {s.id for s in strategies.strategies}
    flag: Flag | None = recently_flagged(current_user)
    shown = unpaused(user_plans(current_user.id), flag, strategies)
    plans = [p for p in shown if p.strategy_id in known]
    active = [p for p in plans if p.status == PlanStatus.ACTIVE]
    return render_template(
        "plans/index.html",
        full=full,
        paused_choice=paused_choice,
        active=[(p, strategies.by_id(p.strategy_id)) for p in active],
        past=[
            (
                p,
                strategies.by_id(p.strategy_id),
                str(OUTCOME_WORDS.get(PlanStatus(p.status), OUTCOME_WORDS[PlanStatus.DROPPED])),
            )
            for p in plans
            if p.status != PlanStatus.ACTIVE
        ],
        limit=MAX_ACTIVE_PLANS,
        csrf=generate_csrf,
    )
