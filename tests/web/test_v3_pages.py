"""Version 3 on the site: "Doesn't apply to us", the overall of 5 areas, changes judged only
where the questions match, where the ideas come from, and one time estimate everywhere.

See docs/architecture.md#versions, docs/architecture.md#scoring and
docs/architecture.md#questionnaires.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
import math
import re

from markupsafe import escape
from sqlalchemy import select

from assessment.core.extensions import db
from assessment.core.models import Answer, DimensionScore
from assessment.core.templating import time_to_answer
from questionnaires.timing import seconds_to_answer
from scoring import AREAS_DIFFER, QUESTIONS_CHANGED, RELIABLE_IMPROVEMENT
from tests.conftest import (
    keyed_answers,
    levels,
    old_checkup,
    row_counts,
    safety_answers,
)
from tests.web.test_partner import link, new_person, share

ATTRIBUTION = (
    "Rekindle's six areas and its ideas for things to try come from a guide titled How to Get"
    " My Husband to Love Me Again: Understanding and Overcoming Marital Challenges (our copy"
    " names no author). We rewrote its advice in our own words, for anyone in a couple."
)


def _text(page: str) -> str:
    """The words a reader sees, tags gone, with no space left before punctuation."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page))).strip()
    return re.sub(r" ([,.:;])", r"\1", text)


def _row(page: str, dimension: str, table_class: str = "change-table") -> str:
    """The text of one area's row (by data-dimension) in the first such table on the page."""
    table = page[page.index(f'class="data-table {table_class}"') :]
    row = re.search(rf'<tr data-dimension="{dimension}"[^>]*>(.*?)</tr>', table, re.S)
    assert row, dimension
    return _text(row.group(1))


# --- "Doesn't apply to us" ---------------------------------------------------------------------


def test_doesnt_apply_to_us_is_stored_as_missing_and_scored_without_it(member, checkup) -> None:
    """Two events that did not happen: stored as no answer, stress scored on the other four."""
    answers = keyed_answers(checkup, levels(stress=4))
    answers["str_hard_as_team"] = "na"
    answers["str_big_decisions_together"] = "na"
    response = member.submit("checkup", answers, safety_answers(checkup))
    assessment_id = member.result_id(response)
    with member.client.application.app_context():
        stored = {
            row.item_id: row.value
            for row in db.session.scalars(
                select(Answer).where(Answer.assessment_id == assessment_id)
            )
        }
        stress = db.session.scalar(
            select(DimensionScore.score).where(
                DimensionScore.assessment_id == assessment_id,
                DimensionScore.dimension == "stress",
            )
        )
    assert stored["str_hard_as_team"] is None and stored["str_big_decisions_together"] is None
    assert stress == 75.0  # keyed 4 on the four answered: 100 * 3 / 4, never pulled down by zeros


def test_doesnt_apply_to_us_is_refused_where_the_question_does_not_offer_it(
    app, member, checkup
) -> None:
    """ "na" on a question about what always happens is a 400, and nothing is stored."""
    answers = keyed_answers(checkup, levels())
    answers["str_lean_on"] = "na"
    before = row_counts(app)
    response = member.submit("checkup", answers, safety_answers(checkup))
    assert response.status_code == 400
    assert row_counts(app) == before


def test_a_question_with_doesnt_apply_to_us_still_needs_an_answer(app, member, checkup) -> None:
    """Left blank, it is not taken as "doesn't apply": the form asks for an answer (400)."""
    answers = keyed_answers(checkup, levels())
    del answers["rom_special_day_marked"]
    before = row_counts(app)
    response = member.submit("checkup", answers, safety_answers(checkup))
    assert response.status_code == 400
    assert "Please choose an answer to this question." in response.get_data(as_text=True)
    assert row_counts(app) == before


def test_the_export_says_doesnt_apply_to_us_in_words(member, checkup) -> None:
    """The CSV shows the words the person chose, not "Prefer not to say"."""
    answers = keyed_answers(checkup, levels())
    answers["rom_special_day_marked"] = "na"
    answers["int_hugged_most_days"] = "na"
    member.result_id(member.submit("checkup", answers, safety_answers(checkup)))
    rows = list(
        csv.DictReader(io.StringIO(member.client.get("/export.csv").get_data(as_text=True)))
    )
    said = {row["item_id"]: row["answer"] for row in rows if row["kind"] == "answer"}
    assert said["rom_special_day_marked"] == "Doesn't apply to us"
    assert said["int_hugged_most_days"] == "Prefer not to say"


# --- The overall of 5 areas --------------------------------------------------------------------


def _without_intimacy(checkup, keyed):  # type: ignore[no-untyped-def]
    answers = keyed_answers(checkup, keyed)
    for item in checkup.items_of("intimacy"):
        del answers[item.id]  # optional: a browser posts nothing, counted as "na"
    return answers


def test_leaving_intimacy_blank_gives_an_overall_of_5_areas(member, checkup) -> None:
    """The result and History say "overall of 5 areas"; all six answered, "your six areas"."""
    full = member.take(checkup, levels())
    page = member.client.get(f"/results/{full}").get_data(as_text=True)
    assert "Overall, the average of your six areas:" in _text(page)
    response = member.submit(
        "checkup", _without_intimacy(checkup, levels()), safety_answers(checkup)
    )
    five = member.result_id(response)
    page = _text(member.client.get(f"/results/{five}").get_data(as_text=True))
    assert (
        "Overall of 5 areas, the average of the areas with enough answers: 50.0 out of 100" in page
    )
    listing = member.client.get("/history").get_data(as_text=True)
    row = re.search(rf'<tr data-assessment="{five}">(.*?)(?=<tr|</tbody>)', listing, re.S)
    assert row and "50.0 out of 100 (overall of 5 areas)" in _text(row.group(1))
    row = re.search(rf'<tr data-assessment="{full}">(.*?)(?=<tr|</tbody>)', listing, re.S)
    assert row and "of 5 areas" not in row.group(1)


def test_overall_change_is_judged_only_between_the_same_areas(member, checkup) -> None:
    """Six areas, then five: the overall's delta, "different areas scored: not judged"."""
    member.take(checkup, levels(communication=1, emotional_needs=1, romance=1, support=1))
    response = member.submit(
        "checkup",
        _without_intimacy(
            checkup, levels(communication=5, emotional_needs=5, romance=5, support=5)
        ),
        safety_answers(checkup),
    )
    page = member.client.get(f"/results/{member.result_id(response)}").get_data(as_text=True)
    overall = _row(page, "overall")
    assert AREAS_DIFFER in overall and "reliable" not in overall
    # Then the same five areas again, two steps up in each: judged.
    response = member.submit(
        "checkup",
        _without_intimacy(
            checkup, levels(communication=5, emotional_needs=5, romance=5, support=5, stress=5)
        ),
        safety_answers(checkup),
    )
    page = member.client.get(f"/results/{member.result_id(response)}").get_data(as_text=True)
    assert "+10.0" in _row(page, "overall")
    assert "within normal variation" in _row(page, "overall")


# --- Changes judged only where the questions match ---------------------------------------------


def test_a_v3_result_after_v3_is_judged_after_v2_is_not(app, member, checkup) -> None:
    """v2 -> v3: +50 "the questions changed: not judged"; v3 -> v3: +50 a reliable improvement."""
    old_checkup(app, "alex", 2, levels(communication=2))
    first_v3 = member.take(checkup, levels(communication=4))
    page = member.client.get(f"/results/{first_v3}").get_data(as_text=True)
    row = _row(page, "communication")
    assert "+50.0" in row and QUESTIONS_CHANGED in row and "reliable" not in row
    assert "An area that asked different questions shows the difference" in _text(page)
    member.take(checkup, levels(communication=2))
    latest = member.take(checkup, levels(communication=4))
    page = member.client.get(f"/results/{latest}").get_data(as_text=True)
    assert RELIABLE_IMPROVEMENT in _row(page, "communication")
    assert "questions changed" not in page


def test_history_and_what_you_tried_judge_only_the_same_questions(app, member, checkup) -> None:
    """A plan chosen on a v2 result, a v3 check-up after it: the change there is not judged."""
    v2_result = old_checkup(app, "alex", 2, levels(communication=1))
    page = member.client.get(f"/results/{v2_result}").get_data(as_text=True)
    strategy = re.search(r'data-strategy="(\w+)"', page).group(1)
    chosen = member.choose_plan(v2_result, strategy)
    assert chosen.status_code == 303
    member.take(checkup, levels(communication=5))
    history = member.client.get("/history").get_data(as_text=True)
    tried = history[history.index('id="tried-heading"') :]
    tried = tried[: tried.index("</table>")]
    assert QUESTIONS_CHANGED in _text(tried) and "reliable" not in tried
    first = _row(history, "communication")
    assert "+100.0" in first and QUESTIONS_CHANGED in first


def test_partner_gaps_across_versions_are_shown_but_not_judged(app, checkup) -> None:
    """One partner's v2 beside the other's v3: each gap shown, none judged, no starter offered."""
    alex, sam = new_person(app, "alex"), new_person(app, "sam")
    link(app, alex, sam)
    assert (
        share(alex, old_checkup(app, "alex", 2, levels(communication=1), days_ago=3)).status_code
        == 303
    )
    share(sam, sam.take(checkup, levels(communication=5)))
    page = alex.client.get("/partner").get_data(as_text=True)
    labels = re.findall(r'class="gap-label">([^<]+)<', page)
    assert labels and set(labels) == {QUESTIONS_CHANGED}
    assert "-100.0" in page
    assert "data-starter=" not in page
    assert "the difference is shown but not judged" in _text(page)


# --- Where the ideas come from -----------------------------------------------------------------


def test_sources_page_gives_the_attribution_and_every_section(client, catalog) -> None:
    """/about/sources: the attribution word for word, every section of the guide with its anchor."""
    response = client.get("/about/sources")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert ATTRIBUTION in _text(page)
    assert "<cite>How to Get My Husband to Love Me Again:" in page
    assert "are all in Rekindle's own words" in _text(page)
    for section in catalog.strategies.guide.sections():
        assert f'data-section="{escape(section.id)}"' in page, section.id
        assert str(escape(section.heading)) in page


def test_strategy_cards_say_the_guide_and_link_to_its_section(member, checkup, client) -> None:
    """Each card: "From the guide's section on ...", linked to that section on /about/sources."""
    result = member.take(checkup, levels(communication=1, emotional_needs=1))
    page = member.client.get(f"/results/{result}").get_data(as_text=True)
    assert "article" not in page.lower()
    sources = client.get("/about/sources").get_data(as_text=True)
    cards = re.findall(
        r'From the guide\'s section on <a href="/about/sources#([\w-]+)">([^<]+)</a>\.', page
    )
    assert len(cards) == page.count('class="strategy"') >= 2
    for anchor, name in cards:
        heading = re.search(
            rf'id="{anchor}" data-section="[^"]+"><strong>([^<]+)</strong>', sources
        )
        assert heading and heading.group(1) == name, anchor  # the heading, in the page's language


# --- One time estimate everywhere --------------------------------------------------------------


def test_every_page_shows_the_time_worked_out_from_the_words(app, member, checkup, pulse) -> None:
    """Start page, choice, questionnaire and History's first visit: the same computed figure."""
    checkup_time, pulse_time = time_to_answer(checkup), time_to_answer(pulse)
    assert checkup_time.startswith("about ") and pulse_time == "under a minute"
    pages = {
        "/": [checkup_time, pulse_time],
        "/checkup": [checkup_time, pulse_time],
        "/checkup/checkup": [checkup_time],
        "/checkup/pulse": [pulse_time],
        "/history": [checkup_time],
    }
    for path, expected in pages.items():
        text = _text(member.client.get(path).get_data(as_text=True))
        shown = re.findall(
            r'class="time-to-answer"[^>]*>([^<]+)<', member.client.get(path).get_data(as_text=True)
        )
        assert shown == expected, path
        assert "eight minutes" not in text and "about 9" not in text, path


def test_the_time_in_words_rounds_up_and_says_under_a_minute_only_when_it_is(checkup) -> None:
    """60 s or less: "under a minute"; 61 s: "about 2 minutes" (never less than it takes)."""
    seconds = seconds_to_answer(checkup)
    assert time_to_answer(checkup) == f"about {math.ceil(seconds / 60)} minutes"
    assert 180 < seconds <= 240 and time_to_answer(checkup) == "about 4 minutes"

    def with_words(count: int):  # type: ignore[no-untyped-def]
        # A one-item pulse whose intro brings the reading to a chosen length.
        return checkup.model_copy(
            update={"intro": " ".join(["word"] * count), "items": checkup.items[:1], "safety": []}
        )

    base = seconds_to_answer(with_words(0))
    most = math.floor((60 - base) / 60 * 250)  # the most words that still read in 60 s
    assert seconds_to_answer(with_words(most)) <= 60 < seconds_to_answer(with_words(most + 1))
    assert time_to_answer(with_words(most)) == "under a minute"
    assert time_to_answer(with_words(most + 1)) == "about 2 minutes"


def test_about_measures_explains_what_v3_changed(client) -> None:
    """The measures page says what "not judged", "Doesn't apply to us" and 5 areas mean."""
    text = _text(client.get("/about/measures").get_data(as_text=True))
    assert "“Doesn't apply to us” are left out, never counted as zero" in text
    assert "overall of 5 areas" in text
    assert "is shown but not judged: a new question can move a score by itself" in text
    assert "reliability is 0.70" in text
    assert 'href="/about/sources"' in client.get("/about/measures").get_data(as_text=True)
