"""The words people read: every strategy, starter and page template, checked for slips.

Doubled punctuation, "this week" twice in one sentence, a "daily" title over an action
that is not daily, a date range from a day to the same day, and a "+0.0" change.
"""

from __future__ import annotations

import html as html_lib
import re

from tests.web.test_partner import invite, join, levels, new_person, share

# A full stop, comma... then (past a closing quote or bracket) another one: 'real.”.'
DOUBLED = re.compile(r"[.!?,;:][”’\"')\]]*[.,;:]")
SENTENCE_END = re.compile(r"(?<=[.!?])[”’\"]?\s+")
THIS_WEEK = re.compile(r"\bthis week\b", re.I)
DAILY_TITLE = re.compile(r"\b(daily|each day|every day)\b", re.I)
DAILY_ACTION = re.compile(
    r"\b(daily|a day|each day|every day|each (morning|evening)|every (morning|evening))\b", re.I
)
SAME_DAY_RANGE = re.compile(r"\b(\d{1,2} [A-Z][a-z]+ \d{4}) to \1\b")
ZERO_CHANGE = re.compile(r"[+\-−]0\.0\b")
TAG = re.compile(r"<[^>]+>")
SKIP = re.compile(r"<(script|style)\b.*?</\1>", re.S)


def slips(text: str) -> list[str]:
    """Every slip in a piece of text people read."""
    found = [f"doubled punctuation: {m.group(0)!r}" for m in DOUBLED.finditer(text)]
    for sentence in SENTENCE_END.split(text):
        if len(THIS_WEEK.findall(sentence)) > 1:
            found.append(f'"this week" twice: {sentence!r}')
    found += [f"a day to the same day: {m.group(0)!r}" for m in SAME_DAY_RANGE.finditer(text)]
    found += [
        f"a change of nothing with a sign: {m.group(0)!r}" for m in ZERO_CHANGE.finditer(text)
    ]
    return found


def visible_text(page: str) -> str:
    """A page's words as a person reads them: tags dropped, runs of space as one."""
    words = TAG.sub(" ", SKIP.sub(" ", page))
    return re.sub(r"\s+", " ", html_lib.unescape(words))


def test_the_checks_find_each_slip_they_are_for() -> None:
    """Does each check catch the slip it names, and pass the fixed wording?"""
    assert slips(
        "Suggested because you answered “Rarely” to “My partner treats my feelings as real.”."
    )
    assert slips("“Rarely” to “It feels real.”; and “Often” to “We talk.”")
    assert slips("This week: Pick a calm moment this week.")
    assert slips("1 taken, 1 December 2026 to 1 December 2026")
    assert slips("Change: +0.0") and slips("-0.0")
    assert not slips("Try this: Pick a calm moment this week. Then, this week, listen.")
    assert not slips("6 taken, from 3 July 2026 to 30 November 2026. Change: 0.0, +10.0, -0.5")


def test_every_strategy_and_starter_reads_cleanly(catalog) -> None:
    """Is every strategy and conversation starter free of the slips, and "daily" only if daily?"""
    library = catalog.strategies
    problems = []
    for strategy in library.strategies:
        for text in (strategy.title, strategy.action, strategy.why):
            problems += [f"{strategy.id}: {slip}" for slip in slips(text)]
        problems += [
            f"{strategy.id}: action: {slip}" for slip in slips("Try this: " + strategy.action)
        ]
        if DAILY_TITLE.search(strategy.title) and not DAILY_ACTION.search(strategy.action):
            problems.append(f"{strategy.id}: a daily title over an action that is not daily")
    for starters in library.conversations.values():
        for starter in starters:
            problems += [f"starter {starter.id}: {slip}" for slip in slips(starter.text)]
    assert problems == []


def test_every_page_reads_cleanly(app, checkup, pulse) -> None:
    """Rendered with the data that once showed each slip, does every page read cleanly?"""
    alex = new_person(app, "alex")
    sam = new_person(app, "sam")
    assert join(sam, invite(alex)).status_code == 303
    # Low answers trigger strategies with reasons; the same answers twice on one day give a
    # change of 0.0 and a range from a day to itself.
    low = levels(communication=1, emotional_needs=2, romance=2)
    first = alex.take(checkup, low)
    second = alex.take(checkup, low)
    alex.take(pulse, low)
    theirs = sam.take(checkup, levels(communication=5))
    for person, assessment_id in ((alex, second), (sam, theirs)):
        assert share(person, assessment_id).status_code == 303
    pages = {
        "/": alex,
        "/checkup": alex,
        "/checkup/checkup": alex,
        "/checkup/pulse": alex,
        f"/results/{first}": alex,
        f"/results/{second}": alex,
        "/history": alex,
        "/plans": alex,
        "/partner": alex,
        "/account": alex,
    }
    problems = []
    for path, person in pages.items():
        response = person.client.get(path)
        assert response.status_code == 200, path
        problems += [
            f"{path}: {slip}" for slip in slips(visible_text(response.get_data(as_text=True)))
        ]
    assert problems == []

    result = alex.client.get(f"/results/{second}").get_data(as_text=True)
    assert "Suggested because you answered:" in result and "Try this:" in result
    assert "Overall, the average of your six areas" in result
    history = visible_text(alex.client.get("/history").get_data(as_text=True))
    assert "Relationship check-up: 2 taken, all on" in history
    assert "Pulse check: 1 taken, on" in history
    partner = alex.client.get("/partner").get_data(as_text=True)
    communication = partner[partner.index('data-starter="communication"') :]
    communication = communication[: communication.index("</li>")]
    library = app.extensions["rekindle.catalog"].strategies
    assert communication.count("<p ") == len(library.starters("communication", "lower")) >= 1
    # each starter its own paragraph: alex (25) sees communication lower than sam (100)
    choose = visible_text(alex.client.get("/checkup").get_data(as_text=True))
    counted = (
        f"{len(checkup.items)} questions and {len(checkup.safety)} about your safety,"
        " which you may skip"
    )
    assert counted in choose  # 36 and 6: the 42 a person answers
