"""Check-ups (DESIGN.md §5): taking a questionnaire, storing it once, and its result page."""

from .routes import bp

__all__ = ["bp"]
