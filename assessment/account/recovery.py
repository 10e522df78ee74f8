"""Recovery without e-mail: back in with a code, and new codes shown once.

See docs/architecture.md#accounts.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..core import User, db, end_every_session, lock_users, safe_next, start_session
from .auth import next_page, rate_limited
from .devices import remember_device, trusted_for
from .forms import PasswordCheckForm, RecoverForm
from .guesses import guarded_check
from .hashing import hash_password
from .page import refused
from .recovery_codes import (
    CODES_DUE,
    CODES_NEXT,
    codes_left,
    issue_codes,
    may_mint_first_codes,
    spend_code,
)

bp = Blueprint("recovery", __name__)

WRONG_CODE = _l("That user name and recovery code do not match an account, or the code was used.")


@bp.get("/account/recovery-codes/new")
@login_required
def show_codes() -> str:
    """The first codes, shown once, right after sign-up in the session that signed up.

    They are made here, so they never travel in a cookie, and shown only once they are
    stored: if the database fails, the permission is still unspent and a reload works.
    """
    permission = session.get(CODES_DUE)
    after = safe_next(session.get(CODES_NEXT), url_for("checkup.choose"))
    me = current_user.id
    lock_users(me)  # two tabs at once: one of them mints, the other finds it spent
    user = db.session.get_one(User, me)
    if not isinstance(permission, str) or not may_mint_first_codes(user, permission):
        session.pop(CODES_DUE, None)
        return render_template("account/recovery_codes.html", codes=None, after=None)
    codes = issue_codes(me)
    user.recovery_codes_due = None
    db.session.commit()
    session.pop(CODES_DUE, None)
    session.pop(CODES_NEXT, None)
    return render_template("account/recovery_codes.html", codes=codes, after=after)


@bp.post("/account/recovery-codes")
@login_required
def new_codes() -> str | tuple[str, int]:
    """Ten new codes for the right password, shown in this answer (the old ones stop working).

    Only a request that proves the password mints them: a copied cookie alone cannot.
    """
    form = PasswordCheckForm()
    wrong = _("That password is not right. Your codes did not change.")
    problem = refused(form, "codes_form", form.password, wrong)
    if problem:
        return problem
    me = current_user.id
    lock_users(me)
    codes = issue_codes(me)
    db.session.commit()
    return render_template(
        "account/recovery_codes.html",
        codes=codes,
        after=url_for("account.account"),
        replaced=True,
    )


@bp.route("/login/recover", methods=["GET", "POST"])
@rate_limited
def recover() -> Response | tuple[str, int] | str:
    """Back in with a code and a new password; one message for a wrong name or code (401)."""
    form = RecoverForm()
    after = next_page()
    if request.method == "GET":
        return render_template("auth/recover.html", form=form)
    if not form.has_exact_fields():
        abort(400)
    if not form.validate_on_submit():
        return render_template("auth/recover.html", form=form), 400
    user = db.session.scalar(select(User).where(User.username == form.username.data))
    code = form.code.data
    # Counted per name, except from a browser that signed in to this account before: it
    # has its own count, so wrong codes sent by others never lock the owner out.
    device = trusted_for(form.username.data)
    right = guarded_check(
        f"device:{device}" if device else f"name:{form.username.data}",
        lambda: user is not None and spend_code(user.id, code),
    )
    if not right or user is None:
        db.session.rollback()
        return render_template("auth/recover.html", form=form, recover_error=WRONG_CODE), 401
    user.password_hash = hash_password(form.password.data)
    end_every_session(user)
    db.session.commit()
    start_session(user)
    remember_device(user)
    left = codes_left(user.id)
    flash(
        ngettext(
            "Your new password is set. You have %(num)d recovery code left.",
            "Your new password is set. You have %(num)d recovery codes left.",
            left,
        ),
        "success",
    )
    if left <= 3:
        flash(
            _("You are running low on recovery codes: make new ones on your Account page."),
            "info",
        )
    return redirect(after, 303)
