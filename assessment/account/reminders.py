"""Reminders without e-mail: a calendar file with one discreet event.

See docs/architecture.md#accounts.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Flask, Response, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core import db
from .forms import DEFAULT_REMINDER_TITLE, ReminderForm
from .page import account_page

bp = Blueprint("reminders", __name__)

REMINDER_WEEKS = (1, 2, 4, 6, 8)
EVENT_LENGTH = timedelta(minutes=30)
# Names nothing: a calendar shows only what the person chose as the title.
PRODUCT_ID = "-//Private reminder//EN"
MAX_LINE_OCTETS = 75  # RFC 5545 §3.1: longer content lines are folded


def reminder_title(title: str | None) -> str:
    """The title the person chose, or the discreet default."""
    return title or str(DEFAULT_REMINDER_TITLE)


def _escape(text: str) -> str:
    """RFC 5545 §3.3.11 TEXT escaping (the title never holds a line break)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    parts: list[str] = []
    current, size = "", 0
    limit = MAX_LINE_OCTETS
    for character in line:
        width = len(character.encode())
        if size + width > limit:
            parts.append(current)
            current, size = " ", 1
            limit = MAX_LINE_OCTETS
        current += character
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def calendar_file(title: str, weeks: int, now: datetime | None = None) -> str:
    """A calendar with one event ``weeks`` weeks from now, titled as the person chose."""
    now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    start = now + timedelta(weeks=weeks)
    summary = _escape(title)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uuid.uuid4()}@reminder.invalid",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(start)}",
        f"DTEND:{_stamp(start + EVENT_LENGTH)}",
        f"SUMMARY:{summary}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{summary}",
        "TRIGGER:PT0M",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)


@bp.get("/reminders/next.ics")
@login_required
def next_reminder() -> Response:
    """One event N weeks from now (N in 1, 2, 4, 6, 8), as a file a calendar opens."""
    raw = request.args.get("weeks", "")
    if set(request.args) != {"weeks"} or len(request.args.getlist("weeks")) != 1:
        abort(400)
    if not raw.isascii() or not raw.isdigit() or int(raw) not in REMINDER_WEEKS:
        abort(400)
    body = calendar_file(reminder_title(current_user.reminder_title), int(raw))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = "attachment; filename=reminder.ics"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/account/reminder")
@login_required
def set_title() -> ResponseReturnValue:
    """Choose the title the calendar shows (nothing names the site unless chosen)."""
    form = ReminderForm()
    if not form.has_exact_fields():
        abort(400)
    if not form.validate_on_submit():
        return account_page(reminder_form=form), 400
    current_user.reminder_title = form.title.data
    db.session.commit()
    flash(_("Your reminder title is saved."), "success")
    return redirect(url_for("account.account") + "#reminder", 303)


def init_app(app: Flask) -> None:
    """Give templates the reminder choices the result page offers; importing binds nothing."""
    app.context_processor(_reminder_choices)


def _reminder_choices() -> dict[str, Any]:
    return {"reminder_weeks": REMINDER_WEEKS, "reminder_title": reminder_title}
