"""Check-ups: the start page, taking a questionnaire, storing it once, and its result page.

Also the plan check-ins a questionnaire opens with, deleting one result, and the one
rule every room asks of an assessment id: the person's own, or a 404.
"""

from .checkins import Checkin, active_plans, user_plans
from .deletion import bp as deletion_bp
from .pages import add_result_panel
from .queries import offered_suggestions, own_assessment_or_404
from .routes import bp
from .start import bp as start_bp
from .submission import store_assessment, suggestions_to_json

blueprints = (start_bp, bp, deletion_bp)

__all__ = [
    "Checkin",
    "active_plans",
    "add_result_panel",
    "blueprints",
    "offered_suggestions",
    "own_assessment_or_404",
    "store_assessment",
    "suggestions_to_json",
    "user_plans",
]
