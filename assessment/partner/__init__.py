"""Couples (DESIGN.md §7): the partner link, sharing by choice, and the comparison."""

from .hooks import init_app
from .routes import bp

__all__ = ["bp", "init_app"]
