"""Help where the person is, and browsing safely (docs/architecture.md#safety)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import HiddenField, SelectField
from wtforms.validators import InputRequired, ValidationError

from questionnaires.helplines import HelplineCountry, HelplineDirectory, HelplineService

from ..core import StrictForm, User, current_catalog, db, local_path
from .flag import Flag

bp = Blueprint("safety", __name__)

OTHER = "other"  # "somewhere not listed": emergency advice and the international directory
_CODE = re.compile(r"[A-Za-z]{2}")


@dataclass(frozen=True)
class HelpLines:
    """What a page shows for one country: its lines, or the advice for an unlisted one.

    ``first`` are the lines of the topic that comes first (sexual violence, after a "yes"
    about it), each with its area; ``national`` the other lines for the whole country;
    ``regional`` the rest under the name of the part they serve, so that no regional line
    poses as the country's. Within each, lines answering in the page's language come first
    (and areas with such a line), otherwise the file's order holds.
    """

    code: str  # an ISO code from helplines.yaml, or OTHER
    country: HelplineCountry | None
    directory: HelplineDirectory
    first: tuple[HelplineService, ...] = ()
    national: tuple[HelplineService, ...] = ()
    regional: tuple[tuple[str, tuple[HelplineService, ...]], ...] = ()


def page_language() -> str | None:
    """The language this request is answered in ("es"), or None outside a request.

    Flask-Babel's locale, chosen by the i18n room's selector (account, cookie, browser);
    read here rather than imported, so that safety keeps using core only.
    """
    locale = get_locale()
    return locale.language if locale is not None else None


def _own_language_first(
    services: list[HelplineService], language: str | None
) -> tuple[HelplineService, ...]:
    """Lines answering in ``language`` first; a stable sort keeps the file's order within."""
    return tuple(sorted(services, key=lambda service: not service.answers_in(language)))


def lines_for(code: str | None, first: str | None = None) -> HelpLines:
    """The lines for a code (any case); an unlisted or empty code gets the general advice.

    Services of topic ``first`` (sexual_violence, after a "yes" about it) come first. Where
    a country has several lines, those answering in the page's language lead their group;
    the services keep their own names, never translated (docs/architecture.md#help-lines).
    """
    helplines = current_catalog().helplines
    country = helplines.country(code or "")
    if country is None:
        return HelpLines(code=OTHER, country=None, directory=helplines.directory)
    language = page_language()
    leading = [s for s in country.services if first is not None and first in s.topics]
    rest = [service for service in country.services if service not in leading]
    areas: dict[str, list[HelplineService]] = {}
    for service in rest:
        if service.area:
            areas.setdefault(service.area, []).append(service)
    regional = sorted(
        areas.items(),
        key=lambda item: not any(service.answers_in(language) for service in item[1]),
    )
    return HelpLines(
        code=(code or "").upper(),
        country=country,
        directory=helplines.directory,
        first=_own_language_first(leading, language),
        national=_own_language_first([s for s in rest if not s.area], language),
        regional=tuple((area, _own_language_first(found, language)) for area, found in regional),
    )


def chosen_code(user: User | None) -> str:
    """The person's own choice, else the deployment's HELPLINE_COUNTRY ("" when neither).

    There is no default country: until one is known, pages show a chooser, the advice to
    call the local emergency number and an international directory, never another
    country's numbers (docs/architecture.md#help-lines).
    """
    if user is not None and getattr(user, "is_authenticated", False) and user.helpline_country:
        return user.helpline_country
    configured: str = current_app.config["HELPLINE_COUNTRY"]
    return configured


def lines_for_person(flag: Flag | None = None) -> HelpLines:
    """The lines the signed-in person (or a visitor) sees first."""
    first = "sexual_violence" if flag is not None and flag.sexual_violence else None
    return lines_for(chosen_code(current_user), first)


def _page_of_ours(_form: Any, field: Any) -> None:
    """The page to go back to follows the one rule every ``next`` does (core.local_path)."""
    if field.data and local_path(field.data) is None:
        raise ValidationError(_("That is not a page of this site."))


class CountryForm(StrictForm):
    """Choose whose help lines to see; the choices are the countries in helplines.yaml."""

    country = SelectField(
        _l("Show help lines for"), validators=[InputRequired(_l("Please choose a country."))]
    )
    next = HiddenField(validators=[_page_of_ours])  # where the form was, to go back to


def country_form(next_path: str = "") -> CountryForm:
    """The picker with every listed country, "somewhere else", and the current choice."""
    form = CountryForm(formdata=None)
    _fill_choices(form)
    form.country.data = lines_for_person().code
    form.next.data = next_path
    return form


def _fill_choices(form: CountryForm) -> None:
    form.country.choices = [
        *current_catalog().helplines.choices(),
        # NOTE: the choice for a country that the list of help lines does not have.
        (OTHER, _("Somewhere else")),
    ]


@bp.get("/safety")
def browsing() -> str:
    """Browsing safely: what the quick exit does not do, and what can help."""
    return render_template("safety/browsing.html")


def _help_page(lines: HelpLines, problem: str | None = None) -> str:
    """The help lines page: these lines, the country chooser, and what was wrong if anything."""
    return render_template(
        "safety/help.html",
        lines=lines,
        choices=current_catalog().helplines.choices(),
        problem=problem,
    )


@bp.get("/safety/help")
def help_lines() -> tuple[str, int] | str:
    """Any listed country's lines for anyone; an unlisted one gets the general advice."""
    raw = request.args.get("country", "").strip()
    if raw and raw.lower() != OTHER and not _CODE.fullmatch(raw):
        return _help_page(
            lines_for_person(),
            problem=_("That is not a country code. Please choose a country from the list."),
        ), 400
    return _help_page(lines_for(raw) if raw else lines_for_person())


@bp.post("/account/country")
@login_required
def choose_country() -> Response | tuple[str, int]:
    """Store whose help lines this person sees (a listed code or "other"); 400 otherwise.

    Exactly its fields, each once, and a ``next`` of this site: all checked before the
    choice is stored, so nothing after the write can fail (docs/architecture.md#forms).
    """
    form = CountryForm()
    form.require_exact_fields()
    _fill_choices(form)
    if not form.validate_on_submit():
        if form.next.errors:
            abort(400)
        return _help_page(
            lines_for_person(),
            problem=_("That choice was not one of the countries listed. Nothing was changed."),
        ), 400
    user = db.session.get_one(User, current_user.id)
    user.helpline_country = form.country.data
    db.session.commit()
    lines = lines_for(form.country.data)
    if lines.country:
        flash(_("Help lines now shown for %(country)s.", country=lines.country.name), "info")
    else:
        flash(_("Help lines now shown for somewhere not listed."), "info")
    return redirect(form.next.data or url_for("account.account"), 303)
