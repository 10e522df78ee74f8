"""Two people, two browsers: invite, join, share, compare on the couple radar, unlink."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD, levels
from tests.e2e.conftest import (
    PHONE,
    PeopleSite,
    Watch,
    horizontal_overflow,
    people_site,
    serious_axe_findings,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_site(tmp_path: Path, migrated_sqlite: Path) -> Iterator[PeopleSite]:
    """The real app on a free loopback port, with its own migrated SQLite and two people."""
    answers = {
        name: levels(communication=level, romance=level)
        for name, level in (("alex", 2), ("sam", 4))
    }
    with people_site(tmp_path, migrated_sqlite, answers) as site:
        yield site


def check_page(page, axe) -> None:  # type: ignore[no-untyped-def]
    """No serious or critical axe finding, and nothing wider than the phone's screen."""
    assert serious_axe_findings(page, axe) == [], page.url
    assert horizontal_overflow(page) <= 0, page.url


def sign_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the real form."""
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]:has-text('Sign in')")
    page.wait_for_url(lambda url: "/login" not in url)


def test_two_people_invite_join_share_compare_and_unlink(
    live_site: PeopleSite, browser, axe
) -> None:
    """Can two people in two browsers link, share, see the couple radar and gaps, and unlink?"""
    base = live_site.base
    watch = Watch(urlsplit(base).netloc)
    contexts = []
    try:
        for _ in range(2):
            context = browser.new_context(viewport=PHONE)
            watch.observe(context)
            contexts.append(context)
        alex, sam = (context.new_page() for context in contexts)

        sign_in(alex, base, "alex")
        alex.goto(f"{base}/partner")
        check_page(alex, axe)
        alex.click("button:has-text('Make an invitation link')")
        invite_url = alex.input_value("#invite-url")
        assert "/partner/join/" in invite_url
        check_page(alex, axe)

        sign_in(sam, base, "sam")
        sam.goto(invite_url)
        assert sam.locator("#quick-exit").is_visible()
        check_page(sam, axe)
        sam.click("button:has-text('Link our accounts')")
        sam.wait_for_url(f"{base}/partner")
        assert "You and alex" in sam.inner_text("h1")

        for page, name in ((alex, "alex"), (sam, "sam")):
            page.goto(f"{base}/results/{live_site.results[name]}")
            page.click("button:has-text('Share with my partner')")
            page.wait_for_selector("text=Stop sharing")
            check_page(page, axe)

        alex.goto(f"{base}/partner")
        radar = alex.locator("svg.radar")
        assert alex.locator(".radar-legend li").all_inner_texts() == ["You", "Your partner"]
        assert radar.locator(".radar-area").count() == 2  # drawn on the server, both outlines
        labels = alex.locator(".gap-table .gap-label").all_inner_texts()
        assert len(labels) == 6 and "you see this differently" in labels
        assert "you see this much the same" in labels
        check_page(alex, axe)

        # Ending the link asks first: the button shows only once "End the link" is opened.
        confirm = alex.locator("button:has-text('Yes, end the link')")
        assert not confirm.is_visible()
        alex.click("summary:has-text('End the link with sam')")
        with alex.expect_navigation():
            confirm.click()
        assert alex.url == f"{base}/partner"
        sam.goto(f"{base}/partner")
        assert "You and alex" not in sam.inner_text("main")
        assert sam.locator("button:has-text('Make an invitation link')").count() == 1
        assert watch.console_errors == []
        gone = sam.goto(invite_url)  # Chromium logs the 410 itself; nothing else may appear
        assert gone is not None and gone.status == 410
        check_page(sam, axe)
    finally:
        for context in contexts:
            context.close()
    assert [e for e in watch.console_errors if "status of 410" not in e] == []
    assert watch.outside == []
