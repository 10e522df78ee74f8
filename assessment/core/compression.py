"""Responses sent compressed by Flask-Compress, except what compresses itself.

See docs/architecture.md#privacy.

plotly.js is compressed once per process by ``assets.py`` and served as it is; every other
text response (pages, CSS, JS, JSON, CSV) goes through Flask-Compress. Pages are only ever
sent with SameSite=Lax cookies, so another site cannot make a browser fetch a signed-in page
many times to measure its compressed size (the BREACH attack on compressed secrets).
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_compress import Compress

compress = Compress()

# Endpoints whose responses are compressed already (or deliberately sent as they are).
SELF_COMPRESSED = frozenset({"assets.plotly_js"})
MIMETYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "text/csv",
    "image/svg+xml",
]


def init_app(app: Flask) -> None:
    """Bind Flask-Compress with our own hook, so self-compressed endpoints are left alone."""
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config["COMPRESS_REGISTER"] = False  # our hook below decides what it sees
    compress.init_app(app)

    @app.after_request
    def _compress(response: Response) -> Response:
        if request.endpoint in SELF_COMPRESSED:
            return response
        return compress.after_request(response)
