"""Follow-through (DESIGN.md §8): plans chosen from a result, their check-ins and the list."""

from .routes import bp

__all__ = ["bp"]
