"""Screenshots for the README: questionnaire, result and history, on a desktop and a phone.

Run with `make screenshots`. Uses a throw-away instance folder with the demo account, the
real app on a free loopback port, and Debian's Chromium; writes docs/screenshots/*.png.
"""

from __future__ import annotations

import re
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from assessment.account.demo import demo_password, load_demo  # noqa: E402
from assessment.core.extensions import db  # noqa: E402
from assessment.core.models import Assessment  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUTPUT = ROOT / "docs" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def main() -> None:
    """Serve the demo, sign in, and photograph the three pages at both sizes."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {
                "INSTANCE_PATH": instance,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/screens.sqlite3",
                "QUICK_EXIT_URL": "/healthz",
            }
        )
        with app.app_context():
            upgrade()
            user, _ = load_demo()
            password = demo_password(instance)
            latest = db.session.scalar(
                select(Assessment.id)
                .where(Assessment.user_id == user.id, Assessment.questionnaire_id == "checkup")
                .order_by(Assessment.created_at.desc())
                .limit(1)
            )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        base = f"http://127.0.0.1:{server.server_port}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name, viewport in VIEWPORTS.items():
                    context = browser.new_context(viewport=viewport, base_url=base)
                    page = context.new_page()
                    page.goto("/login")
                    page.fill("#username", "demo")
                    page.fill("#password", password)
                    page.click("form button[type=submit]:has-text('Sign in')")
                    page.goto("/checkup/checkup")
                    page.screenshot(path=OUTPUT / f"questionnaire-{name}.png")
                    page.goto(f"/results/{latest}")
                    # The radar is drawn on the server; on a phone, its story and radar.
                    page.wait_for_selector("svg.radar")
                    if name == "phone":
                        page.locator("#story").scroll_into_view_if_needed()
                        page.evaluate("window.scrollBy(0, -70)")
                    page.screenshot(path=OUTPUT / f"result-{name}.png")
                    page.goto("/history")
                    trend = page.locator("#chart-trend-communication")
                    trend.scroll_into_view_if_needed()
                    page.wait_for_selector("#chart-trend-communication .main-svg")
                    page.locator("#trends-heading").scroll_into_view_if_needed()
                    page.screenshot(path=OUTPUT / f"history-{name}.png")
                    context.close()
                browser.close()
        finally:
            server.shutdown()
    written = sorted(p.name for p in OUTPUT.glob("*.png"))
    print("wrote", ", ".join(written), "to", OUTPUT.relative_to(ROOT))
    assert all(re.match(r"\w+-(desktop|phone)\.png", n) for n in written)


if __name__ == "__main__":
    main()
