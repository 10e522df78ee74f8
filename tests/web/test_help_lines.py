"""Help where the person is, chosen by them, never another country's; and browsing safely."""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import escape

from assessment.core.extensions import db
from assessment.core.models import User
from tests.conftest import hidden_fields, keyed_answers

LOW = dict.fromkeys(
    ("communication", "emotional_needs", "stress", "romance", "intimacy", "support"), 1
)


def _panel(html: str) -> str:
    start = html.index('id="safety-resources"')
    return html[start : html.index("</section>", start)]


def _flagged_result_page(member, checkup) -> tuple[str, str]:
    safety = {item.id: "no" for item in checkup.safety}
    safety[checkup.safety[0].id] = "yes"
    response = member.submit("checkup", keyed_answers(checkup, LOW), safety)
    location = response.headers["Location"]
    return location, member.client.get(location).get_data(as_text=True)


def _stored_country(app, username: str = "alex") -> str | None:
    with app.app_context():
        return db.session.execute(
            db.select(User.helpline_country).where(User.username == username)
        ).scalar_one()


def test_any_listed_country_shows_its_lines_to_a_visitor(client, catalog) -> None:
    """Signed out, does every listed country's page give its numbers as tel: links?"""
    for code, country in catalog.helplines.countries.items():
        html = client.get(f"/safety/help?country={code.lower()}").get_data(as_text=True)
        assert f"Help lines: {country.name}" in html, code
        assert f'href="tel:{country.emergency}"' in html, code
        for service in country.services:
            assert str(escape(service.name)) in html, (code, service.name)
            if service.phone:
                assert f'href="tel:{service.tel}"' in html, (code, service.phone)
                assert service.phone in html, (code, service.phone)


def test_uk_lines_are_the_uk_ones(client) -> None:
    """The UK page names 999 and the National Domestic Abuse Helpline, not the US hotline."""
    html = client.get("/safety/help?country=GB").get_data(as_text=True)
    assert 'href="tel:999"' in html
    assert 'href="tel:08082000247"' in html
    assert "1-800-799-7233" not in html


def test_an_unlisted_country_gets_emergency_advice_and_a_directory(client, catalog) -> None:
    """Somewhere not listed: the local emergency number and an international directory."""
    for query in ("country=ZZ", "country=other"):
        response = client.get(f"/safety/help?{query}")
        assert response.status_code == 200, query
        html = response.get_data(as_text=True)
        assert "call your local emergency number" in html, query
        assert catalog.helplines.directory.url in html, query
        assert "1-800-799-7233" not in html, query


def test_a_malformed_country_is_a_clear_400(client) -> None:
    """Anything but a two-letter code or "other" is refused plainly."""
    for bad in ("USA", "1", "<b>", "u s"):
        response = client.get("/safety/help", query_string={"country": bad})
        assert response.status_code == 400, bad
        assert "not a country code" in response.get_data(as_text=True)


def _no_numbers(html: str) -> None:
    """No country's numbers: not one tel: link but none at all."""
    assert 'href="tel:' not in html and 'href="sms:' not in html


def test_no_country_is_assumed_until_one_is_chosen(app, client) -> None:
    """With no choice and no HELPLINE_COUNTRY, is it emergency advice and a directory only?"""
    assert app.config["HELPLINE_COUNTRY"] == ""
    for path in ("/safety/help", "/"):
        html = client.get(path).get_data(as_text=True)
        assert "call your local emergency number" in html, path
        assert "hotpeachpages.net" in html, path
        _no_numbers(html)


def test_the_deployment_setting_is_the_default(app, client) -> None:
    """Without a person's choice, the lines are those of HELPLINE_COUNTRY when it is set."""
    app.config["HELPLINE_COUNTRY"] = "NZ"
    html = client.get("/safety/help").get_data(as_text=True)
    assert "Help lines: New Zealand" in html and 'href="tel:111"' in html


def test_choosing_a_country_on_the_account_page_changes_the_safety_panel(
    app, member, checkup
) -> None:
    """After choosing Ireland on Account, does a flagged result show Ireland's lines only?"""
    page = member.client.get("/account").get_data(as_text=True)
    assert 'action="/account/country"' in page
    assert '<option selected value="other">' in page or 'value="other" selected' in page
    response = member.client.post(
        "/account/country",
        data={"csrf_token": hidden_fields(page)["csrf_token"], "country": "IE", "next": ""},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/account")
    assert _stored_country(app) == "IE"
    assert member.client.get("/export.json").get_json()["user"]["helpline_country"] == "IE"
    _, html = _flagged_result_page(member, checkup)
    panel = _panel(html)
    assert "Help lines: Ireland" in panel
    assert 'href="tel:1800341900"' in panel and 'href="tel:112"' in panel
    assert "1-800-799-7233" not in panel
    assert "not your fault" in panel and "Couples therapy is not advised" in panel


def test_choosing_straight_from_the_safety_panel_returns_to_the_result(
    app, member, checkup
) -> None:
    """Can a person switch country inside the panel and land back on the same result?"""
    location, html = _flagged_result_page(member, checkup)
    panel = _panel(html)
    assert 'action="/account/country"' in panel
    fields = hidden_fields(panel)
    assert fields["next"] == f"{location}#safety-resources"
    response = member.client.post(
        "/account/country",
        data={"csrf_token": fields["csrf_token"], "country": "other", "next": fields["next"]},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"{location}#safety-resources"
    assert _stored_country(app) == "other"
    panel = _panel(member.client.get(location).get_data(as_text=True))
    assert "call your local emergency number" in panel
    assert "hotpeachpages.net" in panel
    assert "1-800-799-7233" not in panel


def test_an_unlisted_choice_is_refused_and_nothing_is_stored(app, member) -> None:
    """A code not in helplines.yaml, or a next page off the site, is a 400 storing nothing."""
    token = member.csrf("/account")
    response = member.client.post("/account/country", data={"csrf_token": token, "country": "XX"})
    assert response.status_code == 400
    assert _stored_country(app) is None
    response = member.client.post(
        "/account/country",
        data={"csrf_token": token, "country": "SE", "next": "//elsewhere.example/"},
    )
    assert response.status_code == 400
    assert _stored_country(app) is None


def test_choosing_needs_an_account(app, client) -> None:
    """Signed out, the choice is not stored (the help page itself stays open to anyone)."""
    response = client.post("/account/country", data={"country": "GB"})
    assert response.status_code in (302, 400)
    assert "Help lines: " in client.get("/safety/help?country=GB").get_data(as_text=True)


def test_browsing_safely_says_it_plainly(client) -> None:
    """The page covers history, private windows, clearing, shared devices and the partner link."""
    response = client.get("/safety")
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    text = re.sub(r"\s+", " ", text)
    assert "does not erase your browser history" in text
    assert "private window" in text
    assert "Clearing your history" in text
    assert "Shared or watched phones and computers" in text
    assert "never shared with a partner" in text
    assert "Whoever runs this server can read them" in text
    assert "A small cookie stays in this browser" in text
    assert "pressing Shift three times does the same" in text


def test_browsing_safely_is_linked_from_footer_exit_area_and_panel(client, member, checkup) -> None:
    """Is /safety one click away from every page's footer and quick exit, and the panel?"""
    for html in (
        client.get("/").get_data(as_text=True),
        client.get("/account").get_data(as_text=True),
    ):
        exit_area = html[
            html.index('class="quick-exit-area"') : html.index(
                "</div>", html.index('class="quick-exit-area"')
            )
        ]
        assert 'href="/safety"' in exit_area
        footer = html[html.index("<footer") :]
        assert 'href="/safety"' in footer
    _, result = _flagged_result_page(member, checkup)
    assert 'href="/safety"' in _panel(result)


def test_a_flagged_result_with_no_country_offers_a_chooser_and_no_numbers(member, checkup) -> None:
    """No country known: a chooser, the emergency advice and the directory, no numbers."""
    _, html = _flagged_result_page(member, checkup)
    panel = _panel(html)
    assert 'action="/account/country"' in panel and "<select" in panel
    assert "call your local emergency number" in panel
    assert "hotpeachpages.net" in panel
    _no_numbers(panel)


def test_no_template_writes_a_phone_number() -> None:
    """Every number a page shows comes from helplines.yaml, never from a template."""
    phone = re.compile(r"\b\d[\d -]{5,}\d\b")
    for path in Path("templates").rglob("*.html"):
        text = re.sub(r"\{[{%#].*?[}%#]\}", " ", path.read_text(), flags=re.S)
        assert not phone.search(text), (path, phone.search(text))


def test_after_sexual_violence_its_services_come_first(app, member, checkup) -> None:
    """After a "yes" about sexual violence, are that country's sexual-violence lines first?"""
    app.config["HELPLINE_COUNTRY"] = "GB"
    forced = next(item for item in checkup.safety if item.topic == "sexual_violence")
    safety = {item.id: "no" for item in checkup.safety} | {forced.id: "yes"}
    response = member.submit("checkup", keyed_answers(checkup, LOW), safety)
    panel = _panel(member.client.get(response.headers["Location"]).get_data(as_text=True))
    topics = re.findall(r'class="help-line" data-topics="([^"]*)"', panel)
    assert topics and "sexual_violence" in topics[0].split(), topics
    other = {item.id: "no" for item in checkup.safety} | {checkup.safety[0].id: "yes"}
    other_person = member
    other_person.logout()
    other_person.register("sam")
    response = other_person.submit("checkup", keyed_answers(checkup, LOW), other)
    panel = _panel(other_person.client.get(response.headers["Location"]).get_data(as_text=True))
    topics = re.findall(r'class="help-line" data-topics="([^"]*)"', panel)
    assert "sexual_violence" not in topics[0].split(), topics


def test_a_line_not_yet_checked_is_said_plainly_with_where_to_turn(client, catalog) -> None:
    """Where no crisis line could be checked yet, does the page say so and give 112 and more?"""
    html = client.get("/safety/help?country=ES").get_data(as_text=True)
    note = html[html.index('class="hint help-unchecked"') :]
    note = " ".join(note[: note.index("</p>")].split())
    assert "No crisis line could be checked against an official page" in note
    assert "call 112" in note and catalog.helplines.directory.url in note
    uk = client.get("/safety/help?country=GB").get_data(as_text=True)
    assert "help-unchecked" not in uk


def _line_names(html: str) -> list[str]:
    """The help lines' names in the order the page lists them."""
    return re.findall(r'class="help-line" data-topics="[^"]*"><strong>([^<]+)</strong>', html)


def test_lines_answering_in_the_pages_language_come_first(client) -> None:
    """Reading in Spanish (cookie or browser), are the US lines that answer in Spanish listed
    first, with their own English names; in a language no line speaks, the file's order?"""
    client.set_cookie("lang", "es")
    names = _line_names(client.get("/safety/help?country=US").get_data(as_text=True))
    assert names[:2] == ["National Domestic Violence Hotline", "988 Suicide &amp; Crisis Lifeline"]
    assert names.index("988 Suicide &amp; Crisis Lifeline") < names.index(
        "National Domestic Violence Hotline (TTY)"
    )
    client.delete_cookie("lang")
    browser = client.get("/safety/help?country=US", headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert _line_names(browser.get_data(as_text=True)) == names
    client.set_cookie("lang", "de")
    names = _line_names(client.get("/safety/help?country=US").get_data(as_text=True))
    assert names.index("National Domestic Violence Hotline (TTY)") < names.index(
        "988 Suicide &amp; Crisis Lifeline"
    )
