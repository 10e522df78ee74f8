"""Leaving quickly signs out: neither Back nor a copied cookie shows anything afterwards."""

from __future__ import annotations

from tests.conftest import THREES, keyed_answers


def test_leave_ends_the_session_and_goes_to_the_exit_page(member, checkup, app) -> None:
    """Does GET /leave answer 303 to QUICK_EXIT_URL, uncached, and sign the person out?"""
    result = member.result_id(member.submit("checkup", keyed_answers(checkup, THREES)))
    copied = member.client.get_cookie("session").value
    response = member.client.get("/leave")
    assert response.status_code == 303
    assert response.headers["Location"] == app.config["QUICK_EXIT_URL"]
    assert response.headers["Cache-Control"] == "no-store"
    for path in ("/history", f"/results/{result}", "/account"):
        assert member.client.get(path).status_code == 302, path  # to the sign-in page
    # A copy of the cookie from before leaving is dead too, as after signing out.
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/history").status_code == 302


def test_leave_works_signed_out_and_every_page_links_to_it(client) -> None:
    """Signed out, leaving still goes straight to the exit page; the bar links to /leave."""
    response = client.get("/leave")
    assert response.status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert 'id="quick-exit" href="/leave"' in page


def test_pages_with_a_persons_data_are_never_cached(member, checkup) -> None:
    """Is every page and file holding a person's data sent with Cache-Control: no-store?"""
    result = member.result_id(member.submit("checkup", keyed_answers(checkup, THREES)))
    for path in (
        "/history",
        f"/results/{result}",
        "/account",
        "/plans",
        "/partner",
        "/checkup/checkup",
        "/export.json",
        "/export.csv",
        "/reminders/next.ics?weeks=2",
    ):
        response = member.client.get(path)
        response.close()  # an export is streamed: closing it ends its request, as a server does
        assert response.status_code == 200, path
        assert response.headers.get("Cache-Control") == "no-store", path


def test_leaving_removes_the_language_chosen_here_and_keeps_the_device_cookie(app, member) -> None:
    """A language cookie shows Rekindle was used in this browser: leaving quickly removes it.
    The device cookie stays, as the "Browsing safely" page says (it keeps a stranger's
    guesses from locking the owner out)."""
    chosen = member.client.post(
        "/language", data={"csrf_token": member.csrf("/"), "language": "es"}
    )
    assert chosen.status_code == 303
    assert member.client.get_cookie("lang") is not None
    device = member.client.get_cookie("device")
    assert device is not None
    assert member.client.get("/leave").status_code == 303
    assert member.client.get_cookie("lang") is None
    assert '<html lang="en"' in member.client.get("/").get_data(as_text=True)
    kept = member.client.get_cookie("device")
    assert kept is not None and kept.value == device.value
