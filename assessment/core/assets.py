"""plotly.js served by the app itself: versioned URL, compressed, cached for a year.

The file is Rekindle's own build of plotly.js with only what it draws (its core, which holds
scatter: the radars are SVG drawn on the server), committed under static/vendor/ so that
running the app needs no Node; `make plotly-bundle` rebuilds it from the pinned recipe in
tools/plotly-bundle/.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, abort, request
from plotly.offline import get_plotlyjs_version

bp = Blueprint("assets", __name__)

ONE_YEAR = 31_536_000
BUNDLE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "plotly-rekindle.min.js"


@cache
def plotly_version() -> str:
    """The plotly.js version the pinned Python ``plotly`` package ships."""
    version: str = get_plotlyjs_version()
    return version


@cache
def _plotly_bytes() -> tuple[bytes, bytes, str]:
    """(raw, gzip, etag) of the bundle, compressed once per process."""
    raw = BUNDLE.read_bytes()
    compressed = gzip.compress(raw, compresslevel=9, mtime=0)
    return raw, compressed, hashlib.sha256(raw).hexdigest()[:16]


def plotly_filename() -> str:
    """The versioned file name pages link to; a new plotly version is a new URL."""
    return f"plotly-{plotly_version()}-{_plotly_bytes()[2][:8]}.min.js"


@bp.get("/assets/<filename>")
def plotly_js(filename: str) -> Response:
    """plotly.js, gzip when the browser accepts it, immutable for a year."""
    if filename != plotly_filename():
        abort(404)
    raw, compressed, etag = _plotly_bytes()
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    elif request.accept_encodings.quality("gzip") > 0:
        response = Response(compressed, mimetype="text/javascript")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(raw, mimetype="text/javascript")
    response.set_etag(etag)
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
