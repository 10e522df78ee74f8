"""Friendly error pages: every error is a page with a way back, never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from .extensions import db, login_manager

log = logging.getLogger(__name__)

# What the database raises when it cannot be reached or written: locked by another
# process, a read-only file, a server gone or a connection cut, no pooled connection.
UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeoutError)
RETRY_AFTER_SECONDS = 30
# Endpoint -> how its POST is shown again (answers kept) when the database is unavailable.
_RESHOWN: dict[str, Callable[[], str | None]] = {}

MESSAGES = {
    400: (
        _l("Something in that request was not right"),
        _l("Please go back and try again."),
    ),
    401: (_l("Please sign in"), _l("That page needs you to be signed in.")),
    403: (_l("Not allowed"), _l("You can't do that here.")),
    404: (
        _l("Page not found"),
        _l("There is nothing here. It may have moved, or never existed."),
    ),
    405: (
        _l("Not allowed"),
        _l("That page can't be used that way. Please use the buttons on the site."),
    ),
    410: (_l("This link has expired"), _l("Please ask for a new one.")),
    413: (
        _l("That was too much at once"),
        _l("What you sent is larger than this site accepts (1 MiB)."),
    ),
    429: (
        _l("Please slow down"),
        _l("There have been too many tries in a short time. Please wait a minute and try again."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("Nothing you did caused this. Please try again."),
    ),
    503: (
        _l("Rekindle is not available right now"),
        _l("Nothing you sent was half-saved. Please try again in a few minutes."),
    ),
}


Reshown = Callable[[], str | None]


def reshown_when_unavailable(endpoint: str) -> Callable[[Reshown], Reshown]:
    """Register the page that shows a POST to ``endpoint`` again, filled in, on a 503.

    The page must not need the database: it is drawn from the posted form alone (None:
    the plain "not available" page instead).
    """

    def register_page(page: Reshown) -> Reshown:
        _RESHOWN[endpoint] = page
        return page

    return register_page


def _let_go_of_the_transaction() -> None:
    """Nothing half-done is kept; what was loaded stays readable for the page."""
    db.session.expunge_all()  # loaded objects keep their values, no refresh from the database
    try:
        db.session.rollback()
    except Exception:  # the connection may be gone for good: the pool replaces it
        db.session().invalidate()  # scoped_session does not proxy invalidate()


def _signed_out_if_unknown() -> None:
    """Who is signed in could not be read: draw the page as for a visitor, not fail again."""
    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()


def error_page(code: int, title: Any, message: Any) -> str:
    """The error page, even when the database cannot say who is signed in (never a 500).

    ``title`` and ``message`` may be lazy (``MESSAGES``): read in the request's language.
    """
    try:
        return render_template("errors/error.html", code=code, title=title, message=message)
    except UNAVAILABLE:
        _let_go_of_the_transaction()
        _signed_out_if_unknown()
        return render_template("errors/error.html", code=code, title=title, message=message)


def register(app: Flask) -> None:
    """Render every HTTP error with the site's layout and a plain message."""

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int]:
        return (
            error_page(
                400,
                _("This form has expired"),
                _("Please go back, reload the page and send it again. Nothing was saved."),
            ),
            400,
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeoutError)
    def _database_unavailable(error: Exception) -> tuple[str, int, dict[str, str]]:
        _let_go_of_the_transaction()
        # The statement and its values stay out of the log: only what kind of failure.
        cause = type(getattr(error, "orig", None) or error).__name__
        log.warning(
            "database unavailable (%s): %s %s answered 503", cause, request.method, request.endpoint
        )
        _signed_out_if_unknown()
        reshow = _RESHOWN.get(request.endpoint or "") if request.method == "POST" else None
        body = reshow() if reshow is not None else None
        if body is None:
            title, message = MESSAGES[503]
            body = error_page(503, title, message)
        return body, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        code = error.code or 500
        # A code without words of its own reads as its family's: Werkzeug's name and
        # description are English only, and would be the one page no catalog reaches.
        title, message = MESSAGES.get(code) or MESSAGES[500 if code >= 500 else 400]
        response = error.get_response()
        response.data = error_page(code, title, message).encode()
        response.mimetype = "text/html"
        return response
