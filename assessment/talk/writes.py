"""Every write of a talk, each one transaction: asking, accepting, moving between steps,
choosing one small thing to try, answering a proposal, ending (docs/architecture.md#talk).

What is written is only the talk's facts (who, when, the area, the step, the strategy),
never a word either person says or types. Rules that read and then write take the
people's row locks first (docs/architecture.md#locks).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..checkup import active_plans
from ..core import (
    Plan,
    PlanStatus,
    ProposalStatus,
    Talk,
    TalkProposal,
    User,
    current_catalog,
    db,
    lock_users,
    stored,
    utcnow,
)
from ..plans import MAX_ACTIVE_PLANS
from ..safety import recently_flagged, unpaused
from .queries import (
    OPEN_FOR,
    TalkState,
    couple_of,
    latest_shared_id,
    open_talk_between,
    own_talk,
    proposal_for,
    state_of,
    still_linked,
)


class Refusal(StrEnum):
    """Why a write did not happen; routes turn each into its page and status."""

    NOT_LINKED = "not_linked"  # no partner link (409)
    NOT_SHARED = "not_shared"  # a shared check-up is missing on one side (409)
    NOT_OPEN = "not_open"  # the talk lapsed or ended (410)
    OWN_REQUEST = "own_request"  # accepting your own request (400)
    FULL = "full"  # three plans already (409)
    NOTHING_SHARED = "nothing_shared"  # a plan needs a shared check-up to tie it to (409)


@dataclass(frozen=True)
class Started:
    """The talk a start led to (a new one, or the couple's open one)."""

    talk_id: int


def start_talk(me: User) -> Started | Refusal:
    """Ask the partner to talk it through; the couple's open talk if there is one.

    Read and written holding both people's rows, so two people pressing "Start" at the
    same moment make one talk, never two.
    """
    couple = couple_of(me.id)
    if couple is None:
        return Refusal.NOT_LINKED
    my_id, partner_id = me.id, couple.partner_id
    lock_users(my_id, partner_id)
    couple = couple_of(my_id)  # read again under the lock
    if couple is None or couple.partner_id != partner_id:
        return Refusal.NOT_LINKED
    if not couple.both_shared:
        return Refusal.NOT_SHARED
    now = utcnow()
    found = open_talk_between(my_id, partner_id, now)
    if found is not None and _asked_by_someone_now_flagged(found, partner_id):
        # Never shown to me (docs/architecture.md#talk): it ends unseen, and my request
        # waits and lapses like any other.
        found.finished_at = now
        found = None
    if found is not None:
        db.session.rollback()
        return Started(found.id)
    talk = Talk(started_by_id=my_id, partner_id=partner_id, step=1, created_at=now)
    db.session.add(talk)
    db.session.commit()
    return Started(talk.id)


def _asked_by_someone_now_flagged(talk: Talk, partner_id: int) -> bool:
    if talk.started_by_id != partner_id or talk.joined_at is not None:
        return False
    return recently_flagged(db.session.get_one(User, partner_id)) is not None


def join_talk(me: User, talk_id: int) -> Talk | Refusal | None:
    """Accept a request on your own account: the talk becomes active. None: not yours."""
    my_id = me.id
    talk = own_talk(my_id, talk_id)
    if talk is None:
        return None
    if talk.started_by_id == my_id:
        return Refusal.OWN_REQUEST
    starter = talk.started_by_id
    lock_users(*(i for i in (my_id, starter) if i is not None))
    talk = own_talk(my_id, talk_id)
    if talk is None:
        return None
    state = state_of(talk)
    if state == TalkState.ACTIVE:
        db.session.rollback()
        return talk  # accepted a moment ago: the same talk
    if state != TalkState.WAITING or not still_linked(talk):
        db.session.rollback()
        return Refusal.NOT_OPEN
    talk.joined_at = utcnow()
    db.session.commit()
    return talk


def move_to(talk: Talk, step: int, dimension: str | None = None) -> None:
    """Go to a step (Back or Next); step 3's Next carries the area chosen."""
    if dimension is not None:
        talk.dimension = dimension
    talk.step = step
    db.session.commit()


def end_talk(talk: Talk) -> None:
    """End the talk (or the request) for both; what was chosen stays."""
    if talk.finished_at is None:
        talk.finished_at = utcnow()
        db.session.commit()


def _add_plan(user_id: int, strategy_id: str, assessment_id: int) -> Refusal | None:
    """The person's plan for this strategy (the same plan if they are trying it already).

    Call holding the person's lock: at most three active plans, one per strategy
    (docs/architecture.md#plans). Paused plans do not take a place, as in the plans room.
    """
    active = active_plans(user_id)
    if any(plan.strategy_id == strategy_id for plan in active):
        return None
    library = current_catalog().strategies
    try:
        dimension = library.by_id(strategy_id).dimension
    except KeyError:
        return Refusal.NOT_OPEN  # retired since the talk chose it
    person = db.session.get_one(User, user_id)
    if len(unpaused(active, recently_flagged(person), library)) >= MAX_ACTIVE_PLANS:
        return Refusal.FULL
    db.session.add(
        Plan(
            user_id=user_id,
            assessment_id=assessment_id,
            strategy_id=strategy_id,
            dimension=dimension,
            status=PlanStatus.ACTIVE,
            created_at=utcnow(),
        )
    )
    return None


def choose_strategy(me: User, talk_id: int, strategy_id: str) -> Talk | Refusal | None:
    """Step 5: a plan for the person at the screen, and a proposal to the other.

    The plan is tied to the chooser's latest shared check-up; the proposal waits for the
    other to accept or decline on their own account. A talk chooses once.
    """
    my_id = me.id
    talk = own_talk(my_id, talk_id)
    if talk is None:
        return None
    other = talk.partner_id if talk.started_by_id == my_id else talk.started_by_id
    lock_users(*(i for i in (my_id, other) if i is not None))
    talk = own_talk(my_id, talk_id)
    if talk is None:
        return None
    if state_of(talk) != TalkState.ACTIVE or other is None or not still_linked(talk):
        db.session.rollback()
        return Refusal.NOT_OPEN
    if talk.strategy is not None:
        db.session.rollback()
        return talk  # chosen already (a second click): nothing more
    assessment_id = latest_shared_id(my_id)
    if assessment_id is None:
        db.session.rollback()
        return Refusal.NOTHING_SHARED
    refused = _add_plan(my_id, strategy_id, assessment_id)
    if refused is not None:
        db.session.rollback()
        return refused
    talk.strategy = strategy_id
    talk.step = 6
    talk.proposals.append(
        TalkProposal(
            user_id=other,
            strategy=strategy_id,
            status=ProposalStatus.PENDING,
            created_at=utcnow(),
        )
    )
    if not stored():
        return Refusal.NOT_OPEN  # the same plan was stored a moment ago (uq_plans_active_strategy)
    return talk


def answer_proposal(me: User, talk_id: int, accept: bool) -> TalkProposal | Refusal | None:
    """Accept (a plan of your own, tied to your latest shared check-up) or decline.

    None when there is no proposal to this person; answering again changes nothing.
    """
    my_id = me.id
    talk = own_talk(my_id, talk_id)
    if talk is None or proposal_for(talk, my_id) is None:
        return None
    lock_users(my_id)
    talk = own_talk(my_id, talk_id)
    proposal = proposal_for(talk, my_id) if talk is not None else None
    if proposal is None:
        return None
    if proposal.status != ProposalStatus.PENDING:
        db.session.rollback()
        return proposal
    if proposal.created_at <= utcnow() - OPEN_FOR or talk is None or not still_linked(talk):
        db.session.rollback()
        return Refusal.NOT_OPEN  # lapsed, or the link it was made over has ended
    if accept:
        assessment_id = latest_shared_id(my_id)
        if assessment_id is None:
            db.session.rollback()
            return Refusal.NOTHING_SHARED
        refused = _add_plan(my_id, proposal.strategy, assessment_id)
        if refused is not None:
            db.session.rollback()
            return refused
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    db.session.commit()
    return proposal
