"""Reminders without e-mail: a calendar file with one discreet event.

See docs/architecture.md#accounts.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from tests.web.test_partner import levels


def calendar(response) -> icalendar.Calendar:  # type: ignore[no-untyped-def]
    """The response parsed by the icalendar library, as a calendar app would read it."""
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.get_data())


def only_event(parsed: icalendar.Calendar) -> icalendar.Event:
    """The one VEVENT of a calendar."""
    events = parsed.walk("VEVENT")
    assert len(events) == 1
    return events[0]


@pytest.mark.parametrize("weeks", [1, 2, 4, 6, 8])
def test_one_event_n_weeks_from_now_titled_check_in(member, weeks) -> None:
    """Is it a valid calendar with one event, N weeks ahead, named only "Check-in"?"""
    before = datetime.now(UTC)
    response = member.client.get(f"/reminders/next.ics?weeks={weeks}")
    event = only_event(calendar(response))
    start = event.decoded("DTSTART")
    expected = before + timedelta(weeks=weeks)
    assert abs(start - expected) < timedelta(minutes=2)
    assert str(event["SUMMARY"]) == "Check-in"
    body = response.get_data(as_text=True)
    assert "rekindle" not in body.lower() and "relationship" not in body.lower()
    assert "partner" not in body.lower()
    assert "reminder.ics" in response.headers["Content-Disposition"]
    assert "rekindle" not in response.headers["Content-Disposition"].lower()


def test_the_title_is_the_persons_choice(member) -> None:
    """Is the title set on the Account page the one the calendar shows, commas and all?"""
    page = member.client.get("/account").get_data(as_text=True)
    assert 'value="Check-in"' in page
    chosen = "Tea, and a walk; ünd a long title that goes on for a while ✓"
    response = member.client.post(
        "/account/reminder", data={"csrf_token": member.csrf("/account"), "title": chosen}
    )
    assert response.status_code == 303
    event = only_event(calendar(member.client.get("/reminders/next.ics?weeks=2")))
    assert str(event["SUMMARY"]) == chosen
    raw = member.client.get("/reminders/next.ics?weeks=2").get_data()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    mine = "Rekindle relationship check"
    member.client.post(
        "/account/reminder", data={"csrf_token": member.csrf("/account"), "title": mine}
    )
    event = only_event(calendar(member.client.get("/reminders/next.ics?weeks=1")))
    assert str(event["SUMMARY"]) == mine


def test_a_bad_title_is_refused_and_nothing_changes(member) -> None:
    """Are an empty, a too long, a two-line title and an extra field refused (400)?"""
    for title in ("", "   ", "x" * 61, "Check-in\r\nATTENDEE:mailto:x@example.org"):
        response = member.client.post(
            "/account/reminder", data={"csrf_token": member.csrf("/account"), "title": title}
        )
        assert response.status_code == 400, title
    extra = member.client.post(
        "/account/reminder",
        data={"csrf_token": member.csrf("/account"), "title": "Tea", "colour": "red"},
    )
    assert extra.status_code == 400
    event = only_event(calendar(member.client.get("/reminders/next.ics?weeks=4")))
    assert str(event["SUMMARY"]) == "Check-in"


def test_only_the_offered_weeks_are_accepted(member) -> None:
    """Is any other number of weeks, or none, a 400 (and signed out, a sign-in)?"""
    for query in (
        "",
        "?weeks=3",
        "?weeks=0",
        "?weeks=-1",
        "?weeks=²",
        "?weeks=1&weeks=2",
        "?weeks=1&x=1",
    ):
        assert member.client.get(f"/reminders/next.ics{query}").status_code == 400, query
    member.logout()
    assert member.client.get("/reminders/next.ics?weeks=1").status_code == 302


def test_the_result_page_offers_a_reminder(member, checkup) -> None:
    """Does the result page offer "Add a reminder to my calendar" for 1 to 8 weeks?"""
    stored = member.take(checkup, levels())
    page = member.client.get(f"/results/{stored}").get_data(as_text=True)
    assert "Add a reminder to my calendar" in page
    offered = re.findall(r'href="/reminders/next\.ics\?weeks=(\d+)"', page)
    assert offered == ["1", "2", "4", "6", "8"]
