"""Follow-through (DESIGN.md §8): plans chosen from a result, their check-ins and the list."""

from .records import MAX_ACTIVE_PLANS, PlanRow, plans_with_checkins
from .routes import bp

blueprints = (bp,)

__all__ = ["MAX_ACTIVE_PLANS", "PlanRow", "blueprints", "plans_with_checkins"]
