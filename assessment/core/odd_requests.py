"""Odd requests get a clear 4xx before they reach a route: ids, NUL bytes, chunked bodies.

- Ids in URLs (``<id:name>``) and in forms (``parse_id``) are ASCII digits from 1 to
  2**31 - 1, the range of our INTEGER id columns on PostgreSQL (SQLite would need two
  billion rows to pass it); anything else is a 404 (URL) or 400 (form), never an
  overflow in the database driver. Should ids become BIGINT, raise ``MAX_ID`` with them.
- A NUL byte anywhere in the path, the query or a form is a 400: PostgreSQL cannot store
  one, and no field of ours has a use for it.
- Bytes that are not UTF-8 in the query or a posted form (``%ff``) are a 400: the form
  parser would keep them as the text "%FF" and a field would store that. (In a multipart
  form they become U+FFFD, which ``core.PlainText`` refuses.)
- A chunked body is read here, up to the 1 MiB limit: over it is a 413, a malformed one a
  400, and neither the body nor the parser's complaint about it is ever logged.
- A body shorter than its Content-Length (a connection cut mid-body) is a 400, never read
  as a whole post: a "yes" on the safety screen must never arrive as a blank "skip".
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, abort, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.routing import BaseConverter, ValidationError
from werkzeug.wrappers import Response

MAX_ID = 2**31 - 1  # the largest INTEGER on PostgreSQL: no row can have a larger id
_ID = re.compile(r"[0-9]{1,19}")
_BODY_PROBLEM = "rekindle.body_problem"


def parse_id(raw: str | None) -> int | None:
    """A row id from text, or None: ASCII digits only, 1 to ``MAX_ID``."""
    if raw is None or not _ID.fullmatch(raw):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


class IdConverter(BaseConverter):
    """``<id:name>`` in a route: a row id, or no match at all (a 404)."""

    regex = r"[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        parsed = parse_id(value)
        if parsed is None:
            raise ValidationError()
        return parsed

    def to_url(self, value: Any) -> str:
        return str(int(value))


def _declared_length(raw: str | None) -> int | None:
    """The Content-Length header as a number, or None when absent or not a number."""
    if not raw or not raw.isascii() or not raw.isdigit():
        return None
    return int(raw)


def _has_nul(values: Iterable[str]) -> bool:
    return any("\x00" in value for value in values)


def _not_utf8(raw: bytes) -> bool:
    """Whether a query or urlencoded body, its %-escapes decoded, is not UTF-8 text."""
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _refuse_odd_requests() -> None:
    """Before anything reads the request: a problem found in its body, bytes that are not
    UTF-8, or a NUL byte."""
    problem = request.environ.get(_BODY_PROBLEM)
    if problem is not None:
        abort(problem)
    if _not_utf8(request.query_string):
        abort(400)
    # Read and kept here, so the form parser after this reads the same bytes.
    if request.mimetype == "application/x-www-form-urlencoded" and _not_utf8(
        request.get_data(cache=True)
    ):
        abort(400)
    if "\x00" in request.path or _has_nul(request.args.keys()) or _has_nul(request.args.values()):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and (
        _has_nul(request.form.keys()) or _has_nul(request.form.values())
    ):
        abort(400)


def _close_after_body_problem(response: Response) -> Response:
    """The rest of a refused body is never read: the connection closes instead."""
    if request.environ.get(_BODY_PROBLEM) is not None:
        response.headers["Connection"] = "close"
    return response


class WholeBodyReader:
    """WSGI middleware: read a body whole (at most the limit) before the app runs.

    A chunked body becomes an ordinary one with a Content-Length. A body with a
    Content-Length must arrive whole: gunicorn hands a shorter one on as it is, and the
    form parser would read what arrived as the whole post. A body over ``limit``, cut
    short, or one the server cannot parse is replaced by an empty one, and the request is
    marked so that the app answers 413 or 400 with its usual error page.
    """

    def __init__(self, app: Callable[..., Any], limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        declared = _declared_length(environ.get("CONTENT_LENGTH"))
        if chunked and not environ.get("CONTENT_LENGTH"):
            body, problem = self._read(environ["wsgi.input"])
        elif declared is not None and 0 < declared <= self.limit:
            body, problem = self._read_exactly(environ["wsgi.input"], declared)
        else:
            return self.app(environ, start_response)  # none, or over the limit: Flask's 413
        if problem is not None:
            body = b""
            environ[_BODY_PROBLEM] = problem
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)

    @staticmethod
    def _read_exactly(stream: Any, length: int) -> tuple[bytes, int | None]:
        parts: list[bytes] = []
        size = 0
        try:
            while size < length:
                part = stream.read(min(64 * 1024, length - size))
                if not part:
                    return b"", BadRequest.code  # the connection ended before the body did
                parts.append(part)
                size += len(part)
        except Exception:  # a broken connection: never let the body reach a log
            return b"", BadRequest.code
        return b"".join(parts), None

    def _read(self, stream: Any) -> tuple[bytes, int | None]:
        parts: list[bytes] = []
        size = 0
        try:
            while size <= self.limit:
                part = stream.read(min(64 * 1024, self.limit + 1 - size))
                if not part:
                    return b"".join(parts), None
                parts.append(part)
                size += len(part)
        except Exception:  # the server's parse error quotes the body: never let it reach a log
            return b"", BadRequest.code
        return b"", RequestEntityTooLarge.code


def register(app: Flask) -> None:
    """Install the id converter, the body reader and the checks, before any route is added."""
    app.url_map.converters["id"] = IdConverter
    # ``<int:...>`` behaves the same, so no route can pass a database an id it cannot hold.
    app.url_map.converters["int"] = IdConverter
    # Flask documents wrapping wsgi_app as the way to add middleware; its stubs call it a method.
    app.wsgi_app = WholeBodyReader(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"])  # type: ignore[method-assign]
    # First of all before_request functions, so no other one (CSRF) reads the form before.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_odd_requests)
    app.after_request(_close_after_body_problem)
