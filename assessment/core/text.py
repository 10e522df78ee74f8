"""Plain text: what a free-text field may hold (docs/architecture.md#forms).

Every field a person types into (a user name, a password being set, a recovery code, the
reminder's title) refuses what no keyboard types and what could hide or break a line
elsewhere: control characters (C0, DEL, C1 with U+0085 "next line"), non-characters,
lone surrogates, U+FEFF (a byte-order mark, invisible mid-text) and U+FFFD, which is
what bytes that are not UTF-8 turn into. The form is then a 400 and nothing is stored.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}-{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
# Tab, line feed and carriage return are left out here: a field of several lines allows them.
_ODD = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 but tab and line breaks, DEL, C1
    "\ud800-\udfff"  # surrogates, which UTF-8 cannot carry alone
    "\ufdd0-\ufdef"  # non-characters
    "\ufeff\ufffd"  # byte-order mark; the replacement character
    f"{_NONCHARACTERS}"
)
_ODD_ON_ONE_LINE = re.compile(f"[\t\n\r{_ODD}]")
_ODD_ON_SEVERAL_LINES = re.compile(f"[{_ODD}]")
MESSAGE = _l("Please use letters, digits, spaces and punctuation only, on one line.")
# Most of these characters cannot be seen: say so, or the person stares at text that looks fine.
UNSEEN = _l("If it looks right, type it again: something you cannot see may have been pasted in.")


def is_plain(text: str, lines: bool = False) -> bool:
    """Whether ``text`` holds none of the characters above (tab and line breaks only if
    ``lines``)."""
    pattern = _ODD_ON_SEVERAL_LINES if lines else _ODD_ON_ONE_LINE
    return pattern.search(text) is None


class PlainText:
    """WTForms validator for every free-text field: ``is_plain`` or a form error."""

    def __init__(self, message: Any = MESSAGE, lines: bool = False) -> None:
        # Kept lazy (``_l``): the two sentences are read in the request's language only when
        # a field is refused, never frozen in English when the form class is defined.
        self.message = message
        self.lines = lines

    def __call__(self, _form: Any, field: Any) -> None:
        if isinstance(field.data, str) and not is_plain(field.data, self.lines):
            raise ValidationError(f"{self.message} {UNSEEN}")
