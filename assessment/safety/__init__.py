"""Safety: help where the person is, and browsing safely (docs/architecture.md#safety).

The help lines of the person's country (or the advice for somewhere not listed), the
picker that chooses them, and the "Browsing safely" page. Issue 22 brings the flag's
reach (recently flagged) and leaving quickly here too.
"""

from .help_lines import HelpLines, bp, country_form, lines_for, lines_for_person

blueprints = (bp,)

__all__ = ["HelpLines", "blueprints", "country_form", "lines_for", "lines_for_person"]
