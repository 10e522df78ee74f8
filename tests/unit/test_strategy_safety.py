"""Safe strategies: what a frightened person is shown asks nothing of the partner.

See docs/architecture.md#safety.

A person who said their partner frightens them sees only ``safe_if_flagged`` strategies,
and the partner may read their phone or find their notes. These tests hold the review of
``strategies.yaml`` in place: a reason for every safe one, none for an unsafe one, no notes
a partner could find, and advice left in every area.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from questionnaires.loader import QuestionnaireError, load_catalog
from questionnaires.models import DIMENSION_IDS, Strategy
from tests.unit.test_loader import _copy_definitions, _edit

ONLY_YOU = "somewhere only you can see, or in your head"
# Words that ask a person to put something on paper or a screen, which a partner could find.
WRITING = re.compile(
    r"\b(write|writes|writing|written|wrote|jot|jots|jotting|note|notes|noted|list|lists"
    r"|listing|paper|diary|journal|notebook|record)\b",
    re.IGNORECASE,
)
# Wordings the reviews took out: promises a small step cannot keep, and a need cast as a
# complaint or a fault (issues 22 and 24).
OVERCLAIMING_OR_BLAMING = (
    "makes it smaller",
    "brings energy back",
    "easier to hear than a complaint",
    "rebuilds the habit",
    "keep small things from",
    "becomes a shared problem",
    "make joint decisions possible",
    "makes room for each other again",
    "keeps romance from fading",
    "brings joy into",
    "builds closeness without pressure",
    "intimacy grows where",
    "your own patterns",
    "gives you new words",
)
# Found unsafe by the review of issue 22; each must stay unsafe.
UNSAFE_BY_REVIEW = ("com_notice_patterns", "com_i_statements", "int_read_up")


@pytest.fixture(scope="module")
def strategies() -> list[Strategy]:
    return load_catalog().strategies.strategies


def _first_index(data: dict[str, Any], safe: bool) -> int:
    return next(
        index
        for index, strategy in enumerate(data["strategies"])
        if strategy["safe_if_flagged"] is safe
    )


def _load_error(tmp_path: Path, change: Any) -> QuestionnaireError:
    folder = _copy_definitions(tmp_path)
    _edit(folder, "strategies.yaml", change)
    with pytest.raises(QuestionnaireError) as raised:
        load_catalog(folder)
    return raised.value


def _reason_refused(tmp_path: Path, safe: bool, reason: str | None) -> str:
    """Give the first strategy that is (or is not) safe when flagged this ``safe_because``
    (None: none at all); loading must stop naming the file and that field. Its reason why."""
    where: list[int] = []

    def change(data: dict[str, Any]) -> None:
        where.append(_first_index(data, safe=safe))
        strategy = data["strategies"][where[0]]
        if reason is None:
            del strategy["safe_because"]
        else:
            strategy["safe_because"] = reason

    error = _load_error(tmp_path, change)
    assert (error.file, error.path) == ("strategies.yaml", f"strategies[{where[0]}].safe_because")
    return error.why


def test_does_a_safe_strategy_without_safe_because_fail_loading_with_file_and_path(
    tmp_path: Path,
) -> None:
    """A safe strategy whose reason is missing stops start-up at strategies[n].safe_because."""
    assert "needs safe_because" in _reason_refused(tmp_path, safe=True, reason=None)


@pytest.mark.parametrize("blank", ["", "   "])
def test_is_a_blank_safe_because_refused_like_a_missing_one(tmp_path: Path, blank: str) -> None:
    """An empty or all-space reason is no reason."""
    _reason_refused(tmp_path, safe=True, reason=blank)


def test_does_safe_because_on_an_unsafe_strategy_fail_loading_with_file_and_path(
    tmp_path: Path,
) -> None:
    """A reason beside safe_if_flagged: false would read as cleared; loading refuses it."""
    why = _reason_refused(tmp_path, safe=False, reason="It seems fine.")
    assert "only a strategy with safe_if_flagged: true" in why


def test_is_safe_because_one_line() -> None:
    """The reason is one reviewed line, not a paragraph."""
    with pytest.raises(ValidationError, match="must be one line"):
        Strategy(
            id="one_line",
            dimension="support",
            title="A title",
            action="Do one small thing this week.",
            why="Because it helps.",
            section="quality time",
            safe_if_flagged=True,
            safe_because="It asks nothing of the partner.\nAnd more.",
        )


def test_does_every_shipped_safe_strategy_say_why_and_no_unsafe_one_does(
    strategies: list[Strategy],
) -> None:
    """Each safe strategy carries its one-line reason; no unsafe one carries any."""
    for strategy in strategies:
        if strategy.safe_if_flagged:
            assert strategy.safe_because and strategy.safe_because.strip(), strategy.id
        else:
            assert strategy.safe_because is None, strategy.id


@pytest.mark.parametrize("strategy_id", UNSAFE_BY_REVIEW)
def test_are_the_three_strategies_the_review_found_unsafe_kept_unsafe(
    strategies: list[Strategy], strategy_id: str
) -> None:
    """Fixing the relationship, raising needs, "change is normal": never shown while afraid."""
    strategy = next(s for s in strategies if s.id == strategy_id)
    assert strategy.safe_if_flagged is False


def test_does_every_safe_strategy_that_suggests_writing_keep_it_where_only_you_can_see(
    strategies: list[Strategy],
) -> None:
    """A note a partner finds can put a person in danger: writing is kept out of sight."""
    writing = [
        s for s in strategies if s.safe_if_flagged and WRITING.search(s.title + " " + s.action)
    ]
    assert writing, "the check has something to check (str_write_it_down lists worries)"
    for strategy in writing:
        assert ONLY_YOU in strategy.action, strategy.id


def test_does_the_writing_check_see_the_words_it_is_for() -> None:
    """Does the pattern catch each way of asking for a note, and pass plain thinking?"""
    for text in ("Write it down", "jot a line", "note how to reach them", "list your worries"):
        assert WRITING.search(text), text
    for text in ("Notice a feeling", "Keep it in your head", "Listen for ten minutes"):
        assert not WRITING.search(text), text


def test_does_every_dimension_keep_two_safe_strategies_in_the_shipped_file(
    strategies: list[Strategy],
) -> None:
    """A flagged result still offers something safe for whichever areas score lowest."""
    safe = Counter(s.dimension for s in strategies if s.safe_if_flagged)
    for dimension in DIMENSION_IDS:
        assert safe[dimension] >= 2, dimension


def test_does_no_shipped_strategy_overclaim_or_blame(strategies: list[Strategy]) -> None:
    """No promise that a step shrinks stress or restores energy; no need called a complaint."""
    library = load_catalog().strategies
    texts = [
        (s.id, text)
        for s in strategies
        for text in (s.title, s.action, s.why, s.safe_because or "")
    ]
    texts += [
        (starter.id, starter.text)
        for starters in library.conversations.values()
        for starter in starters
    ]
    for where, text in texts:
        for phrase in OVERCLAIMING_OR_BLAMING:
            assert phrase not in text.lower(), (where, phrase)


def test_are_the_forced_sex_questions_marked_sexual_violence_in_every_version() -> None:
    """After a "yes" to forced sex no intimacy advice is shown; the app finds it by topic."""
    catalog = load_catalog()
    for key in (("checkup", 1), ("checkup", 2), ("pulse", 1)):
        forced = next(i for i in catalog.get(*key).safety if i.id == "safe_forced")
        assert forced.topic == "sexual_violence", key
    for questionnaire in catalog.questionnaires.values():
        for item in questionnaire.safety:
            if "sexual" in item.text.lower():
                assert item.topic == "sexual_violence", (questionnaire.key, item.id)
