"""Talk it through: a guided conversation that turns a check-up into a change.

Two linked people, each with a shared check-up, walk six steps at one screen, from what
works to one small thing to try; or one person prepares alone. Only the talk's facts are
kept (who, when, the area, the step reached, the strategy), never a word either person
says or types. Never offered to, or shown to, a person recently flagged.
See docs/architecture.md#talk.
"""

from flask import Flask
from sqlalchemy import event

from ..checkup import add_result_panel
from ..core import Assessment, PartnerLink, User
from ..safety import Flag
from . import hooks
from .pages import area_label, strategy_title, talked_at
from .queries import talks_of
from .routes import bp

blueprints = (bp,)


def talk_offer(assessment: Assessment, flag: Flag | None) -> bool:
    """Whether a result page offers a talk: never while the person is flagged, nor on a
    result whose own safety screen had a "yes" (docs/architecture.md#safety)."""
    return flag is None and not assessment.safety_flag


def init_app(app: Flask) -> None:
    """Bind the talk's hooks (unlinking or deleting an account ends open talks) and offer a
    talk on the result page. Importing binds nothing."""
    for target, name, listener in (
        (PartnerLink, "before_delete", hooks.end_talks_of_link),
        (User, "before_delete", hooks.end_talks_of_deleted_user),
    ):
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)
    add_result_panel(app, "talk", talk_offer)


__all__ = [
    "area_label",
    "blueprints",
    "init_app",
    "strategy_title",
    "talk_offer",
    "talked_at",
    "talks_of",
]
