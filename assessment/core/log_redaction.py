"""Log lines without secrets: the partner invite token and request data never reach a log.

The invite link is ``/partner/join/<token>``; it appears in request lines, in the
``next`` of a sign-in redirect (percent-encoded) and in a Referer. ``redact`` replaces
the token wherever it appears. ``RedactingLogger`` is gunicorn's logger with every access
log atom and every error log line passed through it (``gunicorn.conf.py`` selects it);
``RedactingFilter`` does the same for the app's own log.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask
from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# /partner/join/<token>, raw or percent-encoded (%2F), up to the end of the path segment.
_JOIN_TOKEN = re.compile(r"(partner(?:/|%2F)join(?:/|%2F))(?:[^\s/?&#\"'%]|%[0-9A-F]{2})+", re.I)
# What gunicorn quotes from a request it cannot parse (a chunk, a header): never logged.
_QUOTED_REQUEST_DATA = re.compile(r"(Invalid request from ip=\S+: [^:]*).*", re.S)


def redact(text: str) -> str:
    """The text with every invite token replaced by ``[redacted]``."""
    return _JOIN_TOKEN.sub(r"\1" + REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrite a log record's message without secrets (it never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _QUOTED_REQUEST_DATA.sub(r"\1: (request data not logged)", redact(message))
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def register(app: Flask) -> None:
    """Keep tokens out of the app's log and the development server's request lines."""
    for log in (app.logger, logging.getLogger("werkzeug")):
        if not any(isinstance(f, RedactingFilter) for f in log.filters):
            log.addFilter(RedactingFilter())


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn ships no types
    """gunicorn's logger, with invite tokens taken out of every access and error line."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactingFilter) for f in log.filters):
                log.addFilter(RedactingFilter())

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        values = super().atoms(resp, req, environ, request_time)
        return {key: redact(v) if isinstance(v, str) else v for key, v in values.items()}
