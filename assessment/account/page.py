"""The account page: download everything, or delete everything."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import Field

from ..core import StrictForm, User, close_session, db
from ..safety import country_form
from .export import csv_pieces, json_pieces
from .forms import (
    DEFAULT_REMINDER_TITLE,
    DeleteAccountForm,
    ImportForm,
    PasswordChangeForm,
    PasswordCheckForm,
    ReminderForm,
    SignOutEverywhereForm,
)
from .guesses import password_is_right
from .recovery_codes import codes_left

bp = Blueprint("account", __name__)


def refused(form: StrictForm, slot: str, password: Field, wrong: str) -> tuple[str, int] | None:
    """The Account page again when a post is malformed or invalid (400) or its password wrong
    (403), with ``wrong`` beside the password; None when the post may go ahead."""
    form.require_exact_fields()
    if not form.validate_on_submit():
        return account_page(**{slot: form}), 400
    if not password_is_right(current_user, password.data):
        password.errors.append(wrong)
        return account_page(**{slot: form}), 403
    return None


def account_page(**forms: Any) -> str:
    """The account page with every form on it; a route passes the one it re-shows."""
    defaults = {
        "form": DeleteAccountForm,
        "password_form": PasswordChangeForm,
        "signout_form": SignOutEverywhereForm,
        "codes_form": PasswordCheckForm,
        "import_form": ImportForm,
    }
    for name, form_class in defaults.items():
        forms.setdefault(name, form_class(formdata=None))
    forms.setdefault("country_form", country_form())
    if "reminder_form" not in forms:
        title = current_user.reminder_title or str(DEFAULT_REMINDER_TITLE)
        forms["reminder_form"] = ReminderForm(formdata=None, data={"title": title})
    return render_template("account/account.html", codes_left=codes_left(current_user.id), **forms)


@bp.get("/account")
@login_required
def account() -> str:
    """Where a person downloads, moves or deletes their data, and looks after the account."""
    return account_page()


def _with_safety() -> bool:
    """Only ``?safety=yes`` puts the private safety answers in; bare or ``no`` leaves them out.

    An export may be read by someone else (a partner with the phone), so what is left out
    reveals nothing of the safety screen (docs/architecture.md#exports). Other values: 400.
    """
    choice = request.args.get("safety", "no")
    if choice not in ("yes", "no") or len(request.args.getlist("safety")) > 1:
        abort(400)
    return choice == "yes"


def _download(
    pieces_of: Callable[[User, bool], Iterator[str]], mimetype: str, name: str
) -> Response:
    """The signed-in person's export, streamed as it is written, as a file to keep."""
    pieces = pieces_of(current_user, _with_safety())
    response = Response(stream_with_context(pieces), mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename={name}"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/export.json")
@login_required
def export_json() -> Response:
    """All of the signed-in user's data as JSON, as a download, sent as it is written."""
    return _download(json_pieces, "application/json", "rekindle-export.json")


@bp.get("/export.csv")
@login_required
def export_csv_file() -> Response:
    """All of the signed-in user's data as CSV, one row per answer, sent as it is written."""
    return _download(csv_pieces, "text/csv", "rekindle-export.csv")


@bp.post("/account/delete")
@login_required
def delete() -> ResponseReturnValue:
    """Delete the user and everything of theirs; the password confirms it (403 if wrong)."""
    form = DeleteAccountForm()
    problem = refused(
        form, "form", form.password, _("That password is not right. Nothing was deleted.")
    )
    if problem:
        return problem
    user = db.session.get(User, current_user.id)
    db.session.delete(user)
    db.session.commit()
    close_session()
    flash(_("Your account and everything in it have been deleted."), "info")
    return redirect(url_for("start.index"), 303)
