"""The talk's forms: each POST carries exactly one of them (docs/architecture.md#forms).

A step's post says where to go (``step``) and, on the steps that choose something, the
choice. The "When / I feel / I'd like" parts are read, shown back whole and dropped: no
form here is ever stored as typed (docs/architecture.md#talk).
"""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..core import PlainText, StrictForm

# Long enough for a heartfelt clause, short enough to stay one sentence.
MAX_PART = 300
_PART = [
    InputRequired(_l("Please fill in this part.")),
    Length(max=MAX_PART),  # its message comes translated with WTForms (Flask-WTF's i18n)
    PlainText(_l("Please use letters, digits, spaces and punctuation only."), lines=True),
]


class StepForm(StrictForm):
    """Back or Next: the step to go to."""

    step = HiddenField()


class AreaForm(StrictForm):
    """Step 3: the area the two of you choose, and on to step 4."""

    step = HiddenField()
    dimension = HiddenField()


class SentenceForm(StrictForm):
    """Step 4: the speaker's sentence, in three parts, shown back whole."""

    step = HiddenField()
    # NOTE: The first of three parts of one sentence: "When …, I feel …, and I'd like …".
    when = TextAreaField(_l("When …"), validators=_PART)
    # NOTE: The second part of "When …, I feel …, and I'd like …".
    feel = TextAreaField(_l("I feel …"), validators=_PART)
    # NOTE: The last part of "When …, I feel …, and I'd like …".
    like = TextAreaField(_l("and I'd like …"), validators=_PART)


class ChoiceForm(StrictForm):
    """Step 5: the one small thing to try, and on to step 6."""

    step = HiddenField()
    strategy = HiddenField()


class ProposalForm(StrictForm):
    """The other person's answer to what the talk chose: ``yes`` or ``no``."""

    accept = HiddenField()


class PrepareForm(StrictForm):
    """Preparing alone: an area and the three parts of one sentence, shown back whole."""

    dimension = HiddenField()  # a select of the six areas; checked against their ids
    # NOTE: The first of three parts of one sentence: "When …, I feel …, and I'd like …".
    when = TextAreaField(_l("When …"), validators=_PART)
    # NOTE: The second part of "When …, I feel …, and I'd like …".
    feel = TextAreaField(_l("I feel …"), validators=_PART)
    # NOTE: The last part of "When …, I feel …, and I'd like …".
    like = TextAreaField(_l("and I'd like …"), validators=_PART)


STEP_FORMS: tuple[type[StrictForm], ...] = (StepForm, AreaForm, SentenceForm, ChoiceForm)


def posted_step_form() -> StrictForm | None:
    """The one step form whose fields the post holds exactly (each once), or None."""
    names = set(request.form)
    for form_class in STEP_FORMS:
        form = form_class()
        if form.field_names() == names and form.has_exact_fields():
            return form
    return None
