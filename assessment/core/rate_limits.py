"""Where tries are counted: the shared store (Redis) when it answers, else this process's memory.

See docs/architecture.md#database. Flask-Limiter counts the rate-limited routes and falls
back to memory on its own (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``, set in settings.py).
The counts that use the storage directly (wrong passwords and codes, account/guesses.py)
go through ``tries_counter()``, which does the same. While the store is unreachable each
process counts on its own: limits still hold, per process, instead of every sign-in
answering 500. ``/healthz`` says which it is.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, current_app
from limits import RateLimitItem
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)

# A Redis that does not answer costs a request at most this long before memory takes over.
REDIS_TIMEOUT_SECONDS = 1.0
# How long to count in memory before asking the shared store again.
RETRY_SECONDS = 30.0
SHARED = "ok"
FALLBACK = "memory fallback"
_EXTENSION = "rekindle.tries_counter"
Result = TypeVar("Result")


def storage_options(uri: str) -> dict[str, Any]:
    """Time limits for a Redis store, so an unreachable one fails fast (none for memory)."""
    if uri.startswith(("redis", "rediss")):
        return {
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
        }
    return {}


def configure(app: Flask) -> None:
    """Give Flask-Limiter the store's time limits; call before ``limiter.init_app``."""
    uri = app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", storage_options(uri))


class TriesCounter:
    """A moving-window count of tries in the shared store, or in memory while it is down."""

    def __init__(self, uri: str, options: dict[str, Any]) -> None:
        self.shared = cast(Storage, storage_from_string(uri, **options))  # not an aio:// one
        self._shared = MovingWindowRateLimiter(self.shared)
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._retry_at = 0.0
        errors = self.shared.base_exceptions
        # What the store raises when it cannot be reached (redis.RedisError for Redis).
        self._unreachable: tuple[type[BaseException], ...] = (
            *(errors if isinstance(errors, tuple) else (errors,)),
            OSError,
        )

    def hit(self, limit: RateLimitItem, *key: str) -> bool:
        """Count one try; False when it is over the limit."""
        return self._counted(lambda counter: counter.hit(limit, *key))

    def clear(self, limit: RateLimitItem, *key: str) -> None:
        """Forget the tries under ``key``."""
        self._counted(lambda counter: counter.clear(limit, *key))

    def status(self) -> str:
        """``ok`` when the shared store answers now, else ``memory fallback``."""
        return SHARED if self.shared.check() else FALLBACK

    def _counted(self, action: Callable[[MovingWindowRateLimiter], Result]) -> Result:
        if time.monotonic() >= self._retry_at:
            try:
                return action(self._shared)
            except self._unreachable:
                self._retry_at = time.monotonic() + RETRY_SECONDS
                log.warning(
                    "rate-limit storage unreachable: counting tries in memory for %.0f s",
                    RETRY_SECONDS,
                )
        return action(self._local)


def tries_counter() -> TriesCounter:
    """This app's counter, made on first use from its rate-limit storage setting."""
    counter: TriesCounter | None = current_app.extensions.get(_EXTENSION)
    if counter is None:
        uri = current_app.config.get("RATELIMIT_STORAGE_URI", "memory://")
        options = current_app.config.get("RATELIMIT_STORAGE_OPTIONS") or storage_options(uri)
        counter = current_app.extensions[_EXTENSION] = TriesCounter(uri, dict(options))
    return counter


def limits_status() -> str:
    """What ``/healthz`` says of the rate-limit storage: ``ok`` or ``memory fallback``."""
    return tries_counter().status()
