"""The scoring engine's verdicts in the reader's language (docs/architecture.md#languages).

``scoring`` names bands and changes with plain English codes and never imports Flask, so
the words a page shows for them are chosen at the web layer, from one mapping in the core
room (``band_name`` and ``verdict``). This room's pages and commands call them by what they
give, words; the codes themselves still name CSS classes and export columns.
"""

from __future__ import annotations

from assessment.core import band_name, verdict

band_words = band_name
change_words = verdict
