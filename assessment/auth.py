"""Accounts: register, sign in and sign out (user name and password, no e-mail)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from .extensions import db, limiter
from .forms import LoginForm, RegisterForm
from .models import User

bp = Blueprint("auth", __name__)

WRONG_CREDENTIALS = "That user name and password do not match an account."
USERNAME_TAKEN = "That user name is taken. Please choose another."
# Guessing passwords or flooding sign-ups: 10 tries a minute per address and per user name.
ACCOUNT_RATE_LIMIT = "10 per minute"
# Checked when the user name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the signed-in user from the session."""
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _posted_username() -> str:
    """The user name a sign-in or sign-up names, as the rate limit counts it."""
    return "username:" + (request.form.get("username") or "").strip().lower()[:40]


account_limits = [
    limiter.limit(ACCOUNT_RATE_LIMIT, methods=["POST"]),
    limiter.limit(ACCOUNT_RATE_LIMIT, methods=["POST"], key_func=_posted_username),
]


def rate_limited(view):  # type: ignore[no-untyped-def]
    """Apply both account limits (per address, per user name) to a view."""
    for limit in account_limits:
        view = limit(view)
    return view


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect elsewhere."""
    # A backslash or a control character could make a browser read "/\\host" as another site.
    if target and any(ch == "\\" or ord(ch) < 32 for ch in target):
        return url_for("checkup.choose")
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("checkup.choose")


@bp.route("/register", methods=["GET", "POST"])
@rate_limited
def register() -> Response | tuple[str, int] | str:
    """Create an account and sign in; errors come back next to their fields (400).

    Like sign-in, it goes on to a safe ``next`` (an invitation link opened signed out).
    """
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = RegisterForm()
    if request.method == "GET":
        return render_template("auth/register.html", form=form)
    if form.validate_on_submit():
        user = User(
            username=form.username.data, password_hash=generate_password_hash(form.password.data)
        )
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            form.username.errors.append(USERNAME_TAKEN)
        else:
            login_user(user)
            flash("Welcome to Rekindle. Your answers are stored on this server only.", "success")
            return redirect(_safe_next(request.args.get("next")), 303)
    return render_template("auth/register.html", form=form), 400


@bp.route("/login", methods=["GET", "POST"])
@rate_limited
def login() -> Response | tuple[str, int] | str:
    """Sign in; one message for a wrong name or password, so neither is revealed (401)."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if request.method == "GET":
        return render_template("auth/login.html", form=form)
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400
    user = db.session.scalar(select(User).where(User.username == form.username.data))
    password_hash = user.password_hash if user else _DUMMY_HASH
    if not check_password_hash(password_hash, form.password.data) or user is None:
        return render_template("auth/login.html", form=form, login_error=WRONG_CREDENTIALS), 401
    login_user(user)
    return redirect(_safe_next(request.args.get("next")), 303)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Sign out and go back to the start page."""
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("main.index"), 303)
