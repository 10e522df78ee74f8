"""Looking after a password: change it, or sign out everywhere (docs/architecture.md#accounts)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..core import User, close_session, db, end_every_session, start_session
from .forms import PasswordChangeForm, SignOutEverywhereForm
from .hashing import hash_password
from .page import refused

bp = Blueprint("passwords", __name__)


@bp.post("/account/password")
@login_required
def change() -> Response | tuple[str, int]:
    """A new password for the right current one (wrong: 403); other sessions end."""
    form = PasswordChangeForm()
    form.account_name = current_user.username
    wrong = _("That is not your current password. Nothing was changed.")
    problem = refused(form, "password_form", form.current, wrong)
    if problem:
        return problem
    user = db.session.get_one(User, current_user.id)
    user.password_hash = hash_password(form.password.data)
    end_every_session(user)
    db.session.commit()
    start_session(user)
    flash(
        _("Your password is changed. Everywhere else you were signed in is signed out."),
        "success",
    )
    return redirect(url_for("account.account"), 303)


@bp.post("/account/signout-all")
@login_required
def signout_all() -> Response:
    """End every session of the account, this one too, and ask to sign in again."""
    form = SignOutEverywhereForm()
    if not form.has_exact_fields() or not form.validate_on_submit():
        abort(400)
    end_every_session(db.session.get_one(User, current_user.id))
    db.session.commit()
    close_session()
    flash(_("You are signed out everywhere. Please sign in again to go on."), "info")
    return redirect(url_for("auth.login"), 303)
