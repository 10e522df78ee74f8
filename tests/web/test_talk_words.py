"""The words of every talk page, read as a person reads them: warm, plain, "your partner" and
never a gender, no blame, no slips, short sentences; and where a talk is offered
(docs/architecture.md#talk)."""

from __future__ import annotations

import re

from flask import Flask

from tests.conftest import levels
from tests.support.talking import (
    ask,
    go,
    linked_couple,
    page,
    post,
    talk_id,
    walk_to_step,
)
from tests.unit.test_loader import GENDERED
from tests.web.test_partner import new_person
from tests.web.test_texts import SENTENCE_END, slips, visible_text

UNKIND = re.compile(r"\b(bad|failing|failed|should have|wrong with you)\b", re.I)
# Reading age about 12: no sentence of ours runs past this many words.
LONGEST_SENTENCE = 35
SHARED_TEXT = re.compile(r"<main\b.*?</main>", re.S)
# Each block a person reads as one piece: a paragraph, an item, a heading, a button.
BLOCK = re.compile(r"<(p|li|h\d|button|legend|summary|label)\b[^>]*>(.*?)</\1>", re.S)


def _talk_pages(app: Flask) -> dict[str, str]:
    """Every page of the talk room, in each state a person meets it."""
    couple = linked_couple(app, levels(communication=2, romance=2), levels(communication=4))
    alex, sam = couple.first, couple.second
    shown = {"index": page(alex, "/talk")}
    number = talk_id(ask(alex))
    here = f"/talk/{number}"
    shown |= {"waiting": page(alex, here), "join": page(sam, here), "asked": page(sam, "/talk")}
    assert post(sam, f"{here}/join").status_code == 303
    shown["underway"] = page(alex, "/talk")
    shown["step 1"] = page(alex, here)
    walk_to_step(alex, number, 5, "communication")
    for step in (2, 3, 4):
        go(alex, number, step)
        shown[f"step {step}"] = page(alex, here)
    sentence = go(alex, number, 4, when="we rush", feel="tired", like="a slow morning")
    shown["step 4, the sentence"] = sentence.get_data(as_text=True)
    go(alex, number, 5)
    shown["step 5"] = page(alex, here)
    go(alex, number, 6, strategy="com_daily_checkin")
    shown["step 6"] = page(alex, here)
    shown["proposal"] = page(sam, "/talk")
    post(alex, f"{here}/end")
    shown["ended"] = page(alex, here)
    shown["proposal, ended"] = page(sam, here)
    shown["prepare"] = page(alex, "/talk/prepare")
    prepared = post(alex, "/talk/prepare", dimension="romance", when="a", feel="b", like="c")
    shown["prepared"] = prepared.get_data(as_text=True)
    again = talk_id(post(alex, "/talk"))  # a new request, and a refusal page
    refused = post(alex, f"/talk/{again}/join")
    assert refused.status_code == 400
    shown["problem"] = refused.get_data(as_text=True)
    alone = new_person(app, "robin")
    shown["index, alone"] = page(alone, "/talk")
    checkup = app.extensions["rekindle.catalog"].latest("checkup")
    alone.take(checkup, levels(), flagged=True)
    shown["safety"] = page(alone, "/talk")
    return shown


def test_every_talk_page_reads_warm_and_plain(app: Flask) -> None:
    """No slip, no he or she, nothing unkind, no sentence too long to read aloud easily."""
    problems = []
    for name, html in _talk_pages(app).items():
        main = SHARED_TEXT.search(html)
        assert main, name
        text = visible_text(main.group(0))
        problems += [f"{name}: {slip}" for slip in slips(text)]
        problems += [f"{name}: gendered {m.group(0)!r}" for m in GENDERED.finditer(text)]
        problems += [f"{name}: unkind {m.group(0)!r}" for m in UNKIND.finditer(text)]
        pieces = [piece for _, b in BLOCK.findall(main.group(0)) for piece in b.split("<br>")]
        for piece in pieces:
            for sentence in SENTENCE_END.split(visible_text(piece)):
                if len(sentence.split()) > LONGEST_SENTENCE:
                    problems.append(f"{name}: long sentence {sentence!r}")
    assert problems == []


def test_result_history_and_partner_offer_a_talk(app: Flask) -> None:
    """A small link to a talk on the result page, History and Partner, linked or not."""
    couple = linked_couple(app)
    for path in (f"/results/{couple.first_checkup}", "/history", "/partner"):
        assert 'href="/talk"' in page(couple.first, path), path
    alone = new_person(app, "robin")
    assert 'href="/talk/prepare"' in page(alone, "/partner")
