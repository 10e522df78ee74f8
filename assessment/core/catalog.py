"""Where the web layer finds the questionnaire catalog loaded at start-up."""

from __future__ import annotations

from flask import abort, current_app

from questionnaires.loader import Catalog
from questionnaires.models import Questionnaire


def current_catalog() -> Catalog:
    """The catalog ``create_app`` loaded and validated."""
    catalog: Catalog = current_app.extensions["rekindle.catalog"]
    return catalog


def latest_or_404(questionnaire_id: str) -> Questionnaire:
    """The newest version of a questionnaire, or a 404 for an unknown id."""
    try:
        return current_catalog().latest(questionnaire_id)
    except KeyError:
        abort(404)
