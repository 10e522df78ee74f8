"""The start page: what Rekindle is, who can read what is stored, and help straight away."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..core import current_catalog
from ..safety import lines_for_person

bp = Blueprint("start", __name__)


@bp.get("/")
def index() -> str:
    """What a check-up is, the privacy promise said honestly, and where to start."""
    checkup = current_catalog().latest("checkup")
    return render_template(
        "main/index.html",
        checkup_questions=len(checkup.items),
        checkup_private=len(checkup.safety),
        safety_lines=lines_for_person(),
    )
