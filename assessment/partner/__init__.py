"""Couples: the partner link, sharing by choice, and the comparison.

See docs/architecture.md#partner.
"""

from flask import Flask

from ..checkup import add_result_panel
from . import hooks
from .pages import gap_words, gaps_between, share_switch
from .queries import SharedCheckup, link_of, other_side, shared_checkups
from .routes import bp

blueprints = (bp,)


def init_app(app: Flask) -> None:
    """Bind the link's hooks, and add the share switch to the check-up's result page."""
    hooks.init_app(app)
    add_result_panel(app, "share", share_switch)


__all__ = [
    "SharedCheckup",
    "blueprints",
    "gap_words",
    "gaps_between",
    "init_app",
    "link_of",
    "other_side",
    "shared_checkups",
]
