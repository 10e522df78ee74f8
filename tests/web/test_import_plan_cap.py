"""An import keeps the rule the site keeps: at most three plans on the go.

A file with three active plans comes over whole; one with four is refused, 400 with
nothing stored (docs/architecture.md#plans), as a fourth "Let's try this" would be.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from flask import Flask

from assessment.plans import MAX_ACTIVE_PLANS
from tests.conftest import Person, levels, row_counts
from tests.web.test_import import upload

STRATEGY = re.compile(r'data-strategy="([\w-]+)"')


def export_with_three_plans(member: Person, checkup) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A person's export after choosing three of their result's strategies on the site."""
    result = member.take(checkup, levels(communication=1, romance=1, support=1))
    offered = STRATEGY.findall(member.client.get(f"/results/{result}").get_data(as_text=True))
    csrf = member.csrf(f"/results/{result}")
    for strategy in offered[:MAX_ACTIVE_PLANS]:
        chosen = {"csrf_token": csrf, "strategy_id": strategy, "assessment_id": str(result)}
        assert member.client.post("/plans", data=chosen).status_code == 303
    document = member.client.get("/export.json?safety=yes").get_json()
    assert [plan["status"] for plan in document["plans"]] == ["active"] * MAX_ACTIVE_PLANS
    return document


def with_a_fourth_plan(app: Flask, document: dict[str, Any]) -> dict[str, Any]:
    """The same export with one more active plan, of a strategy not on the go yet."""
    document = copy.deepcopy(document)
    taken = {plan["strategy"] for plan in document["plans"]}
    library = app.extensions["rekindle.catalog"].strategies
    spare = next(s for s in library.strategies if s.id not in taken)
    fourth = copy.deepcopy(document["plans"][0])
    fourth.update(id=fourth["id"] + 1000, strategy=spare.id, dimension=spare.dimension)
    document["plans"].append(fourth)
    return document


def test_an_import_with_four_active_plans_is_refused(app, member, checkup) -> None:
    """Is a file with four plans on the go a 400 with nothing stored, and the same file
    with the three the site allowed taken whole?"""
    document = export_with_three_plans(member, checkup)
    newcomer = Person(app.test_client())
    assert newcomer.register("moved").status_code == 303
    before = row_counts(app)

    refused = upload(newcomer, json.dumps(with_a_fourth_plan(app, document)).encode())
    assert refused.status_code == 400
    assert "more plans on the go than Rekindle allows" in refused.get_data(as_text=True)
    assert row_counts(app) == before

    taken = upload(newcomer, json.dumps(document).encode())
    assert taken.status_code == 303
    plans = newcomer.client.get("/export.json").get_json()["plans"]
    assert [plan["status"] for plan in plans] == ["active"] * MAX_ACTIVE_PLANS
