"""The start page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from werkzeug.wrappers import Response

from .database import is_healthy
from .definitions import current_catalog
from .safety import lines_for_person

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    """What Rekindle is, the privacy promise, and where to start."""
    checkup = current_catalog().latest("checkup")
    return render_template(
        "main/index.html",
        checkup_questions=len(checkup.items),
        checkup_private=len(checkup.safety),
        safety_lines=lines_for_person(),
    )


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """For a load balancer or a person: is the app up and is its database reachable?"""
    if is_healthy():
        return jsonify(status="ok", db="ok"), 200
    return jsonify(status="error", db="unreachable"), 503
