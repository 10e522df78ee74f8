"""Friendly error pages: every error is a page with a way back, never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, g, render_template, request
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
    400: ("Something in that request was not right", "Please go back and try again."),
    401: ("Please sign in", "That page needs you to be signed in."),
    403: ("Not allowed", "You can't do that here."),
    404: ("Page not found", "There is nothing here. It may have moved, or never existed."),
    405: ("Not allowed", "That page can't be used that way. Please use the buttons on the site."),
    410: ("This link has expired", "Please ask for a new one."),
    413: ("That was too much at once", "What you sent is larger than this site accepts (1 MiB)."),
    429: (
        "Please slow down",
        "There have been too many tries in a short time. Please wait a minute and try again.",
    ),
    500: ("Something went wrong on our side", "Nothing you did caused this. Please try again."),
    503: (
        "Rekindle is not available right now",
        "Nothing you sent was half-saved. Please try again in a few minutes.",
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


def error_page(code: int, title: str, message: str) -> str:
    """The error page, even when the database cannot say who is signed in (never a 500)."""
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
                "This form has expired",
                "Please go back, reload the page and send it again. Nothing was saved.",
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
        title, message = MESSAGES.get(code, (error.name, error.description or ""))
        response = error.get_response()
        response.data = error_page(code, title, message).encode()
        response.mimetype = "text/html"
        return response
