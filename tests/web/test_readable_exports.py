"""Exports a person can read: words beside the ids, safety answers only by a separate choice."""

from __future__ import annotations

import csv
import io
import re

from tests.conftest import keyed_answers
from tests.web.test_partner import levels


def rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The CSV export's rows."""
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_csv_carries_each_questions_text_and_each_answers_label(member, checkup) -> None:
    """Does each answer row name its question and the answer's words beside the ids?"""
    answers = keyed_answers(checkup, levels(communication=4))
    optional = next(item for item in checkup.items if item.optional)
    answers.pop(optional.id)
    safety = {item.id: "no" for item in checkup.safety} | {checkup.safety[1].id: "skip"}
    member.submit("checkup", answers, safety)
    found = rows(member.client.get("/export.csv?safety=yes"))
    by_item = {row["item_id"]: row for row in found if row["kind"] == "answer"}
    for item in checkup.items:
        row = by_item[item.id]
        assert row["question"] == item.text
        if item.id == optional.id:
            assert (row["value"], row["answer"]) == ("", "Prefer not to say")
        else:
            assert row["answer"] == checkup.scale.label(int(row["value"]))
    safety_rows = {row["item_id"]: row for row in found if row["kind"] == "safety"}
    assert safety_rows[checkup.safety[0].id]["question"] == checkup.safety[0].text
    assert safety_rows[checkup.safety[0].id]["answer"] == "No"
    assert safety_rows[checkup.safety[1].id]["answer"] == "I'd rather not say"
    scores = {row["item_id"]: row for row in found if row["kind"] == "score"}
    assert scores["communication"]["question"] == "Communication"
    assert (scores["communication"]["value"], scores["communication"]["answer"]) == (
        "75.0",
        "strength",
    )


def test_account_page_offers_exports_without_safety_answers_first(member) -> None:
    """Do the main buttons leave the safety answers out, with them a separate, labelled choice?"""
    page = member.client.get("/account").get_data(as_text=True)
    section = page[
        page.index('id="download"') : page.index("</section>", page.index('id="download"'))
    ]
    main_buttons, choice = section.split("<details", 1)
    assert 'href="/export.json"' in main_buttons and 'href="/export.csv"' in main_buttons
    assert "leave out your answers to the safety questions" in " ".join(main_buttons.split())
    assert "safety=yes" not in main_buttons
    assert "Download with your answers to the safety questions" in choice
    assert 'href="/export.json?safety=yes"' in choice
    assert 'href="/export.csv?safety=yes"' in choice


def test_safety_no_leaves_out_every_safety_answer_and_the_flag(member, checkup) -> None:
    """Bare or ?safety=no: is no safety answer nor its flag in either file, the rest all there?"""
    safety = {item.id: "no" for item in checkup.safety} | {checkup.safety[0].id: "yes"}
    member.submit("checkup", keyed_answers(checkup, levels()), safety)
    full = member.client.get("/export.json?safety=yes").get_json()
    assert full["assessments"][0]["safety_flag"] is True
    assert full["assessments"][0]["safety_responses"][checkup.safety[0].id] == "yes"
    private = member.client.get("/export.json?safety=no")
    assert private.status_code == 200
    document = private.get_json()
    assert "safety_responses" not in document["assessments"][0]
    assert "safety_flag" not in document["assessments"][0]
    assert document["assessments"][0]["answers"] == full["assessments"][0]["answers"]
    assert document["assessments"][0]["scores"] == full["assessments"][0]["scores"]
    text = private.get_data(as_text=True)
    for item in checkup.safety:
        assert item.id not in text
    csv_rows = rows(member.client.get("/export.csv?safety=no"))
    assert csv_rows and {row["kind"] for row in csv_rows} == {"answer", "score"}
    body = member.client.get("/export.csv?safety=no").get_data(as_text=True)
    for item in checkup.safety:
        assert item.id not in body and item.text not in body
    with_safety = {row["kind"] for row in rows(member.client.get("/export.csv?safety=yes"))}
    assert "safety" in with_safety
    # A bare export is the one without: nothing of the safety screen unless asked for.
    assert member.client.get("/export.json").get_json() == document
    assert member.client.get("/export.csv").get_data(as_text=True) == body


def test_an_odd_safety_choice_is_a_400(member) -> None:
    """Is ?safety= anything but yes or no, or given twice, a 400?"""
    for query in ("safety=maybe", "safety=no&safety=yes", "safety="):
        assert member.client.get(f"/export.json?{query}").status_code == 400, query
        assert member.client.get(f"/export.csv?{query}").status_code == 400, query


_NAMES_IDS_TIMES = {"id", "username", "created_at", "closed_at", "chosen_from_assessment"}


def _without_names_ids_times(value):  # type: ignore[no-untyped-def]
    """A JSON export with every name, id and time blanked, so two people compare."""
    if isinstance(value, dict):
        return {
            key: None
            if key in _NAMES_IDS_TIMES or key == "assessment"
            else _without_names_ids_times(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_without_names_ids_times(item) for item in value]
    return value


def _csv_without_ids_times(body: str) -> list[dict[str, str]]:
    found = list(csv.DictReader(io.StringIO(body)))
    for row in found:
        row["assessment_id"] = row["created_at"] = ""
    return found


def _two_checkups_with_a_plan(person, checkup, flagged: bool) -> None:  # type: ignore[no-untyped-def]
    """A low check-up, "I'll try this" on its first suggestion, then a second check-up."""
    safety_no = {item.id: "no" for item in checkup.safety}
    first = person.take(checkup, levels(communication=1, romance=1))
    page = person.client.get(f"/results/{first}").get_data(as_text=True)
    strategy = re.findall(r'name="strategy_id" value="(\w+)"', page)[0]
    chosen = person.client.post(
        "/plans",
        data={
            "csrf_token": person.csrf(f"/results/{first}"),
            "strategy_id": strategy,
            "assessment_id": str(first),
        },
    )
    assert chosen.status_code == 303
    second = safety_no | ({checkup.safety[0].id: "yes"} if flagged else {})
    answers = keyed_answers(checkup, levels(communication=2, romance=2))
    assert person.submit("checkup", answers, second).status_code == 303


def test_exports_without_safety_answers_reveal_nothing_of_them(app, checkup) -> None:
    """Do two people differing only on the safety screen download the same files without it?

    Each chose a plan (one that is unsafe while there is fear) before the second check-up;
    one said "yes" on its safety screen. Apart from names, ids and times, the JSON and CSV
    exports without safety answers must be equal: no paused or dropped plan, no flag.
    """
    from tests.conftest import Person

    alex, sam = Person(app.test_client()), Person(app.test_client())
    assert alex.register("alex").status_code == 303
    assert sam.register("sam").status_code == 303
    _two_checkups_with_a_plan(alex, checkup, flagged=True)
    _two_checkups_with_a_plan(sam, checkup, flagged=False)
    for query in ("", "?safety=no"):
        alex_json = alex.client.get("/export.json" + query).get_json()
        sam_json = sam.client.get("/export.json" + query).get_json()
        assert alex_json["plans"], "the plan chosen before is in the export"
        assert _without_names_ids_times(alex_json) == _without_names_ids_times(sam_json)
        alex_csv = alex.client.get("/export.csv" + query).get_data(as_text=True)
        sam_csv = sam.client.get("/export.csv" + query).get_data(as_text=True)
        assert _csv_without_ids_times(alex_csv) == _csv_without_ids_times(sam_csv)
    # With the safety answers asked for, the two differ: the choice is real.
    alex_full = alex.client.get("/export.json?safety=yes").get_json()
    sam_full = sam.client.get("/export.json?safety=yes").get_json()
    assert _without_names_ids_times(alex_full) != _without_names_ids_times(sam_full)
