"""Where the web layer finds the questionnaire catalog loaded at start-up."""

from __future__ import annotations

from flask import abort, current_app, has_request_context
from flask_babel import get_locale

from questionnaires.loader import SOURCE_LANGUAGE, Catalog
from questionnaires.models import Questionnaire


def current_catalog() -> Catalog:
    """The catalog ``create_app`` loaded and validated, in the request's language (its words;
    ids, versions and scoring are the same in every language). Outside a request, or in a
    language with no translated definitions, the source's (docs/architecture.md#languages)."""
    source: Catalog = current_app.extensions["rekindle.catalog"]
    catalogs: dict[str, Catalog] = current_app.extensions.get("rekindle.catalogs", {})
    return catalogs.get(current_language(), source)


def current_language() -> str:
    """The language a request's questions are read in: the request's, where this server has
    its definitions translated, else the source's ("en"). Stored with each check-in."""
    catalogs: dict[str, Catalog] = current_app.extensions.get("rekindle.catalogs", {})
    if not has_request_context():
        return SOURCE_LANGUAGE
    locale = get_locale()
    language = locale.language if locale else SOURCE_LANGUAGE
    return language if language in catalogs else SOURCE_LANGUAGE


def latest_or_404(questionnaire_id: str) -> Questionnaire:
    """The newest version of a questionnaire, or a 404 for an unknown id."""
    try:
        return current_catalog().latest(questionnaire_id)
    except KeyError:
        abort(404)
