"""Which language a request is answered in (docs/architecture.md#languages)."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..core import forget_on_leaving

# Each language by its own name, so a person who cannot read English still finds theirs.
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español", "fr": "Français", "de": "Deutsch"}
COOKIE = "lang"


def spoken() -> dict[str, str]:
    """The languages this server offers: ``LANGUAGES`` unless a test adds its pseudo-language."""
    offered: dict[str, str] = current_app.config.get("LANGUAGES") or LANGUAGES
    return offered


def _saved_language() -> str | None:
    """The signed-in person's choice, if any. A database that cannot answer right now must
    not turn every page into an error about the language: the page's own query says so."""
    try:
        if current_user.is_authenticated:
            saved: str | None = current_user.language
            return saved
    except SQLAlchemyError:
        return None
    return None


def chosen_language() -> str:
    """The account's saved choice, else the cookie the footer's chooser set, else the
    browser's ``Accept-Language``, else English."""
    if not has_request_context():
        return "en"  # a command or a start-up check: the operator's console is in English
    offered = spoken()
    for candidate in (_saved_language(), request.cookies.get(COOKIE, "")):
        if candidate in offered:
            return candidate
    return request.accept_languages.best_match(list(offered), default="en") or "en"


def page_language() -> dict[str, str]:
    """``<html lang dir>`` for the page being drawn, and the chooser's choices."""
    locale = get_locale()
    return {
        "page_language": locale.language if locale else "en",
        # Babel knows each language's direction, so a right-to-left one needs nothing here.
        "page_direction": locale.text_direction if locale else "ltr",
    }


def init_app(app: Flask) -> None:
    """Give every template the page's language and direction; leaving quickly removes the
    language cookie (a language chosen on Rekindle shows that it was used here)."""
    app.context_processor(page_language)
    forget_on_leaving(app, COOKIE)
