"""The prompts of a talk (``strategies.yaml`` ``talk:``): every area has lines to speak and to
listen, each with an id of its own, written as the design asks; a broken section stops
start-up naming the file and the place in it.

See docs/architecture.md#talk and #questionnaires.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from questionnaires.loader import QuestionnaireError, load_catalog
from questionnaires.models import DIMENSION_IDS
from tests.unit.test_loader import GENDERED, _copy_definitions, _edit, _set
from tests.web.test_texts import slips

BLAMING = ("you always", "you never", "your fault", "bad", "failing")


@pytest.fixture(scope="module")
def talk():  # type: ignore[no-untyped-def]
    return load_catalog().strategies.talk


def test_every_area_has_lines_to_speak_and_to_listen(talk) -> None:
    """Does each of the six areas give the speaker a "When …, I feel …, I'd like …" line and
    the listener a "What I heard is … Did I get that right?" line?"""
    assert set(talk) == set(DIMENSION_IDS)
    for dimension, prompts in talk.items():
        assert prompts.speaker and prompts.listener, dimension
        for prompt in prompts.speaker:
            assert prompt.text.startswith("When "), prompt.id
            assert "I feel" in prompt.text and "I'd like" in prompt.text, prompt.id
        for prompt in prompts.listener:
            assert "What I heard is" in prompt.text, prompt.id
            assert "Did I get that right?" in prompt.text, prompt.id


def test_prompts_read_warm_plain_and_never_assume_a_gender(talk) -> None:
    """No he or she, no blame, no slips (doubled stops), a gap for the person's own words."""
    texts = {
        prompt.id: prompt.text
        for prompts in talk.values()
        for prompt in (*prompts.speaker, *prompts.listener)
    }
    for prompt_id, text in texts.items():
        assert not GENDERED.search(text), prompt_id
        assert not any(word in text.lower() for word in BLAMING), prompt_id
        assert slips(text) == [], prompt_id
        assert "…" in text, prompt_id


def test_every_prompt_id_is_its_own(talk) -> None:
    """Is each prompt id used once, by no other prompt and by no strategy?"""
    library = load_catalog().strategies
    ids = [p.id for prompts in talk.values() for p in (*prompts.speaker, *prompts.listener)]
    assert len(ids) == len(set(ids))
    assert not set(ids) & {s.id for s in library.strategies}


def _drop_stress(data: dict[str, Any]) -> None:
    del data["talk"]["stress"]


def _repeat_a_prompt_id(data: dict[str, Any]) -> None:
    first = data["talk"]["communication"]["speaker"][0]["id"]
    data["talk"]["romance"]["listener"][1]["id"] = first


def _name_a_prompt_like_a_strategy(data: dict[str, Any]) -> None:
    data["talk"]["support"]["speaker"][0]["id"] = data["strategies"][0]["id"]


BROKEN: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("an area without prompts", _drop_stress, "talk: dimension 'stress' has no talk prompts"),
    (
        "one id for two prompts",
        _repeat_a_prompt_id,
        "talk.romance.listener[1].id: duplicate strategy or prompt id",
    ),
    (
        "a prompt named like a strategy",
        _name_a_prompt_like_a_strategy,
        "talk.support.speaker[0].id: duplicate strategy or prompt id",
    ),
    (
        "nobody to listen",
        _set(["talk", "intimacy", "listener"], []),
        "talk.intimacy.listener",
    ),
    (
        "a prompt without words",
        _set(["talk", "communication", "speaker", 0, "text"], ""),
        "talk.communication.speaker[0].text",
    ),
    (
        "an area that does not exist",
        _set(["talk", "money"], {"speaker": [], "listener": []}),
        "talk.money",
    ),
    (
        "a prompt without an id",
        _set(["talk", "stress", "speaker", 0], {"text": "When …, I feel …, and I'd like …"}),
        "talk.stress.speaker[0].id",
    ),
]


@pytest.mark.parametrize(("case", "change", "where"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_talk_section_names_the_file_and_the_place(tmp_path, case, change, where) -> None:
    """Does each broken ``talk:`` stop loading, saying where in strategies.yaml?"""
    folder = _copy_definitions(tmp_path)
    _edit(folder, "strategies.yaml", change)
    with pytest.raises(QuestionnaireError) as raised:
        load_catalog(folder)
    message = str(raised.value)
    assert message.startswith("strategies.yaml: "), message
    assert where in message, message
