"""Preparing to talk alone: an area, one sentence shown whole, how to listen, a calm moment,
a page to print; nothing stored, and the sentence never in an address
(docs/architecture.md#talk)."""

from __future__ import annotations

import re

from flask import Flask

from tests.conftest import Person, levels, row_counts
from tests.support.talking import linked_couple, page, post, token
from tests.web.test_partner import new_person

SENTENCE = {
    "when": "we eat in front of the TV",
    "feel": "far from you",
    "like": "to sit at the table",
}


def test_without_a_link_or_a_shared_checkup_talk_offers_preparing_alone(app: Flask) -> None:
    """Unlinked, or linked with nothing shared: no way to start together, a way to prepare."""
    alone = new_person(app, "robin")
    html = page(alone, "/talk")
    assert "link your account with your partner" in html
    assert 'action="/talk"' not in html and 'href="/talk/prepare"' in html
    couple = linked_couple(app, names=("alex", "sam"), shared=False)
    html = page(couple.first, "/talk")
    assert "A talk together starts from a check-up each of you has shared" in html
    assert 'action="/talk"' not in html and 'href="/talk/prepare"' in html
    assert post(couple.first, "/talk").status_code == 409
    assert post(alone, "/talk").status_code == 409


def main_of(html: str) -> str:
    """The page's own content, without the footer's language chooser."""
    return html[html.index("<main") : html.index("</main>")]


def test_the_area_starts_at_the_latest_focus(member: Person, checkup) -> None:
    """Does the area chooser open on the first focus area of the newest result?"""
    html = main_of(page(member, "/talk/prepare"))
    assert re.findall(r"<option [^>]*selected", html) == []  # no result yet: no guess
    member.take(checkup, levels(romance=1, communication=2))
    html = page(member, "/talk/prepare")
    assert re.findall(r'<option value="(\w+)" selected', html) == ["romance"]
    member.take(checkup, levels(support=1))
    assert re.findall(r'<option value="(\w+)" selected', page(member, "/talk/prepare")) == [
        "support"
    ]


def test_the_sentence_is_shown_whole_and_nothing_is_stored(app: Flask, member: Person) -> None:
    """Does the sentence come back whole, with the checklists and print, storing no row?"""
    before = row_counts(app)
    assert member.client.get("/talk/prepare").status_code == 200
    response = post(member, "/talk/prepare", dimension="communication", **SENTENCE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert (
        "When we eat in front of the TV, I feel far from you, and I&#39;d like to sit at the"
        " table." in html
    )
    for heading in ("When your partner answers", "Choosing a calm moment"):
        assert heading in html
    assert "Did I get that right?" in html  # the listening checklist
    assert "data-print" in html and "Nothing on this page is kept" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert row_counts(app) == before


def test_words_already_in_the_sentence_are_not_said_twice(member: Person) -> None:
    """Typing "When …", "I feel …" or a closing stop still reads as one sentence."""
    response = post(
        member,
        "/talk/prepare",
        dimension="stress",
        when="When the bills come  in",
        feel="I feel worried.",
        like="I'd like us to sit down together!",
    )
    assert (
        "When the bills come in, I feel worried, and I&#39;d like us to sit down together."
        in response.get_data(as_text=True)
    )


def test_the_sentence_travels_only_in_a_post_body(app: Flask, member: Person) -> None:
    """The form posts; a query string (which would reach access logs) is a 400, kept nowhere."""
    html = page(member, "/talk/prepare")
    form = re.search(r'<form method="(\w+)" action="(/talk/prepare)"', html)
    assert form and form.group(1) == "post"
    before = row_counts(app)
    assert member.client.get("/talk/prepare?when=we+eat").status_code == 400
    data = {"csrf_token": token(member), "dimension": "romance", **SENTENCE}
    assert member.client.post("/talk/prepare?when=x", data=data).status_code == 400
    assert row_counts(app) == before


def test_an_unfinished_or_odd_sentence_is_a_400_that_keeps_the_words(
    app: Flask, member: Person
) -> None:
    """A part left out comes back with the rest still typed; odd posts store nothing."""
    before = row_counts(app)
    response = post(member, "/talk/prepare", dimension="romance", when="we rush", feel="", like="x")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Please fill in each part" in html
    assert re.search(r">\s*we rush</textarea>", html)
    for odd in (
        {"dimension": "money", **SENTENCE},
        {"dimension": "romance", **SENTENCE, "extra": "1"},
        {"dimension": "romance", "when": "a", "feel": "b"},
        {"dimension": "romance", **SENTENCE, "like": "x" * 301},
        {"dimension": "romance", **SENTENCE, "feel": "far\u202e away\x07"},
        {"dimension": "romance", **SENTENCE, "when": "we eat\ufeff"},
    ):
        assert post(member, "/talk/prepare", **odd).status_code == 400, odd
    assert (
        member.client.post("/talk/prepare", data={"dimension": "romance", **SENTENCE}).status_code
        == 400
    )
    assert row_counts(app) == before
