"""Talk pages in the reader's language: a list of areas is joined
the way the reader's language joins a list (docs/architecture.md#languages)."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.support.talking import Couple, begun, go, linked_couple
from tests.web.test_talk import FIRST, SECOND

# The sentence around the list, as each language's catalog words it.
STRENGTHS = {
    "en": re.compile(r"You both see (.*?)\s+as a strength", re.S),
    "de": re.compile(r"Ihr seht beide (.*?)\s+als Stärke", re.S),
}


@pytest.fixture
def couple(app: Flask) -> Couple:
    """alex and sam, linked, each with one shared check-up (intimacy and support: strengths)."""
    return linked_couple(app, FIRST, SECOND)


@pytest.mark.parametrize(
    ("language", "intimacy", "joined_by", "support"),
    [
        ("en", "intimacy", " and ", "support and growth"),
        ("de", "Intimität", " und ", "Unterstützung und Wachstum"),
    ],
)
def test_shared_strengths_are_joined_as_the_readers_language_joins_a_list(
    couple: Couple, language: str, intimacy: str, joined_by: str, support: str
) -> None:
    """Does step 2 join the two shared strengths, named in the reader's language (German nouns
    keep their capital), with the reader's own word for "and"?"""
    number = begun(couple)
    assert go(couple.first, number, 2).status_code == 303
    response = couple.first.client.get(f"/talk/{number}", headers={"Accept-Language": language})
    assert response.status_code == 200
    found = STRENGTHS[language].search(response.get_data(as_text=True))
    assert found is not None
    assert found.group(1) == (
        f'<strong data-strength="intimacy">{intimacy}</strong>{joined_by}'
        f'<strong data-strength="support">{support}</strong>'
    )
