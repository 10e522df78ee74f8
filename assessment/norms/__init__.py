"""Norms: how reliable the questions are on this server's own answers (docs/architecture.md#norms).

``flask norms`` reports, stores, exports and pools them; the stored norms judge change on
every page (``norms_in_use``); ``/about/measures`` explains scores, bands, reliable
change and the norms in use.
"""

from .commands import init_app
from .routes import bp
from .store import NormsInUse, norms_in_use
from .words import band_words, change_words

blueprints = (bp,)

__all__ = ["NormsInUse", "band_words", "blueprints", "change_words", "init_app", "norms_in_use"]
