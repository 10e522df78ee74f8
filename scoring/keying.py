"""Reverse keying: every answer expressed so that higher always means better."""

from __future__ import annotations

from questionnaires.models import Item, Scale


def keyed_value(item: Item, scale: Scale, answer: int | None) -> int | None:
    """The answer as it counts: reverse items are mirrored (``min + max - answer``).

    Standard Likert reverse scoring; "prefer not to say" (None) stays missing, never zero.
    """
    if answer is None:
        return None
    return scale.min + scale.max - answer if item.reverse else answer
