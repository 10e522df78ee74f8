"""Device cookies (OWASP): nobody can lock a person out by knowing their user name.

A browser that has signed in to an account carries a cookie with a random token; only
the token's SHA-256 is stored, beside the account (``TrustedDevice``). Limits on tries
per user name (sign-in, recovery codes) count only tries from browsers without such a
cookie for that name; a browser with one is counted apart, under its own small limit.
So a partner who floods the sign-in with wrong passwords from elsewhere locks out only
other strangers, never the owner's own phone. The cookie names nobody: it stays in the
browser after leaving, and "Browsing safely" says so (docs/architecture.md#safety).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import after_this_request, current_app, request
from sqlalchemy import delete, select
from werkzeug.wrappers import Response

from ..core import TrustedDevice, User, db, utcnow

COOKIE = "device"
COOKIE_LIFETIME = timedelta(days=365)
# A person signing in from many browsers over the years: the newest this many are kept.
KEPT_PER_PERSON = 20
_TOKEN_LENGTH = 43  # secrets.token_urlsafe(32)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _presented_token() -> str | None:
    token = request.cookies.get(COOKIE, "")
    if len(token) != _TOKEN_LENGTH or not token.isascii():
        return None
    return token


def trusted_for(username: str) -> str | None:
    """The hash of this browser's device token when it belongs to ``username``, else None.

    What the per-name limits count a trusted browser's tries under, apart from others.
    """
    token = _presented_token()
    if token is None or not username:
        return None
    token_hash = _hash(token)
    found = db.session.scalar(
        select(TrustedDevice.id)
        .join(User, User.id == TrustedDevice.user_id)
        .where(TrustedDevice.token_hash == token_hash, User.username == username)
    )
    return token_hash if found is not None else None


def remember_device(user: User) -> None:
    """After a sign-in: this browser is trusted for ``user`` (a new token unless it has one).

    Written in its own short transaction after the sign-in committed; the cookie is set on
    the response. Older devices past the newest ``KEPT_PER_PERSON`` are forgotten.
    """
    if trusted_for(user.username) is not None:
        return
    token = secrets.token_urlsafe(32)
    db.session.add(TrustedDevice(user_id=user.id, token_hash=_hash(token), created_at=utcnow()))
    kept = (
        select(TrustedDevice.id)
        .where(TrustedDevice.user_id == user.id)
        .order_by(TrustedDevice.id.desc())
        .limit(KEPT_PER_PERSON)
    )
    db.session.flush()  # the new row is among the newest kept
    db.session.execute(
        delete(TrustedDevice).where(TrustedDevice.user_id == user.id, TrustedDevice.id.not_in(kept))
    )
    db.session.commit()

    @after_this_request
    def _set_cookie(response: Response) -> Response:
        response.set_cookie(
            COOKIE,
            token,
            max_age=int(COOKIE_LIFETIME.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
        return response
