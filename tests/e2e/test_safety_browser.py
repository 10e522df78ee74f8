"""In Chromium: "Leave quickly" stays on screen while long pages scroll.

See docs/architecture.md#safety.
"""

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


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-375", "desktop-1280"])
def test_quick_exit_stays_in_view_while_pages_scroll(demo_site, open_context, viewport) -> None:
    """On the check-up, a result, History and Partner, is "Leave quickly" always on screen?"""
    site, password = demo_site
    context, watch = open_context(viewport)
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", DEMO_USERNAME)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")
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
