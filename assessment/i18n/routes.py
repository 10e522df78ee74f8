"""The footer's language chooser: ``POST /language``, signed in or not
(docs/architecture.md#languages)."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectField
from wtforms.validators import InputRequired

from ..core import StrictForm, User, db, safe_next
from .languages import COOKIE, spoken

bp = Blueprint("i18n", __name__)

# A year: the choice is a preference, kept like the help-line country.
COOKIE_SECONDS = 365 * 24 * 3600


class LanguageForm(StrictForm):
    """One of the languages this server offers, by code."""

    language = SelectField(_l("Language"), validators=[InputRequired()])


def language_form() -> LanguageForm:
    """The chooser, its choices each language's own name, the page's language chosen."""
    form = LanguageForm(formdata=None)
    form.language.choices = list(spoken().items())
    locale = get_locale()
    form.language.data = locale.language if locale else "en"
    return form


@bp.post("/language")
def choose_language() -> Response | tuple[str, int]:
    """Read Rekindle in the chosen language from now on: a cookie for this browser, and the
    account's setting when signed in (so it follows the person to another device). Back to
    the page the chooser was on (``next``, a path of this site), else the start page."""
    form = LanguageForm()
    form.require_exact_fields()
    form.language.choices = list(spoken().items())
    if not form.validate_on_submit():
        return render_template(
            "errors/error.html",
            code=400,
            title=_("That language is not offered"),
            message=_("Please choose one of the languages listed at the foot of the page."),
        ), 400
    language = form.language.data
    if current_user.is_authenticated:
        user = db.session.get_one(User, current_user.id)
        user.language = language
        db.session.commit()
    response = make_response("", 303)
    response.headers["Location"] = safe_next(request.args.get("next"), "/")
    response.set_cookie(
        COOKIE,
        language,
        max_age=COOKIE_SECONDS,
        secure=request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    return response
