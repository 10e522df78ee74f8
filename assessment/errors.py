"""Friendly error pages: every error is a page with a way back, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

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
    503: ("Rekindle is not available right now", "Please try again in a moment."),
}


def register(app: Flask) -> None:
    """Render every HTTP error with the site's layout and a plain message."""

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int]:
        return (
            render_template(
                "errors/error.html",
                code=400,
                title="This form has expired",
                message="Please go back, reload the page and send it again. Nothing was saved.",
            ),
            400,
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        code = error.code or 500
        title, message = MESSAGES.get(code, (error.name, error.description or ""))
        response = error.get_response()
        response.data = render_template(
            "errors/error.html", code=code, title=title, message=message
        ).encode()
        response.mimetype = "text/html"
        return response
