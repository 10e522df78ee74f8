"""Talk it through: the two ways in, the six steps, the proposal, and preparing alone.

See docs/architecture.md#talk. Nothing either person types reaches the database or a log:
the one form that takes words (the "When / I feel / I'd like" sentence) is read from the
POST body, shown back whole in the response, and dropped.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from questionnaires.models import DIMENSION_IDS

from .. import safety
from ..core import CsrfForm, ProposalStatus, Talk, User, db, limiter, parse_id
from ..safety import Flag, recently_flagged
from . import pages
from .forms import (
    AreaForm,
    ChoiceForm,
    PrepareForm,
    ProposalForm,
    SentenceForm,
    StepForm,
    posted_step_form,
)
from .queries import (
    TalkState,
    couple_of,
    latest_assessment,
    open_talk_between,
    own_talk,
    proposal_for,
    state_of,
    still_linked,
    waiting_proposals,
)
from .writes import (
    Refusal,
    Started,
    answer_proposal,
    choose_strategy,
    end_talk,
    join_talk,
    move_to,
    start_talk,
)

bp = Blueprint("talk", __name__)

# Enough for a couple clicking Back and Next at one screen; too few to hammer the database.
STEP_RATE_LIMIT = "60 per minute"
# Asking, accepting and answering happen a few times a week.
ASK_RATE_LIMIT = "10 per minute"
LAST_STEP = len(pages.STEP_TITLES)

PROBLEMS: dict[Refusal, tuple[int, LazyString, LazyString]] = {
    Refusal.NOT_LINKED: (
        409,
        _l("Talking together needs a partner link"),
        _l(
            "A talk together is for two people whose accounts are linked. You can link on the"
            " Partner page, or prepare on your own. Nothing was changed."
        ),
    ),
    Refusal.NOT_SHARED: (
        409,
        _l("Each of you shares a check-up first"),
        _l(
            "A talk together starts from a check-up each of you chose to share, so that it shows"
            " only what both of you chose to show. Nothing was changed."
        ),
    ),
    Refusal.NOT_OPEN: (
        410,
        _l("This talk has ended"),
        _l(
            "Requests and talks last seven days, and either of you can end one. You can start a"
            " new talk whenever you both like. Nothing was changed."
        ),
    ),
    Refusal.OWN_REQUEST: (
        400,
        _l("This is your own request"),
        _l("Your partner accepts it on their own account. Nothing was changed."),
    ),
    Refusal.FULL: (
        409,
        _l("You are trying three things already"),
        _l(
            "Rekindle keeps it to three at once, so each one gets a fair try. Let one go on your"
            " Plans page, then come back to this. Nothing was changed."
        ),
    ),
    Refusal.NOTHING_SHARED: (
        409,
        _l("A plan from a talk starts from a shared check-up"),
        _l(
            "Share one of your check-ups with your partner, then come back to this."
            " Nothing was changed."
        ),
    ),
}


def _problem(refusal: Refusal) -> tuple[str, int]:
    status, title, message = PROBLEMS[refusal]
    # As plain text, so the page escapes them like any other value.
    page = render_template("talk/problem.html", title=str(title), message=str(message))
    return page, status


def _talk_after(outcome: Talk | Refusal | None) -> Response | tuple[str, int]:
    """After a step: the talk's page, or why it was refused, or a 404 (not the person's)."""
    if outcome is None:
        abort(404)
    if isinstance(outcome, Refusal):
        return _problem(outcome)
    return redirect(url_for("talk.show", talk_id=outcome.id), 303)


def _safety_page(flag: Flag, status: int = 200) -> tuple[str, int]:
    """What a recently flagged person sees instead of any talk (docs/architecture.md#safety)."""
    here = url_for("talk.index") + "#safety-resources"
    page = render_template(
        "talk/safety.html",
        safety_lines=safety.lines_for_person(flag),
        country_form=safety.country_form(here),
    )
    return page, status


def _own_or_404(talk_id: int) -> Talk:
    talk = own_talk(current_user.id, talk_id)
    if talk is None:
        abort(404)
    return talk


def _flagged(person_id: int | None) -> bool:
    if person_id is None:
        return False
    person = db.session.get(User, person_id)
    return person is not None and recently_flagged(person) is not None


def _shown_state(talk: Talk) -> TalkState:
    """The talk's state as this person may see it.

    An open talk whose link has ended has ended. A request from someone recently flagged
    is not shown to the one asked (it ends for them, as if its starter had ended it).
    """
    state = state_of(talk)
    if state in (TalkState.WAITING, TalkState.ACTIVE) and not still_linked(talk):
        return TalkState.FINISHED
    if (
        state == TalkState.WAITING
        and talk.started_by_id != current_user.id
        and _flagged(talk.started_by_id)
    ):
        return TalkState.FINISHED
    return state


@bp.get("/talk")
@login_required
def index() -> str | tuple[str, int]:
    """What a talk is, and the way in that fits: together, or preparing alone."""
    flag = recently_flagged(current_user)
    if flag is not None:
        return _safety_page(flag)
    me = current_user.id
    couple = couple_of(me)
    talk = open_talk_between(me, couple.partner_id) if couple is not None else None
    state = _shown_state(talk) if talk is not None else None
    shown = talk if state in (TalkState.WAITING, TalkState.ACTIVE) else None
    proposals = [
        {"talk": talk_row, "proposal": proposal, "title": pages.strategy_title(proposal.strategy)}
        for proposal, talk_row in waiting_proposals(me)
        if still_linked(talk_row)  # made over a link that has ended: gone with it
    ]
    return render_template(
        "talk/index.html",
        couple=couple,
        talk=shown,
        state=state if shown is not None else None,
        mine=shown is not None and shown.started_by_id == me,
        proposals=proposals,
    )


@bp.post("/talk")
@login_required
@limiter.limit(ASK_RATE_LIMIT)
def start() -> Response | tuple[str, int]:
    """Ask your partner to talk it through; they accept on their own account."""
    CsrfForm().require_exact_fields()
    flag = recently_flagged(current_user)
    if flag is not None:
        return _safety_page(flag, 403)
    started = start_talk(current_user)
    if not isinstance(started, Started):
        return _problem(started)
    return redirect(url_for("talk.show", talk_id=started.talk_id), 303)


@bp.get("/talk/<id:talk_id>")
@login_required
def show(talk_id: int) -> str | tuple[str, int]:
    """The talk as it stands: waiting, an invitation to accept, a step, or how it ended."""
    flag = recently_flagged(current_user)
    if flag is not None:
        return _safety_page(flag)
    talk = _own_or_404(talk_id)
    state = _shown_state(talk)
    me = current_user.id
    if state == TalkState.WAITING:
        template = "talk/waiting.html" if talk.started_by_id == me else "talk/join.html"
        return render_template(template, talk=talk, partner_name=_partner_name(talk))
    if state == TalkState.ACTIVE:
        return _step_page(talk)
    proposal = proposal_for(talk, me)
    return render_template(
        "talk/ended.html",
        talk=talk,
        state=state,
        area=pages.area_label(talk.dimension),
        strategy=pages.strategy_title(talk.strategy),
        proposal=proposal if proposal and proposal.status == ProposalStatus.PENDING else None,
        proposal_open=proposal is not None
        and still_linked(talk)
        and any(p is proposal for p, _ in waiting_proposals(me)),
    )


def _partner_name(talk: Talk) -> str:
    other = talk.partner_id if talk.started_by_id == current_user.id else talk.started_by_id
    person = db.session.get(User, other) if other is not None else None
    # NOTE: Stands in for the partner's name when their account has gone, mid-sentence
    # ("Waiting for your partner"); lower case.
    return person.username if person is not None else _("your partner")


def _step_page(
    talk: Talk,
    status: int = 200,
    error: str | None = None,
    sentence_form: SentenceForm | None = None,
    sentence: str | None = None,
) -> tuple[str, int] | str:
    """One of the six steps, with everything it shows (from the two shared check-ups)."""
    couple = couple_of(current_user.id)
    view: dict[str, Any] = {
        "talk": talk,
        "step": talk.step,
        "titles": pages.STEP_TITLES,
        "last_step": LAST_STEP,
        "partner_name": _partner_name(talk),
        "error": error,
        "area": pages.area_label(talk.dimension),
    }
    if couple is not None and couple.mine is not None and couple.theirs is not None:
        if talk.step == 2:
            view["strengths"] = pages.shared_strengths(couple.mine, couple.theirs)
            view["strengths_phrase"] = pages.strengths_phrase(view["strengths"])
        if talk.step == 3:
            view["areas"] = pages.areas_to_choose(couple.mine, couple.theirs)
    if talk.step == 4 and talk.dimension is not None:
        view["prompts"] = pages.prompts_for(talk.dimension)
        view["sentence_form"] = sentence_form or SentenceForm(formdata=None)
        view["sentence"] = sentence
    if talk.step == 5 and talk.dimension is not None:
        view["strategies"] = pages.strategies_to_choose(talk.dimension, current_user.id)
        view["chosen"] = pages.strategy_title(talk.strategy)
    if talk.step == 6:
        view["chosen"] = pages.strategy_title(talk.strategy)
    page = render_template("talk/step.html", **view)
    return (page, status) if status != 200 else page


def _open_or_refusal(talk: Talk) -> Refusal | None:
    if _shown_state(talk) != TalkState.ACTIVE:
        return Refusal.NOT_OPEN
    return None


@bp.post("/talk/<id:talk_id>")
@login_required
@limiter.limit(STEP_RATE_LIMIT)
def step(talk_id: int) -> Response | str | tuple[str, int]:
    """Back or Next (``step``), with the area (step 3), the sentence (step 4, shown back and
    never kept) or the small thing to try (step 5)."""
    form = posted_step_form()
    if form is None:
        abort(400)
    flag = recently_flagged(current_user)
    if flag is not None:
        return _safety_page(flag, 403)
    talk = _own_or_404(talk_id)
    refused = _open_or_refusal(talk)
    if refused is not None:
        return _problem(refused)
    target = parse_id(request.form["step"])
    if target is None or target > LAST_STEP or target > talk.step + 1:
        abort(400)  # not a step, or skipping ahead
    if isinstance(form, SentenceForm):
        return _show_sentence(talk, form, target)
    if isinstance(form, AreaForm):
        return _choose_area(talk, form, target)
    if isinstance(form, ChoiceForm):
        return _choose_strategy(talk, form, target)
    assert isinstance(form, StepForm)
    if target > 3 and talk.dimension is None:
        return _step_page(talk, 400, error=_("Please choose one area to talk about."))
    move_to(talk, target)
    return redirect(url_for("talk.show", talk_id=talk.id), 303)


def _show_sentence(talk: Talk, form: SentenceForm, target: int) -> str | tuple[str, int]:
    """Step 4: the speaker's three parts shown back as one sentence; nothing is kept."""
    if target != 4 or talk.step != 4:
        abort(400)
    if not form.validate():
        return _step_page(talk, 400, sentence_form=form)
    whole = pages.sentence(form.when.data or "", form.feel.data or "", form.like.data or "")
    return _step_page(talk, sentence_form=form, sentence=whole)


def _choose_area(talk: Talk, form: AreaForm, target: int) -> Response | str | tuple[str, int]:
    """Step 3's Next: the area the two of you chose (one of those offered)."""
    if target != 4 or talk.step != 3:
        abort(400)
    couple = couple_of(current_user.id)
    if couple is None or couple.mine is None or couple.theirs is None:
        return _problem(Refusal.NOT_SHARED)
    offered = {area.id for area in pages.areas_to_choose(couple.mine, couple.theirs)}
    if talk.strategy is not None:
        offered = {talk.dimension} if talk.dimension else set()  # chosen with a plan: it stays
    if form.dimension.data not in offered:
        abort(400)
    move_to(talk, 4, dimension=form.dimension.data)
    return redirect(url_for("talk.show", talk_id=talk.id), 303)


def _choose_strategy(talk: Talk, form: ChoiceForm, target: int) -> Response | str | tuple[str, int]:
    """Step 5's choice: a plan for you, a proposal to your partner."""
    if target != 6 or talk.step != 5 or talk.dimension is None:
        abort(400)
    offered = {s.id for s in pages.strategies_to_choose(talk.dimension, current_user.id)}
    if form.strategy.data not in offered:
        abort(400)
    return _talk_after(choose_strategy(current_user, talk.id, form.strategy.data or ""))


@bp.post("/talk/<id:talk_id>/join")
@login_required
@limiter.limit(ASK_RATE_LIMIT)
def join(talk_id: int) -> Response | tuple[str, int]:
    """Accept your partner's request on your own account: the talk begins."""
    CsrfForm().require_exact_fields()
    flag = recently_flagged(current_user)
    if flag is not None:
        return _safety_page(flag, 403)
    talk = _own_or_404(talk_id)
    if talk.started_by_id != current_user.id and _shown_state(talk) == TalkState.FINISHED:
        return _problem(Refusal.NOT_OPEN)
    return _talk_after(join_talk(current_user, talk_id))


@bp.post("/talk/<id:talk_id>/end")
@login_required
@limiter.limit(STEP_RATE_LIMIT)
def end(talk_id: int) -> Response:
    """End the talk (or the request) for both of you; what you chose stays."""
    CsrfForm().require_exact_fields()
    end_talk(_own_or_404(talk_id))
    return redirect(url_for("talk.index"), 303)


@bp.post("/talk/<id:talk_id>/proposal")
@login_required
@limiter.limit(ASK_RATE_LIMIT)
def proposal(talk_id: int) -> Response | tuple[str, int]:
    """Accept (``accept=yes``: it becomes your plan) or decline (``no``) what a talk chose."""
    form = ProposalForm()
    form.require_exact_fields()
    if form.accept.data not in ("yes", "no"):
        abort(400)
    flag = recently_flagged(current_user)
    if flag is not None:
        return _safety_page(flag, 403)
    answered = answer_proposal(current_user, talk_id, form.accept.data == "yes")
    if answered is None:
        abort(404)
    if isinstance(answered, Refusal):
        return _problem(answered)
    if answered.status == ProposalStatus.ACCEPTED:
        return redirect(url_for("plans.index"), 303)
    return redirect(url_for("talk.index"), 303)


# --- Alone: preparing to talk ---------------------------------------------------------------


def _no_query_string() -> None:
    """The sentence travels only in a POST body: a query string would reach access logs."""
    if request.query_string:
        abort(400)


def _prepare_page(form: PrepareForm, status: int = 200) -> tuple[str, int] | str:
    label = pages.area_label
    page = render_template(
        "talk/prepare.html",
        form=form,
        areas=[(dimension, label(dimension)) for dimension in DIMENSION_IDS],
    )
    return (page, status) if status != 200 else page


@bp.get("/talk/prepare")
@login_required
def prepare() -> str | tuple[str, int]:
    """Prepare on your own: an area, one sentence, how to listen, a calm moment. Nothing kept."""
    _no_query_string()
    flag = recently_flagged(current_user)
    if flag is not None:
        return _safety_page(flag)
    form = PrepareForm(
        formdata=None, data={"dimension": pages.latest_focus(latest_assessment(current_user.id))}
    )
    return _prepare_page(form)


@bp.post("/talk/prepare")
@login_required
@limiter.limit(STEP_RATE_LIMIT)
def prepared() -> str | tuple[str, int]:
    """The sentence shown whole, with the listening checklist and a printable page.

    Read from the POST body and dropped: nothing here is stored (docs/architecture.md#talk).
    """
    _no_query_string()
    form = PrepareForm()
    form.require_exact_fields()
    if form.dimension.data not in DIMENSION_IDS:
        abort(400)
    flag = recently_flagged(current_user)
    if flag is not None:
        return _safety_page(flag, 403)
    if not form.validate():
        return _prepare_page(form, 400)
    whole = pages.sentence(form.when.data or "", form.feel.data or "", form.like.data or "")
    return render_template(
        "talk/prepared.html",
        area=pages.area_label(form.dimension.data),
        dimension=form.dimension.data,
        sentence=whole,
        prompts=pages.prompts_for(form.dimension.data or ""),
    )
