"""Limits on guessing a password (or any secret a person types), counted per person.

Every route that checks a password calls ``password_is_right(user, password)``; a route
that checks another secret (a recovery code, by user name) calls
``guarded_check(subject, check)``. After ``GUESS_LIMIT`` wrong tries within its window
(five in 15 minutes) the next try answers 429, whatever it holds, until the window has
moved on. A right answer clears the count, so only wrong ones add up.

The count lives in the rate-limit storage (``RATELIMIT_STORAGE_URI``): in memory for one
process, in Redis across workers and hosts, and in each process's memory while Redis
cannot be reached (``core.tries_counter``). It holds even with ``RATELIMIT_ENABLED`` off,
because a proxy in front cannot tell a wrong password from a right one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import abort, current_app
from limits import parse

from ..core import tries_counter
from .hashing import password_matches

if TYPE_CHECKING:
    from ..core import User

GUESS_LIMIT = parse("5 per 15 minutes")


def _identifiers(subject: str) -> tuple[str, ...]:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    return (*([prefix] if prefix else []), "password-checks", subject)


def guarded_check(subject: str, check: Callable[[], bool]) -> bool:
    """Run ``check`` (is the typed secret right?) unless ``subject`` has guessed too often.

    ``subject`` names whose secret it is (``user:<id>``, ``name:<user name>``). A try is
    counted before the check, so tries at the same moment cannot slip past the limit, and
    the count is cleared when the secret is right. Over the limit it aborts with 429.
    """
    counter, key = tries_counter(), _identifiers(subject)
    if not counter.hit(GUESS_LIMIT, *key):
        abort(429)
    if check():
        counter.clear(GUESS_LIMIT, *key)
        return True
    return False


def password_is_right(user: User, password: str) -> bool:
    """Whether ``password`` is the person's; five wrong ones in 15 minutes answer 429."""
    return guarded_check(f"user:{user.id}", lambda: password_matches(user.password_hash, password))
