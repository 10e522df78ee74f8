"""The account page: download everything, or delete everything."""

from __future__ import annotations

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, logout_user

from .export import export_csv, export_document
from .extensions import db
from .forms import DeleteAccountForm
from .models import User
from .security import password_matches

bp = Blueprint("account", __name__)


@bp.get("/account")
@login_required
def account() -> str:
    """Where a person downloads or deletes their data."""
    return render_template("account/account.html", form=DeleteAccountForm())


@bp.get("/export.json")
@login_required
def export_json() -> Response:
    """All of the signed-in user's data as JSON, as a download."""
    return _download(jsonify(export_document(current_user)), "rekindle-export.json")


@bp.get("/export.csv")
@login_required
def export_csv_file() -> Response:
    """All of the signed-in user's data as CSV, one row per answer."""
    return _download(Response(export_csv(current_user), mimetype="text/csv"), "rekindle-export.csv")


def _download(response: Response, filename: str) -> Response:
    """Saved as a file, and never kept in any cache: an export holds private answers."""
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/account/delete")
@login_required
def delete() -> ResponseReturnValue:
    """Delete the user and everything of theirs; the password confirms it (403 if wrong)."""
    form = DeleteAccountForm()
    form.require_exact_fields()
    if not form.validate_on_submit():
        return render_template("account/account.html", form=form), 400
    if not password_matches(current_user.password_hash, form.password.data):
        form.password.errors.append("That password is not right. Nothing was deleted.")
        return render_template("account/account.html", form=form), 403
    user = db.session.get(User, current_user.id)
    logout_user()
    db.session.delete(user)
    db.session.commit()
    flash("Your account and everything in it have been deleted.", "info")
    return redirect(url_for("main.index"), 303)
