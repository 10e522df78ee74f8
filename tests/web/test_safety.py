"""A positive safety screen changes the result page, first and throughout.

See docs/architecture.md#safety.
"""

from __future__ import annotations

import re

from tests.conftest import keyed_answers

LOW_EVERYWHERE = dict.fromkeys(
    ("communication", "emotional_needs", "stress", "romance", "intimacy", "support"), 1
)


def _flagged_result(member, checkup, country: str = "US") -> str:
    member.client.application.config["HELPLINE_COUNTRY"] = country
    safety = {item.id: "no" for item in checkup.safety}
    safety[checkup.safety[0].id] = "yes"
    response = member.submit("checkup", keyed_answers(checkup, LOW_EVERYWHERE), safety)
    return member.client.get(response.headers["Location"]).get_data(as_text=True)


def test_flagged_result_shows_resources_before_anything_else(member, checkup) -> None:
    """Are the hotline, emergency advice and the therapy caution the first thing on the page?"""
    html = _flagged_result(member, checkup)
    main = html[html.index('<main id="main"') :]
    resources = main.index('id="safety-resources"')
    assert resources < main.index("<h1>")
    panel = main[resources : main.index("</section>", resources)]
    assert "not your fault" in panel
    assert "1-800-799-7233" in panel
    assert "START" in panel and "88788" in panel
    assert "emergency" in panel
    assert "Couples therapy is not advised" in panel


def test_flagged_result_never_shows_an_unsafe_strategy(member, checkup, catalog) -> None:
    """Is every strategy marked unsafe while there is fear absent from the whole page?"""
    html = _flagged_result(member, checkup)
    shown = set(re.findall(r'data-strategy="(\w+)"', html))
    assert shown, "a flagged result still offers something safe"
    for strategy in catalog.strategies.strategies:
        if not strategy.safe_if_flagged:
            assert strategy.id not in shown
            assert strategy.title not in html, strategy.title
            assert strategy.action not in html


def test_flagged_result_has_the_quick_exit(member, checkup) -> None:
    """Does the flagged result carry "Leave quickly", which signs out on its way out?"""
    html = _flagged_result(member, checkup)
    assert 'id="quick-exit"' in html
    assert 'href="/leave"' in html and 'data-quick-exit="/leave"' in html


def test_unflagged_result_has_no_safety_panel(member, checkup) -> None:
    """Is the safety panel kept for those who need it?"""
    safety = {item.id: "no" for item in checkup.safety}
    response = member.submit("checkup", keyed_answers(checkup, LOW_EVERYWHERE), safety)
    html = member.client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="safety-resources"' not in html


def _words(html: str) -> str:
    main = html[html.index('<main id="main"') : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_flagged_result_names_lowest_areas_without_promising_effort_helps(member, checkup) -> None:
    """Does the flagged page say "areas you scored lowest", and nothing about effort fixing it?"""
    html = _flagged_result(member, checkup)
    words = _words(html)
    assert "The areas you scored lowest were" in words
    assert "small, steady changes" not in words
    assert "Where attention will help most" not in words
    start = html.index('id="focus-heading"')
    ends = [i for i in (html.find("<h3", start), html.find("</section>", start)) if i > 0]
    focus = _words('<main id="main">' + html[start : min(ends)] + "</main>")
    assert "you scored lowest" in focus
    for promise in ("help most", "likely to help", "will help", "changes"):
        assert promise not in focus, promise


def test_unflagged_result_keeps_its_focus_wording(member, checkup) -> None:
    """Without a flag the page still says where attention will help most."""
    safety = {item.id: "no" for item in checkup.safety}
    response = member.submit("checkup", keyed_answers(checkup, LOW_EVERYWHERE), safety)
    words = _words(member.client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Where attention will help most" in words
    assert "areas you scored lowest" not in words
