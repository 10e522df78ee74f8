"""Core: the plumbing every room uses, and that imports no room.

The extensions (created once), settings, the database and its tables, sessions, locks,
the strict form base, errors, odd requests, security headers, compression, logging
without secrets, file modes, the questionnaire catalog, charts, template helpers, and
the two pages that belong to no feature (the start page and ``/healthz``) with the
plotly.js asset route. Rooms import these names from ``assessment.core``; app.py binds
the rest (see docs/architecture.md#rooms).
"""

from . import charts, radar
from .assets import bp as assets_bp
from .assets import plotly_filename
from .catalog import current_catalog, current_language, latest_or_404
from .compression import init_app as init_compression
from .database import engine_options
from .database import init_app as init_database
from .errors import register as register_error_pages
from .errors import reshown_when_unavailable
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .file_modes import private_instance, private_sqlite_files
from .forms import CsrfForm, StrictForm
from .headers import register as register_security_headers
from .home import bp as home_bp
from .locks import lock_users, lock_users_in_flush, stored
from .log_redaction import register as register_access_log
from .models import (
    TALK_STEPS,
    Answer,
    Assessment,
    DimensionScore,
    PartnerInvite,
    PartnerLink,
    Plan,
    PlanCheckin,
    PlanStatus,
    ProposalStatus,
    RecoveryCode,
    SafetyResponse,
    Talk,
    TalkProposal,
    TrustedDevice,
    User,
    add_memberships,
    utcnow,
)
from .odd_requests import parse_id
from .odd_requests import register as register_odd_requests
from .rate_limits import configure as configure_rate_limits
from .rate_limits import tries_counter
from .redirects import local_path, safe_next
from .server_tables import NormsVersion
from .sessions import (
    MAX_SESSION_ID_LENGTH,
    close_session,
    end_every_session,
    forget_on_leaving,
    forget_traces,
    start_session,
)
from .settings import defaults as default_settings
from .settings import ensure_secret_key, trusted_proxies
from .settings import from_environment as settings_from_environment
from .templating import (
    band_name,
    format_date,
    format_score,
    in_sentence,
    register_template_helpers,
    verdict,
)
from .text import PlainText, is_plain

# The start page and /healthz, and plotly.js served by the app itself.
blueprints = (home_bp, assets_bp)

__all__ = [
    "MAX_SESSION_ID_LENGTH",
    "TALK_STEPS",
    "Answer",
    "Assessment",
    "CsrfForm",
    "DimensionScore",
    "NormsVersion",
    "PartnerInvite",
    "PartnerLink",
    "PlainText",
    "Plan",
    "PlanCheckin",
    "PlanStatus",
    "ProposalStatus",
    "RecoveryCode",
    "SafetyResponse",
    "StrictForm",
    "Talk",
    "TalkProposal",
    "TrustedDevice",
    "User",
    "add_memberships",
    "babel",
    "band_name",
    "blueprints",
    "charts",
    "close_session",
    "configure_rate_limits",
    "csrf",
    "current_catalog",
    "current_language",
    "db",
    "default_settings",
    "end_every_session",
    "engine_options",
    "ensure_secret_key",
    "forget_on_leaving",
    "forget_traces",
    "format_date",
    "format_score",
    "in_sentence",
    "init_compression",
    "init_database",
    "is_plain",
    "latest_or_404",
    "limiter",
    "local_path",
    "lock_users",
    "lock_users_in_flush",
    "login_manager",
    "migrate",
    "parse_id",
    "plotly_filename",
    "private_instance",
    "private_sqlite_files",
    "radar",
    "register_access_log",
    "register_error_pages",
    "register_odd_requests",
    "register_security_headers",
    "register_template_helpers",
    "reshown_when_unavailable",
    "safe_next",
    "settings_from_environment",
    "start_session",
    "stored",
    "tries_counter",
    "trusted_proxies",
    "utcnow",
    "verdict",
]
