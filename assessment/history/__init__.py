"""History (DESIGN.md §5): every check-in over time, the change tables and what was tried."""

from .routes import bp

blueprints = (bp,)

__all__ = ["blueprints"]
