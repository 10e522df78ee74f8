"""Recovery without e-mail: back in with a code, and new codes shown once.

See docs/architecture.md#accounts.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..core import User, db, end_every_session, start_session
from .auth import _safe_next as safe_next
from .auth import rate_limited
from .forms import PasswordCheckForm, RecoverForm
from .guesses import guarded_check
from .hashing import hash_password
from .page import refused
from .recovery_codes import (
    CODES_DUE,
    CODES_NEXT,
    codes_left,
    issue_codes,
    show_codes_next,
    spend_code,
)

bp = Blueprint("recovery", __name__)

WRONG_CODE = "That user name and recovery code do not match an account, or the code was used."


@bp.get("/account/recovery-codes/new")
@login_required
def show_codes() -> str:
    """Show new codes once; they are made here, so they never travel in a cookie."""
    if not session.pop(CODES_DUE, False):
        return render_template("account/recovery_codes.html", codes=None, after=None)
    after = safe_next(session.pop(CODES_NEXT, None))
    codes = issue_codes(current_user.id)
    db.session.commit()
    return render_template("account/recovery_codes.html", codes=codes, after=after)


@bp.post("/account/recovery-codes")
@login_required
def new_codes() -> Response | tuple[str, int]:
    """Ten new codes for the right password (the old ones stop working); wrong: 403."""
    form = PasswordCheckForm()
    wrong = "That password is not right. Your codes did not change."
    problem = refused(form, "codes_form", form.password, wrong)
    if problem:
        return problem
    return show_codes_next(url_for("account.account"))


@bp.route("/login/recover", methods=["GET", "POST"])
@rate_limited
def recover() -> Response | tuple[str, int] | str:
    """Back in with a code and a new password; one message for a wrong name or code (401)."""
    form = RecoverForm()
    if request.method == "GET":
        return render_template("auth/recover.html", form=form)
    if not form.has_exact_fields():
        abort(400)
    if not form.validate_on_submit():
        return render_template("auth/recover.html", form=form), 400
    user = db.session.scalar(select(User).where(User.username == form.username.data))
    code = form.code.data
    right = guarded_check(
        f"name:{form.username.data}",
        lambda: user is not None and spend_code(user.id, code),
    )
    if not right or user is None:
        db.session.rollback()
        return render_template("auth/recover.html", form=form, recover_error=WRONG_CODE), 401
    user.password_hash = hash_password(form.password.data)
    end_every_session(user)
    db.session.commit()
    start_session(user)
    left = codes_left(user.id)
    flash(f"Your new password is set. You have {left} recovery codes left.", "success")
    if left <= 3:
        flash("You are running low on recovery codes: make new ones on your Account page.", "info")
    return redirect(safe_next(request.args.get("next")), 303)
