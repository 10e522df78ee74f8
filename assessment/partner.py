"""Couples (DESIGN.md §7): invite a partner, share check-ups by choice, compare how each sees it.

A partner only ever sees, of what the other chose to share, a check-up's date, its six
scores and their bands. Nothing here reads answers, suggestions or safety responses of
the other person, and nothing a partner sees changes with the other's safety screen.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import delete, event, exists, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.expression import Exists
from werkzeug.wrappers import Response

from questionnaires.models import Questionnaire
from scoring import SEE_DIFFERENTLY, Gap, pair_checkups, perception_gaps, thin_series

from . import charts
from .definitions import current_catalog
from .extensions import db, limiter, login_manager
from .forms import CsrfForm, ShareForm
from .locks import lock_users, lock_users_in_flush
from .models import (
    Assessment,
    DimensionScore,
    PartnerInvite,
    PartnerLink,
    User,
    add_memberships,
    utcnow,
)
from .norms import norms_in_use

bp = Blueprint("partner", __name__)

SHAREABLE = "checkup"  # only the full check-up: the pulse's norms differ (DESIGN.md §7)
INVITE_VALID = timedelta(days=7)
RECENT_FLAG = timedelta(days=90)
DATES_APART = timedelta(days=30)
JOIN_RATE_LIMIT = "10 per minute"  # per IP: enough for a person, too few to guess a token
MAX_TOKEN_LENGTH = 128
MAX_CHART_POINTS = 300
_SESSION_INVITE = "partner_invite_token"

PROBLEMS = {
    400: (
        "This is your own invitation",
        "Send this link to your partner: they open it while signed in to their own account.",
    ),
    404: (
        "We could not find this invitation",
        "Please check that the whole link was copied, or ask for a new one.",
    ),
    409: (
        "Already linked",
        "A person can be linked with one partner at a time, and you or the person who sent"
        " this is linked already. Nothing was changed.",
    ),
    410: (
        "This invitation can no longer be used",
        "Invitations work once and for seven days, and a newer one replaces an older one."
        " Please ask for a new link. Nothing was changed.",
    ),
}


@dataclass(frozen=True)
class SharedCheckup:
    """What a partner may see of a shared check-up: its date and scores, nothing more."""

    id: int
    created_at: datetime
    version: int
    scores: dict[str, float | None]


# --- Reading the link, the invites and the safety state ---------------------------------


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


def _flagged_lately(user_id: int, now: datetime | None = None) -> Exists:
    """SQL: any assessment of the person in the last 90 days had a "yes" on the safety screen."""
    return exists().where(
        Assessment.user_id == user_id,
        Assessment.safety_flag.is_(True),
        Assessment.created_at >= (now or utcnow()) - RECENT_FLAG,
    )


def recently_flagged(user_id: int, now: datetime | None = None) -> bool:
    """True while any assessment of the last 90 days had a "yes" on the safety screen."""
    return bool(db.session.scalar(select(_flagged_lately(user_id, now))))


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


def _close_open_invites(user_ids: Iterable[int], now: datetime) -> None:
    db.session.execute(
        update(PartnerInvite)
        .where(
            PartnerInvite.inviter_id.in_(list(user_ids)),
            PartnerInvite.used_at.is_(None),
            PartnerInvite.replaced_at.is_(None),
        )
        .values(replaced_at=now)
    )


def end_link(link: PartnerLink) -> None:
    """Remove the link and un-share everything either person shared over it."""
    db.session.execute(
        update(Assessment)
        .where(Assessment.user_id.in_([link.inviter_id, link.partner_id]), Assessment.shared)
        .values(shared=False)
    )
    db.session.delete(link)


def init_app(app: Flask) -> None:
    """Bind the hooks of links: memberships written with a link, and a deleted account's link
    ended. Importing registers nothing."""
    if not event.contains(User, "before_delete", _end_link_of_deleted_user):
        event.listen(User, "before_delete", _end_link_of_deleted_user)
    if not event.contains(PartnerLink, "after_insert", add_memberships):
        event.listen(PartnerLink, "after_insert", add_memberships)


def _end_link_of_deleted_user(_mapper: Any, connection: Connection, user: User) -> None:
    """Deleting an account ends its link, un-shares the other side and drops its invites."""
    lock_users_in_flush(connection, user.id)  # no link made or ended with them meanwhile
    link = connection.execute(
        select(PartnerLink.id, PartnerLink.inviter_id, PartnerLink.partner_id).where(
            or_(PartnerLink.inviter_id == user.id, PartnerLink.partner_id == user.id)
        )
    ).first()
    if link is not None:
        # The partner too, so a share they are making waits and then finds no link.
        lock_users_in_flush(connection, link.inviter_id, link.partner_id)
        connection.execute(
            update(Assessment)
            .where(Assessment.user_id.in_([link.inviter_id, link.partner_id]))
            .values(shared=False)
        )
        connection.execute(delete(PartnerLink).where(PartnerLink.id == link.id))
    connection.execute(delete(PartnerInvite).where(PartnerInvite.inviter_id == user.id))


def shared_checkups(user_id: int) -> list[SharedCheckup]:
    """Every shared, unflagged full check-up of a person with its scores, in one query."""
    rows = db.session.execute(
        select(
            Assessment.id,
            Assessment.created_at,
            Assessment.questionnaire_version,
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
    for assessment_id, created_at, version, dimension, score in rows:
        checkup = found.get(assessment_id)
        if checkup is None:
            checkup = found[assessment_id] = SharedCheckup(assessment_id, created_at, version, {})
        checkup.scores[dimension] = score
    return list(found.values())


# --- What the result page shows ----------------------------------------------------------


def _linked_and_recently_flagged(user_id: int) -> tuple[bool, bool]:
    """Whether the person is linked, and flagged in the last 90 days: one statement."""
    linked = exists().where(
        or_(PartnerLink.inviter_id == user_id, PartnerLink.partner_id == user_id)
    )
    row = db.session.execute(select(linked, _flagged_lately(user_id))).one()
    return bool(row[0]), bool(row[1])


def share_switch(assessment: Assessment) -> dict[str, bool] | None:
    """What the result page's share switch shows, or None when it shows nothing at all."""
    if assessment.questionnaire_id != SHAREABLE or assessment.safety_flag:
        return None
    linked, quiet = _linked_and_recently_flagged(assessment.user_id)
    if quiet and not linked and not assessment.shared:
        return None  # nothing to switch, and no suggestion to invite anyone
    return {"shared": assessment.shared, "linked": linked, "quiet": quiet}


# --- Routes --------------------------------------------------------------------------------


def _problem(code: int) -> tuple[str, int]:
    title, message = PROBLEMS[code]
    return render_template("partner/problem.html", title=title, message=message), code


@bp.get("/partner")
@login_required
def partner() -> str:
    """The link (or how to make one), and what each of you has shared, side by side."""
    me = current_user.id
    quiet = recently_flagged(me)
    link = link_of(me)
    if link is None:
        token = session.pop(_SESSION_INVITE, None)
        invite_url = join_url(token) if token else None
        return render_template(
            "partner/unlinked.html",
            quiet=quiet,
            invite_url=invite_url,
            waiting=None if invite_url else open_invite(me),
        )
    partner_user = db.session.get_one(User, other_side(link, me))
    mine = shared_checkups(me)
    theirs = shared_checkups(partner_user.id)
    return render_template(
        "partner/linked.html",
        quiet=quiet,
        link=link,
        partner_name=partner_user.username,
        **_comparison(mine, theirs, show_starters=not quiet),
    )


def _definition_for(*checkups: SharedCheckup) -> Questionnaire:
    """The newer version of the two: its dimensions and norms judge the gap."""
    catalog = current_catalog()
    version = max(c.version for c in checkups)
    try:
        return catalog.get(SHAREABLE, version)
    except KeyError:
        return catalog.latest(SHAREABLE)


def _comparison(
    mine: list[SharedCheckup], theirs: list[SharedCheckup], show_starters: bool
) -> dict[str, Any]:
    latest_mine = mine[-1] if mine else None
    latest_theirs = theirs[-1] if theirs else None
    shown = [c for c in (latest_mine, latest_theirs) if c is not None]
    if not shown:
        return {"mine": None, "theirs": None}
    definition = _definition_for(*shown)
    traces = []
    if latest_mine:
        traces.append(("You", latest_mine.scores))
    if latest_theirs:
        traces.append(("Your partner", latest_theirs.scores))
    page: dict[str, Any] = {
        "mine": latest_mine,
        "theirs": latest_theirs,
        "definition": definition,
        "radar": charts.radar_figure(definition, traces),
        "radar_traces": traces,
        "gaps": None,
        # DESIGN.md §11: compared on the newer version's norms, and the page says so.
        "questions_changed": len({c.version for c in shown}) > 1,
    }
    if latest_mine and latest_theirs:
        norms = norms_in_use(definition)
        page["gaps"] = perception_gaps(
            definition, latest_mine.scores, latest_theirs.scores, norms.by_dimension
        )
        page["gap_norms"] = norms
        apart = abs(latest_mine.created_at - latest_theirs.created_at)
        page["apart_days"] = round(apart.total_seconds() / 86400)
        page["far_apart"] = apart > DATES_APART
        page["starters"] = _starters(page["gaps"]) if show_starters else []
        page.update(_over_time(mine, theirs))
        page["questions_changed"] = page["questions_changed"] or page.get("versions_differ", False)
    return page


def _starters(gaps: Iterable[Gap]) -> list[tuple[str, list[str]]]:
    """(dimension id, starters) for every dimension you see differently."""
    library = current_catalog().strategies
    conversations: dict[str, list[str]] = dict(library.conversations.items())
    return [
        (gap.dimension, conversations[gap.dimension])
        for gap in gaps
        if gap.label == SEE_DIFFERENTLY and conversations.get(gap.dimension)
    ]


def _over_time(mine: list[SharedCheckup], theirs: list[SharedCheckup]) -> dict[str, Any]:
    """Each dimension's gap for pairs taken within 30 days, at the pair's midpoint."""
    by_id_mine = {c.id: c for c in mine}
    by_id_theirs = {c.id: c for c in theirs}
    pairs = pair_checkups(
        [(c.id, c.created_at) for c in mine], [(c.id, c.created_at) for c in theirs]
    )
    if not pairs:
        return {"pairs": [], "gap_trend": None}
    anchor = current_catalog().latest(SHAREABLE)
    rows: list[dict[str, Any]] = []
    used = {mine_id for mine_id, _, _ in pairs} | {theirs_id for _, theirs_id, _ in pairs}
    for mine_id, theirs_id, midpoint in pairs:
        you, partner = by_id_mine[mine_id], by_id_theirs[theirs_id]
        definition = _definition_for(you, partner)
        gaps = perception_gaps(
            definition, you.scores, partner.scores, norms_in_use(definition).by_dimension
        )
        rows.append(
            {
                "midpoint": midpoint,
                "yours": you.created_at,
                "theirs": partner.created_at,
                "gaps": {gap.dimension: gap for gap in gaps},
            }
        )
    midpoints = [row["midpoint"] for row in rows]
    series = []
    for dimension in anchor.dimensions:
        values = [
            row["gaps"][dimension.id].gap if dimension.id in row["gaps"] else None for row in rows
        ]
        times, thinned = thin_series(midpoints, values, MAX_CHART_POINTS)
        series.append((dimension.label, times, thinned))
    return {
        "versions_differ": len({c.version for c in [*mine, *theirs] if c.id in used}) > 1,
        "pairs": rows,
        "pair_dimensions": anchor.dimensions,
        "gap_trend": charts.gap_trend_figure(series),
        "thinned": len(rows) > MAX_CHART_POINTS,
    }


@bp.post("/partner/invite")
@login_required
def invite() -> Response | tuple[str, int]:
    """Make a new single-use link (replacing any older one) and show it once on /partner."""
    CsrfForm().require_exact_fields()
    me = current_user.id
    if link_of(me) is not None:
        return _problem(409)
    now = utcnow()
    _close_open_invites([me], now)
    token = secrets.token_urlsafe(32)
    db.session.add(
        PartnerInvite(
            inviter_id=me,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + INVITE_VALID,
        )
    )
    db.session.commit()
    session[_SESSION_INVITE] = token
    return redirect(url_for("partner.partner"), 303)


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


def _usable_invite(token: str, user_id: int | None) -> PartnerInvite | tuple[str, int]:
    """The invite behind a token, or the page saying why it cannot be used.

    Signed out (``user_id`` None), only what the token itself says: unknown, or used up.
    """
    if len(token) > MAX_TOKEN_LENGTH:
        return _problem(404)
    invite = db.session.scalar(
        select(PartnerInvite).where(PartnerInvite.token_hash == hash_token(token))
    )
    if invite is None:
        return _problem(404)
    if user_id is not None and invite.inviter_id == user_id:
        return _problem(400)
    if invite.used_at or invite.replaced_at or invite.expires_at <= utcnow():
        return _problem(410)
    if user_id is None:
        return invite
    if link_of(user_id) is not None or link_of(invite.inviter_id) is not None:
        return _problem(409)
    return invite


def join_url(token: str) -> str:
    """The full invitation link: on ``PUBLIC_URL`` when set, so it opens on another device."""
    public = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if public:
        return public + url_for("partner.join", token=token)
    return url_for("partner.join", token=token, _external=True)


def _waiting_for_sign_in(token: str) -> tuple[str, int] | str:
    """Signed out: say only that an invitation waits, with sign-in and sign-up that keep it."""
    found = _usable_invite(token, None)
    if not isinstance(found, PartnerInvite):
        return found
    return render_template("partner/waiting.html", next_path=request.path)


@bp.route("/partner/join/<token>", methods=["GET", "POST"])
@limiter.limit(JOIN_RATE_LIMIT)
def join(token: str) -> Response | tuple[str, int] | str:
    """Confirm, signed in, that you want to link with the person who invited you."""
    if not current_user.is_authenticated:
        if request.method == "GET":
            return _waiting_for_sign_in(token)
        return login_manager.unauthorized()
    if request.method == "POST":
        CsrfForm().require_exact_fields()
    found = _usable_invite(token, current_user.id)
    if not isinstance(found, PartnerInvite):
        return found
    if request.method == "GET":
        inviter = db.session.get_one(User, found.inviter_id)
        return render_template("partner/join.html", inviter_name=inviter.username, token=token)
    # Read again holding both people: a join, an unlink or a share of either waits.
    lock_users(current_user.id, found.inviter_id)
    found = _usable_invite(token, current_user.id)
    if not isinstance(found, PartnerInvite):
        return found
    inviter = db.session.get_one(User, found.inviter_id)
    now = utcnow()
    found.used_at = now
    _close_open_invites([current_user.id, inviter.id], now)
    db.session.add(PartnerLink(inviter_id=inviter.id, partner_id=current_user.id, created_at=now))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # one of you is in a link already (partner_memberships)
        return _problem(409)
    flash(f"You are now linked with {inviter.username}. Nothing is shared until you choose.")
    return redirect(url_for("partner.partner"), 303)


@bp.post("/partner/unlink")
@login_required
def unlink() -> Response:
    """End the link at once, for both, and un-share everything shared over it."""
    CsrfForm().require_exact_fields()
    link = lock_link_of(current_user.id)  # a share racing this one waits, then finds no link
    if link is not None:
        end_link(link)
        db.session.commit()
        flash("The link has ended. Nothing of yours is shared any more.", "info")
    return redirect(url_for("partner.partner"), 303)


@bp.post("/results/<id:assessment_id>/share")
@login_required
def share(assessment_id: int) -> Response | tuple[str, int]:
    """Turn sharing of one full check-up on or off (off always works)."""
    assessment = db.session.scalar(
        select(Assessment).where(
            Assessment.id == assessment_id, Assessment.user_id == current_user.id
        )
    )
    if assessment is None:
        abort(404)
    form = ShareForm()
    form.require_exact_fields()
    choice = form.share.data
    if assessment.questionnaire_id != SHAREABLE or choice not in ("yes", "no"):
        abort(400)
    if choice == "yes":
        if assessment.safety_flag:
            abort(403)
        # Checked and written holding the person's row, which an unlink also takes: a share
        # cannot land just after the link ended (DESIGN.md §5).
        me, assessment_id = current_user.id, assessment.id
        lock_users(me)
        assessment = db.session.get(Assessment, assessment_id)
        if assessment is None:
            abort(404)
        if link_of(me) is None:
            return (
                render_template(
                    "partner/problem.html",
                    title="You are not linked with a partner",
                    message="A check-up can be shared once you are linked. Nothing was changed.",
                ),
                409,
            )
    assessment.shared = choice == "yes"
    db.session.commit()
    return redirect(url_for("checkup.result", assessment_id=assessment.id) + "#share", 303)
