"""Rekindle in Spanish, French and German in a real Chromium (issue 27, acceptance 4).

A person whose browser asks for Spanish takes the whole journey in Spanish; every page fits
a 320 px phone in German, the longest of the three; axe finds nothing serious in any of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from assessment.core.models import User
from assessment.i18n import LANGUAGES
from questionnaires.loader import load_catalogs
from tests.conftest import PASSWORD, SPREAD
from tests.e2e.conftest import DemoSite as Site
from tests.e2e.conftest import (
    Watch,
    answer_in_parts,
    demo_site,
    horizontal_overflow,
)
from tests.e2e.test_pages_browser import MEASURE, check_fits, sign_in
from tests.support.browser import register_in_page

CATALOGS = load_catalogs()


def _nothing(_live: Site, _demo: User) -> None:
    """The demo site as it is."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Path) -> Iterator[Site]:
    """One server for the module: the demo account with half a year of history."""
    with demo_site(tmp_path_factory.mktemp("languages"), migrated_sqlite, _nothing) as live:
        yield live


def reader(browser: Browser, site: Site, language: str, width: int, scheme: str = "light"):  # type: ignore[no-untyped-def]
    """A browser whose language is ``language`` (its Accept-Language), at a width."""
    context = browser.new_context(
        viewport={"width": width, "height": 800},
        base_url=site.base,
        color_scheme=scheme,
        locale=language,
    )
    watch = Watch(site.origin)
    watch.observe(context)
    return context, context.new_page(), watch


def sign_out(page: Page) -> None:
    """The menu's sign-out button, whatever its words."""
    with page.expect_navigation():
        page.click("form[action='/logout'] button")


def english_words(page: Page) -> list[str]:
    """English sentences of the interface that must not stand on a translated page."""
    text = page.locator("body").inner_text()
    return [
        words
        for words in ("Sign out", "Leave quickly", "Help lines", "Your answers", "Things to try")
        if words in text
    ]


def test_a_spanish_browser_takes_the_whole_journey_in_spanish(browser: Browser, site: Site) -> None:
    """Sign-up, check-up, result, History, partner, safety and account, all in Spanish."""
    spanish = CATALOGS["es"].latest("checkup")
    context, page, watch = reader(browser, site, "es", 375)
    try:
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == "es"
        register_in_page(page, "lucia", PASSWORD)
        expect(page.locator("code.recovery-code")).to_have_count(10)
        assert english_words(page) == [], page.url
        page.goto("/checkup/checkup")
        expect(page.locator("main")).to_contain_text(spanish.items[0].text)
        expect(page.locator("main")).to_contain_text(spanish.scale.labels[0])
        answers = {item.id: str(SPREAD[item.dimension]) for item in spanish.items}
        answers |= {item.id: "no" for item in spanish.safety}
        answer_in_parts(page, answers)
        with page.expect_navigation():
            page.click("#questionnaire button[type=submit]")
        assert "/results/" in page.url, page.url
        radar = page.locator("svg.radar").first.text_content() or ""
        words = [word for d in spanish.dimensions for word in d.label.split()]
        assert all(word in radar for word in words), radar  # labels may wrap over lines
        strategies = {s.title for s in CATALOGS["es"].strategies.strategies}
        titles = page.locator(".strategy h4").all_text_contents()
        assert titles and all(title.strip() in strategies for title in titles), titles
        for path in ("/history", "/partner", "/safety", "/safety/help?country=ES", "/account"):
            page.goto(path)
            assert english_words(page) == [], (path, english_words(page))
            assert horizontal_overflow(page) <= 0, path
        expect(page.locator("main")).to_contain_text("Cerrar sesión en todas partes")
        assert watch.console_errors == [] and watch.outside == []
    finally:
        context.close()


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"en"}))
def test_every_page_fits_a_phone_and_axe_finds_nothing(
    browser: Browser, site: Site, axe, language: str
) -> None:
    """At 320 px every word stays in its cell and the page is no wider than the screen;
    axe finds nothing serious, in each language (German runs longest)."""
    context, page, watch = reader(browser, site, language, 320)
    try:
        for path in ("/", "/login", "/register", "/about/measures", "/safety/help?country=DE"):
            page.goto(path)
            check_fits(page, watch, axe, 320)
        sign_in(page, "demo", site.passwords["demo"])
        for path in (
            "/checkup",
            "/checkup/checkup",
            f"/results/{site.demo_result}",
            "/history",
            "/plans",
            "/partner",
            "/account",
        ):
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language
            check_fits(page, watch, axe, 320)
            assert english_words(page) == [], (path, english_words(page))
        sign_out(page)
        assert watch.console_errors == [], watch.console_errors
    finally:
        context.close()


def test_the_fit_check_sees_a_word_too_wide_for_its_cell(browser: Browser, site: Site) -> None:
    """The check itself: a German word made too long for its cell is named."""
    context, page, _watch = reader(browser, site, "de", 320)
    try:
        sign_in(page, "demo", site.passwords["demo"])
        page.goto("/history")
        page.evaluate(
            "() => { const cell = document.querySelector('main td');"
            " cell.textContent = 'Beziehungszufriedenheitsveränderungsberechnung'; }"
        )
        assert any(kind == "word wider than its cell" for kind, _ in page.evaluate(MEASURE))
    finally:
        context.close()


ENGLISH_ONLY_MONTHS = {"Mar", "May", "Jun", "Jul", "Sep", "Oct", "Dec"}
GERMAN_ONLY_MONTHS = {"März", "Mai", "Juni", "Juli", "Sept", "Okt", "Dez"}


def test_history_s_charts_write_dates_in_the_readers_language(browser: Browser, site: Site) -> None:
    """plotly.js is given German month names and decimal comma: the axes say "Okt", not "Oct"."""
    context, page, watch = reader(browser, site, "de", 1280)
    try:
        sign_in(page, "demo", site.passwords["demo"])
        page.goto("/history")
        page.locator("main .chart").first.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('main .chart .xtick text')")
        ticks = page.locator("main .chart .xtick text").all_text_contents()
        words = {word for tick in ticks for word in tick.split()}
        assert words & GERMAN_ONLY_MONTHS, ticks
        assert not words & ENGLISH_ONLY_MONTHS, ticks
        assert watch.console_errors == [], watch.console_errors
    finally:
        context.close()
