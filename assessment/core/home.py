"""The health check: is the app up, and does its database take a write?"""

from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from .database import is_healthy
from .rate_limits import limits_status

bp = Blueprint("main", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """For a load balancer or a person: is the app up, its database and its limit store?

    The limit store only informs: while Redis is down limits are counted in memory and
    every page works, so the status stays 200 as long as the database takes a write.
    """
    limits = limits_status()
    if is_healthy():
        return jsonify(status="ok", db="ok", limits=limits), 200
    return jsonify(status="error", db="unreachable", limits=limits), 503
