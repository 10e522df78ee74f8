"""Debian's Chromium for every browser test: one per run, shared by tests/e2e and tests/deploy.

Playwright's sync API allows one running instance per process, so the whole suite shares
this one (tests/conftest.py exposes it as the ``browser`` fixture).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run (Debian's, not a Playwright download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}. Run `make test` (it installs Debian's chromium"
            " when it can) or set CHROMIUM_PATH to a Chromium binary.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def register_in_page(page: Page, username: str, password: str) -> None:
    """Open the sign-up form, fill it as a person would and send it; wait for the next page
    (the recovery codes)."""
    page.goto("/register")
    page.fill("#username", username)
    page.fill("#password", password)
    page.fill("#confirm", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
