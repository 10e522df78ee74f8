"""Account: everything a person keeps for years without an e-mail address.

Sign-up, sign-in and sign-out; the Account page; changing the password and signing out
everywhere; recovery codes; limits on guessing a secret; deleting the account; exports
in words and moving servers with ``export.json``; the calendar reminder; and the
self-hoster's commands (``flask users``, ``flask backup``, ``flask demo``).
See docs/architecture.md#accounts.
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..core import login_manager
from . import reminders
from .auth import bp as auth_bp
from .auth import load_user
from .commands import register_commands
from .demo import demo_command
from .importing import bp as import_export_bp
from .page import bp as account_bp
from .passwords import bp as passwords_bp
from .recovery import bp as recovery_bp

blueprints = (
    auth_bp,
    account_bp,
    recovery_bp,
    passwords_bp,
    import_export_bp,
    reminders.bp,
)


def init_app(app: Flask) -> None:
    """Bind who a session names and where to sign in, the commands, the reminder choices."""
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see that page.")
    login_manager.login_message_category = "info"
    # Flashed as plain text in the request's language (a lazy string in the session would
    # come back as markup).
    login_manager.localize_callback = str
    reminders.init_app(app)
    app.cli.add_command(demo_command)
    register_commands(app)


__all__ = ["blueprints", "init_app"]
