"""/about/measures in a real Chromium: accessible, fits 320 px, no request to another host."""

from __future__ import annotations

from datetime import datetime

import pytest

from assessment.norms.store import store_norms
from tests.e2e.conftest import DESKTOP
from tests.e2e.test_journey_browser import check_page

NARROWEST = {"width": 320, "height": 640}


@pytest.mark.parametrize("viewport", [NARROWEST, DESKTOP], ids=["320px", "desktop"])
def test_about_measures_reads_well_at_every_width(open_context, live_site, axe, viewport) -> None:
    """With measured and provisional norms side by side, the page passes axe and fits."""
    with live_site.app.app_context():
        checkup = live_site.app.extensions["rekindle.catalog"].latest("checkup")
        store_norms(checkup, [("communication", 17.9, 0.87, 1234)], now=datetime(2026, 11, 30))
    context, watch = open_context(viewport)
    page = context.new_page()
    page.goto("/about/measures")
    assert page.locator("h1").inner_text() == "About the measures"
    table = f'[data-questionnaire="checkup"][data-version="{checkup.version}"]'
    row = page.locator(f"{table} tr", has_text="Communication")
    assert (
        "from 1234 people on this server who answered in English, 30 November 2026"
        in row.inner_text()
    )
    check_page(page, watch, axe, viewport)
