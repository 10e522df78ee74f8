"""Versions 2 and 3 of the check-up and the pulse, written by the rules (v3: test_questionnaire_v3).

See docs/architecture.md#questionnaires and docs/architecture.md#versions.
"""

from __future__ import annotations

import re

from questionnaires.models import DIMENSION_IDS
from tests.unit.test_loader import FIRST_PERSON, GENDERED

TIME_WORDS = re.compile(r"\b(week|month|year|today|tonight)\b", re.IGNORECASE)


def test_v3_is_latest_and_v1_v2_stay_loaded(catalog) -> None:
    """New assessments use v3; v1 and v2 stay in the catalog to score and show old ones."""
    assert catalog.latest("checkup").version == 3
    assert catalog.latest("pulse").version == 3
    for qid in ("checkup", "pulse"):
        for version in (1, 2):
            assert catalog.get(qid, version).version == version
        ids = [d.id for d in catalog.get(qid, 3).dimensions]
        for version in (1, 2):
            assert ids == [d.id for d in catalog.get(qid, version).dimensions]
        assert ids == list(DIMENSION_IDS)


def test_every_item_of_every_version_follows_the_writing_rules(catalog) -> None:
    """One idea (no "and"), first person, "my partner" never a gender, in every version."""
    for questionnaire in catalog.questionnaires.values():
        for item in [*questionnaire.items, *questionnaire.safety]:
            where = (questionnaire.key, item.id)
            assert not re.search(r"\band\b", item.text, re.IGNORECASE), where
            assert not GENDERED.search(item.text), where
            assert FIRST_PERSON.search(item.text), where
            assert "partner" not in item.text.replace("my partner", "").replace("My partner", "")


def test_checkup_v2_keeps_five_or_six_items_with_a_reverse_one(catalog) -> None:
    """Each area keeps 5-6 items with one reverse-keyed; intimacy alone is optional."""
    checkup = catalog.get("checkup", 2)
    for dimension in DIMENSION_IDS:
        items = checkup.items_of(dimension)
        assert 5 <= len(items) <= 6, dimension
        assert any(item.reverse for item in items), dimension
        assert all(item.optional == (dimension == "intimacy") for item in items), dimension
    assert 3 <= len(checkup.safety) <= 4


def test_checkup_v2_asks_about_shared_interests_and_the_persons_own_part(catalog) -> None:
    """New items: an interest shared, my own listening, my own thanks (first person "I")."""
    checkup = catalog.get("checkup", 2)
    shared = checkup.item("rom_interest_shared")
    assert "interest we share" in shared.text
    own_listening = checkup.item("com_own_listen")
    own_thanks = checkup.item("emo_own_thanks")
    assert re.search(r"\bI give\b", own_listening.text) and "attention" in own_listening.text
    assert re.search(r"\bI thanked my partner\b", own_thanks.text)
    assert not any(i.reverse for i in (shared, own_listening, own_thanks))


def test_safety_items_of_v2_cannot_be_misread(catalog) -> None:
    """Harm is "physically"; fear, control and pressure are named in plain words."""
    checkup, pulse = catalog.get("checkup", 2), catalog.get("pulse", 2)
    texts = [item.text for item in checkup.safety]
    assert any("afraid" in t for t in texts)
    assert any("physically hurt" in t for t in texts)
    assert any("control" in t for t in texts)
    assert any("pressured" in t for t in texts)
    for text in [*texts, *(item.text for item in pulse.safety)]:
        if "hurt" in text:
            assert "physically hurt" in text, text
    (screen,) = pulse.safety
    assert "afraid" in screen.text and "physically hurt" in screen.text


def test_an_item_id_means_the_same_words_in_every_version(catalog) -> None:
    """Item ids are stable: a reworded item gets a new id, never the old one."""
    seen: dict[str, str] = {}
    for questionnaire in catalog.questionnaires.values():
        for item in [*questionnaire.items, *questionnaire.safety]:
            assert seen.setdefault(item.id, item.text) == item.text, item.id
    v1 = {i.id for i in catalog.get("checkup", 1).safety}
    v2 = {i.id for i in catalog.get("checkup", 2).safety}
    assert "safe_hurt" in v1 and "safe_hurt" not in v2  # "hurt me" was read as hurt feelings


def test_pulse_v2_keeps_one_time_frame(catalog) -> None:
    """The page names the past week once; no item brings in another time frame."""
    pulse = catalog.get("pulse", 2)
    assert "past week" in (pulse.intro or "")
    assert "month" not in (pulse.description or "") + (pulse.intro or "")
    for item in [*pulse.items, *pulse.safety]:
        assert not TIME_WORDS.search(item.text), item.id


def test_strategies_are_triggered_by_the_new_items(catalog) -> None:
    """Every item new in v2 can trigger a strategy, so a low answer still gets advice."""
    triggers = {t for s in catalog.strategies.strategies for t in s.triggers}
    for qid in ("checkup", "pulse"):
        new = {i.id for i in catalog.get(qid, 2).items} - {i.id for i in catalog.get(qid, 1).items}
        assert new, qid
        assert new <= triggers, new - triggers
