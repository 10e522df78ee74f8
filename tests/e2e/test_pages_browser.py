"""Every journey in a real Chromium: the invite through sign-up, every page at four widths in
light and dark, and printing to PDF.

One server for the module, with the demo account, its partner and a newcomer with one
check-up; each test opens its own browser contexts.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app
from assessment.commands import (
    DEMO_PARTNER_USERNAME,
    PARTNER_FILE,
    demo_password,
    load_demo,
    load_demo_partner,
)
from assessment.extensions import db
from assessment.models import Assessment
from tests.conftest import PASSWORD, app_settings
from tests.e2e.conftest import Watch, csp_violations


@dataclass
class Site:
    """The running server, and the passwords and ids the tests need."""

    app: Flask
    base: str
    passwords: dict[str, str] = field(default_factory=dict)
    demo_result: int = 0

    @property
    def origin(self) -> str:
        """host:port of the site."""
        return urlsplit(self.base).netloc


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Path) -> Iterator[Site]:
    """One server for the module: demo with half a year of history, linked to its partner."""
    folder = tmp_path_factory.mktemp("pages")
    database = folder / "pages.sqlite3"
    shutil.copyfile(migrated_sqlite, database)
    app = create_app(app_settings(folder, f"sqlite:///{database}"))
    live = Site(app=app, base="")
    with app.app_context():
        demo, _ = load_demo()
        load_demo_partner(demo)
        live.passwords["demo"] = demo_password(app.instance_path)
        live.passwords[DEMO_PARTNER_USERNAME] = demo_password(app.instance_path, PARTNER_FILE)
        live.demo_result = db.session.scalar(
            select(Assessment.id)
            .where(Assessment.user_id == demo.id, Assessment.questionnaire_id == "checkup")
            .order_by(Assessment.created_at.desc())
        )
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    live.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield live
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


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
