"""Talking it through together: asking, accepting on your own account, the six steps, the
plan and the proposal, the menu, and odd posts (docs/architecture.md#talk)."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from assessment.core.models import Plan, PlanStatus, ProposalStatus, Talk, TalkProposal
from tests.conftest import PASSWORD, Person, levels, row_counts, sqlite_app
from tests.support.talking import (
    Couple,
    age_talks,
    ask,
    begun,
    go,
    linked_couple,
    menu_words,
    page,
    post,
    rows_of,
    talk_id,
    walk_to_step,
)
from tests.web.test_partner import new_person, share

# Offered at step 3: communication (room to grow for one of you, and seen differently),
# romance (room to grow for both), stress (seen differently only). Not offered: emotional
# needs (the same, steady), intimacy and support (strengths for both).
FIRST = levels(communication=2, romance=2, stress=5, emotional_needs=3, intimacy=5, support=4)
SECOND = levels(communication=4, romance=2, stress=3, emotional_needs=3, intimacy=5, support=4)
AREA = re.compile(r'name="dimension" value="(\w+)"')
STRATEGY = re.compile(r'name="strategy" value="(\w+)"')


@pytest.fixture
def couple(app: Flask) -> Couple:
    """alex and sam, linked, each with one shared check-up."""
    return linked_couple(app, FIRST, SECOND)


def test_either_person_asks_and_it_begins_only_when_the_other_accepts(couple: Couple) -> None:
    """Does a request wait until the other accepts on their own account, and only them?"""
    alex, sam = couple.first, couple.second
    response = ask(alex)
    number = talk_id(response)
    assert response.headers["Location"] == f"/talk/{number}"
    assert "Waiting for sam" in page(alex, f"/talk/{number}")
    assert go(alex, number, 2).status_code == 410  # no steps before it is accepted
    assert post(alex, f"/talk/{number}/join").status_code == 400  # not on your own account
    stranger = new_person(couple.app, "robin")
    assert stranger.client.get(f"/talk/{number}").status_code == 404
    assert post(stranger, f"/talk/{number}/join").status_code == 404
    assert "alex would like to talk it through" in page(sam, f"/talk/{number}")
    assert "alex would like to talk it through" in page(sam, "/talk")
    assert rows_of(couple.app, Talk, id=number)[0].joined_at is None
    assert post(sam, f"/talk/{number}/join").status_code == 303
    assert rows_of(couple.app, Talk, id=number)[0].joined_at is not None
    for person in (alex, sam):
        assert "Step 1 of 6" in page(person, f"/talk/{number}")
    assert post(sam, f"/talk/{number}/join").status_code == 303  # a second click: the same talk


def test_the_other_person_can_ask_too_and_asking_twice_is_one_talk(couple: Couple) -> None:
    """Can either person ask, and does asking again (from either side) lead to the same talk?"""
    number = talk_id(ask(couple.second))
    assert talk_id(ask(couple.second)) == number
    assert talk_id(ask(couple.first)) == number
    assert post(couple.first, f"/talk/{number}/join").status_code == 303
    assert len(rows_of(couple.app, Talk)) == 1


def test_a_request_lapses_after_seven_days(couple: Couple) -> None:
    """After seven days unanswered, is a request closed for both, and a new one possible?"""
    number = talk_id(ask(couple.first))
    age_talks(couple.app, 7 + 1 / 86400)
    assert "This request has closed" in page(couple.first, f"/talk/{number}")
    assert "would like to talk" not in page(couple.second, "/talk")
    assert post(couple.second, f"/talk/{number}/join").status_code == 410
    assert talk_id(ask(couple.first)) != number


def test_a_day_short_of_seven_the_request_still_waits(couple: Couple) -> None:
    """Six days on, can the other still accept?"""
    number = talk_id(ask(couple.first))
    age_talks(couple.app, 6)
    assert post(couple.second, f"/talk/{number}/join").status_code == 303


def test_six_steps_with_back_and_next(couple: Couple) -> None:
    """Does Next go one step on, Back any step back, and nothing skip ahead?"""
    number = begun(couple)
    alex = couple.first
    assert go(alex, number, 3).status_code == 400  # from 1, no skipping to 3
    assert go(alex, number, 2).status_code == 303
    assert "Step 2 of 6: Start with what works" in page(alex, f"/talk/{number}")
    assert go(alex, number, 1).status_code == 303  # Back
    assert "Step 1 of 6: Before you start" in page(alex, f"/talk/{number}")
    walk_to_step(alex, number, 3, "communication")
    no_area = go(alex, number, 4)
    assert no_area.status_code == 400
    assert "Please choose one area" in no_area.get_data(as_text=True)
    assert go(alex, number, 4, dimension="communication").status_code == 303
    assert "Step 4 of 6: Take turns" in page(alex, f"/talk/{number}")
    assert go(alex, number, 3).status_code == 303  # Back to choose again
    assert go(alex, number, 4).status_code == 303  # Next keeps the area chosen before
    assert go(alex, number, 5).status_code == 303
    # The other person's account at the same screen walks the same talk.
    assert "Step 5 of 6: One small thing to try" in page(couple.second, f"/talk/{number}")
    assert go(couple.second, number, 6).status_code == 303  # on without choosing
    assert "Step 6 of 6: Close" in page(alex, f"/talk/{number}")
    for odd in ("7", "0", "two", "٣", "-1", "4 ", ""):
        assert post(alex, f"/talk/{number}", step=odd).status_code == 400, odd


def test_step_three_offers_room_to_grow_for_either_and_what_you_see_differently(
    couple: Couple,
) -> None:
    """Are the areas offered those of the two shared check-ups, by the partner page's rule?"""
    number = begun(couple)
    walk_to_step(couple.first, number, 3, "communication")
    html = page(couple.first, f"/talk/{number}")
    assert AREA.findall(html) == ["communication", "stress", "romance"]
    reasons = dict(re.findall(r'data-area="(\w+)">([^<]*)<', html))
    assert reasons == {
        "communication": "room to grow for one of you; you see this differently",
        "stress": "you see this differently",
        "romance": "room to grow for both of you",
    }
    partner = page(couple.first, "/partner")
    differently = re.findall(
        r'<tr data-dimension="(\w+)">(?:(?!</tr>).)*you see this differently', partner, re.S
    )
    assert differently == ["communication", "stress"]  # as the partner page names them
    assert go(couple.first, number, 4, dimension="support").status_code == 400  # not offered
    assert go(couple.first, number, 4, dimension="money").status_code == 400


def test_step_two_names_the_strengths_you_share(couple: Couple) -> None:
    """Does step 2 name the areas both shared check-ups call a strength, and only those?"""
    number = begun(couple)
    assert go(couple.first, number, 2).status_code == 303
    html = page(couple.first, f"/talk/{number}")
    assert re.findall(r'data-strength="(\w+)"', html) == ["intimacy", "support"]
    assert "as a strength" in html


def test_when_nothing_stands_out_every_area_is_offered(app: Flask) -> None:
    """With every area steady and seen alike, can the couple still choose any of the six?"""
    couple = linked_couple(app, levels(), levels())
    number = begun(couple)
    walk_to_step(couple.first, number, 3, "communication")
    assert len(AREA.findall(page(couple.first, f"/talk/{number}"))) == 6


def test_only_what_both_chose_to_share_is_used(couple: Couple, checkup) -> None:
    """A newer check-up not shared changes nothing a talk shows."""
    couple.first.take(checkup, levels(communication=5, romance=5, stress=3))  # not shared
    number = begun(couple)
    walk_to_step(couple.first, number, 3, "communication")
    assert AREA.findall(page(couple.first, f"/talk/{number}")) == [
        "communication",
        "stress",
        "romance",
    ]


def test_step_four_shows_the_areas_prompts_from_strategies_yaml(couple: Couple, catalog) -> None:
    """Does step 4 show every speaker's and listener's line of the chosen area, and no other?"""
    number = begun(couple)
    walk_to_step(couple.first, number, 4, "romance")
    html = page(couple.first, f"/talk/{number}")
    shown = re.findall(r'data-prompt="(\w+)"', html)
    prompts = catalog.strategies.talk["romance"]
    assert shown == [p.id for p in (*prompts.speaker, *prompts.listener)]
    for prompt in (*prompts.speaker, *prompts.listener):
        assert prompt.text.replace("'", "&#39;") in html
    assert "talk_com_" not in html


def offered(person: Person, result_id: int) -> list[str]:
    """The strategies a result page offers with "I'll try this"."""
    html = person.client.get(f"/results/{result_id}").get_data(as_text=True)
    return re.findall(r'name="strategy_id" value="(\w+)"', html)


def _report_unhelpful(person: Person, result_id: int, strategy_id: str, pulse) -> None:  # type: ignore[no-untyped-def]
    """Choose a strategy from a result, then say at the next pulse it was tried and did not help."""
    response = person.choose_plan(result_id, strategy_id)
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    html = person.client.get("/checkup/pulse").get_data(as_text=True)
    plan = re.search(r'name="plan_(\d+)_tried"', html)
    assert plan
    answers = {item.id: "3" for item in pulse.items}
    extra = {f"plan_{plan.group(1)}_tried": "yes", f"plan_{plan.group(1)}_helped": "no"}
    assert (
        person.submit("pulse", answers, {i.id: "no" for i in pulse.safety}, extra).status_code
        == 303
    )


def test_step_five_leaves_out_what_the_one_at_the_screen_said_did_not_help(
    app: Flask, pulse
) -> None:
    """Only the screen's own "did not help" is left out; the partner's check-ins stay private."""
    couple = linked_couple(app, levels(communication=2), levels(communication=2))
    alex_said = [s for s in offered(couple.first, couple.first_checkup) if s.startswith("com_")]
    sam_said = [s for s in offered(couple.second, couple.second_checkup) if s != alex_said[0]]
    alex_said, sam_said = alex_said[0], next(s for s in sam_said if s.startswith("com_"))
    _report_unhelpful(couple.first, couple.first_checkup, alex_said, pulse)
    _report_unhelpful(couple.second, couple.second_checkup, sam_said, pulse)
    number = begun(couple)
    walk_to_step(couple.first, number, 5, "communication")
    on_alex = STRATEGY.findall(page(couple.first, f"/talk/{number}"))
    on_sam = STRATEGY.findall(page(couple.second, f"/talk/{number}"))
    assert alex_said not in on_alex and sam_said in on_alex
    assert sam_said not in on_sam and alex_said in on_sam
    assert len(on_alex) == len(on_sam) == 5  # the six of the area, less one each
    assert go(couple.first, number, 6, strategy=alex_said).status_code == 400
    assert go(couple.first, number, 6, strategy="rom_free_date").status_code == 400  # other area


def test_a_choice_is_a_plan_for_the_screen_and_a_proposal_for_the_other(couple: Couple) -> None:
    """The one at the screen gets a plan tied to their latest shared check-up; the other is
    asked on their own account and, saying yes, gets one tied to theirs."""
    app, alex, sam = couple.app, couple.first, couple.second
    checkup = app.extensions["rekindle.catalog"].latest("checkup")
    newer = sam.take(checkup, SECOND)  # sam's latest shared check-up is this one
    assert share(sam, newer).status_code == 303
    sam.take(checkup, SECOND)  # and a newer one, not shared
    number = begun(couple)
    walk_to_step(alex, number, 5, "communication")
    assert go(alex, number, 6, strategy="com_daily_checkin").status_code == 303
    assert go(alex, number, 6, strategy="com_listen_ten").status_code == 400  # not on 6
    mine = rows_of(app, Plan, user_id=alex_id(app))
    assert [(p.strategy_id, p.assessment_id, p.status) for p in mine] == [
        ("com_daily_checkin", couple.first_checkup, PlanStatus.ACTIVE)
    ]
    assert rows_of(app, Plan, user_id=sam_id(app)) == []
    (proposal,) = rows_of(app, TalkProposal)
    assert (proposal.user_id, proposal.strategy, proposal.status) == (
        sam_id(app),
        "com_daily_checkin",
        ProposalStatus.PENDING,
    )
    assert "Would you like to try it too?" in page(sam, "/talk")
    assert "Would you like to try it too?" not in page(alex, "/talk")
    assert post(alex, f"/talk/{number}/proposal", accept="yes").status_code == 404
    assert post(sam, f"/talk/{number}/proposal", accept="maybe").status_code == 400
    accepted = post(sam, f"/talk/{number}/proposal", accept="yes")
    assert accepted.status_code == 303 and accepted.headers["Location"] == "/plans"
    theirs = rows_of(app, Plan, user_id=sam_id(app))
    assert [(p.strategy_id, p.assessment_id) for p in theirs] == [("com_daily_checkin", newer)]
    assert post(sam, f"/talk/{number}/proposal", accept="no").status_code == 303  # said already
    assert rows_of(app, TalkProposal)[0].status == ProposalStatus.ACCEPTED
    assert len(rows_of(app, Plan, user_id=sam_id(app))) == 1
    assert "Would you like to try it too?" not in page(sam, "/talk")


def test_declining_makes_no_plan(couple: Couple) -> None:
    """Does "Not this time" leave the other person without a plan?"""
    number = begun(couple)
    walk_to_step(couple.first, number, 5, "romance")
    html = page(couple.first, f"/talk/{number}")
    chosen = STRATEGY.findall(html)[0]
    assert go(couple.first, number, 6, strategy=chosen).status_code == 303
    assert post(couple.second, f"/talk/{number}/proposal", accept="no").status_code == 303
    assert rows_of(couple.app, TalkProposal)[0].status == ProposalStatus.DECLINED
    assert rows_of(couple.app, Plan, user_id=sam_id(couple.app)) == []


def _fill_plans(person: Person, result_id: int, count: int = 3) -> None:
    """Choose ``count`` more plans (none about communication) from a result."""
    for strategy_id in [s for s in offered(person, result_id) if not s.startswith("com_")][:count]:
        response = person.choose_plan(result_id, strategy_id)
        assert response.status_code == 303


def test_three_plans_already_is_a_409_with_nothing_stored(couple: Couple) -> None:
    """With three plans on the go, does choosing (or saying yes) store nothing?"""
    app = couple.app
    _fill_plans(couple.first, couple.first_checkup)
    number = begun(couple)
    walk_to_step(couple.first, number, 5, "communication")
    before = row_counts(app)
    full = go(couple.first, number, 6, strategy="com_daily_checkin")
    assert full.status_code == 409
    assert "three things already" in full.get_data(as_text=True)
    assert row_counts(app) == before
    assert rows_of(app, Talk)[0].strategy is None
    # The other person at the screen chooses; then the full one is asked, and says yes.
    assert go(couple.second, number, 6, strategy="com_daily_checkin").status_code == 303
    _fill_plans(couple.second, couple.second_checkup, 2)
    before = row_counts(app)
    assert post(couple.first, f"/talk/{number}/proposal", accept="yes").status_code == 409
    assert row_counts(app) == before
    assert rows_of(app, TalkProposal)[0].status == ProposalStatus.PENDING


def test_a_talk_chooses_once(couple: Couple) -> None:
    """Back to step 5 after choosing: the choice is shown, and a second one is refused."""
    number = begun(couple)
    walk_to_step(couple.first, number, 5, "communication")
    assert go(couple.first, number, 6, strategy="com_daily_checkin").status_code == 303
    assert go(couple.first, number, 5).status_code == 303
    html = page(couple.first, f"/talk/{number}")
    assert STRATEGY.findall(html) == [] and "A ten-minute check-in" in html
    assert go(couple.first, number, 6, strategy="com_listen_ten").status_code == 303
    assert len(rows_of(couple.app, Plan)) == 1 and len(rows_of(couple.app, TalkProposal)) == 1
    assert go(couple.first, number, 3).status_code == 303  # the area stays with the plan
    assert go(couple.first, number, 4, dimension="romance").status_code == 400


def test_step_six_thanks_and_offers_a_reminder(couple: Couple) -> None:
    """Does the close offer the account's calendar reminder, a file with one event?"""
    number = begun(couple)
    walk_to_step(couple.first, number, 6, "communication")
    html = page(couple.first, f"/talk/{number}")
    assert "Thank each other" in html
    links = re.findall(r'href="(/reminders/next\.ics\?weeks=\d+)"', html)
    assert links == [f"/reminders/next.ics?weeks={n}" for n in (1, 2, 4, 6, 8)]
    reminder = couple.first.client.get(links[1])
    assert reminder.mimetype == "text/calendar"
    assert reminder.get_data(as_text=True).count("BEGIN:VEVENT") == 1


def test_a_talks_menu_holds_only_end_the_talk_beside_leave_quickly(couple: Couple) -> None:
    """While a talk is open, is "End the talk" the whole menu, with the leave bar there?"""
    number = talk_id(ask(couple.first))
    pages_ = [(couple.first, f"/talk/{number}"), (couple.second, f"/talk/{number}")]
    assert post(couple.second, f"/talk/{number}/join").status_code == 303
    for step in range(1, 7):
        if step > 1:
            go(couple.first, number, step, **({"dimension": "romance"} if step == 4 else {}))
        pages_.append((couple.first, f"/talk/{number}"))
    for person, path in pages_:
        html = page(person, path)
        assert menu_words(html) == ["End the talk"], path
        assert 'id="quick-exit"' in html and "Leave quickly" in html
    assert "History" in menu_words(page(couple.first, "/talk"))  # not in a talk: the usual menu
    assert post(couple.second, f"/talk/{number}/end").status_code == 303
    assert "This talk has ended" in page(couple.first, f"/talk/{number}")
    assert go(couple.first, number, 5).status_code == 410


def test_odd_posts_are_a_clear_4xx_and_store_nothing(couple: Couple) -> None:
    """Extra fields, a field twice, no CSRF token, a talk that is not yours: nothing stored."""
    number = begun(couple)
    app, alex = couple.app, couple.first
    from tests.support.talking import token

    before = row_counts(app)
    csrf = token(alex)
    odd = [
        ("/talk", {"csrf_token": csrf, "extra": "1"}),
        ("/talk", {}),
        (f"/talk/{number}", {"csrf_token": csrf, "step": "2", "colour": "red"}),
        (f"/talk/{number}", {"csrf_token": csrf, "step": ["2", "2"]}),
        (f"/talk/{number}", {"csrf_token": csrf}),
        (f"/talk/{number}", {"step": "2"}),
        (f"/talk/{number}", {"csrf_token": csrf, "step": "4", "when": "x", "feel": "y"}),
        (f"/talk/{number}/join", {"csrf_token": csrf, "step": "2"}),
        (f"/talk/{number}/end", {"csrf_token": csrf, "now": "yes"}),
        (f"/talk/{number}/proposal", {"csrf_token": csrf}),
    ]
    for path, data in odd:
        status = alex.client.post(path, data=data).status_code
        assert 400 <= status < 500, (path, data, status)
        assert row_counts(app) == before, (path, data)
    for missing in ("/talk/99999", "/talk/99999999999999999999", "/talk/12abc"):
        assert alex.client.post(missing, data={"csrf_token": csrf, "step": "2"}).status_code == 404
    assert alex.client.get(f"/talk/{number}").headers["Cache-Control"] == "no-store"


def test_asking_is_rate_limited(tmp_path, migrated_sqlite) -> None:  # type: ignore[no-untyped-def]
    """Is the eleventh ask in a minute a 429, the first ten not?"""
    app = sqlite_app(tmp_path, migrated_sqlite, {"RATELIMIT_ENABLED": True})
    couple = linked_couple(app, FIRST, SECOND)
    statuses = [ask(couple.first).status_code for _ in range(11)]
    assert statuses[:10] == [303] * 10 and statuses[10] == 429


def alex_id(app: Flask) -> int:
    from tests.conftest import user_id_of

    return user_id_of(app, "alex")


def sam_id(app: Flask) -> int:
    from tests.conftest import user_id_of

    return user_id_of(app, "sam")


__all__ = ["PASSWORD"]
