"""Pydantic models of ``helplines.yaml``: help where the person is
(docs/architecture.md#help-lines).

Every number is a fact shipped to someone who may be in danger, so each entry names the
public page it was checked against and the day.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import Field, model_validator

from .models import _located, _Strict

_PHONE = r"^\+?[0-9][0-9 ()-]*[0-9]$"
_COUNTRY_CODE = r"[A-Z]{2}"
_PUBLIC_URL = r"^https?://[^\s/]+\.[^\s]+$"


class _Checked(_Strict):
    """A fact shipped to a person in danger: where it was checked, and when."""

    source: str = Field(pattern=_PUBLIC_URL)
    verified: date


class HelplineService(_Checked):
    """One line a person can call or text; at least a phone, a text or a web address."""

    name: str = Field(min_length=1)
    phone: str | None = Field(default=None, pattern=_PHONE)
    text: str | None = Field(default=None, min_length=1)
    url: str | None = Field(default=None, pattern=_PUBLIC_URL)
    hours: str | None = None
    languages: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _reachable(self) -> HelplineService:
        if not (self.phone or self.text or self.url):
            raise _located(("phone",), "a service needs a phone, a text or a url")
        return self

    @property
    def tel(self) -> str | None:
        """The phone number as a ``tel:`` link wants it: digits, and a leading + if any."""
        return _tel(self.phone) if self.phone else None


class HelplineCountry(_Checked):
    """A country's emergency number (checked at ``source``) and its domestic-abuse lines."""

    name: str = Field(min_length=1)
    emergency: str = Field(pattern=r"^[0-9]{2,6}$")
    services: list[HelplineService] = Field(min_length=1)


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
