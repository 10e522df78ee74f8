"""Leaving quickly: the bar on every page and three Shift presses come here.

See docs/architecture.md#safety.
"""

from __future__ import annotations

from flask import current_app, redirect
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core import User, close_session, db, end_every_session, forget_traces
from .help_lines import bp


@bp.get("/leave")
def leave() -> Response:
    """Leave quickly: end the session as signing out does, then go to an everyday site.

    Every copy of the session cookie dies with it (a new session id), so neither Back nor
    a copied cookie shows anything afterwards; so do the cookies that show Rekindle was used
    here, such as the language chosen in the footer. A GET, so the bar is a plain link that
    works without JavaScript; the worst another site can do with it is sign a person out.
    """
    if current_user.is_authenticated:
        end_every_session(db.session.get_one(User, current_user.id))
        db.session.commit()
    close_session()
    response = redirect(current_app.config["QUICK_EXIT_URL"], 303)
    response.headers["Cache-Control"] = "no-store"
    forget_traces(response)
    return response
