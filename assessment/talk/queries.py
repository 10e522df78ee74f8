"""What the talk pages read: a person's own talk, the couple's shared check-ups, open
requests and the proposals waiting for an answer (docs/architecture.md#talk).

Nothing here reads an answer, a suggestion or a safety response of the other person:
of the partner, only what they chose to share and whether they are linked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import selectinload

from ..core import Assessment, ProposalStatus, Talk, TalkProposal, User, db, utcnow
from ..partner import SharedCheckup, link_of, other_side, shared_checkups

# A request waits this long for the other to accept, and a talk begun stays open this long
# after; then it lapses, silently. A proposal waits as long.
OPEN_FOR = timedelta(days=7)


class TalkState(StrEnum):
    """Where a talk stands, as its pages show it."""

    WAITING = "waiting"  # asked, not yet accepted
    ACTIVE = "active"  # accepted: the six steps
    FINISHED = "finished"  # ended by either person, by unlinking, or an account deleted
    LAPSED = "lapsed"  # not accepted, or not finished, within seven days


@dataclass(frozen=True)
class Couple:
    """A linked person's partner and the latest check-up each of them chose to share."""

    partner_id: int
    partner_name: str
    mine: SharedCheckup | None
    theirs: SharedCheckup | None

    @property
    def both_shared(self) -> bool:
        """A talk together needs a shared check-up from each (docs/architecture.md#talk)."""
        return self.mine is not None and self.theirs is not None


def state_of(talk: Talk, now: datetime | None = None) -> TalkState:
    """Waiting, active, finished or lapsed, by the stored times alone."""
    now = now or utcnow()
    if talk.finished_at is not None or talk.started_by_id is None or talk.partner_id is None:
        return TalkState.FINISHED
    if talk.joined_at is None:
        return TalkState.WAITING if talk.created_at > now - OPEN_FOR else TalkState.LAPSED
    return TalkState.ACTIVE if talk.joined_at > now - OPEN_FOR else TalkState.LAPSED


def _open(now: datetime) -> ColumnElement[bool]:
    """``state_of`` is waiting or active, as SQL."""
    return and_(
        Talk.finished_at.is_(None),
        Talk.started_by_id.is_not(None),
        Talk.partner_id.is_not(None),
        or_(
            and_(Talk.joined_at.is_(None), Talk.created_at > now - OPEN_FOR),
            and_(Talk.joined_at.is_not(None), Talk.joined_at > now - OPEN_FOR),
        ),
    )


def _either_side(user_id: int) -> ColumnElement[bool]:
    return or_(Talk.started_by_id == user_id, Talk.partner_id == user_id)


def own_talk(user_id: int, talk_id: int) -> Talk | None:
    """A talk the person is in, or None: anyone else's looks absent."""
    return db.session.scalar(select(Talk).where(Talk.id == talk_id, _either_side(user_id)))


def open_talk_between(first: int, second: int, now: datetime | None = None) -> Talk | None:
    """The couple's waiting or active talk, whoever asked (at most one: started under both
    people's lock, docs/architecture.md#locks)."""
    pair = or_(
        and_(Talk.started_by_id == first, Talk.partner_id == second),
        and_(Talk.started_by_id == second, Talk.partner_id == first),
    )
    return db.session.scalar(
        select(Talk).where(pair, _open(now or utcnow())).order_by(Talk.id.desc()).limit(1)
    )


def still_linked(talk: Talk) -> bool:
    """Whether the talk's two people are linked to each other now, since before it began.

    Unlinking ends open talks (hooks.py); this also holds for a talk from an earlier link
    of the same two people, so a request never reaches a person whose link ended.
    """
    if talk.started_by_id is None or talk.partner_id is None:
        return False
    link = link_of(talk.started_by_id)
    return (
        link is not None
        and other_side(link, talk.started_by_id) == talk.partner_id
        and link.created_at <= talk.created_at
    )


def couple_of(user_id: int) -> Couple | None:
    """The person's partner and what each shared last, or None without a link."""
    link = link_of(user_id)
    if link is None:
        return None
    partner_id = other_side(link, user_id)
    partner = db.session.get_one(User, partner_id)
    mine, theirs = shared_checkups(user_id), shared_checkups(partner_id)
    return Couple(
        partner_id, partner.username, mine[-1] if mine else None, theirs[-1] if theirs else None
    )


def latest_shared_id(user_id: int) -> int | None:
    """The id of the person's latest shared check-up: a talk's plan is tied to it."""
    shared = shared_checkups(user_id)
    return shared[-1].id if shared else None


def waiting_proposals(user_id: int, now: datetime | None = None) -> list[tuple[TalkProposal, Talk]]:
    """Proposals made to the person, not yet answered and not lapsed, newest first."""
    rows = db.session.execute(
        select(TalkProposal, Talk)
        .join(Talk, Talk.id == TalkProposal.talk_id)
        .where(
            TalkProposal.user_id == user_id,
            TalkProposal.status == ProposalStatus.PENDING,
            TalkProposal.created_at > (now or utcnow()) - OPEN_FOR,
        )
        .order_by(TalkProposal.id.desc())
    ).all()
    return [(proposal, talk) for proposal, talk in rows]


def proposal_for(talk: Talk, user_id: int) -> TalkProposal | None:
    """The talk's proposal to this person, if there is one."""
    return next((p for p in talk.proposals if p.user_id == user_id), None)


def talks_of(user_id: int) -> list[Talk]:
    """Every talk the person was in, oldest first, with their proposals (History, export)."""
    return list(
        db.session.scalars(
            select(Talk).where(_either_side(user_id)).order_by(Talk.created_at, Talk.id)
        )
    )


def latest_assessment(user_id: int) -> Assessment | None:
    """The person's newest check-up or pulse, with its scores (preparing starts from it)."""
    return db.session.scalar(
        select(Assessment)
        .options(selectinload(Assessment.scores))
        .where(Assessment.user_id == user_id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    )
