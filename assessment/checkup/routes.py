"""Taking a questionnaire and seeing its result (docs/architecture.md#forms)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from questionnaires.models import Questionnaire
from scoring import compare_overall, compare_scores, focus_areas

from .. import safety
from ..core import (
    Assessment,
    Plan,
    PlanStatus,
    current_catalog,
    current_language,
    format_score,
    in_sentence,
    latest_or_404,
    parse_id,
    radar,
    reshown_when_unavailable,
)
from ..norms import norms_in_use
from ..safety import recently_flagged, unpaused
from . import checkins as followthrough
from .checkins import is_plan_field
from .forms import (
    TOKEN_PATTERN,
    QuestionnaireForm,
    build_questionnaire_form,
    error_summary,
    with_blank_defaults,
)
from .pages import (
    plan_states,
    result_panels,
    result_story,
    suggestions_for_page,
    suggests_counsellor,
)
from .queries import find_by_token, own_assessment_or_404, previous_assessment
from .submission import new_submission_token, store_assessment

bp = Blueprint("checkup", __name__)


@dataclass(frozen=True)
class PlanShown:
    """What the questionnaire shows of an active plan: enough to draw its check-in."""

    id: int
    strategy_id: str


# NOTE: answers to "Did you try ...?" (a plan chosen from an earlier result).
TRIED_LABELS = (("yes", _l("Yes")), ("partly", _l("Partly")), ("no", _l("Not yet, keep it")))
# NOTE: answers to "If you tried it: did it help?".
HELPED_LABELS = (("yes", _l("Yes")), ("unsure", _l("Not sure")), ("no", _l("No")))

STALE_FORM = _l(
    "This questionnaire has changed since the page was opened, so nothing was saved."
    " Please answer the questions below."
)
MALFORMED_FORM = _l(
    "Something in this form was not as the page sent it, so nothing was saved."
    " Please check your answers and send it again."
)
RADAR_DESCRIPTION = _l(
    "Radar chart of your scores in each area, from 0 to 100. The same figures are in the"
    " table beside it."
)
UNAVAILABLE_FORM = _l(
    "Rekindle is not available right now, so your answers are not saved yet; nothing you"
    " sent was half-saved. Every answer is still below: please send the form again in a few"
    " minutes."
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
    # Read now, while the person's row is at hand: a page shown again when the database
    # fails later in this request is drawn without it.
    g.safety_lines = safety.lines_for_person()
    if request.method == "GET":
        form_class = build_questionnaire_form(latest)
        form = form_class(
            formdata=None,
            data={"submission_token": new_submission_token(), "version": str(latest.version)},
        )
        return _render_form(latest, form, plans=_plans_to_ask_about())
    return _receive(qid, latest)


def _plans_to_ask_about() -> list[Plan]:
    """The person's active plans, less those paused while they are flagged."""
    flag = recently_flagged(current_user)
    return unpaused(followthrough.active_plans(current_user.id), flag, current_catalog().strategies)


def _receive(qid: str, latest: Questionnaire) -> Response | tuple[str, int]:
    """A posted questionnaire: stored once and shown as its result, or re-shown with a 400."""
    token = request.form.get("submission_token", "")
    if TOKEN_PATTERN.fullmatch(token):
        already = find_by_token(current_user.id, token)
        if already is not None:
            return redirect(url_for("checkup.result", assessment_id=already.id), 303)

    definition = _posted_version(qid) or latest
    plans = followthrough.user_plans(current_user.id)
    active = unpaused(
        [plan for plan in plans if plan.status == PlanStatus.ACTIVE],
        recently_flagged(current_user),
        current_catalog().strategies,
    )
    # Kept as plain values: a failed store expires the plans, and the 503 page shows them.
    g.checkup_plans_shown = [PlanShown(plan.id, plan.strategy_id) for plan in active]
    form_class = build_questionnaire_form(definition)
    form = form_class(formdata=with_blank_defaults(definition, request.form))
    problem = _shape_problem(definition, form)
    checkins = followthrough.read_checkins(request.form, plans)
    if checkins is None:
        problem = problem or str(MALFORMED_FORM)
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
        language=current_language(),
    )
    return redirect(url_for("checkup.result", assessment_id=assessment.id), 303)


@reshown_when_unavailable("checkup.questionnaire")
def reshow_unavailable() -> str | None:
    """The posted questionnaire again, every answer in place and the same submission token.

    Sending it again once the database is back stores it once: the token makes a repeat
    of a post that did land return that assessment. Drawn without the database.
    """
    qid = (request.view_args or {}).get("qid", "")
    definition = _posted_version(qid)
    if definition is None:
        try:
            definition = current_catalog().latest(qid)
        except KeyError:
            return None  # not a questionnaire: the plain "not available" page
    form = build_questionnaire_form(definition)(
        formdata=with_blank_defaults(definition, request.form)
    )
    form.validate()  # marks what still needs an answer, as a re-shown form does
    plans = g.get("checkup_plans_shown")
    # Check-in answers of plans that could not be read are carried along unseen.
    carried = []
    if plans is None:
        carried = [(name, request.form[name]) for name in request.form if is_plan_field(name)]
    return _render_form(
        definition,
        form,
        problem=str(UNAVAILABLE_FORM),
        plans=plans,
        keep_token=True,
        carried=carried,
    )


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
        return str(STALE_FORM)
    if not TOKEN_PATTERN.fullmatch(request.form.get("submission_token", "")):
        return str(MALFORMED_FORM)
    if not form.has_exact_fields(also=followthrough.is_plan_field):
        return str(MALFORMED_FORM)
    return None


def _render_form(
    definition: Questionnaire,
    form: QuestionnaireForm,
    problem: str | None = None,
    plans: Sequence[Plan | PlanShown] | None = None,
    keep_token: bool = False,
    carried: list[tuple[str, str]] | None = None,
) -> str:
    for item in definition.safety:
        if not request.form.get(item.id):
            form[item.id].data = None  # left blank: show it blank again, not as "skip"
    if problem and not keep_token:
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
            "keep": request.form.get(f"plan_{plan.id}_keep", ""),
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
        carried_fields=carried or [],
        safety_lines=g.get("safety_lines") or safety.lines_for(None),
    )


def _definition_or_none(assessment: Assessment) -> Questionnaire | None:
    """The version an assessment was answered on, or None when this server no longer has it."""
    try:
        return current_catalog().get(assessment.questionnaire_id, assessment.questionnaire_version)
    except KeyError:
        return None


@bp.get("/results/<id:assessment_id>")
@login_required
def result(assessment_id: int) -> str:
    """Scores, radar, bands, focus areas, strategies and change since the previous one."""
    assessment = own_assessment_or_404(current_user.id, assessment_id)
    catalog = current_catalog()
    definition = catalog.get(assessment.questionnaire_id, assessment.questionnaire_version)
    scores = assessment.score_map()
    previous = previous_assessment(assessment)
    # NOTE: the radar's legend and the table's column: "This check-up", "This pulse".
    traces = [(_("This %(title)s", title=in_sentence(definition.title)), scores)]
    changes = None
    overall_change = None
    questions_changed = None
    # Change is judged with the norms of the language the newer check-in (this one) was read
    # in; provisional where that language has none measured (docs/architecture.md#norms).
    norms = norms_in_use(definition, assessment.language)
    if previous is not None:
        previous_scores = previous.score_map()
        # NOTE: the radar's legend and the table's column: the check-in before this one.
        traces.append((_("The one before"), previous_scores))
        # Across versions the newer version's norms judge, and only the areas that asked the
        # same questions both times (docs/architecture.md#versions).
        newer = catalog.get(
            assessment.questionnaire_id,
            max(previous.questionnaire_version, assessment.questionnaire_version),
        )
        norms = norms_in_use(newer, assessment.language)
        asked = (_definition_or_none(previous), definition)
        changes = compare_scores(
            newer, previous_scores, scores, norms.by_dimension, answered_on=asked
        )
        overall_change = compare_overall(
            newer, previous_scores, scores, norms.by_dimension, answered_on=asked
        )
        if previous.questionnaire_version != assessment.questionnaire_version:
            questions_changed = (previous.questionnaire_version, assessment.questionnaire_version)
    flag = recently_flagged(current_user)
    # Help first on a result whose own screen had a "yes", and on every result while the
    # person is recently flagged; then only what asks nothing of the partner.
    shows_help = assessment.safety_flag or flag is not None
    here = url_for("checkup.result", assessment_id=assessment.id) + "#safety-resources"
    focus = focus_areas(definition, scores)
    previous_at = previous.created_at if previous is not None else None
    return render_template(
        "checkup/result.html",
        assessment=assessment,
        definition=definition,
        scores=scores,
        focus=focus,
        story=result_story(assessment, definition, focus, changes, previous_at, flag, shows_help),
        suggests_counsellor=suggests_counsellor(scores, shows_help),
        suggestions=suggestions_for_page(assessment, flag),
        previous=previous,
        changes=changes,
        overall_change=overall_change,
        overall_areas=sum(1 for d in definition.dimensions if scores.get(d.id) is not None),
        norms=norms,
        questions_changed=questions_changed,
        radar=radar.radar_svg(definition, traces, str(RADAR_DESCRIPTION), format_score),
        radar_traces=traces,
        plan_states=plan_states(current_user.id),
        shows_help=shows_help,
        safety_lines=safety.lines_for_person(flag) if shows_help else None,
        country_form=safety.country_form(here) if shows_help else None,
        **result_panels(assessment, flag),
    )
