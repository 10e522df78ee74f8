"""Recovery codes: ten single-use codes per person, kept only as SHA-256 hashes.

See docs/architecture.md#accounts.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, cast

from flask import redirect, session, url_for
from sqlalchemy import CursorResult, delete, func, select, update
from werkzeug.wrappers import Response

from ..core import RecoveryCode, User, db, utcnow

CODE_COUNT = 10
# 16 characters from 31 (no 0, 1, i, l, o to misread): about 79 bits each, so a SHA-256
# of the code is enough to keep it safe in a copy of the database.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 16
CODE_GROUP = 4
# What the session carries from sign-up to the page that shows the first codes: a one-time
# permission (its hash is on the person, cleared once the codes are stored) and where next.
CODES_DUE = "recovery_codes_due"
CODES_NEXT = "recovery_codes_next"


def normalise_code(code: str) -> str:
    """The code as stored: case and hyphens (and spaces) do not matter."""
    return "".join(code.split()).replace("-", "").lower()


def hash_code(code: str) -> str:
    """Only this hash of a code is kept."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def issue_codes(user_id: int) -> list[str]:
    """Ten new codes for the person, voiding every old one; the caller commits."""
    codes = [_new_code() for _ in range(CODE_COUNT)]
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    now = utcnow()
    db.session.add_all(
        RecoveryCode(user_id=user_id, code_hash=hash_code(code), created_at=now) for code in codes
    )
    return codes


def spend_code(user_id: int, code: str) -> bool:
    """Use a code up, if it is one of the person's unused ones; the caller commits.

    One UPDATE that only matches an unused code, so two requests at once cannot both
    spend the same code.
    """
    # An UPDATE always gives a CursorResult (with rowcount); execute() is typed as any Result.
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user_id,
                RecoveryCode.code_hash == hash_code(code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=utcnow())
        ),
    )
    return result.rowcount == 1


def codes_left(user_id: int) -> int:
    """How many unused codes the person still has."""
    return db.session.execute(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    ).scalar_one()


def first_codes_due(user: User) -> str:
    """At sign-up: a one-time permission to mint the first codes; the caller commits.

    Only its hash is kept on the person. The first view of the codes page spends it, so
    a copy of the sign-up cookie replayed later mints nothing (docs/architecture.md#accounts).
    """
    permission = secrets.token_urlsafe(24)
    user.recovery_codes_due = hash_code(permission)
    return permission


def may_mint_first_codes(user: User, permission: str | None) -> bool:
    """Whether this session holds the person's unspent permission from sign-up."""
    due = user.recovery_codes_due
    return bool(permission and due) and secrets.compare_digest(
        due or "", hash_code(permission or "")
    )


def show_codes_next(permission: str, after: str) -> Response:
    """Send the person to the page that makes and shows their first codes, then to ``after``."""
    session[CODES_DUE] = permission
    session[CODES_NEXT] = after
    return redirect(url_for("recovery.show_codes"), 303)
