"""The browser harness: a real server on a free loopback port, a real Chromium, and watchers.

Never skipped: without Chromium these tests fail and say how to get it (`make test`
installs Debian's chromium when it can).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import select

from assessment.account.demo import (
    DEMO_PARTNER_USERNAME,
    PARTNER_FILE,
    demo_password,
    load_demo,
    load_demo_partner,
)
from assessment.core.extensions import db
from assessment.core.models import Assessment, User
from tests.conftest import live_server, make_assessment, make_user, sqlite_app
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: F401  (scripts use them)

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
# Records every CSP violation a page reports; injected by the browser, not by our pages.
CSP_RECORDER = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', function (e) {"
    "  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI); });"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test here as e2e, so `-m e2e` selects them (they run in `make test`)."""
    for item in items:
        if "/tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def axe() -> Axe:
    """axe-core, shipped inside the axe-playwright-python package (no download)."""
    return Axe()


@dataclass
class ServedSite:
    """A running server: its app and base URL (set once it serves)."""

    app: Flask
    base: str = ""

    @property
    def origin(self) -> str:
        """host:port of the site."""
        return urlsplit(self.base).netloc


@dataclass
class LiveSite(ServedSite):
    """A running server with a count of the paths it was asked for."""

    hits: Counter[str] = field(default_factory=Counter)


def _counting(app: Flask, hits: Counter[str]) -> Callable[..., Any]:
    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        hits[environ.get("PATH_INFO", "")] += 1
        return app.wsgi_app(environ, start_response)

    return wsgi


@pytest.fixture
def live_site(tmp_path: Path, migrated_sqlite: Path) -> Iterator[LiveSite]:
    """The real app served by werkzeug on a free loopback port, with its own database."""
    app = sqlite_app(tmp_path, migrated_sqlite)
    site = LiveSite(app=app, base="")
    with live_server(app, _counting(app, site.hits)) as base:
        site.base = base
        yield site


@dataclass
class PeopleSite(ServedSite):
    """A running server with people who each took one check-up: their user and result ids."""

    users: dict[str, int] = field(default_factory=dict)
    results: dict[str, int] = field(default_factory=dict)


@contextmanager
def people_site(
    folder: Path,
    template: Path,
    answers: Mapping[str, Mapping[str, int]],
    flagged: Collection[str] = (),
    prepare: Callable[[PeopleSite], None] | None = None,
) -> Iterator[PeopleSite]:
    """Serve the app with one person per name in ``answers``, each with a check-up of those
    keyed answers (flagged for the names in ``flagged``).

    ``prepare(site)`` adds what a module needs, in the app context, before serving.
    """
    app = sqlite_app(folder, template)
    site = PeopleSite(app=app)
    checkup = app.extensions["rekindle.catalog"].latest("checkup")
    for name, keyed in answers.items():
        site.users[name] = make_user(app, name)
        site.results[name] = make_assessment(
            app, site.users[name], checkup, keyed, flagged=name in flagged
        )
    if prepare is not None:
        with app.app_context():
            prepare(site)
            db.session.remove()
    with live_server(app) as base:
        site.base = base
        yield site


@dataclass
class DemoSite(ServedSite):
    """A module's server with the demo and its partner: the passwords and ids tests open."""

    passwords: dict[str, str] = field(default_factory=dict)
    demo_result: int = 0
    demo_pulse: int = 0
    invite_path: str = ""


def newest_assessment(user_id: int, questionnaire_id: str) -> int:
    """The id of a person's newest assessment of a questionnaire (in an app context)."""
    return (
        db.session.scalars(
            select(Assessment.id)
            .where(Assessment.user_id == user_id, Assessment.questionnaire_id == questionnaire_id)
            .order_by(Assessment.created_at.desc())
        ).first()
        or 0
    )


@contextmanager
def demo_site(
    folder: Path, template: Path, prepare: Callable[[DemoSite, User], None] | None = None
) -> Iterator[DemoSite]:
    """Serve the app with the demo (half a year of history) linked to its partner, sharing.

    ``prepare(site, demo)`` adds what a module needs, in the app context, before serving.
    """
    app = sqlite_app(folder, template)
    site = DemoSite(app=app)
    with app.app_context():
        demo, _ = load_demo()
        load_demo_partner(demo)
        site.passwords["demo"] = demo_password(app.instance_path)
        site.passwords[DEMO_PARTNER_USERNAME] = demo_password(app.instance_path, PARTNER_FILE)
        site.demo_result = newest_assessment(demo.id, "checkup")
        if prepare is not None:
            prepare(site, demo)
        db.session.remove()
    with live_server(app) as base:
        site.base = base
        yield site


class Watch:
    """Everything a browser context did that it must not: errors, CSP, other hosts."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.console_errors: list[str] = []
        self.outside: list[str] = []
        self.requests: list[str] = []

    def observe(self, context: BrowserContext, block: bool = True) -> None:
        """See every request (blocking outside ones) and every page's errors.

        Routing turns the HTTP cache off, so cache tests observe without blocking.
        """

        def note(url: str) -> None:
            self.requests.append(url)
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.origin:
                self.outside.append(url)

        if block:

            def route(route: Any) -> None:
                note(route.request.url)
                if urlsplit(route.request.url).netloc != self.origin:
                    route.abort()
                else:
                    route.continue_()

            context.route("**/*", route)
        else:
            context.on("request", lambda request: note(request.url))
        context.add_init_script(CSP_RECORDER)
        context.on("page", self._watch_page)

    def _watch_page(self, page: Page) -> None:
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))


def csp_violations(page: Page) -> list[str]:
    """The CSP violations this page reported since it loaded."""
    return page.evaluate("window.__cspViolations || []")


def serious_axe_findings(page: Page, axe: Axe) -> list[tuple[str, str, list[Any]]]:
    """axe findings of serious or critical impact on the page as it is now."""
    results = axe.run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# The server-drawn radar as the browser lays it out: every label and number inside the
# drawing, none on another (each label's lines, and each number, measured by the browser).
RADAR_PROBLEMS = """() => {
  const found = [];
  for (const svg of document.querySelectorAll('svg.radar')) {
    const frame = svg.getBoundingClientRect();
    const boxes = [];
    for (const text of svg.querySelectorAll('text')) {
      const parts = text.querySelectorAll('tspan').length ? text.querySelectorAll('tspan') : [text];
      for (const part of parts) {
        const r = part.getBoundingClientRect();
        boxes.push([part.textContent, r]);
        if (r.left < frame.left - 0.5 || r.right > frame.right + 0.5
            || r.top < frame.top - 0.5 || r.bottom > frame.bottom + 0.5) {
          found.push(['outside the drawing', part.textContent]);
        }
      }
    }
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        const [a, ra] = boxes[i];
        const [b, rb] = boxes[j];
        // Glyph boxes of a label's stacked lines touch by a pixel: only real overlap counts.
        if (ra.left < rb.right - 1 && rb.left < ra.right - 1
            && ra.top < rb.bottom - 2 && rb.top < ra.bottom - 2) {
          found.push(['on each other', a, b]);
        }
      }
    }
  }
  return found;
}"""


def answer_in_parts(page: Page, answers: Mapping[str, str]) -> None:
    """Answer as a person does: the questions of the part on screen, then "Next", to the
    last part (on a phone the check-up shows one part at a time; elsewhere, all at once)."""
    while True:
        for name, value in answers.items():
            option = page.locator(f'input[name="{name}"][value="{value}"]')
            if option.is_visible():
                option.check()
        following = page.locator(".q-section:not([hidden]) .step-next")
        if following.count() == 0 or not following.is_visible():
            return
        following.click()


def horizontal_overflow(page: Page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.fixture
def open_context(browser: Browser, live_site: LiveSite) -> Iterator[Callable[..., Any]]:
    """Open watched browser contexts at a viewport; each is closed after the test."""
    opened: list[BrowserContext] = []

    def make(viewport: dict[str, int] = DESKTOP, block: bool = True) -> tuple[Any, Watch]:
        context = browser.new_context(viewport=viewport, base_url=live_site.base)
        watch = Watch(live_site.origin)
        watch.observe(context, block=block)
        opened.append(context)
        return context, watch

    yield make
    for context in opened:
        context.close()
