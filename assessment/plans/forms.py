"""Follow-through's form: "I'll try this" on a strategy a result offered."""

from __future__ import annotations

from wtforms import HiddenField

from ..core import StrictForm


class PlanForm(StrictForm):
    """ "I'll try this": a strategy the result offered, and the result it was offered on."""

    strategy_id = HiddenField()
    assessment_id = HiddenField()
