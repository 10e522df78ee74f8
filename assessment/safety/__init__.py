"""Safety: the flag's reach, help where the person is, browsing safely, leaving quickly.

``recently_flagged`` is the one answer every safety rule asks (docs/architecture.md#safety);
the help lines of the person's country (or the advice for somewhere not listed) and the
picker that chooses them; the "Browsing safely" page; and ``/leave``.
"""

from .flag import (
    Flag,
    allowed_while,
    extend_flag,
    flag_at,
    flag_ends,
    is_paused,
    recently_flagged,
    unpaused,
)
from .help_lines import HelpLines, bp, country_form, lines_for, lines_for_person
from .leaving import leave

blueprints = (bp,)

__all__ = [
    "Flag",
    "HelpLines",
    "allowed_while",
    "blueprints",
    "country_form",
    "extend_flag",
    "flag_at",
    "flag_ends",
    "is_paused",
    "leave",
    "lines_for",
    "lines_for_person",
    "recently_flagged",
    "unpaused",
]
