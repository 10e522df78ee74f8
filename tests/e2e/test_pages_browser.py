"""Every journey in a real Chromium: the invite through sign-up, every page at four widths in
light and dark, and printing to PDF.

One server for the module, with the demo account, its partner and a newcomer with one
check-up; each test opens its own browser contexts.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader
from werkzeug.security import generate_password_hash

from assessment.core.extensions import db
from assessment.core.models import PartnerInvite, User, utcnow
from assessment.core.templating import format_date
from assessment.partner.queries import INVITE_VALID, hash_token
from tests.conftest import PASSWORD
from tests.e2e.conftest import (
    RADAR_PROBLEMS,
    Watch,
    csp_violations,
    demo_site,
    horizontal_overflow,
    newest_assessment,
    serious_axe_findings,
)
from tests.e2e.conftest import DemoSite as Site


def _strangers(live: Site, demo: User) -> None:
    """The demo's newest pulse, someone else's open invitation, and someone not linked."""
    live.demo_pulse = newest_assessment(demo.id, "pulse")
    # Someone else's open invitation, for the page a signed-out partner sees.
    solo = User(username="solo", password_hash=generate_password_hash(PASSWORD))
    # Someone not linked, who opens that invitation signed in.
    db.session.add(User(username="visitor", password_hash=generate_password_hash(PASSWORD)))
    db.session.add(solo)
    db.session.flush()
    now = utcnow()
    db.session.add(
        PartnerInvite(
            inviter_id=solo.id,
            token_hash=hash_token("an-open-invitation-for-the-layout-test"),
            created_at=now,
            expires_at=now + INVITE_VALID,
        )
    )
    db.session.commit()
    live.invite_path = "/partner/join/an-open-invitation-for-the-layout-test"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Path) -> Iterator[Site]:
    """One server for the module: demo with half a year of history, linked to its partner."""
    with demo_site(tmp_path_factory.mktemp("pages"), migrated_sqlite, _strangers) as live:
        yield live


def open_page(
    browser: Browser, site: Site, width: int = 375, scheme: str = "light"
) -> tuple[BrowserContext, Page, Watch]:
    """A watched context at a width and colour scheme, and a page in it."""
    context = browser.new_context(
        viewport={"width": width, "height": 800}, base_url=site.base, color_scheme=scheme
    )
    watch = Watch(site.origin)
    watch.observe(context)
    return context, context.new_page(), watch


def sign_in(page: Page, username: str, password: str) -> None:
    """Sign in through the real form."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def register(page: Page, username: str) -> None:
    """Create an account through the form on the page that is open now."""
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_an_invite_opened_signed_out_survives_sign_up(browser: Browser, site: Site) -> None:
    """Signed out, open the link, create an account: the confirmation is where you land."""
    inviter_context, inviter, watch = open_page(browser, site)
    partner_context, partner, partner_watch = open_page(browser, site)
    try:
        inviter.goto("/register")
        register(inviter, "inviter")
        inviter.goto("/partner")
        inviter.click("button:has-text('Make an invitation link')")
        invite_url = inviter.input_value("#invite-url")
        assert invite_url.startswith(site.base + "/partner/join/")
        copy = inviter.locator("button[data-copy]")
        expect(copy).to_be_visible()  # JavaScript shows it; without it the field stays
        inviter_context.grant_permissions(["clipboard-read", "clipboard-write"])
        copy.click()
        expect(inviter.locator("[data-copy-status]")).to_contain_text("Copied")
        assert inviter.evaluate("navigator.clipboard.readText()") == invite_url

        partner.goto(invite_url)
        expect(partner.locator("h1")).to_have_text("An invitation waits for you")
        assert "inviter" not in partner.inner_text("main")
        partner.click("main a:has-text('Create an account')")
        register(partner, "invited")
        assert partner.url.endswith("/account/recovery-codes/new")  # shown once, first
        with partner.expect_navigation():
            partner.click("main a:has-text('Continue')")
        assert partner.url == invite_url
        expect(partner.locator("h1")).to_have_text("Link your account with inviter?")
        with partner.expect_navigation():
            partner.click("button:has-text('Link our accounts')")
        expect(partner.locator("h1")).to_have_text("You and inviter")
        for seen, page in ((watch, inviter), (partner_watch, partner)):
            assert seen.console_errors == [] and seen.outside == []
            assert csp_violations(page) == []
    finally:
        inviter_context.close()
        partner_context.close()


def test_without_javascript_the_link_is_a_selectable_field(browser: Browser, site: Site) -> None:
    """With JavaScript off, is the link a read-only field to select, and no dead button?"""
    context = browser.new_context(base_url=site.base, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/register")
        register(page, "nojs")
        page.goto("/partner")
        with page.expect_navigation():
            page.click("button:has-text('Make an invitation link')")
        field_ = page.locator("#invite-url")
        assert field_.get_attribute("readonly") is not None
        assert "/partner/join/" in field_.input_value()
        assert not page.locator("button[data-copy]").is_visible()
    finally:
        context.close()


# Everything on a page that must fit: sideways scrolling, scrolled boxes, tables wider than
# their container, and every word of every table cell, measured with a Range per word.
MEASURE = """() => {
  const found = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) { found.push(['page scrolls sideways', doc.scrollWidth]); }
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      found.push(['scrolls on its own', el.tagName + '.' + el.className]);
    }
  }
  for (const table of document.querySelectorAll('main table')) {
    const parent = table.parentElement.getBoundingClientRect();
    if (table.getBoundingClientRect().right > parent.right + 1) {
      found.push(['table wider than its place', table.querySelector('caption').textContent]);
    }
  }
  for (const cell of document.querySelectorAll('main th, main td')) {
    const box = cell.getBoundingClientRect();
    // Hidden cells, and headers kept only for screen readers (a phone's cards say them).
    if (!cell.getClientRects().length || box.width <= 1 || box.height <= 1) { continue; }
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // A word: no spaces, and no hyphen (a line may end after "check-").
      for (const match of node.data.matchAll(/[^\\s\\-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
        if (rects.length > 1) { found.push(['word broken', match[0]]); }
        for (const r of rects) {
          if (r.left < box.left - 0.5 || r.right > box.right + 0.5) {
            found.push(['word wider than its cell', match[0]]);
          }
        }
      }
    }
  }
  return found;
}"""


def draw_everything(page: Page) -> None:
    """Open every fold and bring every chart into view, as a reader scrolling down would."""
    page.evaluate(
        "() => document.querySelectorAll('main details').forEach(d => { d.open = true; })"
    )
    charts = page.locator("main .chart")
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('main .chart'))"
        ".every(c => c.hasAttribute('data-drawn') && c.querySelector('.main-svg'))"
    )


def check_fits(page: Page, watch: Watch, axe, width: int) -> None:  # type: ignore[no-untyped-def]
    """Everything a page must be at this width: it fits, it is clean, axe finds nothing."""
    draw_everything(page)
    assert page.evaluate(MEASURE) == [], (page.url, width)
    assert horizontal_overflow(page) <= 0
    assert serious_axe_findings(page, axe) == [], (page.url, width)
    assert csp_violations(page) == [], page.url
    assert watch.outside == [], watch.outside


WIDTHS = [(320, "light"), (375, "dark"), (768, "dark"), (1280, "light")]


@pytest.mark.parametrize(("width", "scheme"), WIDTHS, ids=[f"{w}-{s}" for w, s in WIDTHS])
def test_every_page_fits_at_every_width(
    browser: Browser, site: Site, axe, width: int, scheme: str
) -> None:
    """Every page of every journey, demo included: fits, no word broken, axe clean, both schemes."""
    context, page, watch = open_page(browser, site, width, scheme)
    try:
        for path in ("/", "/login", "/register", site.invite_path, "/about/sources"):
            page.goto(path)
            check_fits(page, watch, axe, width)
        sign_in(page, "visitor", PASSWORD)
        for path in ("/partner", site.invite_path, "/no-such-page"):
            page.goto(path)
            check_fits(page, watch, axe, width)
        watch.console_errors = [e for e in watch.console_errors if "404" not in e]
        with page.expect_navigation():
            page.click("button:has-text('Sign out')")
        sign_in(page, "demo", site.passwords["demo"])
        for path in (
            "/checkup",
            "/checkup/checkup",
            f"/results/{site.demo_result}",
            f"/results/{site.demo_pulse}",
            "/history",
            "/plans",
            "/partner",
            "/account",
        ):
            page.goto(path)
            check_fits(page, watch, axe, width)
            if path.startswith("/results/") or path in ("/history", "/partner"):
                assert page.locator("svg.radar .radar-label").count() == 6, path
                assert page.evaluate(RADAR_PROBLEMS) == [], (path, width)
                # The radar's words are in the page's ink, light or dark.
                ink, fill = page.evaluate(
                    "() => [getComputedStyle(document.body).color, getComputedStyle("
                    "document.querySelector('svg.radar .radar-label')).fill]"
                )
                assert fill == ink, (scheme, ink, fill)
            if path == "/partner":
                title = page.locator("#chart-gap-trend .g-ytitle text").bounding_box()
                chart = page.locator("#chart-gap-trend").bounding_box()
                assert title and chart and title["x"] >= chart["x"] and title["y"] >= chart["y"]
                assert title["y"] + title["height"] <= chart["y"] + chart["height"]
        assert watch.console_errors == [], watch.console_errors
    finally:
        context.close()


NAVIGATION_WORDS = (
    "Sign out",
    "Leave quickly",
    "Print or save as PDF",
    "See your history",
    "Take another check-in",
    "I'll try this",
    "Stop sharing",
    "Download",
)


@pytest.mark.parametrize("which", ["result", "history"])
def test_result_and_history_print_whole_without_navigation(
    browser: Browser, site: Site, which: str
) -> None:
    """Printed to PDF (in dark mode, even): no menu or buttons, every chart, every table, dated."""
    context, page, watch = open_page(browser, site, 1280, "dark")
    try:
        sign_in(page, "demo", site.passwords["demo"])
        page.goto(f"/results/{site.demo_result}" if which == "result" else "/history")
        expect(page.locator("button[data-print]")).to_be_visible()
        if which == "history":
            page.wait_for_function("() => window.Plotly !== undefined")
        charts = page.locator("main .chart").count()
        drawn = (
            "() => Array.from(document.querySelectorAll('main .chart[data-drawn]'))"
            ".filter(c => c.querySelector('.main-svg')).length"
        )
        if which == "history":
            assert page.evaluate(drawn) < charts  # those further down wait for a scroll
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
        text = "\n".join(p.extract_text() for p in pdf.pages)
        assert page.evaluate(drawn) == charts  # drawn on beforeprint, before the paper
        for words in NAVIGATION_WORDS + (("Your history",) if which == "result" else ()):
            assert words not in text, words
        assert "Account" not in text.split("\n")[:3]  # no menu under the name
        assert f"Printed from Rekindle on {format_date(datetime.now(UTC))}" in text
        if which == "result":
            assert "Taken on" in text and "Scores from 0 to 100" in text
            assert "Facing\nstress\ntogether" in text  # the radar's own label, wrapped
        else:
            assert text.count("Jul 2026") >= 6  # each trend chart's date axis
            assert "Communication over time" in text  # the folded tables print too
            assert "Every check-in" in text
        # After printing, the page is as it was: folds closed again, colours of the screen.
        assert page.evaluate("() => document.querySelectorAll('main details[open]').length") == 0
        assert watch.console_errors == [] and csp_violations(page) == []
    finally:
        context.close()
