"""Which language a request is answered in (docs/architecture.md#languages)."""

from __future__ import annotations

from flask import current_app, has_request_context, request

# Each language by its own name, so a person who cannot read English still finds theirs.
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español", "fr": "Français", "de": "Deutsch"}
COOKIE = "lang"


def spoken() -> dict[str, str]:
    """The languages this server offers: ``LANGUAGES`` unless a test adds its pseudo-language."""
    offered: dict[str, str] = current_app.config.get("LANGUAGES") or LANGUAGES
    return offered


def chosen_language() -> str:
    """The cookie set by the footer's chooser, else the browser's ``Accept-Language``, else
    English. Outside a request (a command, a test calling a helper) there is no reader to
    ask: English."""
    if not has_request_context():
        return "en"
    offered = spoken()
    cookie = request.cookies.get(COOKIE, "")
    if cookie in offered:
        return cookie
    return request.accept_languages.best_match(list(offered), default="en") or "en"
