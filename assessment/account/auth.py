"""Accounts: register, sign in and sign out (user name and password, no e-mail)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..core import (
    MAX_SESSION_ID_LENGTH,
    CsrfForm,
    StrictForm,
    User,
    close_session,
    db,
    end_every_session,
    limiter,
    safe_next,
    start_session,
    stored,
)
from .devices import remember_device, trusted_for
from .forms import LoginForm, RegisterForm
from .hashing import hash_password, password_matches
from .recovery_codes import first_codes_due, show_codes_next

bp = Blueprint("auth", __name__)
View = TypeVar("View", bound=Callable[..., Any])

WRONG_CREDENTIALS = _l("That user name and password do not match an account.")
USERNAME_TAKEN = _l("That user name is taken. Please choose another.")
# Guessing passwords or flooding sign-ups: 10 tries a minute per address and per user name.
ACCOUNT_RATE_LIMIT = "10 per minute"


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: the person whose current session id the cookie holds, if any."""
    if not session_id or len(session_id) > MAX_SESSION_ID_LENGTH or "\x00" in session_id:
        return None
    return db.session.scalar(select(User).where(User.session_id == session_id))


def posted_username() -> str:
    """The user name a sign-in, sign-up or recovery names, as the account has it."""
    return (request.form.get("username") or "").strip().lower()[:40]


def _per_name_key() -> str:
    """What the per-name limit counts a try under: the user name, or this trusted browser.

    A browser that signed in to the named account before counts apart from everyone
    else, so strangers' tries can never lock its owner out (OWASP's device cookies).
    """
    name = posted_username()
    device = trusted_for(name)
    return f"device:{device}" if device else f"username:{name}"


account_limits = [
    limiter.limit(ACCOUNT_RATE_LIMIT, methods=["POST"]),
    limiter.limit(ACCOUNT_RATE_LIMIT, methods=["POST"], key_func=_per_name_key),
]


def rate_limited(view: View) -> View:
    """Apply both account limits (per address, per user name) to a view."""
    limited: Callable[..., Any] = view
    for limit in account_limits:
        limited = limit(limited)
    return cast(View, limited)  # Flask-Limiter's decorators keep the view's signature


def next_page() -> str:
    """Where a person goes after signing in or up: a safe ``next``, else the check-ups.

    Read before anything is stored, by the one rule every ``next`` follows
    (``core.safe_next``, docs/architecture.md#forms).
    """
    return safe_next(request.args.get("next"), url_for("checkup.choose"))


def _before_the_post(form: StrictForm, template: str, after: str) -> Response | str | None:
    """Sign-up's and sign-in's answer before a post is read: ``after`` for someone already
    signed in, the blank form for a GET; None once the post holds exactly the form's fields."""
    if current_user.is_authenticated:
        return redirect(after)
    if request.method == "GET":
        return render_template(template, form=form)
    form.require_exact_fields()
    return None


@bp.route("/register", methods=["GET", "POST"])
@rate_limited
def register() -> Response | tuple[str, int] | str:
    """Create an account and sign in; errors come back next to their fields (400).

    Like sign-in, it goes on to a safe ``next`` (an invitation link opened signed out).
    """
    after = next_page()
    form = RegisterForm()
    answered = _before_the_post(form, "auth/register.html", after)
    if answered is not None:
        return answered
    if form.validate_on_submit():
        user = User(username=form.username.data, password_hash=hash_password(form.password.data))
        permission = first_codes_due(user)
        if not stored(user):  # the name was taken a moment ago
            form.username.errors.append(USERNAME_TAKEN)
        else:
            start_session(user)
            remember_device(user)
            flash(_("Welcome to Rekindle. Your answers are stored on this server only."), "success")
            return show_codes_next(permission, after)
    return render_template("auth/register.html", form=form), 400


@bp.route("/login", methods=["GET", "POST"])
@rate_limited
def login() -> Response | tuple[str, int] | str:
    """Sign in; one message for a wrong name or password, so neither is revealed (401)."""
    after = next_page()
    form = LoginForm()
    answered = _before_the_post(form, "auth/login.html", after)
    if answered is not None:
        return answered
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400
    user = db.session.scalar(select(User).where(User.username == form.username.data))
    # Checked even for an unknown name, so a wrong name costs as long as a wrong password.
    matches = password_matches(user.password_hash if user else None, form.password.data)
    if user is None or not matches:
        return render_template("auth/login.html", form=form, login_error=WRONG_CREDENTIALS), 401
    start_session(user)
    remember_device(user)
    return redirect(after, 303)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Sign out and go back to the start page; every copy of the old cookie is dead too."""
    CsrfForm().require_exact_fields()
    end_every_session(db.session.get_one(User, current_user.id))
    db.session.commit()
    close_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("start.index"), 303)
