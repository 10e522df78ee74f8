"""Follow-through in Chromium: choose a plan, answer its check-in, see it on History."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import (
    PHONE,
    answer_in_parts,
    csp_violations,
    horizontal_overflow,
    serious_axe_findings,
)
from tests.e2e.test_journey_browser import register_with_keyboard


def test_choose_a_plan_check_in_and_see_it_on_history(open_context, live_site, axe, checkup, pulse):
    """I'll try this, then the pulse asks about it, then History stars it and tables it."""
    context, watch = open_context(PHONE)
    page = context.new_page()
    register_with_keyboard(page, "tryer")
    page.goto("/checkup/checkup")
    answers = {}
    for item in checkup.items:
        low = 1 if item.dimension == "communication" else 4
        answers[item.id] = str(6 - low if item.reverse else low)
    answer_in_parts(page, answers)
    with page.expect_navigation():
        page.click("#questionnaire button[type=submit]")
    first = page.locator(".strategy").first
    title = first.locator("h4").inner_text()
    with page.expect_navigation():
        first.get_by_role("button", name="I'll try this").click()
    expect(page.locator(".strategy").first.get_by_text("You are trying this.")).to_be_visible()

    page.goto("/checkup/pulse")
    expect(page.get_by_text(f"Did you try “{title}”?")).to_be_visible()
    helped = page.locator(".plan-helped").first
    expect(helped).to_be_hidden()  # asked only once it was tried
    page.locator('.plan-checkin input[value="yes"]').first.check()
    expect(helped).to_be_visible()
    helped.locator('input[value="yes"]').check()
    for item in pulse.items:
        page.check(f'input[name="{item.id}"][value="4"]')
    assert serious_axe_findings(page, axe) == []
    with page.expect_navigation():
        page.click("#questionnaire button[type=submit]")

    page.goto("/history")
    expect(page.locator(".tried-table")).to_contain_text(title)
    chart = page.locator("#chart-trend-communication")
    chart.scroll_into_view_if_needed()
    page.wait_for_selector("#chart-trend-communication .scatterlayer .trace")
    names = page.evaluate(
        "() => document.getElementById('chart-trend-communication').data.map(t => t.name)"
    )
    assert "Plans" in names
    stars = page.locator("#chart-trend-communication .scatterlayer .trace").last
    assert stars.locator(".point").count() == 2  # chosen, and said how it went
    assert serious_axe_findings(page, axe) == []
    assert horizontal_overflow(page) <= 0
    assert csp_violations(page) == []
    assert watch.console_errors == []
    assert watch.outside == []
