"""The start page: what Rekindle is, who can read what is stored, and help straight away."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..core import current_catalog
from ..safety import lines_for_person

bp = Blueprint("start", __name__)


@bp.get("/")
def index() -> str:
    """What a check-up is, the privacy promise said honestly, and where to start."""
    catalog = current_catalog()
    return render_template(
        "main/index.html",
        checkup=catalog.latest("checkup"),
        pulse=catalog.latest("pulse"),
        safety_lines=lines_for_person(),
    )
