"""Password hashing by one setting, and a check that costs the same with no account."""

from __future__ import annotations

from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash


def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt unless ``PASSWORD_HASH_METHOD`` says otherwise)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not-a-real-password", method=method)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Check a password; with no account, a dummy hash costs as long as a wrong password."""
    stored = password_hash or _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])
    return check_password_hash(stored, password) and password_hash is not None
