"""Languages: which one a person reads Rekindle in, and how they choose it.

The interface's words come from Flask-Babel catalogs in ``translations/``; the questionnaires',
strategies' and help lines' words from ``questionnaires/i18n/<lang>/``.
See docs/architecture.md#languages.
"""

from flask import Flask

from . import languages
from .languages import LANGUAGES, chosen_language, spoken
from .reviews import safety_text_reviews
from .routes import bp, language_form

blueprints = (bp,)


def init_app(app: Flask) -> None:
    """Give every template the page's language, direction and the footer's chooser."""
    languages.init_app(app)
    app.add_template_global(language_form)
    app.add_template_global(safety_text_reviews)


__all__ = [
    "LANGUAGES",
    "blueprints",
    "chosen_language",
    "init_app",
    "language_form",
    "safety_text_reviews",
    "spoken",
]
