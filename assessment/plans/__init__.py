"""Follow-through: plans chosen from a result, what was said of them, and the list.

See docs/architecture.md#plans.
"""

from .records import MAX_ACTIVE_PLANS, PlanRow, plans_with_checkins
from .routes import bp

blueprints = (bp,)

__all__ = ["MAX_ACTIVE_PLANS", "PlanRow", "blueprints", "plans_with_checkins"]
