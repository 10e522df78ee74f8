"""WTForms forms of the small blueprints; their strict base is core's (core/forms.py).

The questionnaire forms built from the YAML live with the check-up (checkup/forms.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, StringField
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Regexp,
    ValidationError,
)

from ..core import PlainText, StrictForm

# A row id as our own pages post it: ASCII digits that fit a 32-bit integer column, so
# neither "²" (a digit to str.isdigit) nor a 30-digit number ever reaches the database.

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9_.-]*\Z"  # \Z: "$" would let a final line break by
MIN_PASSWORD_LENGTH = 10
# What each kind of field says when PlainText refuses a character in it.
USERNAME_CHARACTERS = _l(
    "Use letters, digits, dots, dashes or underscores, starting with a letter or digit."
)
PASSWORD_CHARACTERS = _l("Please use letters, digits, spaces and punctuation only.")
CODE_CHARACTERS = _l("A recovery code has only letters, digits and hyphens.")
# Lazy: the length rule's words are read in the language of the request that breaks it.
PASSWORD_TOO_SHORT = lazy_ngettext(
    "A password needs at least %(num)d character.",
    "A password needs at least %(num)d characters.",
    MIN_PASSWORD_LENGTH,
)
# A few passwords long enough to pass the length rule that are still guessed first.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "0123456789",
        "password123",
        "password1234",
        "qwertyuiop",
        "iloveyou123",
        "letmein1234",
        "abcdefghij",
        "passw0rd123",
        "welcome1234",
    }
)


def _not_common(form: Any, field: Any) -> None:
    password = field.data or ""
    # A form for a signed-in person has no user name field: it names the account instead.
    named = form.username.data if "username" in form else getattr(form, "account_name", "")
    username = (named or "").strip().lower()
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        raise ValidationError(_("That password is too easy to guess. Try a short phrase."))
    if username and username in password.lower():
        raise ValidationError(_("Please choose a password that does not contain your user name."))


def _without_spaces_around(value: str | None) -> str | None:
    """Spaces around what was typed go; any other character stays, for PlainText to judge
    (``str.strip()`` alone would quietly drop U+0085 and other controls)."""
    return value.strip(" ") if value else value


def _normalise_username(value: str | None) -> str | None:
    value = _without_spaces_around(value)
    return value.lower() if value else value


def _username() -> StringField:
    """The user name of an existing account, as sign-in and recovery ask for it."""
    return StringField(
        _l("User name"),
        filters=[_normalise_username],
        validators=[
            InputRequired(_l("Please type your user name.")),
            PlainText(USERNAME_CHARACTERS),
            Length(max=40),
        ],
    )


def _typed_password(label: Any, prompt: Any, *rules: Callable[[Any, Any], None]) -> PasswordField:
    """A password being chosen, or typed again: required, plain text, then ``rules``."""
    return PasswordField(
        label, validators=[InputRequired(prompt), PlainText(PASSWORD_CHARACTERS), *rules]
    )


def _new_password(label: Any = None, prompt: Any = None) -> PasswordField:
    """A password being chosen: the same rules at sign-up, on change and on recovery."""
    return _typed_password(
        label or _l("New password"),
        prompt or _l("Please choose a new password."),
        Length(min=MIN_PASSWORD_LENGTH, max=200, message=PASSWORD_TOO_SHORT),
        _not_common,
    )


def _confirm(label: Any = None, prompt: Any = None) -> PasswordField:
    """The chosen password typed again (the form's ``password`` field)."""
    return _typed_password(
        label or _l("New password again"),
        prompt or _l("Please type the new password again."),
        EqualTo("password", _l("The two passwords are not the same.")),
    )


class RegisterForm(StrictForm):
    """Create an account with a user name and password only: no e-mail, nothing else."""

    username = StringField(
        _l("User name"),
        filters=[_normalise_username],
        validators=[
            InputRequired(_l("Please choose a user name.")),
            PlainText(USERNAME_CHARACTERS),
            Length(3, 40, _l("A user name has 3 to 40 characters.")),
            Regexp(USERNAME_PATTERN, message=USERNAME_CHARACTERS),
        ],
    )
    password = _new_password(_l("Password"), _l("Please choose a password."))
    confirm = _confirm(_l("Password again"), _l("Please type the password again."))


class LoginForm(StrictForm):
    """Sign in with a user name and password."""

    username = _username()
    # A secret checked against the one stored, never stored itself: any character is
    # let through, so nobody whose password predates the plain-text rule is locked out.
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Please type your password.")), Length(max=200)],
    )


class DeleteAccountForm(StrictForm):
    """Confirm deleting everything with the password."""

    password = PasswordField(
        _l("Your password"), validators=[InputRequired(_l("Please type your password."))]
    )


# --- Forms of an account kept for years (docs/architecture.md#accounts) -----------------

REMINDER_TITLE_MAX = 60
# NOTE: the default title of a calendar reminder to do the next check-up; it stays discreet:
# it must not name Rekindle, relationships or worries.
DEFAULT_REMINDER_TITLE = _l("Check-in")


class PasswordChangeForm(StrictForm):
    """Change the password: the current one first, then the new one twice."""

    account_name = ""  # set by the route, so the new password may not contain the user name
    current = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Please type your current password.")), Length(max=200)],
    )
    password = _new_password()
    confirm = _confirm()


class SignOutEverywhereForm(StrictForm):
    """End every session of the account but this one: the CSRF token is the whole form."""


class PasswordCheckForm(StrictForm):
    """A step that needs the password once more (new recovery codes)."""

    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(_l("Please type your password.")), Length(max=200)],
    )


class RecoverForm(StrictForm):
    """Back into an account with a recovery code, choosing a new password."""

    username = _username()
    code = StringField(
        _l("Recovery code"),
        validators=[
            InputRequired(_l("Please type one of your recovery codes.")),
            PlainText(CODE_CHARACTERS),
            Length(max=64),
        ],
    )
    password = _new_password()
    confirm = _confirm()


class ReminderForm(StrictForm):
    """The title a calendar reminder shows: the person's words, discreet by default."""

    title = StringField(
        _l("Reminder title"),
        filters=[_without_spaces_around],
        validators=[
            DataRequired(_l("Please give the reminder a title.")),
            Length(
                max=REMINDER_TITLE_MAX,
                message=_l("A title has at most %(max)d characters.", max=REMINDER_TITLE_MAX),
            ),
            PlainText(),
        ],
    )


class ImportForm(StrictForm):
    """A Rekindle ``export.json`` to fill an empty account with (moving servers)."""

    file = FileField(
        _l("Your export.json"),
        validators=[FileRequired(_l("Please choose your export.json file."))],
    )
