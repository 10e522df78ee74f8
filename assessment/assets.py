"""plotly.js served by the app itself: versioned URL, compressed, cached for a year."""

from __future__ import annotations

import gzip
import hashlib
from functools import cache
from importlib import resources

from flask import Blueprint, Response, abort, request
from plotly.offline import get_plotlyjs_version

bp = Blueprint("assets", __name__)

ONE_YEAR = 31_536_000


@cache
def plotly_version() -> str:
    """The plotly.js version the pinned Python ``plotly`` package ships."""
    return get_plotlyjs_version()


@cache
def _plotly_bytes() -> tuple[bytes, bytes, str]:
    """(raw, gzip, etag) of plotly.min.js, compressed once per process."""
    raw = resources.files("plotly").joinpath("package_data/plotly.min.js").read_bytes()
    compressed = gzip.compress(raw, compresslevel=9, mtime=0)
    return raw, compressed, hashlib.sha256(raw).hexdigest()[:16]


def plotly_filename() -> str:
    """The versioned file name pages link to; a new plotly version is a new URL."""
    return f"plotly-{plotly_version()}.min.js"


@bp.get("/assets/<filename>")
def plotly_js(filename: str) -> Response:
    """plotly.js, gzip when the browser accepts it, immutable for a year."""
    if filename != plotly_filename():
        abort(404)
    raw, compressed, etag = _plotly_bytes()
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    elif "gzip" in request.accept_encodings:
        response = Response(compressed, mimetype="text/javascript")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(raw, mimetype="text/javascript")
    response.set_etag(etag)
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
