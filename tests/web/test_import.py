"""Moving servers: an export.json fills an empty account on another server.

See docs/architecture.md#exports.
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from assessment.account.demo import demo_password
from tests.conftest import Person, app_on_own_database, keyed_answers, row_counts


@pytest.fixture
def other_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """A second Rekindle with its own instance folder and its own database."""
    instance = tmp_path / "other-server"
    instance.mkdir()
    with app_on_own_database(instance, request) as application:
        yield application


def upload(person: Person, raw: bytes, **extra: Any):  # type: ignore[no-untyped-def]
    """Post a file to the import form as a browser would."""
    data = {"csrf_token": person.csrf("/account"), "file": (io.BytesIO(raw), "export.json")}
    data.update(extra)
    return person.client.post("/account/import", data=data, content_type="multipart/form-data")


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """An export with the server's own ids replaced by positions, the rest as it is."""
    position = {a["id"]: n for n, a in enumerate(document["assessments"])}
    assessments = [{k: v for k, v in a.items() if k != "id"} for a in document["assessments"]]
    plans = []
    for plan in document["plans"]:
        plan = {k: v for k, v in plan.items() if k != "id"}
        plan["chosen_from_assessment"] = position[plan["chosen_from_assessment"]]
        plan["checkins"] = [c | {"assessment": position[c["assessment"]]} for c in plan["checkins"]]
        plans.append(plan)
    return {"assessments": assessments, "plans": plans}


@pytest.fixture
def history(app: Flask, runner, checkup) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Half a year of the demo's history plus a flagged check-up with blanks and "doesn't
    apply", exported."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    person = Person(app.test_client())
    assert person.login("demo", demo_password(app.instance_path)).status_code == 303
    answers = keyed_answers(checkup, dict.fromkeys([d.id for d in checkup.dimensions], 2))
    for item in checkup.items:
        if item.optional:
            answers.pop(item.id)  # left blank: "Prefer not to say"
        elif item.not_applicable:
            answers[item.id] = "na"  # "Doesn't apply to us": missing too, and moves as such
    safety = {item.id: "no" for item in checkup.safety} | {checkup.safety[0].id: "yes"}
    assert person.submit("checkup", answers, safety).status_code == 303
    document = person.client.get("/export.json?safety=yes").get_json()
    assert len(document["assessments"]) == 12 and document["plans"]
    assert any(a["safety_flag"] for a in document["assessments"])
    return document


def test_an_export_moves_to_another_server_and_exports_again_equal(
    app, other_server, history
) -> None:
    """Does an export imported on another server export again with the same times,
    answers, safety answers, scores and plans?"""
    newcomer = Person(other_server.test_client())
    assert newcomer.register("demo-moved").status_code == 303
    response = upload(newcomer, json.dumps(history).encode())
    assert response.status_code == 303
    assert response.headers["Location"] == "/history"
    assert "12 check-ins were imported" in newcomer.client.get("/history").get_data(as_text=True)
    again = newcomer.client.get("/export.json?safety=yes").get_json()
    assert again["user"]["username"] == "demo-moved"
    assert comparable(again) == comparable(history)
    assert again["assessments"][0]["created_at"] == history["assessments"][0]["created_at"]
    flagged = next(a for a in again["assessments"] if a["safety_flag"])
    result = newcomer.client.get(f"/results/{flagged['id']}").get_data(as_text=True)
    assert 'id="safety-resources"' in result  # the imported flag still guards its page
    csv_before = newcomer.client.get("/export.csv?safety=yes").get_data(as_text=True).splitlines()
    assert len(csv_before) > 12 * 6


def _twice_active(plans: list[dict[str, Any]]) -> None:
    plans[0].update(status="active", closed_at=None)
    plans.append(copy.deepcopy(plans[0]))


def _broken(history: dict[str, Any], case: str) -> bytes:
    document = copy.deepcopy(history)
    first = document["assessments"][0]
    item = next(iter(first["answers"]))
    changes = {
        "unknown questionnaire": lambda: first.update(questionnaire="horoscope"),
        "unknown version": lambda: first.update(version=99),
        "answer out of range": lambda: first["answers"].update({item: 9}),
        "answer not a number": lambda: first["answers"].update({item: "3"}),
        "answer true": lambda: first["answers"].update({item: True}),
        "required answer blank": lambda: first["answers"].update({item: None}),
        "item missing": lambda: first["answers"].pop(item),
        "item unknown": lambda: first["answers"].update({"horoscope": 3}),
        "safety answer odd": lambda: first["safety_responses"].update(
            {next(iter(first["safety_responses"])): "maybe"}
        ),
        "safety answers left out": lambda: [
            (a.pop("safety_responses"), a.pop("safety_flag")) for a in document["assessments"]
        ],
        "scores tampered": lambda: first["scores"].update({"communication": 99.0}),
        "flag tampered": lambda: first.update(safety_flag=not first["safety_flag"]),
        "time unreadable": lambda: first.update(created_at="last spring"),
        "extra key": lambda: first.update(notes="hello"),
        "same id twice": lambda: document["assessments"][1].update(id=first["id"]),
        "plan strategy unknown": lambda: document["plans"][0].update(strategy="fly-to-the-moon"),
        "plan from nowhere": lambda: document["plans"][0].update(chosen_from_assessment=-1),
        "plan state odd": lambda: document["plans"][0].update(status="someday"),
        "check-in odd": lambda: document["plans"][0]["checkins"].append(
            {
                "assessment": first["id"],
                "tried": "maybe",
                "helped": None,
                "created_at": "2026-01-01",
            }
        ),
        "one strategy on the go twice": lambda: _twice_active(document["plans"]),
        "no assessments list": lambda: document.update(assessments={"a": 1}),
        "empty": lambda: document.update(assessments=[]),
        "foreign key at the top": lambda: document.update(rekindle=False),
    }
    changes[case]()
    return json.dumps(document).encode()


BROKEN = [
    "unknown questionnaire",
    "unknown version",
    "answer out of range",
    "answer not a number",
    "answer true",
    "required answer blank",
    "item missing",
    "item unknown",
    "safety answer odd",
    "safety answers left out",
    "scores tampered",
    "flag tampered",
    "time unreadable",
    "extra key",
    "same id twice",
    "plan strategy unknown",
    "plan from nowhere",
    "plan state odd",
    "check-in odd",
    "one strategy on the go twice",
    "no assessments list",
    "empty",
    "foreign key at the top",
]


def test_a_bad_or_foreign_file_is_a_400_with_nothing_stored(other_server, history) -> None:
    """Is every kind of broken or foreign file refused with a message, storing nothing?"""
    newcomer = Person(other_server.test_client())
    assert newcomer.register("demo-moved").status_code == 303
    before = row_counts(other_server)
    files = {case: _broken(history, case) for case in BROKEN}
    files |= {
        "not JSON": b"name,score\nalex,3\n",
        "not text": bytes(range(256)),
        "a list": b"[]",
        "a number": b"42",
        "deeply nested": b"[" * 100_000 + b"]" * 100_000,
        "nothing": b"",
    }
    for case, raw in files.items():
        response = upload(newcomer, raw)
        assert response.status_code == 400, case
        assert "Nothing was imported" in response.get_data(as_text=True), case
        assert row_counts(other_server) == before, case
    assert upload(newcomer, json.dumps(history).encode()).status_code == 303


def test_an_account_with_checkups_takes_no_import(app, history, checkup) -> None:
    """Is an import into an account that has check-ins already a 400 that changes nothing?"""
    person = Person(app.test_client())
    assert person.login("demo", demo_password(app.instance_path)).status_code == 303
    before = row_counts(app)
    response = upload(person, json.dumps(history).encode())
    assert response.status_code == 400
    assert "already has check-ins" in response.get_data(as_text=True)
    assert row_counts(app) == before


def test_the_form_takes_exactly_a_file(member, app) -> None:
    """Is a post without a file, or with a field more, a 400?"""
    before = row_counts(app)
    no_file = member.client.post(
        "/account/import",
        data={"csrf_token": member.csrf("/account")},
        content_type="multipart/form-data",
    )
    assert no_file.status_code == 400
    assert "Please choose your export.json file." in no_file.get_data(as_text=True)
    assert upload(member, b"{}", note="hi").status_code == 400
    assert row_counts(app) == before


def test_a_plan_kept_going_moves_servers_as_it_is(app, other_server, member, checkup) -> None:
    """A plan that was tried and kept exports active with its "yes", and imports the same."""
    first = member.take(checkup, dict.fromkeys([d.id for d in checkup.dimensions], 2))
    page = member.client.get(f"/results/{first}").get_data(as_text=True)
    strategy = page.split('data-strategy="', 1)[1].split('"', 1)[0]
    chosen = member.choose_plan(first, strategy)
    assert chosen.status_code == 303
    plan_id = member.client.get("/export.json").get_json()["plans"][0]["id"]
    kept = {f"plan_{plan_id}_tried": "yes", f"plan_{plan_id}_helped": "yes"}
    kept[f"plan_{plan_id}_keep"] = "yes"
    answers = keyed_answers(checkup, dict.fromkeys([d.id for d in checkup.dimensions], 3))
    safety = {item.id: "no" for item in checkup.safety}
    assert member.submit("checkup", answers, safety, extra=kept).status_code == 303
    document = member.client.get("/export.json?safety=yes").get_json()
    (plan,) = document["plans"]
    assert plan["status"] == "active" and plan["checkins"][0]["tried"] == "yes"
    newcomer = Person(other_server.test_client())
    assert newcomer.register("moved").status_code == 303
    assert upload(newcomer, json.dumps(document).encode()).status_code == 303
    again = newcomer.client.get("/export.json?safety=yes").get_json()
    assert comparable(again) == comparable(document)
