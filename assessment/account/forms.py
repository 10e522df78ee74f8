"""WTForms forms of the small blueprints; their strict base is core's (core/forms.py).

The questionnaire forms built from the YAML live with the check-up (checkup/forms.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
USERNAME_CHARACTERS = (
    "Use letters, digits, dots, dashes or underscores, starting with a letter or digit."
)
PASSWORD_CHARACTERS = "Please use letters, digits, spaces and punctuation only."
CODE_CHARACTERS = "A recovery code has only letters, digits and hyphens."
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
        raise ValidationError("That password is too easy to guess. Try a short phrase.")
    if username and username in password.lower():
        raise ValidationError("Please choose a password that does not contain your user name.")


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
        "User name",
        filters=[_normalise_username],
        validators=[
            InputRequired("Please type your user name."),
            PlainText(USERNAME_CHARACTERS),
            Length(max=40),
        ],
    )


def _typed_password(label: str, prompt: str, *rules: Callable[[Any, Any], None]) -> PasswordField:
    """A password being chosen, or typed again: required, plain text, then ``rules``."""
    return PasswordField(
        label, validators=[InputRequired(prompt), PlainText(PASSWORD_CHARACTERS), *rules]
    )


def _new_password(
    label: str = "New password", prompt: str = "Please choose a new password."
) -> PasswordField:
    """A password being chosen: the same rules at sign-up, on change and on recovery."""
    return _typed_password(
        label,
        prompt,
        Length(
            min=MIN_PASSWORD_LENGTH,
            max=200,
            message=f"A password needs at least {MIN_PASSWORD_LENGTH} characters.",
        ),
        _not_common,
    )


def _confirm(
    label: str = "New password again", prompt: str = "Please type the new password again."
) -> PasswordField:
    """The chosen password typed again (the form's ``password`` field)."""
    return _typed_password(
        label, prompt, EqualTo("password", "The two passwords are not the same.")
    )


class RegisterForm(StrictForm):
    """Create an account with a user name and password only: no e-mail, nothing else."""

    username = StringField(
        "User name",
        filters=[_normalise_username],
        validators=[
            InputRequired("Please choose a user name."),
            PlainText(USERNAME_CHARACTERS),
            Length(3, 40, "A user name has 3 to 40 characters."),
            Regexp(USERNAME_PATTERN, message=USERNAME_CHARACTERS),
        ],
    )
    password = _new_password("Password", "Please choose a password.")
    confirm = _confirm("Password again", "Please type the password again.")


class LoginForm(StrictForm):
    """Sign in with a user name and password."""

    username = _username()
    # A secret checked against the one stored, never stored itself: any character is
    # let through, so nobody whose password predates the plain-text rule is locked out.
    password = PasswordField(
        "Password", validators=[InputRequired("Please type your password."), Length(max=200)]
    )


class DeleteAccountForm(StrictForm):
    """Confirm deleting everything with the password."""

    password = PasswordField(
        "Your password", validators=[InputRequired("Please type your password.")]
    )


# --- Forms of an account kept for years (docs/architecture.md#accounts) -----------------

REMINDER_TITLE_MAX = 60


class PasswordChangeForm(StrictForm):
    """Change the password: the current one first, then the new one twice."""

    account_name = ""  # set by the route, so the new password may not contain the user name
    current = PasswordField(
        "Current password",
        validators=[InputRequired("Please type your current password."), Length(max=200)],
    )
    password = _new_password()
    confirm = _confirm()


class SignOutEverywhereForm(StrictForm):
    """End every session of the account but this one: the CSRF token is the whole form."""


class PasswordCheckForm(StrictForm):
    """A step that needs the password once more (new recovery codes)."""

    password = PasswordField(
        "Your password",
        validators=[InputRequired("Please type your password."), Length(max=200)],
    )


class RecoverForm(StrictForm):
    """Back into an account with a recovery code, choosing a new password."""

    username = _username()
    code = StringField(
        "Recovery code",
        validators=[
            InputRequired("Please type one of your recovery codes."),
            PlainText(CODE_CHARACTERS),
            Length(max=64),
        ],
    )
    password = _new_password()
    confirm = _confirm()


class ReminderForm(StrictForm):
    """The title a calendar reminder shows: the person's words, discreet by default."""

    title = StringField(
        "Reminder title",
        filters=[_without_spaces_around],
        validators=[
            DataRequired("Please give the reminder a title."),
            Length(max=REMINDER_TITLE_MAX, message="A title has at most 60 characters."),
            PlainText(),
        ],
    )


class ImportForm(StrictForm):
    """A Rekindle ``export.json`` to fill an empty account with (moving servers)."""

    file = FileField(
        "Your export.json", validators=[FileRequired("Please choose your export.json file.")]
    )
