"""The flag lasts 90 days on the person: no later answer, pulse or deletion lifts it early."""

from __future__ import annotations

import re

from sqlalchemy import select

from assessment.core import Plan, PlanStatus, User, db
from tests.conftest import Person, keyed_answers, levels, time_passes, user_id_of

LOW_TALK = levels(communication=1, emotional_needs=2, stress=4, romance=4, intimacy=4, support=4)


def _offered(html: str) -> list[str]:
    return re.findall(r'data-strategy="(\w+)"', html)


def _page(person: Person, path: str) -> str:
    response = person.client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _choose(person: Person, assessment_id: int, strategy_id: str):  # type: ignore[no-untyped-def]
    return person.choose_plan(assessment_id, strategy_id)


def _all_safe(app, ids: list[str]) -> bool:  # type: ignore[no-untyped-def]
    strategies = app.extensions["rekindle.catalog"].strategies
    return all(strategies.by_id(strategy_id).safe_if_flagged for strategy_id in ids)


def _walk_to_day_89(app, member, checkup, pulse):  # type: ignore[no-untyped-def]
    """Before: a calm check-up with an unsafe plan chosen. Then, within 90 days: a flagged
    check-up, a pulse with its safety question skipped, a check-up with every safety
    answer "no"; then the flagged one deleted. Returns (calm result, results, plan id)."""
    calm = member.take(checkup, LOW_TALK)
    calm_page = _page(member, f"/results/{calm}")
    unsafe = next(s for s in _offered(calm_page) if not _all_safe(app, [s]))
    assert _choose(member, calm, unsafe).status_code == 303
    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id))
    flagged = member.take(checkup, LOW_TALK, flagged=True)
    pulse_skipped = member.result_id(
        member.submit(
            "pulse",
            keyed_answers(pulse, levels(communication=1, emotional_needs=1)),
            {item.id: "skip" for item in pulse.safety},
        )
    )
    all_no = member.take(checkup, LOW_TALK)
    return calm, flagged, [pulse_skipped, all_no], plan_id, unsafe


def test_every_result_offers_only_safe_strategies_for_90_days_whatever_comes_after(
    app, member, checkup, pulse
) -> None:
    """After a flag, do a skipped pulse, an all-"no" check-up and deleting it lift nothing?"""
    calm, flagged, later, plan_id, unsafe = _walk_to_day_89(app, member, checkup, pulse)
    for result in (calm, flagged, *later):
        page = _page(member, f"/results/{result}")
        offered = _offered(page)
        assert offered and _all_safe(app, offered), (result, offered)
        assert 'id="safety-resources"' in page, result
        assert "Looking after yourself" in page and "Things to try" not in page, result
    deleted = member.client.post(
        f"/results/{flagged}/delete", data={"csrf_token": member.csrf("/account"), "confirm": "yes"}
    )
    assert deleted.status_code == 303
    for result in (calm, *later):
        offered = _offered(_page(member, f"/results/{result}"))
        assert offered and _all_safe(app, offered), (result, offered)
    # The unsafe plan chosen before is paused: kept as it was, never shown or asked about.
    with app.app_context():
        assert db.session.get(Plan, plan_id).status == PlanStatus.ACTIVE
    title = app.extensions["rekindle.catalog"].strategies.by_id(unsafe).title
    assert title not in _page(member, "/plans")
    assert title not in _page(member, "/history")
    assert f"plan_{plan_id}_tried" not in _page(member, "/checkup/checkup")
    # Choosing it again from the calm result is refused while the flag lasts.
    refused = _choose(member, calm, unsafe)
    assert refused.status_code == 409
    assert title not in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Plan.id).where(Plan.id != plan_id)) is None


def test_on_day_91_the_normal_offer_and_the_paused_plans_return(
    app, member, checkup, pulse
) -> None:
    """Ninety days after the last "yes", do the usual suggestions and the paused plan return?"""
    calm, flagged, later, plan_id, unsafe = _walk_to_day_89(app, member, checkup, pulse)
    member.client.post(
        f"/results/{flagged}/delete", data={"csrf_token": member.csrf("/account"), "confirm": "yes"}
    )
    time_passes(app, user_id_of(app, "alex"), days=91)
    for result in (calm, *later):
        page = _page(member, f"/results/{result}")
        offered = _offered(page)
        assert not _all_safe(app, offered), (result, offered)
        assert 'id="safety-resources"' not in page, result
    title = app.extensions["rekindle.catalog"].strategies.by_id(unsafe).title
    assert title in _page(member, "/plans")
    assert f"plan_{plan_id}_tried" in _page(member, "/checkup/checkup")
    fresh = member.take(checkup, LOW_TALK)
    assert not _all_safe(app, _offered(_page(member, f"/results/{fresh}")))


def test_deleting_the_flagged_check_up_keeps_the_flag_on_the_person(app, member, checkup) -> None:
    """Is the flag kept on the person, so deleting its check-up does not end it early?"""
    flagged = member.take(checkup, LOW_TALK, flagged=True)
    with app.app_context():
        until = db.session.scalar(select(User.flagged_until))
    assert until is not None
    member.client.post(
        f"/results/{flagged}/delete", data={"csrf_token": member.csrf("/account"), "confirm": "yes"}
    )
    with app.app_context():
        assert db.session.scalar(select(User.flagged_until)) == until
    calm = member.take(checkup, LOW_TALK)
    assert _all_safe(app, _offered(_page(member, f"/results/{calm}")))


def test_after_a_yes_about_sexual_violence_no_intimacy_strategy_at_all(
    app, member, checkup
) -> None:
    """For 90 days after a "yes" about sexual violence, is intimacy advice gone, safe or not?"""
    forced = next(item for item in checkup.safety if item.topic == "sexual_violence")
    low_intimacy = levels(intimacy=1, communication=4, emotional_needs=4, stress=4, romance=4)
    safety = {item.id: "no" for item in checkup.safety} | {forced.id: "yes"}
    result = member.result_id(
        member.submit("checkup", keyed_answers(checkup, low_intimacy), safety)
    )
    strategies = app.extensions["rekindle.catalog"].strategies
    offered = _offered(_page(member, f"/results/{result}"))
    assert not any(strategies.by_id(s).dimension == "intimacy" for s in offered), offered
    later = member.take(checkup, low_intimacy)  # every answer "no" this time
    offered = _offered(_page(member, f"/results/{later}"))
    assert not any(strategies.by_id(s).dimension == "intimacy" for s in offered), offered
    # Another person flagged for fear alone still gets the safe intimacy strategies.
    member.logout()
    member.register("sam")
    other = member.take(checkup, low_intimacy, flagged=True)
    offered = _offered(_page(member, f"/results/{other}"))
    assert any(strategies.by_id(s).dimension == "intimacy" for s in offered), offered


def test_a_second_yes_makes_the_flag_last_90_days_from_it(app, member, checkup) -> None:
    """A "yes" on day 0 and another on day 60: is the person still flagged on day 100, and
    only free again after day 150?"""
    member.take(checkup, LOW_TALK, flagged=True)
    time_passes(app, user_id_of(app, "alex"), days=60)
    member.take(checkup, LOW_TALK, flagged=True)
    time_passes(app, user_id_of(app, "alex"), days=40)
    on_day_100 = member.take(checkup, LOW_TALK)
    assert _all_safe(app, _offered(_page(member, f"/results/{on_day_100}")))
    time_passes(app, user_id_of(app, "alex"), days=51)
    on_day_151 = member.take(checkup, LOW_TALK)
    assert not _all_safe(app, _offered(_page(member, f"/results/{on_day_151}")))


def test_a_yes_about_sexual_violence_takes_intimacy_advice_from_older_results_too(
    app, member, checkup
) -> None:
    """A result from before the "yes", opened after it, offers no intimacy strategy, safe
    or not, and an intimacy plan chosen from it is paused."""
    low_intimacy = levels(intimacy=1, communication=4, emotional_needs=4, stress=4, romance=4)
    before = member.take(checkup, low_intimacy)
    strategies = app.extensions["rekindle.catalog"].strategies
    intimacy = [
        s
        for s in _offered(_page(member, f"/results/{before}"))
        if strategies.by_id(s).dimension == "intimacy" and strategies.by_id(s).safe_if_flagged
    ]
    assert intimacy, "the calm result offers a safe intimacy strategy"
    assert _choose(member, before, intimacy[0]).status_code == 303
    forced = next(item for item in checkup.safety if item.topic == "sexual_violence")
    safety = {item.id: "no" for item in checkup.safety} | {forced.id: "yes"}
    member.submit("checkup", keyed_answers(checkup, LOW_TALK), safety)
    offered = _offered(_page(member, f"/results/{before}"))
    assert not any(strategies.by_id(s).dimension == "intimacy" for s in offered), offered
    assert strategies.by_id(intimacy[0]).title not in _page(member, "/plans")
