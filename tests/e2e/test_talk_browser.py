"""Talking it through in a real Chromium: two people on their own phones and one screen, every
talk page in light and dark at 320 px, and the whole talk without JavaScript
(docs/architecture.md#talk)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from assessment.core.extensions import db
from assessment.core.models import Assessment, PartnerLink
from tests.conftest import PASSWORD, levels
from tests.e2e.conftest import (
    PHONE,
    PeopleSite,
    Watch,
    csp_violations,
    horizontal_overflow,
    people_site,
    serious_axe_findings,
)

pytestmark = pytest.mark.e2e

SENTENCE = ("we eat in front of the TV", "a bit far from you", "to eat at the table twice a week")


def _link_and_share(site: PeopleSite) -> None:
    """alex and sam are partners, and each shares their check-up."""
    db.session.add(PartnerLink(inviter_id=site.users["alex"], partner_id=site.users["sam"]))
    for name in ("alex", "sam"):
        db.session.get_one(Assessment, site.results[name]).shared = True
    db.session.commit()


@pytest.fixture
def live_site(tmp_path: Path, migrated_sqlite: Path) -> Iterator[PeopleSite]:
    """alex and sam linked, each with a shared check-up; robin alone; flo recently flagged."""
    answers = {
        "alex": levels(communication=2, romance=2, support=5),
        "sam": levels(communication=4, romance=2, support=5),
        "robin": levels(stress=2),
        "flo": levels(),
    }
    with people_site(
        tmp_path, migrated_sqlite, answers, flagged={"flo"}, prepare=_link_and_share
    ) as site:
        yield site


def sign_in(page: Page, base: str, username: str) -> None:
    """Sign in through the real form."""
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def check(page: Page, axe, what: str) -> None:  # type: ignore[no-untyped-def]
    """Axe finds nothing serious, nothing scrolls sideways, the leave bar is whole on screen."""
    assert serious_axe_findings(page, axe) == [], what
    assert horizontal_overflow(page) <= 0, what
    exit_box = page.locator("#quick-exit").bounding_box()
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert exit_box and exit_box["x"] >= 0 and exit_box["x"] + exit_box["width"] <= width, what
    assert csp_violations(page) == [], what


def click(page: Page, selector: str) -> None:
    """Click something that posts or links, and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def test_two_people_talk_it_through_on_a_phone(
    live_site: PeopleSite, browser: Browser, axe
) -> None:
    """Ask, accept on the other's own account, walk six steps (with Back), a plan for the one
    at the screen, the proposal accepted by the other on their account, a reminder."""
    base = live_site.base
    watch = Watch(urlsplit(base).netloc)
    contexts = []
    try:
        for _ in range(2):
            context = browser.new_context(viewport=PHONE, accept_downloads=True)
            watch.observe(context)
            contexts.append(context)
        alex, sam = (context.new_page() for context in contexts)
        sign_in(alex, base, "alex")
        sign_in(sam, base, "sam")

        alex.goto(f"{base}/talk")
        check(alex, axe, "talk")
        click(alex, "main button:has-text('Ask to talk it through')")
        expect(alex.locator("h1")).to_have_text("Waiting for sam")
        check(alex, axe, "waiting")
        talk_url = alex.url

        sam.goto(f"{base}/talk")
        expect(sam.locator("main")).to_contain_text("alex would like to talk it through")
        click(sam, 'main button:has-text("Yes, let\'s talk")')
        expect(sam.locator("#step-heading")).to_contain_text("Before you start")

        alex.goto(talk_url)  # they sit together at alex's phone
        expect(alex.locator(".site-nav")).to_have_text("End the talk")
        check(alex, axe, "step 1")
        click(alex, 'main button:has-text("We\'re ready")')
        expect(alex.locator("#step-heading")).to_contain_text("Start with what works")
        expect(alex.locator("main")).to_contain_text("You both see support")
        check(alex, axe, "step 2")
        click(alex, "main button:has-text('Next')")
        expect(alex.locator("#step-heading")).to_contain_text("Choose one area")
        click(alex, "main button:has-text('Back')")
        expect(alex.locator("#step-heading")).to_contain_text("Start with what works")
        click(alex, "main button:has-text('Next')")
        check(alex, axe, "step 3")
        alex.check("#area-communication")
        click(alex, "main button:has-text('Talk about this area')")
        expect(alex.locator("#step-heading")).to_contain_text("Take turns")
        expect(alex.locator("main")).to_contain_text("What I heard is")
        alex.click("text=Put your sentence together first")
        for field_id, words in zip(("#when", "#feel", "#like"), SENTENCE, strict=True):
            alex.fill(field_id, words)
        click(alex, "main button:has-text('Show my sentence')")
        expect(alex.locator(".sentence-whole")).to_contain_text(
            "When we eat in front of the TV, I feel a bit far from you, and I'd like to eat at"
            " the table twice a week."
        )
        check(alex, axe, "step 4")
        click(alex, 'main button:has-text("We\'ve both had a turn")')
        expect(alex.locator("#step-heading")).to_contain_text("One small thing to try")
        check(alex, axe, "step 5")
        chosen = alex.locator("main .talk-choices label").first.locator("strong").inner_text()
        alex.locator("main input[name=strategy]").first.check()
        click(alex, 'main button:has-text("Let\'s try this")')
        expect(alex.locator("#step-heading")).to_contain_text("Close")
        expect(alex.locator("main")).to_contain_text(chosen)
        check(alex, axe, "step 6")
        with alex.expect_download() as download:
            alex.click("main a:has-text('In 2 weeks')")
        assert download.value.suggested_filename == "reminder.ics"
        click(alex, "main button:has-text('Finish')")
        assert alex.url == f"{base}/talk"

        alex.goto(f"{base}/plans")
        expect(alex.locator("main")).to_contain_text(chosen)
        sam.goto(f"{base}/talk")
        expect(sam.locator("main")).to_contain_text(f"you chose together to try {chosen}")
        check(sam, axe, "proposal")
        click(sam, 'main button:has-text("Yes, I\'ll try it")')
        assert sam.url == f"{base}/plans"
        expect(sam.locator("main")).to_contain_text(chosen)
    finally:
        for context in contexts:
            context.close()
    assert watch.console_errors == [] and watch.outside == []


def _every_talk_page(page: Page, other: Page, base: str, visit) -> None:  # type: ignore[no-untyped-def]
    """Walk every talk page with ``page`` (alex) and ``other`` (sam), calling ``visit`` on each."""
    page.goto(f"{base}/talk")
    visit(page, "talk")
    click(page, "main button:has-text('Ask to talk it through')")
    visit(page, "waiting")
    other.goto(page.url)
    visit(other, "join")
    click(other, 'main button:has-text("Yes, let\'s talk")')
    page.reload()
    visit(page, "step 1")
    for step, action in (
        (2, 'main button:has-text("We\'re ready")'),
        (3, "main button:has-text('Next')"),
    ):
        click(page, action)
        visit(page, f"step {step}")
    page.locator("main input[name=dimension]").first.check()
    click(page, "main button:has-text('Talk about this area')")
    visit(page, "step 4")
    page.click("text=Put your sentence together first")
    for field_id, words in zip(("#when", "#feel", "#like"), SENTENCE, strict=True):
        page.fill(field_id, words)
    click(page, "main button:has-text('Show my sentence')")
    visit(page, "step 4, the sentence")
    click(page, 'main button:has-text("We\'ve both had a turn")')
    visit(page, "step 5")
    page.locator("main input[name=strategy]").first.check()
    click(page, 'main button:has-text("Let\'s try this")')
    visit(page, "step 6")
    talk_url = page.url
    click(page, "main button:has-text('Finish')")
    page.goto(talk_url)
    visit(page, "ended")
    other.goto(f"{base}/talk")
    visit(other, "proposal")
    page.goto(f"{base}/talk/prepare")
    visit(page, "prepare")
    for field_id, words in zip(("#when", "#feel", "#like"), SENTENCE, strict=True):
        page.fill(field_id, words)
    click(page, "main button:has-text('Show my sentence')")
    visit(page, "prepared")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_talk_page_is_clean_at_320_in_light_and_dark(
    live_site: PeopleSite, browser: Browser, axe, scheme: str
) -> None:
    """Axe finds nothing serious, nothing scrolls sideways at 320 px, the leave bar is whole."""
    base = live_site.base
    watch = Watch(urlsplit(base).netloc)
    contexts = []
    seen: list[str] = []
    try:
        for _ in range(4):
            context = browser.new_context(
                viewport={"width": 320, "height": 640}, color_scheme=scheme
            )
            watch.observe(context)
            contexts.append(context)
        alex, sam, robin, flo = (context.new_page() for context in contexts)
        for page, name in ((alex, "alex"), (sam, "sam"), (robin, "robin"), (flo, "flo")):
            sign_in(page, base, name)

        def visit(page: Page, what: str) -> None:
            check(page, axe, f"{what} ({scheme})")
            seen.append(what)

        _every_talk_page(alex, sam, base, visit)
        robin.goto(f"{base}/talk")
        visit(robin, "talk, not linked")
        flo.goto(f"{base}/talk")
        expect(flo.locator("#safety-resources")).to_be_visible()
        visit(flo, "the safety panel instead")
    finally:
        for context in contexts:
            context.close()
    assert len(seen) == 16
    assert watch.console_errors == [] and watch.outside == []


def test_a_talk_works_without_javascript(live_site: PeopleSite, browser: Browser) -> None:
    """With JavaScript off, does every step, the sentence and preparing alone still work?"""
    base = live_site.base
    contexts = [browser.new_context(java_script_enabled=False, viewport=PHONE) for _ in range(2)]
    try:
        alex, sam = (context.new_page() for context in contexts)
        sign_in(alex, base, "alex")
        sign_in(sam, base, "sam")
        titles: list[str] = []

        def visit(page: Page, what: str) -> None:
            titles.append(page.title())
            assert not page.locator("main button[data-print]").is_visible(), what

        _every_talk_page(alex, sam, base, visit)
        assert (
            alex.locator("blockquote.sentence-whole")
            .inner_text()
            .startswith("When we eat in front of the TV")
        )
        assert titles[3].startswith("Step 1 of 6") and "Step 6 of 6" in " ".join(titles)
    finally:
        for context in contexts:
            context.close()
