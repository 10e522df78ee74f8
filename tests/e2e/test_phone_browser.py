"""Light on a cheap phone, in a real Chromium: the server-drawn radar, plotly.js only near a
chart, pages without JavaScript, the check-up one area per screen, Back after sending,
printing, and the small things people expect.

One server for the module: the demo account (half a year of history, linked to its
partner), and people made as each test needs them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader
from sqlalchemy import func, select

from assessment.core.extensions import db
from assessment.core.models import Assessment, User
from tests.conftest import PASSWORD
from tests.e2e.conftest import (
    RADAR_PROBLEMS,
    Watch,
    csp_violations,
    demo_site,
    serious_axe_findings,
)
from tests.e2e.conftest import DemoSite as Site
from tests.support.browser import register_in_page

PHONE_SMALL = {"width": 320, "height": 568}
# 10% of a 320 x 568 screen: everything that stays put while the page scrolls.
STICKY_LIMIT = 0.10 * 568


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Path) -> Iterator[Site]:
    """One server for the module, with the demo and its partner, linked and sharing."""
    with demo_site(tmp_path_factory.mktemp("phone"), migrated_sqlite) as live:
        yield live


def open_page(
    browser: Browser,
    site: Site,
    viewport: dict[str, int],
    scheme: str = "light",
    javascript: bool = True,
) -> tuple[BrowserContext, Page, Watch]:
    """A watched context (every request seen) and a page in it."""
    context = browser.new_context(
        viewport=viewport,
        base_url=site.base,
        color_scheme=scheme,
        java_script_enabled=javascript,
    )
    watch = Watch(site.origin)
    watch.observe(context, block=False)
    return context, context.new_page(), watch


def sign_in(page: Page, site: Site, username: str = "demo") -> None:
    """Sign in through the real form."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", site.passwords.get(username, PASSWORD))
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def register(page: Page, username: str) -> list[str]:
    """Create an account through the form; the recovery codes shown once."""
    register_in_page(page, username, PASSWORD)
    return page.locator("code.recovery-code").all_text_contents()


def plotly_requests(watch: Watch) -> list[str]:
    """Every request for plotly.js the context made."""
    return [url for url in watch.requests if "/assets/plotly-" in url]


def answer_shown_questions(page: Page, value: str = "4") -> None:
    """Answer every question on screen (the current step) with ``value``, as a tap would."""
    for fieldset in page.locator("fieldset[data-question]:visible").all():
        option = fieldset.locator(f'input[value="{value}"]')
        if option.count() == 0:
            option = fieldset.locator('input[value="no"]')
        option.check()


# Everything that stays in place while the page scrolls, as the browser lays it out now.
STICKY_HEIGHT = """() => {
  let total = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (!['fixed', 'sticky'].includes(style.position) || style.display === 'none') { continue; }
    if (el.parentElement && el.parentElement.closest('*') &&
        ['fixed', 'sticky'].includes(getComputedStyle(el.parentElement).position)) { continue; }
    const box = el.getBoundingClientRect();
    if (box.height === 0 || box.bottom <= 0 || box.top >= innerHeight) { continue; }
    total += Math.min(box.bottom, innerHeight) - Math.max(box.top, 0);
  }
  return total;
}"""

# For one question: where its words and its answers are, and where the bar ends.
QUESTION_IN_SIGHT = """fieldset => {
  const bar = document.querySelector('.top-bar').getBoundingClientRect().bottom;
  const legend = fieldset.querySelector('legend').getBoundingClientRect();
  const answers = fieldset.querySelector('.choices').getBoundingClientRect();
  const answersShown = answers.bottom > bar && answers.top < innerHeight;
  const wordsShown = legend.top >= bar - 0.5 && legend.bottom <= innerHeight + 0.5;
  return [answersShown, wordsShown, Math.round(legend.top), Math.round(bar)];
}"""


# --- 1. The radar on the server; plotly.js only near a chart -------------------------------


@pytest.mark.parametrize(
    ("width", "scheme"),
    [(320, "light"), (375, "dark"), (1280, "light"), (1280, "dark")],
    ids=["320-light", "375-dark", "1280-light", "1280-dark"],
)
def test_the_result_radar_is_drawn_on_the_server_and_loads_no_plotly(
    browser: Browser, site: Site, axe, width: int, scheme: str
) -> None:
    """Six whole labels, both check-ups' numbers, in the page's ink; no plotly.js at all."""
    context, page, watch = open_page(browser, site, {"width": width, "height": 800}, scheme)
    try:
        sign_in(page, site)
        watch.requests.clear()
        page.goto(f"/results/{site.demo_result}")
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        assert plotly_requests(watch) == []
        assert page.evaluate("() => window.Plotly") is None
        radar = page.locator("svg.radar")
        expect(radar).to_be_visible()
        assert radar.locator(".radar-label").count() == 6
        assert radar.locator(".radar-score-0").count() == 6  # this check-up
        assert radar.locator(".radar-score-1").count() == 6  # the one before
        assert page.evaluate(RADAR_PROBLEMS) == [], width
        box = radar.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
        ink, label, stroke_now, stroke_before = page.evaluate(
            "() => [getComputedStyle(document.body).color,"
            " getComputedStyle(document.querySelector('.radar-label')).fill,"
            " getComputedStyle(document.querySelector('.radar-trace-0 .radar-area')).stroke,"
            " getComputedStyle(document.querySelector('.radar-trace-1 .radar-area')).stroke]"
        )
        assert label == ink and stroke_now != stroke_before
        # On paper, the words are black whatever the screen's scheme.
        page.emulate_media(media="print")
        assert (
            page.evaluate("() => getComputedStyle(document.querySelector('.radar-label')).fill")
            == "rgb(0, 0, 0)"
        )
        page.emulate_media(media="screen")
        assert serious_axe_findings(page, axe) == []
        assert csp_violations(page) == [] and watch.outside == []
        assert watch.console_errors == []
    finally:
        context.close()


def test_partner_fetches_plotly_only_when_its_chart_comes_near(
    browser: Browser, site: Site
) -> None:
    """On a phone the gaps chart is far down: no plotly.js until it is scrolled near."""
    context, page, watch = open_page(browser, site, {"width": 375, "height": 667})
    try:
        sign_in(page, site)
        watch.requests.clear()
        page.goto("/partner")
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        assert plotly_requests(watch) == []
        assert page.locator("script[src*='/assets/plotly-']").count() == 0
        page.locator("#chart-gap-trend").scroll_into_view_if_needed()
        page.wait_for_selector("#chart-gap-trend[data-drawn] .main-svg")
        assert len(plotly_requests(watch)) == 1
        assert page.locator("script[src*='/assets/plotly-']").count() == 1  # added then
        assert watch.console_errors == [] and csp_violations(page) == []
    finally:
        context.close()


def test_history_draws_its_charts_first_and_only_those_in_reach(
    browser: Browser, site: Site
) -> None:
    """History opens with its charts; those further down wait until they come near."""
    context, page, watch = open_page(browser, site, {"width": 375, "height": 667})
    try:
        sign_in(page, site)
        page.goto("/history")
        page.wait_for_selector("#chart-trend-communication[data-drawn] .main-svg")
        order = page.evaluate(
            "() => ['trends-heading', 'radar-heading', 'changes-heading', 'all-heading']"
            ".map(id => document.getElementById(id).getBoundingClientRect().top)"
        )
        assert order == sorted(order)  # charts, then the radar, the changes, every check-in
        assert (
            page.evaluate(
                "() => document.getElementById('chart-trend-support').hasAttribute('data-drawn')"
            )
            is False
        )
        assert len(plotly_requests(watch)) == 1
        page.locator("#chart-trend-support").scroll_into_view_if_needed()
        page.wait_for_selector("#chart-trend-support[data-drawn] .main-svg")
        assert len(plotly_requests(watch)) == 1
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/history", "/partner"])
def test_without_javascript_tables_stand_where_charts_would(
    browser: Browser, site: Site, path: str
) -> None:
    """No script: no empty box, each table open in its chart's place, no words about lines."""
    context, page, watch = open_page(browser, site, {"width": 375, "height": 800}, javascript=False)
    try:
        sign_in(page, site)
        page.goto(path)
        charts = page.locator("main .chart")
        assert charts.count() >= 1
        for index in range(charts.count()):
            box = charts.nth(index).bounding_box()
            assert box is None or box["height"] == 0, index  # takes no room at all
        tables = page.locator("main .trend-table table")
        assert tables.count() >= 1
        for index in range(tables.count()):
            expect(tables.nth(index)).to_be_visible()
        assert page.locator("main .trend-table summary:visible").count() == 0
        expect(page.locator("svg.radar")).to_be_visible()  # drawn on the server
        assert "drawn as circles" not in page.inner_text("main")
        assert plotly_requests(watch) == []
    finally:
        context.close()


# --- 3. The check-up on a phone --------------------------------------------------------------


def test_the_checkup_on_a_phone_is_one_area_per_screen(
    browser: Browser, site: Site, axe, checkup
) -> None:
    """320 x 568: one part at a time with Next and Back, a slim line, little that stays put,
    every question's words in sight whenever its answers are, nothing in browser storage."""
    context, page, watch = open_page(browser, site, PHONE_SMALL)
    try:
        register(page, "stepper")
        page.goto("/checkup/checkup")
        sections = page.locator("#questionnaire .q-section")
        steps = sections.count()
        assert steps == len(checkup.dimensions) + 1  # six areas, then the safety questions
        assert page.locator("#questionnaire .q-section:visible").count() == 1
        expect(page.locator(".progress-line")).to_be_attached()
        expect(page.locator("#questionnaire button[type=submit]")).to_be_hidden()
        assert page.evaluate(STICKY_HEIGHT) <= STICKY_LIMIT
        assert serious_axe_findings(page, axe) == []
        for step in range(steps):
            shown = page.locator("#questionnaire .q-section:visible")
            assert shown.count() == 1
            questions = shown.locator("fieldset[data-question]")
            for index in range(questions.count()):
                fieldset = questions.nth(index)
                answers = fieldset.locator(".choices")
                # Brought into view every way a page can: answers at the top, at the foot,
                # and by the keyboard. Whenever the answers are there, so are the words.
                for how in ("start", "end", "center"):
                    answers.evaluate(f"a => a.scrollIntoView({{block: '{how}'}})")
                    page.wait_for_timeout(50)
                    seen, words, top, bar = fieldset.evaluate(QUESTION_IN_SIGHT)
                    assert not seen or words, (step, index, how, top, bar)
                # The words half under the bar, the answers in sight: an answer reached with
                # the keyboard brings the question back out (a tap never scrolls mid-tap).
                fieldset.evaluate(
                    "f => window.scrollBy(0, f.querySelector('legend').getBoundingClientRect().top"
                    " - document.querySelector('.top-bar').getBoundingClientRect().bottom + 12)"
                )
                # A tap there takes: the page never moves under a finger held for a moment.
                tapped = fieldset.locator("input").nth(1)
                spot = tapped.bounding_box()
                assert spot
                page.mouse.move(spot["x"] + spot["width"] / 2, spot["y"] + 2)  # its top edge
                page.mouse.down()
                page.wait_for_timeout(120)
                page.mouse.up()
                assert tapped.is_checked(), (step, index, "tap")
                fieldset.evaluate(
                    "f => window.scrollBy(0, f.querySelector('legend').getBoundingClientRect().top"
                    " - document.querySelector('.top-bar').getBoundingClientRect().bottom + 12)"
                )
                fieldset.locator("input").first.focus()
                page.keyboard.press("ArrowDown")  # the keyboard moves to the next answer
                for _ in range(40):  # the page scrolls on the next frame: wait up to 2 s
                    seen, words, top, bar = fieldset.evaluate(QUESTION_IN_SIGHT)
                    if seen and words:
                        break
                    page.wait_for_timeout(50)
                assert seen and words, (step, index, "focus", top, bar)
                assert page.evaluate(STICKY_HEIGHT) <= STICKY_LIMIT
            answer_shown_questions(page)
            assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
            if step < steps - 1:
                if step == 1:  # Back returns to the part before, its answers kept
                    page.click(".q-section:visible .step-back")
                    assert page.locator("fieldset[data-question]:visible input:checked").count()
                    page.click(".q-section:visible .step-next")
                page.click(".q-section:visible .step-next")
                heading = page.locator(".q-section:visible h2")
                assert heading.evaluate("h => document.activeElement === h")
        width = page.evaluate(
            "() => document.querySelector('.progress-line span').getBoundingClientRect().width"
        )
        assert width == pytest.approx(320, abs=1)  # every scored question answered
        expect(page.locator("#questionnaire button[type=submit]")).to_be_visible()
        with page.expect_navigation():
            page.click("#questionnaire button[type=submit]")
        assert re.search(r"/results/\d+$", page.url), page.url
        assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
        assert watch.console_errors == [] and csp_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [768, 1280])
def test_the_scale_reads_on_one_row_from_768(browser: Browser, site: Site, width: int) -> None:
    """Every answer of a question side by side; at 1280 "Strongly agree" on one line."""
    context, page, _ = open_page(browser, site, {"width": width, "height": 900})
    try:
        register(page, f"wide{width}")
        page.goto("/checkup/checkup")
        assert page.locator("#questionnaire .q-section:visible").count() > 1  # one page
        rows = page.evaluate(
            "() => Array.from(document.querySelectorAll('.choices.scale'), c =>"
            " new Set(Array.from(c.children, l => Math.round(l.getBoundingClientRect().top))).size)"
        )
        assert rows and set(rows) == {1}
        if width == 1280:
            lines = page.evaluate(
                "() => Array.from(document.querySelectorAll('.choices.scale span'))"
                ".filter(s => s.textContent === 'Strongly agree')"
                ".map(s => s.getClientRects().length)"
            )
            assert lines and set(lines) == {1}
    finally:
        context.close()


def test_without_javascript_every_area_is_on_one_page(browser: Browser, site: Site) -> None:
    """No script: all the parts at once, nothing that stays put but the bar."""
    context, page, _ = open_page(browser, site, PHONE_SMALL, javascript=False)
    try:
        register(page, "noscript")
        page.goto("/checkup/checkup")
        sections = page.locator("#questionnaire .q-section")
        assert sections.count() == page.locator("#questionnaire .q-section:visible").count() > 1
        assert page.locator(".step-nav").count() == 0
        assert page.evaluate(STICKY_HEIGHT) <= STICKY_LIMIT
        expect(page.locator("#questionnaire button[type=submit]")).to_be_visible()
    finally:
        context.close()


# --- 4. Back after sending --------------------------------------------------------------------


def test_back_after_sending_then_sending_again_stores_nothing_new(
    browser: Browser, site: Site, checkup
) -> None:
    """Back shows the answers, counted; sending again leads to the stored result, once."""
    context, page, _ = open_page(browser, site, {"width": 1280, "height": 800})
    try:
        register(page, "twice")
        page.goto("/checkup/checkup")
        for item in checkup.items:
            page.check(f'input[name="{item.id}"][value="3"]')
        for item in checkup.safety:
            page.check(f'input[name="{item.id}"][value="no"]')
        with page.expect_navigation():
            page.click("#questionnaire button[type=submit]")
        first = page.url
        assert re.search(r"/results/\d+$", first)
        page.go_back()
        page.wait_for_load_state("load")
        expect(page.locator("#progress-count")).to_have_text(str(len(checkup.items)))
        expect(page.locator("#answers-restored")).to_be_visible()
        with page.expect_navigation():
            page.click("#questionnaire button[type=submit]")
        assert page.url == first
        with site.app.app_context():
            mine = select(User.id).where(User.username == "twice").scalar_subquery()
            count = select(func.count()).select_from(Assessment).where(Assessment.user_id == mine)
            assert db.session.scalar(count) == 1
            db.session.remove()
    finally:
        context.close()


# --- 5. Printing ------------------------------------------------------------------------------


PRINT_FIXED = """() => Array.from(document.body.querySelectorAll('*')).filter(el => {
  const style = getComputedStyle(el);
  return ['fixed', 'sticky'].includes(style.position) && style.display !== 'none'
    && el.getBoundingClientRect().height > 0;
}).map(el => el.className)"""


def printed(page: Page) -> list[str]:
    """The page printed to A4 PDF, as the text of each page."""
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [sheet.extract_text() for sheet in reader.pages]


@pytest.mark.parametrize("path", ["result", "/history", "/partner"])
def test_printing_shows_no_bar_covers_nothing_and_loses_no_chart(
    browser: Browser, site: Site, checkup, path: str
) -> None:
    """No leave bar or menu, nothing fixed over the text of later pages, and each chart
    printed, or its table in its place where it was not drawn yet."""
    context, page, _ = open_page(browser, site, {"width": 375, "height": 667}, "dark")
    try:
        sign_in(page, site)
        page.goto(f"/results/{site.demo_result}" if path == "result" else path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        undrawn = page.evaluate(
            "() => Array.from(document.querySelectorAll('main .chart:not([data-drawn])'),"
            " c => c.id)"
        )
        loaded = page.evaluate("() => window.Plotly !== undefined")
        pages = printed(page)
        text = "\n".join(pages)
        for words in (
            "Leave quickly",
            "Browsing safely",
            "Sign out",
            "Print or save as PDF",
            "End the link",  # an action, not something to keep on paper
        ):
            assert words not in text, words
        assert len(pages) >= 2
        for later in pages[1:]:
            assert not later.startswith("Rekindle"), later[:60]  # the bar is printed once
        page.emulate_media(media="print")
        assert page.evaluate(PRINT_FIXED) == []  # nothing repeats over each page's text
        drawn_or_table = page.evaluate(
            "() => Array.from(document.querySelectorAll('main .chart'), c => {"
            " const box = c.getBoundingClientRect();"
            " const table = c.parentElement.querySelector('.trend-table table');"
            " return [c.id, box.height > 0, !!table && table.getBoundingClientRect().height > 0];"
            "})"
        )
        for chart_id, drawn, table in drawn_or_table:
            assert drawn or table, chart_id
            if loaded:
                assert drawn, chart_id  # plotly.js is here: printing draws every chart
            elif chart_id in undrawn:
                assert not drawn and table, chart_id  # never an empty box on paper
        if path == "/partner":
            assert "chart-gap-trend" in undrawn  # printed before it was scrolled to
            assert "Your score minus your partner's, per pair of check-ups" in text
        if path == "result":
            first_word = checkup.dimension("stress").label.split()[0]
            assert first_word in text and "Your six areas" in text  # the radar's labels too
    finally:
        context.close()


def test_printing_history_without_javascript_prints_its_tables(
    browser: Browser, site: Site
) -> None:
    """No script, nothing drawn: every area's figures are on paper."""
    context, page, _ = open_page(browser, site, {"width": 1280, "height": 800}, javascript=False)
    try:
        sign_in(page, site)
        page.goto("/history")
        text = "\n".join(printed(page))
        for label in ("Communication", "Romance", "Support and growth"):
            assert f"{label} over time" in text
        assert "Leave quickly" not in text
    finally:
        context.close()


# --- 6. A first day's axis ---------------------------------------------------------------------


def test_a_first_days_axis_shows_dates_clear_of_the_legend(
    browser: Browser, site: Site, checkup, pulse
) -> None:
    """A check-up and a pulse on the same day: ticks are dates, and none touches the legend."""
    context, page, _ = open_page(browser, site, {"width": 375, "height": 800})
    try:
        register(page, "firstday")
        for definition in (checkup, pulse):
            page.goto(f"/checkup/{definition.id}")
            page.evaluate(
                "() => document.querySelectorAll('fieldset[data-question]').forEach(f => {"
                ' const pick = f.querySelector(\'input[value="3"], input[value="no"]\');'
                " if (pick) { pick.checked = true; } })"
            )
            with page.expect_navigation():
                page.evaluate("() => document.getElementById('questionnaire').submit()")
        page.goto("/history")
        page.wait_for_selector("#chart-trend-communication[data-drawn] .main-svg")
        ticks = page.locator("#chart-trend-communication .xtick text").all_text_contents()
        assert ticks and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", t) for t in ticks), ticks
        clash = page.evaluate(
            "() => { const chart = document.getElementById('chart-trend-communication');"
            " const legend = chart.querySelector('.legend').getBoundingClientRect();"
            " const ticks = chart.querySelectorAll('.xtick text');"
            " return Array.from(ticks, t => t.getBoundingClientRect())"
            ".filter(r => r.bottom > legend.top && r.top < legend.bottom"
            " && r.right > legend.left && r.left < legend.right).length; }"
        )
        assert clash == 0
    finally:
        context.close()


# --- 7. The small things -----------------------------------------------------------------------


def test_recovery_codes_copy_download_and_print(browser: Browser, site: Site) -> None:
    """The codes shown once can be copied, saved as a .txt made from the page, and printed."""
    context, page, watch = open_page(browser, site, {"width": 375, "height": 800})
    try:
        codes = register(page, "keeper")
        assert len(codes) == 10
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.click("button[data-copy-codes]")
        expect(page.locator("[data-codes-status]")).to_contain_text("Copied")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert all(code in copied for code in codes)
        requests_before = len(watch.requests)
        with page.expect_download() as download:
            page.click("button[data-download-codes]")
        saved = download.value
        assert saved.suggested_filename == "recovery-codes.txt"
        text = Path(saved.path()).read_text()
        assert [line for line in text.splitlines() if line in codes] == codes
        assert "Rekindle" not in text  # a file found on the device says nothing of the site
        assert len(watch.requests) == requests_before  # made in the page: nothing fetched
        expect(page.locator("button[data-print]")).to_be_visible()
        paper = "\n".join(printed(page))
        assert all(code in paper for code in codes) and "Copy the codes" not in paper
    finally:
        context.close()


def test_an_import_error_far_down_the_account_page_takes_focus(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    """The Account page reloads at its top; its import error, far below, takes focus."""
    context, page, _ = open_page(browser, site, {"width": 375, "height": 667})
    try:
        register(page, "mover")
        page.goto("/account")
        bad = tmp_path / "export.json"
        bad.write_text("this is not an export")
        page.set_input_files("#file", str(bad))
        with page.expect_navigation():
            page.click("button:has-text('Upload and fill this account')")
        expect(page.locator("#file-error")).to_be_visible()
        assert page.evaluate("() => document.activeElement.id") == "file"
        box = page.locator("#file-error").bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 667
        assert page.locator("#file").get_attribute("aria-describedby") == "file-error"
    finally:
        context.close()


def test_strategy_cards_start_at_their_top(browser: Browser, site: Site) -> None:
    """No card opens with an empty band: its first line sits at its top, on results and Plans."""
    context, page, _ = open_page(browser, site, {"width": 375, "height": 800})
    try:
        sign_in(page, site)
        for path in (f"/results/{site.demo_result}", "/plans"):
            page.goto(path)
            gaps = page.evaluate(
                "() => Array.from(document.querySelectorAll('main .strategy'), card => {"
                " const pad = parseFloat(getComputedStyle(card).paddingTop);"
                " return card.firstElementChild.getBoundingClientRect().top"
                " - card.getBoundingClientRect().top - pad; })"
            )
            assert gaps, path
            assert max(gaps) <= 2, (path, gaps)
    finally:
        context.close()
