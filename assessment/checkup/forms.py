"""The check-up's forms: the questionnaire's, built from the YAML (one class per version), and
the confirmation that deletes one result."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, StopValidation

from questionnaires.models import Questionnaire

from ..core import StrictForm

# "Prefer not to say" (optional items) and "Doesn't apply to us" (items about an event that
# may not happen) both post this, and both count as missing, never zero.
NOT_ANSWERED = "na"
# The answers to a safety question (the questions' own words come from the questionnaire).
SAFETY_CHOICES = [
    # NOTE: an answer to a safety question such as "Are you afraid of your partner?".
    SelectChoice("yes", _l("Yes")),
    # NOTE: an answer to a safety question such as "Are you afraid of your partner?".
    SelectChoice("no", _l("No")),
    SelectChoice("skip", _l("I'd rather not say")),
]
REQUIRED_MESSAGE = _l("Please choose an answer to this question.")
INVALID_CHOICE_MESSAGE = _l("Please choose one of the answers shown.")
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")  # whole: fullmatch, never match


class AnswerField(RadioField):  # type: ignore[misc]  # WTForms 3.3 ships no types
    """A radio group whose errors speak to a person, not a developer."""

    def pre_validate(self, form: Any) -> None:
        """Blank means unanswered; anything outside the choices is rejected."""
        if self.data in (None, ""):
            raise StopValidation(REQUIRED_MESSAGE)
        if not any(choice.value == self.data for choice in self.choices):
            raise StopValidation(INVALID_CHOICE_MESSAGE)


class QuestionnaireForm(StrictForm):
    """Base of every generated questionnaire form; subclasses add one field per item."""

    submission_token = HiddenField()
    version = HiddenField()

    questionnaire: Questionnaire  # set on each generated subclass

    def answers(self) -> dict[str, int | None]:
        """Item id -> answer (None for "Prefer not to say" or "Doesn't apply to us")."""
        values: dict[str, int | None] = {}
        for item in self.questionnaire.items:
            raw = self[item.id].data
            values[item.id] = None if raw == NOT_ANSWERED else int(raw)
        return values

    def safety(self) -> dict[str, str]:
        """Safety item id -> yes / no / skip, after validation."""
        return {s.id: self[s.id].data for s in self.questionnaire.safety}


_form_classes: dict[int, tuple[Questionnaire, type[QuestionnaireForm]]] = {}


def build_questionnaire_form(questionnaire: Questionnaire) -> type[QuestionnaireForm]:
    """One form class per questionnaire version, its choices taken from the definition."""
    cached = _form_classes.get(id(questionnaire))
    if cached is not None and cached[0] is questionnaire:
        return cached[1]
    scale = questionnaire.scale
    fields: dict[str, Any] = {"questionnaire": questionnaire}
    for item in questionnaire.items:
        choices = [SelectChoice(str(value), scale.label(value)) for value in scale.points]
        if item.left_label(questionnaire.scale) is not None:
            choices.append(SelectChoice(NOT_ANSWERED, item.left_label(questionnaire.scale)))
        fields[item.id] = AnswerField(item.text, choices=choices)
    for safety_item in questionnaire.safety:
        fields[safety_item.id] = AnswerField(safety_item.text, choices=SAFETY_CHOICES)
    name = f"{questionnaire.id.title()}V{questionnaire.version}Form"
    form_class = type(name, (QuestionnaireForm,), fields)
    _form_classes[id(questionnaire)] = (questionnaire, form_class)
    return form_class


def with_blank_defaults(
    questionnaire: Questionnaire, formdata: MultiDict[str, str]
) -> MultiDict[str, str]:
    """Fill what a browser leaves out: a blank optional item is "na", a blank safety item "skip"."""
    filled = MultiDict(formdata)
    for item in questionnaire.items:
        if item.optional and not filled.get(item.id):
            filled[item.id] = NOT_ANSWERED
    for safety_item in questionnaire.safety:
        if not filled.get(safety_item.id):
            filled[safety_item.id] = "skip"
    return filled


def error_summary(form: QuestionnaireForm) -> list[tuple[str, str, Markup | str]]:
    """(field id, message, question) for every field error, in question order."""
    rows = []
    for field in form:
        if field.errors:
            rows.append((field.id, field.errors[0], field.label.text))
    return rows


class DeleteResultForm(StrictForm):
    """Delete one check-up: the button carries ``confirm=yes``, so nothing goes by accident."""

    confirm = HiddenField(validators=[InputRequired(), AnyOf(["yes"])])
