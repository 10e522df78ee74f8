"""Leaving quickly in Chromium: always on screen, signs out, and Back shows nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assessment.account.demo import DEMO_USERNAME, demo_password, load_demo, load_demo_partner
from assessment.core.extensions import db
from assessment.core.models import Assessment, User
from tests.e2e.conftest import DESKTOP, PHONE

MIN_TARGET = 44  # px: the smallest comfortable touch target (WCAG 2.5.5)

WHERE_IS_THE_EXIT = """() => {
  const exit = document.getElementById('quick-exit');
  const box = exit.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const hit = document.elementFromPoint(x, y);
  return {top: box.top, left: box.left, bottom: box.bottom, right: box.right,
          width: box.width, height: box.height,
          onTop: hit === exit || exit.contains(hit),
          innerWidth: window.innerWidth, innerHeight: window.innerHeight,
          scrollY: window.scrollY};
}"""

FIRST_CONTENT_BELOW_BAR = """() => {
  const bar = document.querySelector('.top-bar').getBoundingClientRect();
  const first = document.querySelector('.site-header .site-nav, main').getBoundingClientRect();
  return first.top - bar.bottom;
}"""


def _paths(app) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == DEMO_USERNAME))
        latest = db.session.scalar(
            select(Assessment.id)
            .where(Assessment.user_id == user.id, Assessment.questionnaire_id == "checkup")
            .order_by(Assessment.created_at.desc())
        )
    return ["/checkup/checkup", f"/results/{latest}", "/history", "/partner"]


@pytest.fixture
def demo_site(live_site):  # type: ignore[no-untyped-def]
    """The live site with the demo account (history, plans, a linked partner)."""
    with live_site.app.app_context():
        user, _ = load_demo()
        load_demo_partner(user)
        password = demo_password(live_site.app.instance_path)
    return live_site, password


NARROW = {"width": 320, "height": 568}


@pytest.mark.parametrize(
    "viewport", [NARROW, PHONE, DESKTOP], ids=["phone-320", "phone-375", "desktop-1280"]
)
def test_quick_exit_stays_in_view_while_pages_scroll(demo_site, open_context, viewport) -> None:
    """On the check-up, a result, History and Partner, is "Leave quickly" always on screen?"""
    site, _context, watch, page = _signed_in(demo_site, open_context, viewport)
    for path in _paths(site.app):
        page.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate(FIRST_CONTENT_BELOW_BAR) >= 0, (path, "the bar covers the page")
        height = page.evaluate("document.documentElement.scrollHeight")
        stops = sorted({0, height // 3, height // 2, height})
        for stop in stops:
            page.evaluate("y => window.scrollTo(0, y)", stop)
            page.wait_for_timeout(50)
            where = page.evaluate(WHERE_IS_THE_EXIT)
            context_note = (path, viewport["width"], stop, where)
            assert where["top"] >= 0 and where["left"] >= 0, context_note
            assert where["bottom"] <= where["innerHeight"], context_note
            assert where["right"] <= where["innerWidth"], context_note
            assert where["width"] >= MIN_TARGET and where["height"] >= MIN_TARGET, context_note
            assert where["onTop"], context_note
        last = page.evaluate(WHERE_IS_THE_EXIT)
        assert last["scrollY"] > 0 or height <= viewport["height"], (path, "page did not scroll")
    assert watch.console_errors == [], watch.console_errors
    assert watch.outside == [], watch.outside


def _signed_in(demo_site, open_context, viewport):  # type: ignore[no-untyped-def]
    site, password = demo_site
    context, watch = open_context(viewport)
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", DEMO_USERNAME)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    return site, context, watch, page


def test_leaving_from_history_signs_out_and_back_shows_nothing(demo_site, open_context, browser):  # type: ignore[no-untyped-def]
    """At 375 px: leave from History, press Back: no data; the old cookie opens nothing."""
    site, context, watch, page = _signed_in(demo_site, open_context, PHONE)
    page.goto("/checkup")
    page.goto("/history")
    assert page.locator("#trend-heading, h1").first.is_visible()
    copied = [c for c in context.cookies() if c["name"] == "session"]
    with page.expect_navigation():
        page.click("#quick-exit")
    page.wait_for_load_state("load")
    assert page.url.endswith(site.app.config["QUICK_EXIT_URL"])
    page.go_back()
    page.wait_for_load_state("load")
    assert "/login" in page.url, page.url  # the page before asks to sign in again
    text = page.inner_text("main")
    assert DEMO_USERNAME not in text and "History" not in page.title()
    # The cookie copied before leaving opens nothing in another browser.
    thief = browser.new_context(base_url=site.base)
    try:
        thief.add_cookies([{**copied[0]}])
        other = thief.new_page()
        other.goto("/history")
        assert "/login" in other.url, other.url
    finally:
        thief.close()
    assert watch.console_errors == [], watch.console_errors


def test_three_bare_shift_presses_leave_but_typing_capitals_never_does(demo_site, open_context):  # type: ignore[no-untyped-def]
    """Shift three times leaves; a capitalised password typed in a form, or Escape, does not."""
    site, _, watch, page = _signed_in(demo_site, open_context, DESKTOP)
    page.goto("/account")
    field = page.locator("#current")
    field.click()
    page.keyboard.type("My Long Password With Capitals And Shift HELD")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.url.endswith("/account"), page.url
    assert field.input_value() == "My Long Password With Capitals And Shift HELD"
    # Shift held across several capitals, three times over: still typing, never leaving.
    for _ in range(3):
        page.keyboard.down("Shift")
        page.keyboard.press("KeyA")
        page.keyboard.press("KeyB")
        page.keyboard.up("Shift")
    page.wait_for_timeout(300)
    assert page.url.endswith("/account"), page.url
    with page.expect_navigation():
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_load_state("load")
    assert page.url.endswith(site.app.config["QUICK_EXIT_URL"]), page.url
    page.goto("/history")
    assert "/login" in page.url  # leaving signed out
    assert watch.console_errors == [], watch.console_errors
