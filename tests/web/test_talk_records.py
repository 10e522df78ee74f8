"""What a talk leaves: History's marks and "What you tried", the export, moving servers, and
deleting an account (docs/architecture.md#talk, #exports)."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from flask import Flask

from assessment.core.models import Talk, TalkProposal
from tests.conftest import Person, figures, levels, row_counts, user_id_of
from tests.support import talking
from tests.web.test_import import other_server, upload  # noqa: F401  (a fixture)
from tests.web.test_texts import visible_text

FIRST = levels(communication=2, romance=2)
SECOND = levels(communication=4, romance=2)


def talked(couple: talking.Couple, screen: Person, dimension: str, strategy: str | None) -> int:
    """A whole talk at ``screen``'s account: the area, and a strategy chosen (or none)."""
    number = talking.begun(couple)
    talking.walk_to_step(screen, number, 5, dimension)
    fields = {"strategy": strategy} if strategy else {}
    assert talking.go(screen, number, 6, **fields).status_code == 303
    assert talking.post(screen, f"/talk/{number}/end").status_code == 303
    return number


def test_history_marks_a_talk_and_lists_what_changed_around_it(app: Flask, checkup) -> None:
    """Is a talk a mark on its area's line and a row "Talked about …" with the change from the
    last check-up before it to the first after, labelled as a plan's change is?"""
    couple = talking.linked_couple(app, FIRST, SECOND)
    talked(couple, couple.first, "communication", "com_daily_checkin")
    html = talking.page(couple.first, "/history")
    text = visible_text(html)
    assert "Talked about Communication on" in text
    trend = {t["name"]: t for t in figures(html)["trend-communication"]["data"]}
    assert trend["Talks"]["y"] == [25.0] and trend["Talks"]["text"] == [
        "Talked about Communication"
    ]
    assert "Talks" not in {t["name"] for t in figures(html)["trend-romance"]["data"]}
    row = re.search(r"Talked about Communication<br>.*?</tr>", html, re.S)
    assert row and "no check-in after it yet" in row.group(0)
    couple.first.take(checkup, levels(communication=4))
    row = re.search(
        r"Talked about Communication<br>.*?</tr>", talking.page(couple.first, "/history"), re.S
    )
    assert row, "the talk's row"
    assert "+50.0" in row.group(0) and "reliable improvement" in row.group(0)
    couple.first.take(checkup, levels(communication=1))  # later ones do not move it
    row = re.search(
        r"Talked about Communication<br>.*?</tr>", talking.page(couple.first, "/history"), re.S
    )
    assert row and "+50.0" in row.group(0)


def test_a_request_never_accepted_is_not_in_history(app: Flask) -> None:
    """Only a talk that happened, about an area, is listed."""
    couple = talking.linked_couple(app, FIRST, SECOND)
    assert talking.post(couple.first, "/talk").status_code == 303
    assert "Talked about" not in talking.page(couple.first, "/history")


def test_the_export_holds_your_own_talks_and_nothing_of_your_partner(app: Flask) -> None:
    """Each person's export has the talk's facts and the proposal made to them, never the
    partner's name or answer."""
    couple = talking.linked_couple(app, FIRST, SECOND, names=("ariadne", "bartholomew"))
    number = talked(couple, couple.first, "communication", "com_daily_checkin")
    mine = couple.first.client.get("/export.json").get_json()["talks"]
    theirs = couple.second.client.get("/export.json").get_json()["talks"]
    assert [t["id"] for t in mine] == [t["id"] for t in theirs] == [number]
    assert mine[0]["started_by_me"] is True and theirs[0]["started_by_me"] is False
    for talk in (mine[0], theirs[0]):
        assert (talk["dimension"], talk["strategy"], talk["step"]) == (
            "communication",
            "com_daily_checkin",
            6,
        )
        assert talk["joined_at"] and talk["finished_at"]
    assert mine[0]["proposal"] is None
    assert theirs[0]["proposal"]["status"] == "pending"
    assert theirs[0]["proposal"]["strategy"] == "com_daily_checkin"
    raw = couple.first.client.get("/export.json").get_data(as_text=True)
    assert "bartholomew" not in raw
    assert talking.post(couple.second, f"/talk/{number}/proposal", accept="no").status_code == 303
    assert '"declined"' not in couple.first.client.get("/export.json").get_data(as_text=True)
    csv_text = couple.first.client.get("/export.csv").get_data(as_text=True)
    assert re.search(r",talk,communication,Talked about Communication,com_daily_checkin,", csv_text)


def _talk_export(app: Flask) -> dict[str, Any]:
    couple = talking.linked_couple(app, FIRST, SECOND)
    talked(couple, couple.first, "communication", "com_daily_checkin")
    talked(couple, couple.second, "romance", None)
    document = couple.first.client.get("/export.json?safety=yes").get_json()
    assert [t["strategy"] for t in document["talks"]] == ["com_daily_checkin", None]
    return document


def test_an_import_restores_the_talks(app: Flask, other_server: Flask) -> None:  # noqa: F811
    """Exported, imported on another server and exported again: the same talks."""
    document = _talk_export(app)
    newcomer = Person(other_server.test_client())
    assert newcomer.register("moved").status_code == 303
    assert upload(newcomer, json.dumps(document).encode()).status_code == 303
    again = newcomer.client.get("/export.json?safety=yes").get_json()

    def without_ids(talks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in t.items() if k != "id"} for t in talks]

    assert without_ids(again["talks"]) == without_ids(document["talks"])
    assert "Talked about Communication" in talking.page(newcomer, "/history")
    assert "Talked about Romance" in talking.page(newcomer, "/history")


TALK_PROBLEMS = {
    "area unknown": lambda t: t[1].update(dimension="money"),  # a talk that chose nothing
    "strategy unknown": lambda t: t[0].update(strategy="fly_to_the_moon"),
    "strategy of another area": lambda t: t[0].update(strategy="rom_free_date"),
    "strategy without an area": lambda t: t[0].update(dimension=None),
    "step past six": lambda t: t[0].update(step=7),
    "step as text": lambda t: t[0].update(step="3"),
    "step as true": lambda t: t[0].update(step=True),
    "who asked as text": lambda t: t[0].update(started_by_me="yes"),
    "time unreadable": lambda t: t[0].update(joined_at="yesterday"),
    "a key more": lambda t: t[0].update(words="what we said"),
    "a key less": lambda t: t[0].pop("step"),
    "proposal answer odd": lambda t: t[0].update(
        proposal={"strategy": t[0]["strategy"], "status": "maybe", "created_at": t[0]["created_at"]}
    ),
    "proposal of another strategy": lambda t: t[0].update(
        proposal={
            "strategy": "com_listen_ten",
            "status": "pending",
            "created_at": t[0]["created_at"],
        }
    ),
    "proposal not an object": lambda t: t[0].update(proposal="yes"),
}


@pytest.mark.parametrize("case", list(TALK_PROBLEMS))
def test_an_odd_talk_in_a_file_is_a_400_with_nothing_stored(
    app: Flask,
    other_server: Flask,  # noqa: F811
    case: str,
) -> None:
    """Is each odd value of a talk refused, the whole file with it?"""
    document = _talk_export(app)
    broken = copy.deepcopy(document)
    TALK_PROBLEMS[case](broken["talks"])
    newcomer = Person(other_server.test_client())
    assert newcomer.register("moved").status_code == 303
    before = row_counts(other_server)
    response = upload(newcomer, json.dumps(broken).encode())
    assert response.status_code == 400, case
    assert "Nothing was imported" in response.get_data(as_text=True)
    assert row_counts(other_server) == before
    not_a_list = copy.deepcopy(document) | {"talks": {"a": 1}}
    assert upload(newcomer, json.dumps(not_a_list).encode()).status_code == 400


def test_deleting_an_account_removes_its_talks_and_proposals_and_leaves_the_partners(
    app: Flask,
) -> None:
    """Nothing left names the deleted person; the partner keeps their talks and proposals."""
    couple = talking.linked_couple(app, FIRST, SECOND)
    alex, sam = couple.first, couple.second
    first = talked(couple, alex, "communication", "com_daily_checkin")  # a proposal to sam
    talked(couple, sam, "romance", "rom_free_date")  # a proposal to alex
    alex_id, sam_id = user_id_of(app, "alex"), user_id_of(app, "sam")
    assert len(talking.rows_of(app, TalkProposal, user_id=alex_id)) == 1
    assert alex.delete_account().status_code == 303
    talks = talking.rows_of(app, Talk)
    assert len(talks) == 2
    assert all(alex_id not in (t.started_by_id, t.partner_id) for t in talks)
    assert all(sam_id in (t.started_by_id, t.partner_id) for t in talks)
    assert talking.rows_of(app, TalkProposal, user_id=alex_id) == []
    (kept,) = talking.rows_of(app, TalkProposal)
    assert (kept.user_id, kept.talk_id) == (sam_id, first)
    history = talking.page(sam, "/history")
    assert "Talked about Communication" in history and "Talked about Romance" in history
    assert len(sam.client.get("/export.json").get_json()["talks"]) == 2
    assert sam.delete_account().status_code == 303
    assert talking.rows_of(app, Talk) == [] and talking.rows_of(app, TalkProposal) == []
