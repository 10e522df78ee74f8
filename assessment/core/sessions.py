"""Sessions name a person by a random session id, so every old cookie can be made dead.

The cookie (and a remember-me cookie, if one is ever set) holds ``User.session_id``
instead of the row id; replacing that id ends every session that holds the old one.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from flask import Flask, current_app, g, session
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

if TYPE_CHECKING:
    from .models import User

SESSION_ID_BYTES = 32
MAX_SESSION_ID_LENGTH = 64
# Flask-WTF keeps the CSRF secret under this name in the session and in ``g``.
_CSRF_KEY = "csrf_token"
# Messages to show next, and Flask-Login's note to delete a remember-me cookie.
_KEPT = ("_flashes", "_remember")
# Where an app keeps the names of the cookies leaving quickly removes.
_TRACES = "rekindle.traces"


def new_session_id() -> str:
    """A fresh, unguessable session id (43 URL-safe characters)."""
    return secrets.token_urlsafe(SESSION_ID_BYTES)


def end_every_session(user: User) -> None:
    """Make every cookie that names this person dead: sign-out, password change, reset.

    It gives the user a new session id; the caller commits. Whoever must stay signed in
    (the person changing their password) calls ``start_session(user)`` after the commit.
    """
    user.session_id = new_session_id()


def start_session(user: User) -> None:
    """Sign in on a clean session with a new CSRF secret, so nothing carries over."""
    _fresh_session()
    login_user(user)


def close_session() -> None:
    """Sign out and empty the session, CSRF secret included."""
    logout_user()
    _fresh_session()


def forget_on_leaving(app: Flask, cookie: str) -> None:
    """Name a cookie that shows this browser used Rekindle (the language chosen here), for
    leaving quickly to remove. The device cookie is not one: it keeps a stranger's guesses
    from locking the owner out, and the "Browsing safely" page says it stays."""
    app.extensions.setdefault(_TRACES, set()).add(cookie)


def forget_traces(response: Response) -> None:
    """Remove from this browser every cookie named by ``forget_on_leaving``."""
    for cookie in sorted(current_app.extensions.get(_TRACES, ())):
        response.delete_cookie(cookie)


def _fresh_session() -> None:
    """Drop everything the session held, so a token seen before cannot be replayed."""
    kept = {key: session[key] for key in _KEPT if key in session}
    session.clear()
    session.update(kept)
    g.pop(_CSRF_KEY, None)
