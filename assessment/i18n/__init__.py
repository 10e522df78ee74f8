"""Languages: which one a person reads Rekindle in, and how they choose it.

The interface's words come from Flask-Babel catalogs in ``translations/``; the questionnaires',
strategies' and help lines' words from ``questionnaires/i18n/<lang>/``.
See docs/architecture.md#languages.
"""

from .languages import LANGUAGES, chosen_language

blueprints = ()

__all__ = ["LANGUAGES", "blueprints", "chosen_language"]
