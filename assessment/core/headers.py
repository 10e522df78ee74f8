"""Security headers on every response (docs/architecture.md#privacy)."""

from __future__ import annotations

from flask import Flask, Response

# No inline script and no eval; plotly.js sets inline styles as it draws, so styles may be inline.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # same-origin: no address leaves for another site, and over HTTPS a form post carries the
    # same-origin Referer that the CSRF check (WTF_CSRF_SSL_STRICT) asks for.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def register(app: Flask) -> None:
    """Add the headers to every response, errors and static files included."""

    @app.after_request
    def _add_security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if response.mimetype == "text/html":
            # Pages hold private answers: never keep them in a shared cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
