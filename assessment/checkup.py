"""Taking a questionnaire and seeing its result (DESIGN.md §5)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from questionnaires.models import Questionnaire
from scoring import compare_scores, focus_areas

from . import charts, followthrough
from .definitions import current_catalog, latest_or_404
from .forms import (
    TOKEN_PATTERN,
    QuestionnaireForm,
    build_questionnaire_form,
    error_summary,
    parse_id,
    with_blank_defaults,
)
from .models import Assessment, PlanStatus
from .partner import share_switch
from .service import (
    find_by_token,
    get_own_assessment,
    new_submission_token,
    offered_suggestions,
    previous_assessment,
    store_assessment,
)

bp = Blueprint("checkup", __name__)

TRIED_LABELS = (("yes", "Yes"), ("partly", "Partly"), ("no", "Not yet, keep it"))
HELPED_LABELS = (("yes", "Yes"), ("unsure", "Not sure"), ("no", "No"))

STALE_FORM = (
    "This questionnaire has changed since the page was opened, so nothing was saved."
    " Please answer the questions below."
)
MALFORMED_FORM = (
    "Something in this form was not as the page sent it, so nothing was saved."
    " Please check your answers and send it again."
)


@bp.get("/checkup")
@login_required
def choose() -> str:
    """Choose the full check-up or the one-minute pulse."""
    return render_template("checkup/choose.html", questionnaires=current_catalog().latest_all())


@bp.route("/checkup/<qid>", methods=["GET", "POST"])
@login_required
def questionnaire(qid: str) -> Response | str | tuple[str, int]:
    """Show the questionnaire; a valid answer stores it and goes to the result (303)."""
    latest = latest_or_404(qid)
    if request.method == "GET":
        form_class = build_questionnaire_form(latest)
        form = form_class(
            formdata=None,
            data={"submission_token": new_submission_token(), "version": str(latest.version)},
        )
        return _render_form(latest, form, plans=followthrough.active_plans(current_user.id))
    return _receive(qid, latest)


def _receive(qid: str, latest: Questionnaire) -> Response | tuple[str, int]:
    """A posted questionnaire: stored once and shown as its result, or re-shown with a 400."""
    token = request.form.get("submission_token", "")
    if TOKEN_PATTERN.match(token):
        already = find_by_token(current_user.id, token)
        if already is not None:
            return redirect(url_for("checkup.result", assessment_id=already.id), 303)

    definition = _posted_version(qid) or latest
    plans = followthrough.user_plans(current_user.id)
    active = [plan for plan in plans if plan.status == PlanStatus.ACTIVE]
    form_class = build_questionnaire_form(definition)
    form = form_class(formdata=with_blank_defaults(definition, request.form))
    problem = _shape_problem(definition, form)
    checkins = followthrough.read_checkins(request.form, plans)
    if checkins is None:
        problem = problem or MALFORMED_FORM
    if problem:
        form.validate()  # still show which questions need an answer
        return _render_form(definition, form, problem=problem, plans=active), 400
    if not form.validate():
        return _render_form(definition, form, plans=active), 400
    assessment = store_assessment(
        current_user,
        definition,
        current_catalog(),
        form.answers(),
        form.safety(),
        token,
        checkins=checkins,
    )
    return redirect(url_for("checkup.result", assessment_id=assessment.id), 303)


def _posted_version(qid: str) -> Questionnaire | None:
    """The version the form was drawn from, when it is one we know."""
    version = parse_id(request.form.get("version"))
    if version is None:
        return None
    try:
        return current_catalog().get(qid, version)
    except KeyError:
        return None


def _shape_problem(definition: Questionnaire, form: QuestionnaireForm) -> str | None:
    """What makes a post unacceptable before any answer is read, or None."""
    if _posted_version(definition.id) is None:
        return STALE_FORM
    if not TOKEN_PATTERN.match(request.form.get("submission_token", "")):
        return MALFORMED_FORM
    if not form.has_exact_fields(also=followthrough.is_plan_field):
        return MALFORMED_FORM
    return None


def _render_form(
    definition: Questionnaire,
    form: QuestionnaireForm,
    problem: str | None = None,
    plans: list | None = None,
) -> str:
    for item in definition.safety:
        if not request.form.get(item.id):
            form[item.id].data = None  # left blank: show it blank again, not as "skip"
    if problem:
        # A fresh token and the current version, so sending again is a new, valid post.
        form.submission_token.data = new_submission_token()
        form.version.data = str(definition.version)
    sections = [
        (dimension, [form[item.id] for item in definition.items_of(dimension.id)])
        for dimension in definition.dimensions
    ]
    safety_fields = [form[item.id] for item in definition.safety]
    strategies = current_catalog().strategies
    plan_sections = [
        {
            "plan": plan,
            "strategy": strategies.by_id(plan.strategy_id),
            "tried": request.form.get(f"plan_{plan.id}_tried", ""),
            "helped": request.form.get(f"plan_{plan.id}_helped", ""),
        }
        for plan in plans or []
        if plan.strategy_id in {s.id for s in strategies.strategies}
    ]
    return render_template(
        "checkup/questionnaire.html",
        definition=definition,
        form=form,
        sections=sections,
        safety_fields=safety_fields,
        optional_ids={item.id for item in definition.items if item.optional},
        errors=error_summary(form),
        problem=problem,
        plan_sections=plan_sections,
        tried_choices=TRIED_LABELS,
        helped_choices=HELPED_LABELS,
    )


@bp.get("/results/<int:assessment_id>")
@login_required
def result(assessment_id: int) -> str:
    """Scores, radar, bands, focus areas, strategies and change since the previous one."""
    assessment = get_own_assessment(current_user.id, assessment_id)
    if assessment is None:
        abort(404)
    catalog = current_catalog()
    definition = catalog.get(assessment.questionnaire_id, assessment.questionnaire_version)
    scores = assessment.score_map()
    previous = previous_assessment(assessment)
    traces = [(f"This {definition.title.lower()}", scores)]
    changes = None
    if previous is not None:
        previous_scores = previous.score_map()
        traces.append(("The one before", previous_scores))
        changes = compare_scores(definition, previous_scores, scores)
    suggestions = _suggestions_for_page(assessment)
    return render_template(
        "checkup/result.html",
        assessment=assessment,
        definition=definition,
        scores=scores,
        focus=focus_areas(definition, scores),
        suggestions=suggestions,
        previous=previous,
        changes=changes,
        radar=charts.radar_figure(definition, traces),
        radar_traces=traces,
        plan_states=_plan_states(),
        share=share_switch(assessment),
    )


def _plan_states() -> dict[str, dict]:
    """Strategy id -> whether the person is trying it now, and what they said of it before."""
    states: dict[str, dict] = {}
    for strategy_id, status, tried, helped, when in followthrough.plan_history(current_user.id):
        state = states.setdefault(strategy_id, {"trying": False, "reports": []})
        state["trying"] = state["trying"] or status == PlanStatus.ACTIVE
        if tried is not None:
            state["reports"].append({"tried": tried, "helped": helped, "when": when})
    return states


def _suggestions_for_page(assessment: Assessment) -> dict[str, list[dict]]:
    """Focus dimension -> the suggestions this result offers, with their wording."""
    catalog = current_catalog()
    definition = catalog.get(assessment.questionnaire_id, assessment.questionnaire_version)
    item_texts = {item.id: item.text for item in definition.items}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for stored, strategy in offered_suggestions(assessment, catalog.strategies):
        reasons = [
            {
                "text": item_texts.get(trigger["item_id"], trigger["item_id"]),
                "answer": definition.scale.label(trigger["answer"]),
            }
            for trigger in stored.get("triggers", [])
        ]
        grouped.setdefault(stored["dimension"], []).append(
            {"strategy": strategy, "reasons": reasons}
        )
    return grouped
