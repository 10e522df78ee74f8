"""History: every check-in over time, the change tables and what was tried.

See docs/architecture.md#rooms and #charts.
"""

from .routes import bp

blueprints = (bp,)

__all__ = ["blueprints"]
