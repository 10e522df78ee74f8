"""The menu reaches every page: each one a person can open is at most two clicks away."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from werkzeug.exceptions import MethodNotAllowed, NotFound

from tests.conftest import keyed_answers

HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]*)')
MENU = re.compile(r'<nav class="wrap site-nav" aria-label="Main">(.*?)</nav>', re.S)
# Pages no click needs to reach: machinery, and pages reached from outside (an invite link)
# or only by the signed-out.
NOT_PAGES = {
    "static",
    "assets.plotly_js",
    "main.healthz",
    "partner.join",
    "auth.login",
    "auth.register",
    "recovery.recover",  # from the sign-in page, signed out
    "recovery.show_codes",  # shown once, straight after sign-up or on asking for new codes
    "reminders.next_reminder",  # a calendar file each result page offers, not a page
    "talk.show",  # one talk's page, reached from /talk once a talk is asked for
}


def endpoint_of(app, href: str) -> str | None:  # type: ignore[no-untyped-def]
    """The endpoint a link on the site opens, or None for a link elsewhere."""
    parts = urlsplit(href)
    if parts.netloc or not parts.path.startswith("/"):
        return None
    try:
        return app.url_map.bind("localhost").match(parts.path, method="GET")[0]
    except (NotFound, MethodNotAllowed):
        return None


def links(html: str) -> list[str]:
    """Every link on a page, in page order."""
    return [href.replace("&amp;", "&") for href in HREF.findall(html)]


def test_plans_is_in_the_menu_and_every_page_is_two_clicks_away(app, member, checkup) -> None:
    """From the menu of any page, can a person reach every page within two clicks?"""
    response = member.submit(
        "checkup", keyed_answers(checkup, {d.id: 2 for d in checkup.dimensions})
    )
    assert response.status_code == 303
    home = member.client.get("/").get_data(as_text=True)
    menu = links(MENU.search(home).group(1))
    assert "/plans" in menu and "/history" in menu and "/partner" in menu
    reached = {endpoint_of(app, href) for href in menu}
    for href in menu:
        page = member.client.get(href)
        assert page.status_code == 200, href
        if page.mimetype == "text/html":
            reached |= {endpoint_of(app, link) for link in links(page.get_data(as_text=True))}
    pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in NOT_PAGES
    }
    assert pages - reached == set()
