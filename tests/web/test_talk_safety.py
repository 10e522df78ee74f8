"""No talk is offered to, or shown to, a person recently flagged; a request to them waits
and lapses like any other; a request never reaches a person whose link ended
(docs/architecture.md#talk, #safety)."""

from __future__ import annotations

import re

from flask import Flask

from assessment.core.models import ProposalStatus, Talk, TalkProposal
from tests.conftest import levels, row_counts
from tests.support.talking import (
    age_talks,
    ask,
    begun,
    go,
    linked_couple,
    page,
    post,
    rows_of,
    talk_id,
    walk_to_step,
)
from tests.web.test_partner import invite, join

SAFETY_PANEL = 'id="safety-resources"'
TALK_LINKS = re.compile(r'href="/talk(/prepare)?"')


def flag(app: Flask, person) -> None:  # type: ignore[no-untyped-def]
    """A check-up with a "yes" on its safety screen: the person is recently flagged."""
    person.take(app.extensions["rekindle.catalog"].latest("checkup"), levels(), flagged=True)


def test_a_flagged_person_sees_the_safety_panel_and_no_talk_anywhere(app: Flask) -> None:
    """/talk and preparing show help instead; no page offers a talk; every post is a 403."""
    couple = linked_couple(app)
    number = begun(couple)
    walk_to_step(couple.first, number, 4, "communication")
    alex = couple.first
    assert "Talked about Communication" in page(alex, "/history")
    flag(app, alex)
    for path in ("/talk", "/talk/prepare", f"/talk/{number}"):
        html = page(alex, path)
        assert SAFETY_PANEL in html, path
        assert "Step 4" not in html and "Ask to talk" not in html and "sentence" not in html
    for path in (f"/results/{couple.first_checkup}", "/history", "/partner"):
        html = page(alex, path)
        assert not TALK_LINKS.search(html), path
    assert "Talked about" not in page(alex, "/history")  # past talks wait unseen
    before = row_counts(app)
    for path, fields in (
        ("/talk", {}),
        (f"/talk/{number}", {"step": "5"}),
        (f"/talk/{number}/join", {}),
        ("/talk/prepare", {"dimension": "romance", "when": "a", "feel": "b", "like": "c"}),
    ):
        response = post(alex, path, **fields)
        assert response.status_code == 403, path
        assert SAFETY_PANEL in response.get_data(as_text=True)
    assert row_counts(app) == before


def _normalised(html: str, names: tuple[str, str], number: int) -> str:
    """A page with the people's names, the talk's id and the CSRF token taken out."""
    for name in names:
        html = re.sub(rf"\b{name}\b", "NAME", html)
    html = re.sub(r'name="csrf_token" value="[^"]+"', "", html)
    return html.replace(f"/talk/{number}", "/talk/N")


def test_a_request_to_a_flagged_partner_waits_and_lapses_without_saying_why(app: Flask) -> None:
    """The one who asked sees exactly what anyone sees; the flagged one never sees it."""
    flagged = linked_couple(app, names=("alex", "sam"))
    other = linked_couple(app, names=("kim", "lee"))
    flag(app, flagged.second)
    asked = talk_id(ask(flagged.first))
    control = talk_id(ask(other.first))
    for path in ("/talk/{}", "/talk"):
        seen = page(flagged.first, path.format(asked))
        expected = page(other.first, path.format(control))
        assert _normalised(seen, ("alex", "sam"), asked) == _normalised(
            expected, ("kim", "lee"), control
        ), path
        assert "Waiting for" in seen or "Waiting for them" in seen
    sam = flagged.second
    for path in ("/talk", f"/talk/{asked}"):
        html = page(sam, path)
        assert SAFETY_PANEL in html and "would like to talk" not in html
    assert post(sam, f"/talk/{asked}/join").status_code == 403
    assert rows_of(app, Talk, id=asked)[0].joined_at is None
    age_talks(app, 7.01)
    seen, expected = page(flagged.first, f"/talk/{asked}"), page(other.first, f"/talk/{control}")
    assert "This request has closed" in seen
    assert _normalised(seen, ("alex", "sam"), asked) == _normalised(
        expected, ("kim", "lee"), control
    )


def test_a_request_from_someone_now_flagged_is_not_shown(app: Flask) -> None:
    """Asked, then flagged: the request is not shown to the one asked, nor can it begin."""
    couple = linked_couple(app)
    number = talk_id(ask(couple.second))
    assert "would like to talk" in page(couple.first, "/talk")
    flag(app, couple.second)
    assert "would like to talk" not in page(couple.first, "/talk")
    assert "would like to talk" not in page(couple.first, f"/talk/{number}")
    assert post(couple.first, f"/talk/{number}/join").status_code == 410
    assert rows_of(app, Talk, id=number)[0].joined_at is None


def test_a_proposal_to_someone_now_flagged_waits_unseen(app: Flask) -> None:
    """Flagged after the talk: the proposal is not shown, and answering it is a 403."""
    couple = linked_couple(app)
    number = begun(couple)
    walk_to_step(couple.first, number, 5, "communication")
    assert go(couple.first, number, 6, strategy="com_daily_checkin").status_code == 303
    flag(app, couple.second)
    html = page(couple.second, "/talk")
    assert "try it too" not in html and SAFETY_PANEL in html
    assert post(couple.second, f"/talk/{number}/proposal", accept="yes").status_code == 403
    assert rows_of(app, TalkProposal)[0].status == ProposalStatus.PENDING


def test_unlinking_ends_open_talks_so_a_request_never_reaches_after(app: Flask) -> None:
    """Unlink: the open request ends; linked again, the old request is never shown or joined."""
    couple = linked_couple(app)
    alex, sam = couple.first, couple.second
    asked = talk_id(ask(alex))
    assert post(alex, "/partner/unlink").status_code == 303
    assert rows_of(app, Talk, id=asked)[0].finished_at is not None
    assert join(sam, invite(alex)).status_code == 303
    assert "would like to talk" not in page(sam, "/talk")
    assert post(sam, f"/talk/{asked}/join").status_code == 410
    assert "This talk has ended" in page(alex, f"/talk/{asked}")


def test_unlinking_mid_talk_ends_it_for_both(app: Flask) -> None:
    """Either person unlinking ends a talk under way: no further step is taken."""
    couple = linked_couple(app)
    number = begun(couple)
    assert post(couple.second, "/partner/unlink").status_code == 303
    assert rows_of(app, Talk, id=number)[0].finished_at is not None
    assert go(couple.first, number, 2).status_code == 410
    assert "This talk has ended" in page(couple.first, f"/talk/{number}")


def test_a_request_from_someone_now_flagged_does_not_stand_in_the_way(app: Flask) -> None:
    """Their request ends unseen; asking anew waits like any request to them."""
    couple = linked_couple(app)
    theirs = talk_id(ask(couple.second))
    flag(app, couple.second)
    mine = talk_id(ask(couple.first))
    assert mine != theirs
    assert "Waiting for sam" in page(couple.first, f"/talk/{mine}")
    assert rows_of(app, Talk, id=theirs)[0].finished_at is not None


def test_a_proposal_goes_with_the_link_it_was_made_over(app: Flask) -> None:
    """Unlinked after the talk: the proposal is no longer shown, and answering it is a 410."""
    couple = linked_couple(app)
    number = begun(couple)
    walk_to_step(couple.first, number, 5, "communication")
    assert go(couple.first, number, 6, strategy="com_daily_checkin").status_code == 303
    assert "try it too" in page(couple.second, "/talk")
    assert post(couple.first, "/partner/unlink").status_code == 303
    assert "try it too" not in page(couple.second, "/talk")
    assert "try it too" not in page(couple.second, f"/talk/{number}")
    assert post(couple.second, f"/talk/{number}/proposal", accept="yes").status_code == 410
    assert rows_of(app, TalkProposal)[0].status == ProposalStatus.PENDING
