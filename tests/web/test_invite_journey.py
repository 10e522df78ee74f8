"""An invitation opened signed out survives sign-in and sign-up; links use PUBLIC_URL."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from app import create_app
from tests.conftest import Person, app_settings, row_counts
from tests.web.test_partner import JOIN_LINK, invite, new_person


@pytest.fixture
def alex(app) -> Person:  # type: ignore[no-untyped-def]
    """A signed-in person who sends invitations."""
    return new_person(app, "alex")


def test_signed_out_invite_says_only_that_an_invitation_waits(app, alex) -> None:
    """Does a signed-out visitor see that an invitation waits, and no name, with both ways in?"""
    path = invite(alex)
    visitor = Person(app.test_client())
    page = visitor.client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "An invitation waits for you" in html
    assert "alex" not in html.replace("Rekindle", "")  # the inviter is not named
    assert f'href="/register?next={path}"' in html
    assert f'href="/login?next={path}"' in html
    # The menu's own "Sign in" and "Create an account" keep the invitation too.
    menu = html[html.index('class="wrap site-nav"') : html.index("</nav>")]
    assert f'href="/register?next={path}">Create an account</a>' in menu
    assert f'href="/login?next={path}">Sign in</a>' in menu
    elsewhere = visitor.client.get("/").get_data(as_text=True)
    assert 'href="/register">Create an account</a>' in elsewhere  # no invitation, no next


def continue_link(page: str) -> str:
    """Where the recovery-codes page's "Continue" goes."""
    found = re.search(r'<a class="button" href="([^"]*)">Continue</a>', page)
    assert found, "no Continue link"
    return html.unescape(found.group(1))


def test_signing_up_from_an_invite_lands_on_the_confirmation(app, alex) -> None:
    """Does a person who creates an account from the invite land on the join page?"""
    path = invite(alex)
    visitor = Person(app.test_client())
    form = visitor.client.get(f"/register?next={path}").get_data(as_text=True)
    assert f'action="/register?next={path}"' in form
    response = visitor.register("sam", next_path=path)
    # First the recovery codes, once; their "Continue" goes on to the invitation.
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/recovery-codes/new"
    codes = visitor.client.get("/account/recovery-codes/new").get_data(as_text=True)
    assert continue_link(codes) == path
    confirmation = visitor.client.get(path).get_data(as_text=True)
    assert "Link your account with alex?" in confirmation
    assert row_counts(app)["partner_links"] == 0  # nothing linked until confirmed


def test_signing_in_from_an_invite_lands_on_the_confirmation(app, alex) -> None:
    """Does the sign-in page keep the invite, for someone who already has an account?"""
    sam = new_person(app, "sam")
    sam.logout()
    path = invite(alex)
    login = sam.client.get(f"/login?next={path}").get_data(as_text=True)
    assert f'href="/register?next={path}"' in login
    response = sam.login("sam", next_path=path)
    assert response.status_code == 303 and response.headers["Location"] == path


@pytest.mark.parametrize(
    "target", ["//evil.example", "/\\evil.example", "https://evil.example/", "/\r\n//evil.example"]
)
def test_register_never_goes_to_another_site(person, target) -> None:
    """Is a ``next`` that could leave the site replaced by the check-up choice?"""
    response = person.register("sam", next_path=target)
    assert response.status_code == 303
    codes = person.client.get(response.headers["Location"]).get_data(as_text=True)
    assert continue_link(codes) == "/checkup"


def test_signed_out_join_of_a_used_or_unknown_link_says_so(app, alex) -> None:
    """Is an unknown invite still a 404 and a replaced one a 410 for a signed-out visitor?"""
    old = invite(alex)
    invite(alex)
    visitor = Person(app.test_client())
    assert visitor.client.get(old).status_code == 410
    assert visitor.client.get("/partner/join/not-a-real-token").status_code == 404
    assert visitor.client.post(old, data={}).status_code in (302, 400)
    assert row_counts(app)["partner_links"] == 0


def test_invite_link_uses_public_url_and_offers_a_copy_button(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    """With PUBLIC_URL set, is the link built on it, in a read-only field with a copy button?"""
    database = tmp_path / "public.sqlite3"
    shutil.copyfile(migrated_sqlite, database)
    settings = app_settings(tmp_path, f"sqlite:///{database}")
    settings["PUBLIC_URL"] = "https://rekindle.example.org/"
    app = create_app(settings)
    alex = new_person(app, "alex")
    alex.client.post("/partner/invite", data={"csrf_token": alex.csrf("/partner")})
    html = alex.client.get("/partner").get_data(as_text=True)
    match = JOIN_LINK.search(html)
    assert match and match.group(1) == "https://rekindle.example.org"
    assert 'readonly value="https://rekindle.example.org/partner/join/' in html
    assert '<button type="button" class="button copy-button" data-copy="invite-url">' in html
    assert "<noscript><style>[data-print], [data-copy], " in html
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()
