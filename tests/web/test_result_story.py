"""A result opens with its story, and suggests a counsellor when most areas need care.

The story is two or three sentences: what changed reliably since last time, the areas to
focus on, and what the person said helped (docs/architecture.md#safety: after the help panel
when they are recently flagged, and never a counsellor then).
"""

from __future__ import annotations

import html as markup
import re

from sqlalchemy import select

from assessment.core import Plan, db
from tests.conftest import Person, keyed_answers, levels, safety_answers

# Romance (0.0) and communication (25.0) lowest: the two areas to focus on.
SPREAD = levels(communication=2, stress=4, romance=1, intimacy=5, support=4)


def _story(page: str) -> str:
    found = re.search(r'<p class="lead story" id="story">(.*?)</p>', page, re.S)
    assert found, "the result has no story"
    return markup.unescape(" ".join(found.group(1).split()))


def _result(member: Person, result_id: int) -> str:
    return member.client.get(f"/results/{result_id}").get_data(as_text=True)


def test_a_first_checkup_says_it_is_the_first_and_names_the_focus(member, checkup) -> None:
    """First one: nothing to compare yet, and the two lowest areas to focus on, before the radar."""
    page = _result(member, member.take(checkup, SPREAD))
    assert _story(page) == (
        "This is your first relationship check-up, so there is nothing to compare with yet."
        " The areas to focus on now are romance and communication."
    )
    assert page.index('id="story"') < page.index('class="radar"') < page.index('id="focus-heading"')


def test_a_retake_with_a_reliable_change_names_it(member, checkup) -> None:
    """Communication from 25 to 75: a reliable improvement, said in the first sentence."""
    member.take(checkup, SPREAD)
    page = _result(member, member.take(checkup, dict(SPREAD, communication=4)))
    story = _story(page)
    assert re.fullmatch(
        r"Since your relationship check-up on \d+ \w+ \d{4}, communication showed a reliable"
        r" improvement\. The areas to focus on now are romance and emotional needs\.",
        story,
    ), story


def test_a_retake_without_a_reliable_change_says_so(member, checkup) -> None:
    """The same answers again: nothing changed by more than scores move on their own."""
    member.take(checkup, SPREAD)
    story = _story(_result(member, member.take(checkup, SPREAD)))
    assert "no area changed by more than scores move on their own" in story
    assert "reliable" not in story


def test_a_decline_is_named_too(member, checkup) -> None:
    """Stress from 75 to 0 beside communication up: both, in one sentence."""
    member.take(checkup, SPREAD)
    story = _story(_result(member, member.take(checkup, dict(SPREAD, communication=4, stress=1))))
    stress = checkup.dimension("stress").label.lower()
    assert f"communication showed a reliable improvement and {stress} a reliable decline" in story


def test_what_the_person_said_helped_is_the_third_sentence(member, checkup, pulse, app) -> None:
    """A plan tried and said to help, at the next check-in: its result names it."""
    first = member.take(checkup, SPREAD)
    strategy = re.search(r'data-strategy="(\w+)"', _result(member, first)).group(1)
    chosen = member.choose_plan(first, strategy)
    assert chosen.status_code == 303
    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id))
    title = app.extensions["rekindle.catalog"].strategies.by_id(strategy).title
    said = {f"plan_{plan_id}_tried": "yes", f"plan_{plan_id}_helped": "yes"}
    answers = keyed_answers(pulse, SPREAD)
    response = member.submit("pulse", answers, safety_answers(pulse), extra=said)
    story = _story(_result(member, member.result_id(response)))
    assert story.endswith(f"You said “{title}” helped.")
    assert story.count(".") >= 3


def test_while_flagged_the_story_follows_the_help_and_names_no_focus(member, checkup) -> None:
    """Help first; then the story, which says which areas were lowest, not what to work on."""
    page = _result(member, member.take(checkup, SPREAD, flagged=True))
    assert page.index('id="safety-resources"') < page.index('id="story"')
    story = _story(page)
    assert "Your lowest areas this time: romance and communication." in story
    assert "focus" not in story


# Three areas at 25.0 ("room to grow"), the others steady.
THREE_LOW = levels(communication=2, emotional_needs=2, romance=2)


def test_three_areas_room_to_grow_suggest_a_counsellor(member, checkup) -> None:
    """Three in "room to grow": a counsellor, and how to find one."""
    page = _result(member, member.take(checkup, THREE_LOW))
    note = page[page.index('id="counsellor"') :]
    note = note[: note.index("</aside>")]
    assert "counsellor who works with couples" in note and "To find" in note


def test_two_areas_room_to_grow_suggest_no_counsellor(member, checkup) -> None:
    """Two are not enough."""
    page = _result(member, member.take(checkup, levels(communication=2, romance=2)))
    assert 'id="counsellor"' not in page


def test_never_a_counsellor_while_flagged(member, checkup) -> None:
    """Three low areas, but recently flagged: no couples counsellor, on this result or the next."""
    page = _result(member, member.take(checkup, THREE_LOW, flagged=True))
    assert 'id="counsellor"' not in page
    later = _result(member, member.take(checkup, THREE_LOW))  # a "no" now; the flag lasts
    assert 'id="safety-resources"' in later and 'id="counsellor"' not in later


def test_across_versions_the_story_judges_only_the_same_questions(app, member, catalog) -> None:
    """A v2 check-up, then the v3 one: areas whose questions changed are named as not judged."""
    from tests.conftest import make_assessment, user_id_of

    v2 = catalog.get("checkup", 2)
    make_assessment(app, user_id_of(app, "alex"), v2, levels())
    story = _story(_result(member, member.take(catalog.latest("checkup"), levels())))
    assert story.startswith("Since your relationship check-up on")
    # Every area of v3 asks new questions: nothing is judged, and the story says so.
    assert "the questions changed, so no change is judged this time." in story
    assert "reliable" not in story
