# Types for the parts of Flask-Login 0.6 that mypy must see precisely (the package ships none).
# `login_required` keeps the view's signature, so a decorated view stays checked; a user
# class built on `UserMixin` is a typed class. Every other name stays untyped, as before.
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")

def login_required(func: Callable[_P, _R]) -> Callable[_P, _R]: ...

class UserMixin:
    @property
    def is_active(self) -> bool: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_anonymous(self) -> bool: ...
    def get_id(self) -> str | None: ...

def __getattr__(name: str) -> Any: ...
