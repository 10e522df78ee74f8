"""Couples: invite a partner, share check-ups by choice, compare how each sees it.

See docs/architecture.md#partner.

Nothing a partner sees changes with the other's safety screen.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select, update
from werkzeug.wrappers import Response

from ..checkup import own_assessment_or_404
from ..core import (
    Assessment,
    CsrfForm,
    PartnerInvite,
    PartnerLink,
    User,
    db,
    limiter,
    lock_users,
    login_manager,
    stored,
    utcnow,
)
from ..safety import recently_flagged
from .forms import ShareForm
from .pages import comparison
from .queries import (
    INVITE_VALID,
    SHAREABLE,
    hash_token,
    link_of,
    lock_link_of,
    open_invite,
    other_side,
    shared_checkups,
)

bp = Blueprint("partner", __name__)

JOIN_RATE_LIMIT = "10 per minute"  # per IP: enough for a person, too few to guess a token
MAX_TOKEN_LENGTH = 128
_SESSION_INVITE = "partner_invite_token"

PROBLEMS = {
    400: (
        _l("This is your own invitation"),
        _l("Send this link to your partner: they open it while signed in to their own account."),
    ),
    404: (
        _l("We could not find this invitation"),
        _l("Please check that the whole link was copied, or ask for a new one."),
    ),
    409: (
        _l("Already linked"),
        _l(
            "A person can be linked with one partner at a time, and you or the person who sent"
            " this is linked already. Nothing was changed."
        ),
    ),
    410: (
        _l("This invitation can no longer be used"),
        _l(
            "Invitations work once and for seven days, and a newer one replaces an older one."
            " Please ask for a new link. Nothing was changed."
        ),
    ),
}


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


def _problem(code: int) -> tuple[str, int]:
    title, message = PROBLEMS[code]
    # As plain text, so the page escapes them like any other value.
    page = render_template("partner/problem.html", title=str(title), message=str(message))
    return page, code


@bp.get("/partner")
@login_required
def partner() -> str:
    """The link (or how to make one), and what each of you has shared, side by side."""
    me = current_user.id
    quiet = recently_flagged(current_user) is not None
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
        **comparison(mine, theirs, show_starters=not quiet),
    )


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
        sign_in_first: Response = login_manager.unauthorized()
        return sign_in_first
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
    if not stored(PartnerLink(inviter_id=inviter.id, partner_id=current_user.id, created_at=now)):
        return _problem(409)  # one of you is in a link already (partner_memberships)
    flash(
        _(
            "You are now linked with %(name)s. Nothing is shared until you choose.",
            name=inviter.username,
        )
    )
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
        flash(_("The link has ended. Nothing of yours is shared any more."), "info")
    return redirect(url_for("partner.partner"), 303)


@bp.post("/results/<id:assessment_id>/share")
@login_required
def share(assessment_id: int) -> Response | tuple[str, int]:
    """Turn sharing of one full check-up on or off (off always works)."""
    form = ShareForm()
    form.require_exact_fields()
    # Read and written holding the person's row, which an unlink and deleting a check-up
    # also take: a share cannot land just after the link ended, and a check-up deleted a
    # moment ago is a 404, never a write to a row that has gone (docs/architecture.md#locks).
    me = current_user.id
    lock_users(me)
    assessment = own_assessment_or_404(me, assessment_id)
    choice = form.share.data
    if assessment.questionnaire_id != SHAREABLE or choice not in ("yes", "no"):
        abort(400)
    if choice == "yes":
        if assessment.safety_flag:
            abort(403)
        if link_of(me) is None:
            return (
                render_template(
                    "partner/problem.html",
                    title=_("You are not linked with a partner"),
                    message=_("A check-up can be shared once you are linked. Nothing was changed."),
                ),
                409,
            )
    assessment.shared = choice == "yes"
    db.session.commit()
    # The id as sent: after the commit the row may be gone already (deleted at once).
    return redirect(url_for("checkup.result", assessment_id=assessment_id) + "#share", 303)
