"""What the partner pages read: the link, the invites, what was shared, the safety state.

A partner only ever sees, of what the other chose to share, a check-up's date, its six
scores and their bands. Nothing here reads answers, suggestions or safety responses of
the other person.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select

from ..core import Assessment, DimensionScore, PartnerInvite, PartnerLink, db, lock_users, utcnow

# Only the full check-up: the pulse's norms differ (docs/architecture.md#partner).
SHAREABLE = "checkup"
INVITE_VALID = timedelta(days=7)


@dataclass(frozen=True)
class SharedCheckup:
    """What a partner may see of a shared check-up: its date and scores, nothing more."""

    id: int
    created_at: datetime
    version: int
    scores: dict[str, float | None]
    # The language its questions were read in: the newer of two picks the norms judging a gap.
    language: str = "en"


def hash_token(token: str) -> str:
    """Only this hash is stored, so a copy of the database cannot be used to join."""
    return hashlib.sha256(token.encode()).hexdigest()


def link_of(user_id: int) -> PartnerLink | None:
    """The person's partner link, whichever side of it they are on."""
    return db.session.scalar(
        select(PartnerLink).where(
            or_(PartnerLink.inviter_id == user_id, PartnerLink.partner_id == user_id)
        )
    )


def other_side(link: PartnerLink, user_id: int) -> int:
    """The partner's user id on a link."""
    return link.partner_id if link.inviter_id == user_id else link.inviter_id


def open_invite(user_id: int, now: datetime | None = None) -> PartnerInvite | None:
    """The person's invitation that can still be used, if any."""
    return db.session.scalar(
        select(PartnerInvite).where(
            PartnerInvite.inviter_id == user_id,
            PartnerInvite.used_at.is_(None),
            PartnerInvite.replaced_at.is_(None),
            PartnerInvite.expires_at > (now or utcnow()),
        )
    )


def shared_checkups(user_id: int) -> list[SharedCheckup]:
    """Every shared, unflagged full check-up of a person with its scores, in one query."""
    rows = db.session.execute(
        select(
            Assessment.id,
            Assessment.created_at,
            Assessment.questionnaire_version,
            Assessment.language,
            DimensionScore.dimension,
            DimensionScore.score,
        )
        .join(DimensionScore, DimensionScore.assessment_id == Assessment.id)
        .where(
            Assessment.user_id == user_id,
            Assessment.questionnaire_id == SHAREABLE,
            Assessment.shared.is_(True),
            # Never shareable; filtered again so no stale flag could ever carry one across.
            Assessment.safety_flag.is_(False),
        )
        .order_by(Assessment.created_at, Assessment.id)
    )
    found: dict[int, SharedCheckup] = {}
    for assessment_id, created_at, version, language, dimension, score in rows:
        checkup = found.get(assessment_id)
        if checkup is None:
            checkup = found[assessment_id] = SharedCheckup(
                assessment_id, created_at, version, {}, language
            )
        checkup.scores[dimension] = score
    return list(found.values())


def is_linked(user_id: int) -> bool:
    """Whether the person is in a partner link, in one statement."""
    linked = exists().where(
        or_(PartnerLink.inviter_id == user_id, PartnerLink.partner_id == user_id)
    )
    return bool(db.session.scalar(select(linked)))


def lock_link_of(user_id: int) -> PartnerLink | None:
    """Lock the person and their partner (if any) and return their link, read under the lock.

    While both rows are held no other request can make, end or share over a link of
    either of them, so what is read here stays true until the commit.
    """
    locked: set[int] = set()
    while True:
        link = link_of(user_id)
        wanted = {user_id} if link is None else {user_id, other_side(link, user_id)}
        if wanted <= locked:
            return link
        locked = wanted
        lock_users(*locked)
