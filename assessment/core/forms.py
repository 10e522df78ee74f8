"""The strict base every POST is read with: CSRF, and exactly its own fields, each once.

See docs/architecture.md#forms.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from flask import abort, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict


def exact_fields(
    formdata: MultiDict[str, Any],
    allowed: Collection[str],
    also: Callable[[str], bool] | None = None,
) -> bool:
    """A post carries only its form's fields (or ones ``also`` accepts), each once."""
    return all(
        (name in allowed or (also is not None and also(name))) and len(formdata.getlist(name)) == 1
        for name in formdata
    )


class StrictForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no types
    """Base of every form a POST is read with: CSRF (Flask-WTF) and exactly its own fields."""

    def field_names(self) -> set[str]:
        """The names a browser posts for this form, ``csrf_token`` included."""
        return {field.name for field in self} | {self.meta.csrf_field_name}

    def has_exact_fields(self, also: Callable[[str], bool] | None = None) -> bool:
        """Whether the request's post holds only this form's fields, each once (files too)."""
        names = self.field_names()
        if set(request.form) & set(request.files):
            return False  # one field sent both as text and as a file
        return exact_fields(request.form, names, also) and exact_fields(request.files, names)

    def require_exact_fields(self) -> None:
        """Stop the request with a 400 unless it posted exactly this form's fields."""
        if not self.has_exact_fields():
            abort(400)


class CsrfForm(StrictForm):
    """A button that posts nothing but its CSRF token (sign out, invite, unlink, let go)."""
