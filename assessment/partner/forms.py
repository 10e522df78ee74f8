"""The partner pages' form: the share switch of one check-up."""

from __future__ import annotations

from wtforms import HiddenField

from ..core import StrictForm


class ShareForm(StrictForm):
    """Turn sharing of one check-up with the partner on (``yes``) or off (``no``)."""

    share = HiddenField()
