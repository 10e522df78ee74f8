"""Versions on the site: v3 for new assessments, v1 and v2 still shown, compared across versions.

See docs/architecture.md#versions.
"""

from __future__ import annotations

import html as html_lib
import re

from assessment.core.extensions import db
from assessment.core.models import Assessment
from questionnaires.timing import seconds_to_answer
from tests.conftest import hidden_fields, keyed_answers, old_checkup

WORDS_PER_MINUTE = 250
SECONDS_PER_ANSWER = 2
LEVELS = dict.fromkeys(
    ("communication", "emotional_needs", "stress", "romance", "intimacy", "support"), 2
)


def _words(page: str, main_only: bool = False) -> str:
    body = page[page.index("<body") :]
    if main_only:  # what a person reads to answer: not the menu, the leave bar or the footer
        body = body[body.index("<main") : body.index("</main>")]
    # Scripts, styles, a <progress> bar's fallback text and print-only lines are never shown
    # to a reader on screen, nor is what a closed <details> holds until the reader opens it.
    body = re.sub(r"<(script|style|progress)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r'<p class="print-only[^"]*">.*?</p>', " ", body, flags=re.S)
    body = re.sub(
        r"(<details\b(?![^>]*\bopen\b)[^>]*>\s*<summary\b.*?</summary>).*?</details>",
        r"\1",
        body,
        flags=re.S,
    )
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def test_new_assessments_use_v3(member, catalog) -> None:
    """The check-up and the pulse are drawn from version 3 and stored as version 3."""
    page = member.client.get("/checkup/checkup").get_data(as_text=True)
    assert hidden_fields(page)["version"] == "3"
    assert 'name="com_days_shared"' in page and 'name="safe_money_kept"' in page
    assert 'name="com_listen"' not in page and 'name="safe_controlled"' not in page
    pulse_page = member.client.get("/checkup/pulse").get_data(as_text=True)
    assert hidden_fields(pulse_page)["version"] == "3"
    for qid in ("checkup", "pulse"):
        definition = catalog.latest(qid)
        response = member.submit(
            qid, keyed_answers(definition, LEVELS), {i.id: "no" for i in definition.safety}
        )
        with member.client.application.app_context():
            stored = db.session.get(Assessment, member.result_id(response))
            assert (stored.questionnaire_id, stored.questionnaire_version) == (qid, 3)


def test_the_pulse_reads_and_answers_in_under_a_minute(member, pulse) -> None:
    """Every word of the rendered pulse at 250 a minute, plus 2 s an answer: <= 60 s.

    Counted as a person reads the page to answer it: the menu, the leave bar and the footer
    are left out, every answer label counted at every question. The same rule over the
    pulse's own words (questionnaires/timing.py) is the figure every page shows.
    """
    member.client.get("/checkup/pulse")  # the welcome note after sign-up is gone by now
    page = member.client.get("/checkup/pulse").get_data(as_text=True)
    text = _words(page, main_only=True)
    words = len(re.findall(r"[\w’'-]+", text))
    answers = len(pulse.items) + len(pulse.safety)
    seconds = words / WORDS_PER_MINUTE * 60 + SECONDS_PER_ANSWER * answers
    assert answers == 7
    assert seconds <= 60, (words, round(seconds, 1), text)
    # The same rule over the pulse's own words is what every page shows.
    assert seconds_to_answer(pulse) <= 60
    assert "It takes under a minute ." in text  # tags become spaces here
    assert "month" not in text  # one time frame: the page speaks of the past week only
    assert "past week" in text
    assert text.count("One question about your safety") == 1


def test_a_v1_result_is_still_shown_with_its_own_questions(app, member, catalog) -> None:
    """An old v1 check-up keeps its page, scores and reasons in v1's words."""
    v1_id = old_checkup(app, "alex", 1, LEVELS)
    response = member.client.get(f"/results/{v1_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Your relationship check-up results" in page
    assert "This is your first relationship check-up" in page
    v1_texts = {i.text for i in catalog.get("checkup", 1).items}
    reasons = re.findall(r"to “([^”]+)”", html_lib.unescape(page))
    assert reasons and set(reasons) <= v1_texts


def test_a_v2_result_is_still_shown_with_its_own_questions(app, member, catalog) -> None:
    """A v2 check-up keeps its page and its reasons in v2's words."""
    v2_id = old_checkup(app, "alex", 2, LEVELS)
    page = member.client.get(f"/results/{v2_id}").get_data(as_text=True)
    assert "Overall, the average of your six areas" in page
    v2_texts = {i.text for i in catalog.get("checkup", 2).items}
    reasons = re.findall(r"to “([^”]+)”", html_lib.unescape(page))
    assert reasons and set(reasons) <= v2_texts


def test_result_across_versions_shows_the_delta_but_judges_nothing_that_changed(
    app, member, catalog
) -> None:
    """A v3 check-up after a v1 one: each area's delta, "the questions changed: not judged"."""
    old_checkup(app, "alex", 1, LEVELS)
    v3 = catalog.get("checkup", 3)
    better = dict(LEVELS, communication=5)
    response = member.submit("checkup", keyed_answers(v3, better), {i.id: "no" for i in v3.safety})
    page = member.client.get(response.headers["Location"]).get_data(as_text=True)
    words = _words(page)
    assert "The questions changed between these two" in words
    assert "version 1" in words and "version 3" in words
    table = page[page.index('<table class="data-table change-table">') :]
    table = table[: table.index("</table>")]
    row = table[table.index('<th scope="row">Communication</th>') :]
    row = row[: row.index("</tr>")]
    # v1 at keyed 2 everywhere = 25.0; v3 communication at keyed 5 = 100.0: +75.0, not judged.
    assert "25.0" in row and "100.0" in row and "+75.0" in row
    assert "the questions changed: not judged" in row
    assert "reliable" not in table and "within normal variation" not in table
    assert table.count("the questions changed: not judged") == 7  # six areas and the overall


def test_history_says_when_the_questions_changed(app, member, catalog) -> None:
    """History compares first (v1) with latest (v3) and names the day the questions changed."""
    old_checkup(app, "alex", 1, LEVELS)
    v3 = catalog.get("checkup", 3)
    member.submit("checkup", keyed_answers(v3, LEVELS), {i.id: "no" for i in v3.safety})
    words = _words(member.client.get("/history").get_data(as_text=True))
    assert "The questions changed on" in words
    assert "version 3 of the relationship check-up" in words
    assert "Since the first relationship check-up" in words


def test_history_without_a_change_of_version_says_nothing_of_it(member, catalog) -> None:
    """Two v2 check-ups: no note about changed questions."""
    v2 = catalog.get("checkup", 2)
    for _ in range(2):
        member.submit("checkup", keyed_answers(v2, LEVELS), {i.id: "no" for i in v2.safety})
    assert "questions changed" not in member.client.get("/history").get_data(as_text=True)


def test_a_stale_v1_form_is_still_accepted_as_v1(app, member, catalog) -> None:
    """A v1 form opened before the update and sent after it is scored on v1, not refused."""
    v1 = catalog.get("checkup", 1)
    fields = member.open_form("checkup")
    fields["version"] = "1"
    response = member.submit(
        "checkup", keyed_answers(v1, LEVELS), {i.id: "no" for i in v1.safety}, hidden=fields
    )
    with app.app_context():
        stored = db.session.get(Assessment, member.result_id(response))
        assert stored.questionnaire_version == 1
