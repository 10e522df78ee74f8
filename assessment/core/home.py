"""The health check: is the app up, and does its database take a write?"""

from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from .database import is_healthy

bp = Blueprint("main", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """For a load balancer or a person: is the app up and is its database reachable?"""
    if is_healthy():
        return jsonify(status="ok", db="ok"), 200
    return jsonify(status="error", db="unreachable"), 503
