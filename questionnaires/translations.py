"""The questionnaires, strategies and help lines in another language, keyed by the source's ids.

A translation file (``questionnaires/i18n/<lang>/<file>``, one per source file) is a flat
mapping from a text's key to its words in that language::

    title: Revisión de la relación
    dimensions.communication.label: Comunicación
    items.com_listened_to_me.text: Mi pareja me escuchó de verdad cuando le hablé de mi día.

A key names where the text lives in the source: a list of entries with ids is keyed by id (an
item, a strategy, a dimension), a help-line service by its own name (which is never
translated), a list of words by position (``scale.labels.0``). Only words a person reads
are keyed; ids, numbers, scoring keys and flags come from the source alone, so a translation
can never change a score (docs/architecture.md#languages). A file must hold every key of its
source and nothing else; start-up stops on a missing or unknown key, naming file and key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from . import models
from .helplines import HelplineCountry, HelplineDirectory, Helplines, HelplineService

Model = TypeVar("Model", bound=BaseModel)

# The fields a person reads, per kind of entry. Everything else (ids, keys, numbers, flags,
# sources, phone numbers, services' own names) is the source's in every language.
READ_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {
    models.Questionnaire: ("title", "description", "intro"),
    models.Scale: ("labels", "prefer_not_to_say", "does_not_apply"),
    models.Dimension: ("label", "description"),
    models.Norms: ("source",),
    models.Item: ("text",),
    models.SafetyItem: ("text",),
    models.Strategy: ("title", "action", "why", "safe_because"),
    models.Starter: ("text",),
    models.TalkPrompt: ("text",),
    models.Guide: ("title",),
    models.GuidePart: ("heading",),
    models.GuideSection: ("heading",),
    HelplineDirectory: ("about",),
    HelplineCountry: ("name", "emergency_note"),
    HelplineService: ("area", "note", "hours"),
}


class TranslationError(ValueError):
    """A translation file does not match its source: which file, which key, and why."""

    def __init__(self, file: str, key: str, why: str) -> None:
        self.file = file
        self.key = key
        self.why = why
        super().__init__(f"{file}: {key}: {why}" if key else f"{file}: {why}")


def _entry_key(entry: BaseModel, index: int) -> str:
    """How an entry of a list is named in a key: its id, a service's own name, else its place."""
    for field in ("id", "name"):
        value = getattr(entry, field, None)
        if isinstance(value, str):
            return value
    return str(index)


def _children(model: BaseModel) -> Iterator[tuple[str, str, Any]]:
    """(field, key part, value) for every nested model, in a list or a mapping or alone."""
    for field in type(model).model_fields:
        value = getattr(model, field)
        if isinstance(value, BaseModel):
            yield field, field, value
        elif isinstance(value, list):
            for index, entry in enumerate(value):
                if isinstance(entry, BaseModel):
                    yield field, f"{field}.{_entry_key(entry, index)}", entry
        elif isinstance(value, dict):
            for name, entry in value.items():
                if isinstance(entry, BaseModel):
                    yield field, f"{field}.{name}", entry
                elif isinstance(entry, list):
                    for index, inner in enumerate(entry):
                        if isinstance(inner, BaseModel):
                            key = f"{field}.{name}.{_entry_key(inner, index)}"
                            yield field, key, inner


def source_texts(model: BaseModel, prefix: str = "") -> dict[str, str]:
    """Every text a person reads in ``model``, by its key: what a translation file holds."""
    texts: dict[str, str] = {}
    for field in READ_FIELDS.get(type(model), ()):
        value = getattr(model, field)
        if isinstance(value, str):
            texts[prefix + field] = value
        elif isinstance(value, list):
            for index, words in enumerate(value):
                texts[f"{prefix}{field}.{index}"] = words
    for _field, key, child in _children(model):
        texts.update(source_texts(child, f"{prefix}{key}."))
    return texts


def _translated(model: Model, texts: Mapping[str, str], prefix: str) -> Model:
    """A copy of ``model`` with its read fields' words from ``texts``, all the way down."""
    update: dict[str, Any] = {}
    for field in READ_FIELDS.get(type(model), ()):
        value = getattr(model, field)
        if isinstance(value, str):
            update[field] = texts[prefix + field]
        elif isinstance(value, list):
            update[field] = [texts[f"{prefix}{field}.{i}"] for i in range(len(value))]
    for field in type(model).model_fields:
        value = getattr(model, field)
        if isinstance(value, BaseModel):
            update[field] = _translated(value, texts, f"{prefix}{field}.")
        elif isinstance(value, list) and any(isinstance(e, BaseModel) for e in value):
            update[field] = [
                _translated(entry, texts, f"{prefix}{field}.{_entry_key(entry, index)}.")
                for index, entry in enumerate(value)
            ]
        elif isinstance(value, dict):
            update[field] = {
                name: _translated_value(entry, texts, f"{prefix}{field}.{name}.")
                for name, entry in value.items()
            }
    return model.model_copy(update=update)


def _translated_value(value: Any, texts: Mapping[str, str], prefix: str) -> Any:
    """A mapping's value: a model, a list of models, or anything else kept as it is."""
    if isinstance(value, BaseModel):
        return _translated(value, texts, prefix)
    if isinstance(value, list):
        return [
            _translated(entry, texts, f"{prefix}{_entry_key(entry, index)}.")
            if isinstance(entry, BaseModel)
            else entry
            for index, entry in enumerate(value)
        ]
    return value


def translate(source: Model, texts: Mapping[str, object], file: str) -> Model:
    """``source`` in another language. Every key of the source must be in ``texts``, with
    words (a non-empty string), and nothing else may be: a file that drifted from its source
    stops start-up, naming the file and the key."""
    expected = source_texts(source)
    for key in expected:
        if key not in texts:
            raise TranslationError(file, key, "missing: the source has this text")
        words = texts[key]
        if not isinstance(words, str) or not words.strip():
            raise TranslationError(file, key, "must be the text's words, not empty")
    for key in texts:
        if key not in expected:
            raise TranslationError(file, key, "unknown: the source has no such text")
    return _translated(source, {k: str(v).strip() for k, v in texts.items()}, "")


def translate_questionnaire(
    source: models.Questionnaire, texts: Mapping[str, object], file: str
) -> models.Questionnaire:
    """One questionnaire version in another language."""
    return translate(source, texts, file)


def translate_library(
    source: models.StrategyLibrary, texts: Mapping[str, object], file: str
) -> models.StrategyLibrary:
    """The strategies, starters, talk prompts and guide headings in another language."""
    return translate(source, texts, file)


def translate_helplines(source: Helplines, texts: Mapping[str, object], file: str) -> Helplines:
    """The help lines' notes, hours, areas and country names in another language; numbers,
    sources and the services' own names are the source's."""
    return translate(source, texts, file)


def missing_texts(source: BaseModel, texts: Mapping[str, object]) -> dict[str, str]:
    """The source's texts a translation file lacks, with their English words: what a
    translator still has to write (``python -m questionnaires.translations``)."""
    return {key: words for key, words in source_texts(source).items() if key not in texts}
