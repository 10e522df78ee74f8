"""Versions on the site: v2 for new assessments, v1 still shown, compared across versions.

See docs/architecture.md#versions.
"""

from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta

from sqlalchemy import select

from assessment.checkup.submission import store_assessment
from assessment.core.extensions import db
from assessment.core.models import Assessment, User, utcnow
from tests.conftest import hidden_fields, keyed_answers

WORDS_PER_MINUTE = 250
SECONDS_PER_ANSWER = 2
LEVELS = dict.fromkeys(
    ("communication", "emotional_needs", "stress", "romance", "intimacy", "support"), 2
)


def _words(page: str) -> str:
    body = page[page.index("<body") :]
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


def _store_v1(app, catalog, username: str = "alex", days_ago: int = 40) -> int:  # type: ignore[no-untyped-def]
    """A v1 check-up taken before v2 existed, stored the way the site stored it then."""
    v1 = catalog.get("checkup", 1)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        answers = {k: int(v) for k, v in keyed_answers(v1, LEVELS).items()}
        stored = store_assessment(
            user,
            v1,
            catalog,
            answers,
            {item.id: "no" for item in v1.safety},
            "v1-checkup-before-the-change",
            created_at=utcnow() - timedelta(days=days_ago),
        )
        return stored.id


def test_new_assessments_use_v2(member, catalog) -> None:
    """The check-up and the pulse are drawn from version 2 and stored as version 2."""
    page = member.client.get("/checkup/checkup").get_data(as_text=True)
    assert hidden_fields(page)["version"] == "2"
    assert 'name="com_own_listen"' in page and 'name="rom_interest_shared"' in page
    assert "physically hurt" in page and 'name="safe_hurt"' not in page
    checkup = catalog.latest("checkup")
    response = member.submit(
        "checkup", keyed_answers(checkup, LEVELS), {i.id: "no" for i in checkup.safety}
    )
    with member.client.application.app_context():
        stored = db.session.get(Assessment, member.result_id(response))
        assert (stored.questionnaire_id, stored.questionnaire_version) == ("checkup", 2)


def test_the_pulse_reads_and_answers_in_under_a_minute(member, pulse) -> None:
    """Every word on the rendered pulse page at 250 a minute, plus 2 s an answer: <= 60 s."""
    member.client.get("/checkup/pulse")  # the welcome note after sign-up is gone by now
    page = member.client.get("/checkup/pulse").get_data(as_text=True)
    text = _words(page)
    words = len(re.findall(r"[\w’'-]+", text))
    answers = len(pulse.items) + len(pulse.safety)
    seconds = words / WORDS_PER_MINUTE * 60 + SECONDS_PER_ANSWER * answers
    assert answers == 7
    assert seconds <= 60, (words, round(seconds, 1), text)
    assert "month" not in text  # one time frame: the page speaks of the past week only
    assert "past week" in text
    assert text.count("One question about your safety") == 1


def test_a_v1_result_is_still_shown_with_its_own_questions(app, member, catalog) -> None:
    """An old v1 check-up keeps its page, scores and reasons in v1's words."""
    v1_id = _store_v1(app, catalog)
    response = member.client.get(f"/results/{v1_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Your relationship check-up results" in page
    assert "This is your first relationship check-up" in page
    v1_texts = {i.text for i in catalog.get("checkup", 1).items}
    reasons = re.findall(r"to “([^”]+)”", html_lib.unescape(page))
    assert reasons and set(reasons) <= v1_texts


def test_result_compares_across_versions_and_says_the_questions_changed(
    app, member, catalog
) -> None:
    """A v2 check-up after a v1 one: a change table on v2's norms, and a plain note."""
    _store_v1(app, catalog)
    v2 = catalog.get("checkup", 2)
    better = dict(LEVELS, communication=5)
    response = member.submit("checkup", keyed_answers(v2, better), {i.id: "no" for i in v2.safety})
    page = member.client.get(response.headers["Location"]).get_data(as_text=True)
    words = _words(page)
    assert "The questions changed between these two" in words
    assert "version 1" in words and "version 2" in words
    table = page[page.index('id="change-heading"') :]
    row = table[table.index('<th scope="row">Communication</th>') :]
    row = row[: row.index("</tr>")]
    # v1 at keyed 2 everywhere = 25.0; v2 communication at keyed 5 = 100.0: +75.0, reliable.
    assert "25.0" in row and "100.0" in row and "+75.0" in row
    assert "reliable improvement" in row


def test_history_says_when_the_questions_changed(app, member, catalog) -> None:
    """History compares first (v1) with latest (v2) and names the day the questions changed."""
    _store_v1(app, catalog)
    v2 = catalog.get("checkup", 2)
    member.submit("checkup", keyed_answers(v2, LEVELS), {i.id: "no" for i in v2.safety})
    words = _words(member.client.get("/history").get_data(as_text=True))
    assert "The questions changed on" in words
    assert "version 2 of the relationship check-up" in words
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
