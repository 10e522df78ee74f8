"""The check-up in a real Chromium: keyboard only, accessible, on a phone and a desktop."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, SPREAD
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    csp_violations,
    horizontal_overflow,
    serious_axe_findings,
)

# Keyed value per dimension, and so the answer index on a 1-5 scale.
LEVELS = SPREAD


def check_page(page: Page, watch: Any, axe: Any, viewport: dict[str, int]) -> None:
    """What must hold on every page: no errors, no CSP breach, no other host, axe, fits."""
    assert watch.console_errors == [], (page.url, watch.console_errors)
    assert csp_violations(page) == [], page.url
    assert watch.outside == [], watch.outside
    assert serious_axe_findings(page, axe) == [], page.url
    assert horizontal_overflow(page) <= 0, (page.url, viewport)


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has focus (bounded)."""
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def next_part_if_hidden(page: Page, name: str) -> None:
    """On a phone the check-up shows one part at a time: Tab to "Next" and press Enter until
    the part holding this question is on screen."""
    while not page.locator(f'input[name="{name}"]').first.is_visible():
        tab_to(page, ".q-section:not([hidden]) .step-next")
        page.keyboard.press("Enter")


def answer_with_keyboard(page: Page, definition: Any, skip: str | None = None) -> None:
    """Answer every question with Tab, Space and the arrow keys, as a keyboard user does."""
    for item in definition.items:
        if item.id == skip:
            continue
        next_part_if_hidden(page, item.id)
        tab_to(page, f'input[name="{item.id}"]')
        value = LEVELS[item.dimension]
        keyed = 6 - value if item.reverse else value
        page.keyboard.press("Space")  # selects the first answer
        for _ in range(keyed - 1):
            page.keyboard.press("ArrowRight")
        expect(page.locator(f'input[name="{item.id}"][value="{keyed}"]')).to_be_checked()
    for safety in definition.safety:
        next_part_if_hidden(page, safety.id)
        tab_to(page, f'input[name="{safety.id}"]')
        page.keyboard.press("ArrowRight")  # "Yes" -> "No"
        page.keyboard.press("ArrowLeft")  # back: prove the arrows move the choice
        page.keyboard.press("ArrowRight")
        expect(page.locator(f'input[name="{safety.id}"][value="no"]')).to_be_checked()


def submit_with_keyboard(page: Page) -> None:
    """Tab to the submit button and press Enter."""
    tab_to(page, "#questionnaire button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def register_with_keyboard(
    page: Page, username: str, on_codes: Callable[[], None] | None = None
) -> None:
    """Fill the sign-up form with the keyboard, send it with Enter, see the ten recovery
    codes (``on_codes`` checks that page) and go on with "Continue"."""
    page.goto("/register")
    tab_to(page, "#username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/account/recovery-codes/new"), page.url
    expect(page.locator("code.recovery-code")).to_have_count(10)
    if on_codes is not None:
        on_codes()
    tab_to(page, 'main a.button[href="/checkup"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/checkup"), page.url


def radar_labels(page: Page) -> list[str]:
    """The radar's area labels as drawn on the server (wrapped lines joined by spaces)."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('svg.radar .radar-label'),"
        " t => Array.from(t.querySelectorAll('tspan'), s => s.textContent).join(' '))"
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_keyboard_journey(open_context, live_site, axe, checkup, pulse, viewport) -> None:
    """Register, check-up, result, pulse, history: keyboard only, every page clean."""
    context, watch = open_context(viewport)
    page = context.new_page()
    page.goto("/")
    check_page(page, watch, axe, viewport)
    page.goto("/login")
    check_page(page, watch, axe, viewport)
    page.goto("/login/recover")
    check_page(page, watch, axe, viewport)
    page.goto("/register")
    check_page(page, watch, axe, viewport)
    tab_to(page, "#username")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] != "none" and outline[1] >= 2, outline  # focus is visible
    register_with_keyboard(
        page, f"keys{viewport['width']}", lambda: check_page(page, watch, axe, viewport)
    )
    check_page(page, watch, axe, viewport)

    page.goto("/history")
    expect(page.get_by_text("Take your first check-up")).to_be_visible()
    check_page(page, watch, axe, viewport)

    page.goto("/checkup/checkup")
    check_page(page, watch, axe, viewport)
    answer_with_keyboard(page, checkup)
    expect(page.locator("#progress-count")).to_have_text(str(len(checkup.items)))
    submit_with_keyboard(page)
    assert re.search(r"/results/\d+$", page.url), page.url
    expect(page.locator("#focus-heading")).to_be_visible()
    expect(page.locator(".strategy").first).to_be_visible()
    assert radar_labels(page) == [d.label for d in checkup.dimensions]
    written = page.locator("svg.radar .radar-score-0").all_text_contents()
    assert written == [f"{100 * (LEVELS[d.id] - 1) / 4:.1f}" for d in checkup.dimensions]
    radar_width = page.locator("svg.radar").bounding_box()["width"]
    assert radar_width <= viewport["width"]
    check_page(page, watch, axe, viewport)

    page.goto("/checkup/pulse")
    answer_with_keyboard(page, pulse)
    submit_with_keyboard(page)
    check_page(page, watch, axe, viewport)

    page.goto("/checkup/checkup")
    answer_with_keyboard(page, checkup)
    submit_with_keyboard(page)

    page.goto("/history")
    expect(page.locator(".change-table").first).to_be_visible()
    # Charts are drawn only once they come into view: the last one waits for a scroll.
    page.wait_for_function("() => window.Plotly !== undefined")
    last = f"chart-trend-{checkup.dimensions[-1].id}"
    drawn = "id => document.getElementById(id).hasAttribute('data-drawn')"
    assert page.evaluate(drawn, last) is False
    assert page.locator(".change-table").first.is_visible()  # the text is there already
    for dimension in checkup.dimensions:
        chart = page.locator(f"#chart-trend-{dimension.id}")
        chart.scroll_into_view_if_needed()
        page.wait_for_selector(f"#chart-trend-{dimension.id} .scatterlayer .trace")
        points = page.evaluate(
            "id => document.getElementById(id).data.map(t => t.y.length)",
            f"chart-trend-{dimension.id}",
        )
        assert sorted(points) == [1, 2], (dimension.id, points)
        drawn_markers = page.locator(f"#chart-trend-{dimension.id} .scatterlayer .point").count()
        assert drawn_markers == 3
    check_page(page, watch, axe, viewport)

    page.goto("/account")
    check_page(page, watch, axe, viewport)
    page.goto("/no-such-page")
    # Chromium itself reports the page's own 404 status; that line, and nothing else.
    assert [e for e in watch.console_errors if "404" not in e] == []
    watch.console_errors.clear()
    check_page(page, watch, axe, viewport)


def test_validation_error_keeps_answers_and_focuses_the_first_error(
    open_context, live_site, axe, checkup
) -> None:
    """One question left out: the page comes back with every other answer still chosen."""
    context, watch = open_context(PHONE)
    page = context.new_page()
    register_with_keyboard(page, "forgetful")
    page.goto("/checkup/checkup")
    missing = checkup.items[7]
    answer_with_keyboard(page, checkup, skip=missing.id)
    expect(page.locator("#progress-count")).to_have_text(str(len(checkup.items) - 1))
    submit_with_keyboard(page)
    assert page.url.endswith("/checkup/checkup")
    # The form comes back with status 400, which Chromium reports; that line and no other.
    assert [e for e in watch.console_errors if "status of 400" not in e] == []
    watch.console_errors.clear()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator(f"#q-{missing.id} .field-error")).to_be_visible()
    focused_in = page.evaluate(
        "() => document.activeElement.closest('fieldset') && "
        "document.activeElement.closest('fieldset').id"
    )
    assert focused_in == f"q-{missing.id}"
    assert page.locator(f"#q-{missing.id}").is_visible()
    for item in checkup.items:
        if item.id != missing.id:
            assert page.locator(f'input[name="{item.id}"]:checked').count() == 1, item.id
    check_page(page, watch, axe, PHONE)


def test_flagged_result_in_the_browser(open_context, live_site, axe, checkup) -> None:
    """A "yes" on the safety screen: resources first, still accessible and clean."""
    context, watch = open_context(PHONE)
    page = context.new_page()
    register_with_keyboard(page, "afraid")
    page.goto("/checkup/checkup")
    answer_with_keyboard(page, checkup)
    page.check(f'input[name="{checkup.safety[0].id}"][value="yes"]')
    submit_with_keyboard(page)
    expect(page.locator("#safety-resources")).to_be_visible()
    first_heading = page.locator("main h2, main h1").first
    expect(first_heading).to_have_text("Your safety comes first")
    check_page(page, watch, axe, PHONE)


def test_plotly_is_fetched_once_then_served_from_the_cache(
    open_context, live_site, member_in_browser
) -> None:
    """The result asks for no plotly.js; History fetches it once, then from the cache."""
    context, watch = open_context(DESKTOP, block=False)
    page = context.new_page()
    member_in_browser(page)
    assert not [path for path in live_site.hits if path.startswith("/assets/plotly-")]
    page.goto("/history")
    page.wait_for_function("() => window.Plotly !== undefined")
    plotly = [path for path in live_site.hits if path.startswith("/assets/plotly-")]
    assert len(plotly) == 1 and live_site.hits[plotly[0]] == 1
    page.goto("/")
    page.goto("/history")
    page.wait_for_function("() => window.Plotly !== undefined")
    assert live_site.hits[plotly[0]] == 1
    assert watch.outside == []


@pytest.fixture
def member_in_browser(checkup):  # type: ignore[no-untyped-def]
    """Register in the page and store one check-up; returns its result path."""

    def make(page: Page) -> str:
        register_with_keyboard(page, "cached")
        page.goto("/checkup/checkup")
        for item in checkup.items:
            page.check(f'input[name="{item.id}"][value="3"]')
        with page.expect_navigation():
            page.click("#questionnaire button[type=submit]")
        return page.url

    return make


@pytest.mark.parametrize("how", ["click", "shift"])
def test_quick_exit_replaces_the_page(open_context, live_site, how) -> None:
    """ "Leave quickly" (or Shift three times) goes to QUICK_EXIT_URL, and Back does not
    come back: the questionnaire is gone from history, and the page before asks to sign in."""
    context, _watch = open_context(PHONE)
    page = context.new_page()
    register_with_keyboard(page, f"exit{how}")
    page.goto("/checkup")
    page.goto("/checkup/checkup")
    with page.expect_navigation():
        if how == "click":
            page.click("#quick-exit")
        else:
            for _ in range(3):
                page.keyboard.press("Shift")
    assert page.url == live_site.base + "/healthz"
    page.go_back()
    page.wait_for_load_state("load")
    assert "/checkup/checkup" not in page.url, page.url
    assert page.url.startswith(live_site.base + "/login"), page.url
