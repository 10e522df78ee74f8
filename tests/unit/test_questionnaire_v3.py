"""Version 3 of the check-up and the pulse: questions two people read the same way.

See docs/architecture.md#questionnaires and docs/architecture.md#versions.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from questionnaires.loader import QuestionnaireError, load_catalog
from questionnaires.models import DIMENSION_IDS, DOES_NOT_APPLY, PREFER_NOT_TO_SAY, Questionnaire
from questionnaires.timing import (
    SECONDS_PER_ANSWER,
    WORDS_PER_MINUTE,
    answers_to_give,
    count_words,
    seconds_to_answer,
    words_to_read,
)
from scoring import s_diff, score_assessment
from tests.unit.test_loader import _copy_definitions, _edit

CATALOG = load_catalog()
CHECKUP = CATALOG.get("checkup", 3)
PULSE = CATALOG.get("pulse", 3)
# Any word that names a time frame of its own: the intro names the one frame, once.
TIME_WORDS = re.compile(
    r"\b(past|week|weeks|month|months|year|years|today|tonight|lately|recently|ever|used to)\b",
    re.IGNORECASE,
)
WORK_WORDS = re.compile(r"\b(work|works|job|jobs|boss|colleague|colleagues|career)\b", re.I)
FREQUENCY = re.compile(r"\b(on most days|at least once a week)\b")
# An event that may not come up in a month: such a question offers "Doesn't apply to us".
EVENT = re.compile(r"\b(came up|big decisions)\b")


def _texts(questionnaire: Questionnaire) -> list[tuple[str, str]]:
    return [(item.id, item.text) for item in [*questionnaire.items, *questionnaire.safety]]


def test_the_intro_names_the_one_time_frame_once_and_no_question_brings_another() -> None:
    """ "The past month", said once by the intro; no question says a week, a year or "lately"."""
    assert (CHECKUP.intro or "").count("past month") == 1
    for item in CHECKUP.items:  # "at least once a week" is how often, within the month
        assert not TIME_WORDS.search(FREQUENCY.sub("", item.text)), item.id
    assert (PULSE.intro or "").count("past week") == 1
    for item in PULSE.items:
        assert not TIME_WORDS.search(item.text), item.id


def test_questions_that_count_say_how_often() -> None:
    """Affection, talk about the day, touch and time together: "on most days", "once a week"."""
    counting = {
        "com_days_shared",
        "emo_affection_most_days",
        "int_hugged_most_days",
        "rom_time_for_us_weekly",
    }
    for item_id in counting:
        assert FREQUENCY.search(CHECKUP.item(item_id).text), item_id


def test_every_question_says_who_and_assumes_no_job() -> None:
    """Never "one of us"; never work, a job or a boss; "my partner", never a gender."""
    for questionnaire in (CHECKUP, PULSE):
        for item_id, text in _texts(questionnaire):
            assert "one of us" not in text.lower(), item_id
            assert not WORK_WORDS.search(text), item_id
            assert " and " not in f" {text.lower()} ", item_id  # one idea per question


def test_an_event_that_may_not_happen_offers_doesnt_apply_to_us() -> None:
    """Something hard, a big decision, a special day: "Doesn't apply to us", scored as missing."""
    events = {item.id for item in CHECKUP.items if EVENT.search(item.text)}
    assert events == {"str_hard_as_team", "str_big_decisions_together", "rom_special_day_marked"}
    for item in CHECKUP.items:
        assert item.not_applicable == (item.id in events), item.id
        if item.not_applicable:
            assert item.left_label(CHECKUP.scale) == DOES_NOT_APPLY and not item.optional
    assert {i.left_label(CHECKUP.scale) for i in CHECKUP.items if i.optional} == {PREFER_NOT_TO_SAY}


def test_six_questions_per_area_two_naming_a_problem_intimacy_alone_optional() -> None:
    """Two reverse-keyed questions per area, so agreeing with everything is no pattern."""
    for dimension in DIMENSION_IDS:
        items = CHECKUP.items_of(dimension)
        assert len(items) == 6, dimension
        assert sum(item.reverse for item in items) == 2, dimension
        assert all(item.optional == (dimension == "intimacy") for item in items), dimension


def test_problems_are_stated_plainly_not_as_a_negated_positive() -> None:
    """A reverse-keyed question names the problem ("We avoided ..."), never "did not" or "never"."""
    for item in CHECKUP.items:
        if item.reverse:
            assert not re.search(r"\b(not|never|no)\b|n't", item.text, re.I), item.id


def test_appreciation_lives_in_one_area_and_support_is_the_couples_people() -> None:
    """Thanks sit in emotional needs only; no support question is about the partner alone."""
    appreciation = {
        item.dimension for item in CHECKUP.items if re.search(r"thank|appreciat", item.text, re.I)
    }
    assert appreciation == {"emotional_needs"}
    for item in CHECKUP.items_of("support"):
        assert not item.text.startswith("My partner"), item.id
    assert CHECKUP.dimension("stress").label == "Facing stress together"
    assert PULSE.dimension("stress").label == "Facing stress together"


def test_safety_names_coercive_control_in_plain_words() -> None:
    """Fear, physical harm, put-downs, money, phone and messages, sexual pressure: 5-6 questions."""
    texts = " ".join(item.text for item in CHECKUP.safety)
    assert 5 <= len(CHECKUP.safety) <= 6
    for words in (
        "afraid",
        "physically hurt",
        "puts me down",
        "humiliates",
        "keeps money from me",
        "my phone",
        "my messages",
        "where I go",
    ):
        assert words in texts, words
    forced = [item for item in CHECKUP.safety if item.topic == "sexual_violence"]
    assert [item.id for item in forced] == ["safe_forced"]
    (screen,) = PULSE.safety
    for words in ("afraid", "hurt me physically", "control", "Since my last check-in"):
        assert words in screen.text, words


def test_provisional_norms_are_cautious_and_say_why() -> None:
    """Check-up 0.70 (sd 18.0) with its reason in the YAML; the pulse 22.0 and 0.65."""
    for dimension in CHECKUP.dimensions:
        assert (dimension.norms.sd, dimension.norms.reliability) == (18.0, 0.70)
        assert "inter-item correlation" in (dimension.norms.source or "")
        assert round(1.96 * s_diff(dimension.norms), 1) == 27.3
    for dimension in PULSE.dimensions:
        assert (dimension.norms.sd, dimension.norms.reliability) == (22.0, 0.65)
    assert CHECKUP.overall_minimum == 5
    assert CATALOG.get("checkup", 2).overall_minimum == 6


def test_the_pulse_has_one_plain_question_per_area() -> None:
    """One question per area, none reverse-keyed or optional, one safety question."""
    assert [item.dimension for item in PULSE.items] == list(DIMENSION_IDS)
    assert not any(item.reverse or item.may_be_left for item in PULSE.items)
    assert len(PULSE.safety) == 1


def test_an_item_id_keeps_its_words_keying_and_hurt_in_every_version() -> None:
    """Ids are stable forever: the same id is the same question, keyed and marked the same."""
    seen: dict[str, tuple[Any, ...]] = {}
    for questionnaire in CATALOG.questionnaires.values():
        for item in questionnaire.items:
            shape = (item.text, item.dimension, item.reverse, item.hurt, item.may_be_left)
            assert seen.setdefault(item.id, shape) == shape, item.id
    v2_ids = {item.id for item in CATALOG.get("checkup", 2).items}
    kept = {item.id for item in CHECKUP.items} & v2_ids
    assert kept == {"sup_outside_help"}


def test_every_v3_question_can_suggest_something_safe_to_try() -> None:
    """A low answer to any v3 question triggers a strategy, and a safe one among them."""
    library = CATALOG.strategies
    for item in [*CHECKUP.items, *PULSE.items]:
        triggered = [s for s in library.strategies if item.id in s.triggers]
        assert triggered, item.id
        assert any(s.safe_if_flagged for s in triggered), item.id


# --- The time a questionnaire takes: one rule, from its own words. -----------------------------


def test_the_time_rule_is_250_words_a_minute_plus_2_seconds_an_answer() -> None:
    """Worked by hand over a tiny questionnaire: its words and answers give its seconds."""
    tiny = Questionnaire.model_validate(
        {
            "id": "tiny",
            "version": 1,
            "title": "Tiny",
            "intro": "About the past week.",  # 4 words
            "scale": {"min": 1, "max": 2, "labels": ["No", "Yes"]},  # 2
            "dimensions": [
                {"id": "support", "label": "S", "norms": {"sd": 1.0, "reliability": 0.5}}
            ],
            "items": [
                {"id": "a", "dimension": "support", "text": "We had help.", "reverse": False},
                {
                    "id": "b",
                    "dimension": "support",
                    "text": "We doesn't-count twice.",  # 3 words, "doesn't-count" is one
                    "reverse": False,
                    "not_applicable": True,  # "Doesn't apply to us": 4 words, once
                },
            ],
            "safety": [
                {"id": "s", "text": "I feel afraid."}
            ],  # 3, and Yes/No/I'd rather not say: 6
        }
    )
    assert count_words("I'd rather not say") == 4
    assert words_to_read(tiny) == 4 + 3 + 3 + 2 + 4 + 3 + 6
    assert answers_to_give(tiny) == 3
    assert seconds_to_answer(tiny) == pytest.approx(
        25 / WORDS_PER_MINUTE * 60 + 3 * SECONDS_PER_ANSWER
    )


def test_the_pulse_v3_reads_and_answers_in_under_a_minute() -> None:
    """By the rule every page shows: the pulse stays under 60 seconds."""
    assert seconds_to_answer(PULSE) <= 60


# --- No hurt answered with appeasement. --------------------------------------------------------

# Asking the person to give the partner more: thanks, praise, a note, a gift or surprise, a hug,
# or one-sided attention ("listen ... without fixing").
GIVING = re.compile(
    r"\b(thank your partner|praise|compliment|note|surprise|gift|hug|kiss|revisit|going back to"
    r"|listen for ten minutes)\b",
    re.IGNORECASE,
)


def test_every_strategy_that_gives_the_partner_more_is_marked() -> None:
    """A strategy asking for thanks, notes, hugs, surprises or one-sided attention says so."""
    marked = set()
    for strategy in CATALOG.strategies.strategies:
        if GIVING.search(f"{strategy.title} {strategy.action}"):
            assert strategy.gives_partner_more, strategy.id
        if strategy.gives_partner_more:
            marked.add(strategy.id)
    assert {"emo_thank_everyday", "rom_love_note", "int_long_hug", "com_listen_ten"} <= marked


def test_no_hurt_in_any_version_triggers_giving_the_partner_more() -> None:
    """Every version's "hurt" questions lead only to strategies that ask nothing more."""
    giving = {s.id: s for s in CATALOG.strategies.strategies if s.gives_partner_more}
    hurt = {item.id for q in CATALOG.questionnaires.values() for item in q.items if item.hurt}
    assert {"emo_respect", "com_validate", "emo_spoke_with_respect", "com_feelings_serious"} <= hurt
    for strategy in giving.values():
        assert not hurt & set(strategy.triggers), strategy.id


def test_a_partners_missing_care_is_not_answered_with_more_giving() -> None:
    """The review's pairs are gone: missing affection -> thanking, missing gestures -> a note,
    missing touch -> offering hugs, not being listened to -> listening more."""
    library = CATALOG.strategies
    for strategy_id, item_id in (
        ("emo_thank_everyday", "emo_affection"),
        ("rom_love_note", "rom_gestures"),
        ("int_long_hug", "int_touch"),
        ("com_listen_ten", "com_listen"),
        ("rom_love_note", "rom_small_signs"),
        ("int_long_hug", "int_hugged_most_days"),
        ("int_long_hug", "int_partner_pulled_away"),
        ("emo_thank_everyday", "emo_thanks_received"),
    ):
        assert item_id not in library.by_id(strategy_id).triggers, (strategy_id, item_id)


def test_a_result_with_a_hurt_offers_no_giving_at_all_not_even_for_the_area() -> None:
    """Unkind words answered low: nothing asks the person to give more, triggered or not."""
    library = CATALOG.strategies
    giving = {s.id for s in library.strategies if s.gives_partner_more}
    neutral = {item.id: 3 for item in CHECKUP.items}  # no trigger: area-wide choices only
    calm = score_assessment(CHECKUP, library, neutral, {})
    assert giving & {s.strategy_id for s in calm.suggestions}  # offered when there is no hurt
    for hurt_item in ("emo_spoke_with_respect", "com_feelings_serious"):
        hurt = score_assessment(CHECKUP, library, {**neutral, hurt_item: 1}, {})
        offered = {s.strategy_id for s in (*hurt.suggestions, *hurt.safe_suggestions)}
        assert offered and not giving & offered, hurt_item


def test_the_loader_refuses_a_hurt_answered_with_more_giving(tmp_path: Path) -> None:
    """A hurt item (any version) among a giving strategy's triggers stops start-up, naming it."""
    folder = _copy_definitions(tmp_path)
    where: list[int] = []

    def add_hurt_trigger(data: dict[str, Any]) -> None:
        index = next(i for i, s in enumerate(data["strategies"]) if s["id"] == "rom_love_note")
        where.append(index)
        data["strategies"][index]["triggers"].append("emo_respect")  # a v1 and v2 hurt

    _edit(folder, "strategies.yaml", add_hurt_trigger)
    with pytest.raises(QuestionnaireError) as raised:
        load_catalog(folder)
    error = raised.value
    triggers = len(CATALOG.strategies.by_id("rom_love_note").triggers)
    assert (error.file, error.path) == (
        "strategies.yaml",
        f"strategies[{where[0]}].triggers[{triggers}]",
    )
    assert "'emo_respect'" in error.why and "hurt: true in checkup.v1.yaml" in error.why


def test_the_loader_refuses_a_v3_hurt_too(tmp_path: Path) -> None:
    """The same for a v3 question: the check reads every version's hurt marks."""
    folder = _copy_definitions(tmp_path)
    _edit(
        folder,
        "strategies.yaml",
        lambda data: next(s for s in data["strategies"] if s["id"] == "emo_thank_everyday")[
            "triggers"
        ].append("emo_spoke_with_respect"),
    )
    with pytest.raises(QuestionnaireError, match=r"hurt: true in checkup\.v3\.yaml"):
        load_catalog(folder)


# --- Where the ideas come from. ------------------------------------------------------------------


def test_the_guide_lists_every_section_a_strategy_names() -> None:
    """Each card's "From the guide's section on ..." points at a section the guide lists."""
    guide = CATALOG.strategies.guide
    assert guide.title.startswith("How to Get My Husband to Love Me Again")
    listed = {section.id for section in guide.sections()}
    assert {s.section for s in CATALOG.strategies.strategies} <= listed
    assert [part.heading for part in guide.parts] == [
        "Understanding the Root Causes",
        "Rebuilding the Emotional Connection",
        "Reigniting the Spark of Romance",
        "Seeking External Support",
    ]
