"""Pydantic models of ``helplines.yaml``: help where the person is
(docs/architecture.md#help-lines).

Every number is a fact shipped to someone who may be in danger, so each entry names the
public page it was checked against and the day.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal, get_args

from babel import Locale
from pydantic import Field, field_validator, model_validator

from .models import _located, _Strict

_PHONE = r"^\+?[0-9][0-9 ()-]*[0-9]$"
_COUNTRY_CODE = r"[A-Z]{2}"
# https only: a page a person in danger opens must not travel in the clear.
_PUBLIC_URL = r"^https://[^\s/]+\.[^\s]+$"
# What a service is for: domestic abuse, sexual violence, an emotional crisis or suicide
# prevention, and lines for men or LGBT+ people experiencing abuse.
Topic = Literal["abuse", "sexual_violence", "crisis", "men", "lgbt"]
TOPICS: tuple[Topic, ...] = get_args(Topic)
# Every listed country has an abuse line, and a line of each of these or says that none could
# be checked yet (docs/architecture.md#help-lines).
ACCOUNTED_TOPICS: tuple[Topic, ...] = ("crisis", "sexual_violence")
# The languages a line may say it answers in: the two-letter ISO 639-1 codes that Babel's
# CLDR data names (184 of them), so a typo such as "sp" or "ger" stops start-up instead of
# quietly never matching a page's language (docs/architecture.md#help-lines).
LANGUAGE_CODES: frozenset[str] = frozenset(
    code for code in map(str, Locale("en").languages) if re.fullmatch(r"[a-z]{2}", code)
)


class _Checked(_Strict):
    """A fact shipped to a person in danger: where it was checked, and when."""

    source: str = Field(pattern=_PUBLIC_URL)
    verified: date


class HelplineService(_Checked):
    """One line a person can call or text; at least a phone, a text or a web address."""

    name: str = Field(min_length=1)
    # The part of the country it serves (a province, one of the UK's nations); None when
    # it serves the whole country. A regional line is shown under its area, never as the
    # country's own.
    area: str | None = Field(default=None, min_length=1)
    topics: list[Topic] = Field(min_length=1)
    phone: str | None = Field(default=None, pattern=_PHONE)
    # An SMS line: the number to text, and the word to send when the service asks for one.
    text: str | None = Field(default=None, pattern=_PHONE)
    text_word: str | None = Field(default=None, pattern=r"^[A-Za-z0-9]{1,20}$")
    note: str | None = Field(default=None, min_length=1)  # when to use it, in a few words
    url: str | None = Field(default=None, pattern=_PUBLIC_URL)
    hours: str | None = None
    # The languages its own (or a government) page says it answers in, as ISO 639-1 codes;
    # empty when no checked page says. The help page lists lines answering in the page's
    # language first (docs/architecture.md#help-lines).
    languages: list[str] = Field(default_factory=list)

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if code not in LANGUAGE_CODES:
                raise ValueError(f"{code!r} is not an ISO 639-1 language code like 'es'")
        if len(set(codes)) != len(codes):
            raise ValueError("a language is listed twice")
        return codes

    def answers_in(self, language: str | None) -> bool:
        """Whether a checked page says this line answers in ``language`` (a code like "es")."""
        return language is not None and language in self.languages

    @model_validator(mode="after")
    def _reachable(self) -> HelplineService:
        if not (self.phone or self.text or self.url):
            raise _located(("phone",), "a service needs a phone, a text or a url")
        return self

    @property
    def tel(self) -> str | None:
        """The phone number as a ``tel:`` link wants it: digits, and a leading + if any."""
        return _tel(self.phone) if self.phone else None

    @property
    def sms(self) -> str | None:
        """The text line as an ``sms:`` link, with the word to send already in the message."""
        if not self.text:
            return None
        return _tel(self.text) + (f"?body={self.text_word}" if self.text_word else "")


class HelplineCountry(_Checked):
    """A country's emergency number (checked at ``source``) and its help lines."""

    name: str = Field(min_length=1)
    emergency: str = Field(pattern=r"^[0-9]{2,6}$")
    emergency_note: str | None = Field(default=None, min_length=1)
    services: list[HelplineService] = Field(min_length=1)
    # Kinds of line the country surely has but that no official page in reach confirmed
    # yet: pages say so plainly and point to the emergency number and the directory.
    unchecked: list[Topic] = Field(default_factory=list)

    @model_validator(mode="after")
    def _every_kind_of_help_accounted_for(self) -> HelplineCountry:
        if not self.serves("abuse"):
            raise _located(("services",), "needs at least one abuse line")
        for topic in ACCOUNTED_TOPICS:
            if not self.serves(topic) and topic not in self.unchecked:
                raise _located(
                    ("services",),
                    f"needs a {topic} line, or {topic!r} in unchecked until one is checked",
                )
        for index, topic in enumerate(self.unchecked):
            if self.serves(topic):
                raise _located(("unchecked", index), f"{topic!r} has a line listed already")
        return self

    def serves(self, topic: Topic) -> list[HelplineService]:
        """The services of one topic, in file order."""
        return [service for service in self.services if topic in service.topics]


class HelplineDirectory(_Checked):
    """Where to look when a person's country is not listed."""

    name: str = Field(min_length=1)
    url: str = Field(pattern=_PUBLIC_URL)
    about: str = Field(min_length=1)


class Helplines(_Strict):
    """Every listed country by ISO 3166-1 alpha-2 code, plus an international directory."""

    directory: HelplineDirectory
    countries: dict[str, HelplineCountry] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_are_iso(self) -> Helplines:
        for code in self.countries:
            if not re.fullmatch(_COUNTRY_CODE, code):
                raise _located(
                    ("countries", code), f"{code!r} is not an ISO 3166-1 alpha-2 code like 'US'"
                )
        return self

    def country(self, code: str) -> HelplineCountry | None:
        """The listed country with this code (any case), or None."""
        return self.countries.get(code.upper()) if code else None

    def choices(self) -> list[tuple[str, str]]:
        """(code, name) for every listed country, by name."""
        return sorted(((c, k.name) for c, k in self.countries.items()), key=lambda p: p[1])


def _tel(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"+{digits}" if phone.startswith("+") else digits
