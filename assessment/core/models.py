"""SQLAlchemy 2.0 models: users, their assessments, answers and scores.

Every table of a person is here; the server's own tables are in server_tables.py. See
docs/architecture.md#rooms.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    insert,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from .extensions import Base, db
from .sessions import MAX_SESSION_ID_LENGTH, new_session_id

if TYPE_CHECKING:
    Model = Base  # db.Model is made from Base at run time, where mypy cannot follow it
else:
    Model = db.Model

# SQLite never hands out an id again once used (AUTOINCREMENT): an old link or cookie that
# names a deleted row can never reach someone else's. PostgreSQL sequences never reuse ids.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    """Naive UTC now: every stored time is UTC, the same on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


class PlanStatus(StrEnum):
    """Where a plan stands; stored as its plain value ("active", "closed", "dropped")."""

    ACTIVE = "active"  # being tried now
    CLOSED = "closed"  # reported as tried (yes or partly)
    DROPPED = "dropped"  # let go by the person


class User(UserMixin, Model):
    """A person with their own check-ups; no e-mail address is ever asked for."""

    __tablename__ = "users"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Whose help lines the safety panel shows: an ISO code from helplines.yaml, "other",
    # or None for the deployment's HELPLINE_COUNTRY (docs/architecture.md#help-lines).
    helpline_country: Mapped[str | None] = mapped_column(String(5))
    # What the session cookie names (never the row id); a new one ends every session.
    session_id: Mapped[str] = mapped_column(
        String(MAX_SESSION_ID_LENGTH), unique=True, default=new_session_id
    )
    # The calendar reminder's title; None: the discreet default (docs/architecture.md#accounts).
    reminder_title: Mapped[str | None] = mapped_column(String(60))
    # The flag lasts (docs/architecture.md#safety): until these moments the person is
    # "recently flagged", 90 days after their latest flagged assessment. Kept here, not read
    # off assessments, so that deleting the flagged assessment does not lift it early.
    flagged_until: Mapped[datetime | None] = mapped_column(DateTime)
    # The same for a "yes" on a safety item about sexual violence: no intimacy advice.
    sexual_violence_until: Mapped[datetime | None] = mapped_column(DateTime)
    # SHA-256 of the one-time permission to mint the first recovery codes, set at sign-up
    # and cleared when they are shown: a copied cookie holding it mints nothing later.
    recovery_codes_due: Mapped[str | None] = mapped_column(String(64))
    # The language chosen in the footer (a code Rekindle offers); None: the browser's
    # (docs/architecture.md#languages).
    language: Mapped[str | None] = mapped_column(String(8))

    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def get_id(self) -> str:
        """Flask-Login's alternative token: the random session id, never the row id."""
        return self.session_id


class Assessment(Model):
    """One completed questionnaire: answers, safety responses and scores hang off it."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("user_id", "submission_token", name="uq_assessments_user_token"),
        Index("ix_assessments_user_created", "user_id", "created_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    questionnaire_id: Mapped[str] = mapped_column(String(40))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    safety_flag: Mapped[bool] = mapped_column(Boolean, default=False)
    submission_token: Mapped[str] = mapped_column(String(64))
    overall: Mapped[float | None] = mapped_column(Float)
    # The strategies chosen when it was scored, kept so an old result never changes:
    # [{"strategy_id", "dimension", "triggers": [{"item_id", "answer", "keyed"}]}]
    suggestions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # What this result offers when its own screen had a "yes" or its person is recently
    # flagged: chosen when it was scored, from the safe strategies only; None on results
    # stored before it was kept (the page then filters ``suggestions``).
    safe_suggestions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # Shown to a linked partner (date, scores, bands only); off until the person turns it on.
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The language its questions were read in: norms are kept per version and language
    # (docs/architecture.md#norms).
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    user: Mapped[User] = relationship(back_populates="assessments")
    answers: Mapped[list[Answer]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Answer.id"
    )
    safety_responses: Mapped[list[SafetyResponse]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SafetyResponse.id"
    )
    scores: Mapped[list[DimensionScore]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="DimensionScore.id"
    )

    def score_map(self) -> dict[str, float | None]:
        """Dimension id -> stored score, as every page shows it."""
        return {row.dimension: row.score for row in self.scores}


class Answer(Model):
    """One answer to one item; ``value`` is None for "Prefer not to say"."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("assessment_id", "item_id", name="uq_answers_item"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[int | None] = mapped_column(Integer)


class SafetyResponse(Model):
    """A private safety-screen response (yes, no, skip): never scored, shared or logged."""

    __tablename__ = "safety_responses"
    __table_args__ = (
        UniqueConstraint("assessment_id", "item_id", name="uq_safety_item"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(40))
    response: Mapped[str] = mapped_column(String(4))


class DimensionScore(Model):
    """One dimension's 0-100 score (None: not enough answers), so history is one query."""

    __tablename__ = "dimension_scores"
    __table_args__ = (
        UniqueConstraint("assessment_id", "dimension", name="uq_scores_dimension"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    dimension: Mapped[str] = mapped_column(String(32))
    score: Mapped[float | None] = mapped_column(Float)


class PartnerLink(Model):
    """Two people who chose to compare what each shares; one link per person at most."""

    __tablename__ = "partner_links"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    inviter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PartnerMembership(Model):
    """Who is in a link: one row per person, so no one can be in two links
    (docs/architecture.md#locks).

    ``partner_links`` alone cannot say it: a person could invite in one link and be the
    partner in another. Rows are written with the link and go with it (ON DELETE CASCADE).
    """

    __tablename__ = "partner_memberships"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    link_id: Mapped[int] = mapped_column(
        ForeignKey("partner_links.id", ondelete="CASCADE"), index=True
    )


def add_memberships(
    _mapper: Mapper[PartnerLink], connection: Connection, link: PartnerLink
) -> None:
    """Every new link writes its two memberships in the same flush (a second link fails)."""
    connection.execute(
        insert(PartnerMembership),
        [
            {"user_id": link.inviter_id, "link_id": link.id},
            {"user_id": link.partner_id, "link_id": link.id},
        ],
    )


class PartnerInvite(Model):
    """A single-use invitation; only the SHA-256 of its token is kept."""

    __tablename__ = "partner_invites"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    inviter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Set when a newer invite (or a link made another way) closes this one: it then answers 410.
    replaced_at: Mapped[datetime | None] = mapped_column(DateTime)


class Plan(Model):
    """Something a person chose to try from a result: active until reported or let go."""

    __tablename__ = "plans"
    __table_args__ = (
        # One active plan per strategy per person, held by the database
        # (docs/architecture.md#locks).
        Index(
            "uq_plans_active_strategy",
            "user_id",
            "strategy_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The result it was chosen from: its questionnaire is the one its change is measured on.
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    strategy_id: Mapped[str] = mapped_column(String(40))
    dimension: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(8), default=PlanStatus.ACTIVE)  # a PlanStatus
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    checkins: Mapped[list[PlanCheckin]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="PlanCheckin.id"
    )


class PlanCheckin(Model):
    """What a person said about a plan at the start of a later questionnaire; never scored."""

    __tablename__ = "plan_checkins"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    tried: Mapped[str] = mapped_column(String(8))  # yes, partly, no
    helped: Mapped[str | None] = mapped_column(String(8))  # yes, unsure, no; None if not tried
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RecoveryCode(Model):
    """A single-use way back into an account without e-mail; only its SHA-256 is kept."""

    __tablename__ = "recovery_codes"
    __table_args__ = (
        UniqueConstraint("user_id", "code_hash", name="uq_recovery_codes_code"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class TrustedDevice(Model):
    """A browser that signed in to an account before: its device cookie's SHA-256.

    OWASP's device-cookie pattern: tries from such a browser are counted apart from
    everyone else's, so nobody who merely knows the user name can lock its owner out.
    The cookie holds a random token only, never the user name (docs/architecture.md#safety).
    """

    __tablename__ = "trusted_devices"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ProposalStatus(StrEnum):
    """What the other person said of a talk's proposal ("pending" until they answer)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


# The six steps of a talk, from "Before you start" to "Close" (docs/architecture.md#talk).
TALK_STEPS = 6


class Talk(Model):
    """A guided conversation of two linked people: who, when, which area, what they chose.

    Only these facts are kept, never a word either person says or types
    (docs/architecture.md#talk). Each person's side is set to NULL when their account is
    deleted, so the other person's record stays theirs and names nobody.
    """

    __tablename__ = "talks"
    __table_args__ = (
        CheckConstraint(f"step BETWEEN 1 AND {TALK_STEPS}", name="step_in_range"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    dimension: Mapped[str | None] = mapped_column(String(32))
    strategy: Mapped[str | None] = mapped_column(String(40))
    step: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    joined_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    proposals: Mapped[list[TalkProposal]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="TalkProposal.id"
    )


class TalkProposal(Model):
    """The strategy a talk chose, offered to the person who was not at the screen.

    They accept (it becomes their plan) or decline on their own account; it is theirs,
    and goes with their account.
    """

    __tablename__ = "talk_proposals"
    __table_args__ = (
        UniqueConstraint("talk_id", "user_id", name="uq_talk_proposals_person"),
        CheckConstraint("status IN ('pending', 'accepted', 'declined')", name="status_known"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    talk_id: Mapped[int] = mapped_column(ForeignKey("talks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    strategy: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(8), default=ProposalStatus.PENDING)
    # A proposal nobody answers lapses after seven days, as a request to talk does.
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
