"""Every kind of bad request gets a clear answer, and not one row changes anywhere."""

from __future__ import annotations

import re
import string
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.conftest import THREES, keyed_answers, row_counts


@pytest.fixture
def filled(member, checkup):  # type: ignore[no-untyped-def]
    """A signed-in member with one stored check-up, and a valid form for the next one."""
    member.submit("checkup", keyed_answers(checkup, THREES))
    return member, member.open_form("checkup"), keyed_answers(checkup, THREES)


def _post(member, fields) -> tuple[int, str]:
    response = member.client.post("/checkup/checkup", data=fields)
    return response.status_code, response.get_data(as_text=True)


def _message_at(html: str, field_id: str) -> str:
    start = html.index(f'id="q-{field_id}"')
    return html[start : html.index("</fieldset>", start)]


@pytest.mark.parametrize(
    ("case", "value"),
    [
        ("out of range", "6"),  # 6 on a 1-5 scale
        ("not a number", "three"),
        ("prefer not to say on a required item", "na"),  # "na" only on optional items
    ],
)
def test_answer_outside_the_choices_is_400_at_its_question(
    filled, checkup, app, case, value
) -> None:
    """Is an answer the question does not offer a 400 with the message at it, nothing stored?"""
    member, hidden, answers = filled
    before = row_counts(app)
    item = next(i for i in checkup.items if not i.optional).id
    status, html = _post(member, {**hidden, **answers, item: value})
    assert status == 400, case
    assert "Please choose one of the answers shown." in _message_at(html, item)
    assert row_counts(app) == before


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({"score_override": "100"}, "nothing was saved"),
        ({"version": "0"}, "has changed since the page was opened"),
    ],
    ids=["unknown field", "tampered version"],
)
def test_refused_post(filled, app, extra, says) -> None:
    """Is a field the form never had, or a questionnaire version we never served, a 400
    that says why, nothing stored?"""
    member, hidden, answers = filled
    before = row_counts(app)
    status, html = _post(member, {**hidden, **answers, **extra})
    assert status == 400
    assert says in html
    assert row_counts(app) == before


def test_duplicated_field(filled, checkup, app) -> None:
    """Is the same question answered twice in one post a 400, nothing stored?"""
    member, hidden, answers = filled
    before = row_counts(app)
    item = checkup.items[0].id
    body = [*hidden.items(), *answers.items(), (item, "1")]
    response = member.client.post("/checkup/checkup", data=MultiDict(body))
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)
    assert row_counts(app) == before


def test_missing_required_answer(filled, checkup, app) -> None:
    """Is a required question left blank a 400 with its message, nothing stored?"""
    member, hidden, answers = filled
    before = row_counts(app)
    item = checkup.items[3].id
    del answers[item]
    status, html = _post(member, {**hidden, **answers})
    assert status == 400
    assert "Please choose an answer to this question." in _message_at(html, item)
    assert row_counts(app) == before


def test_tampered_questionnaire_id(filled, app) -> None:
    """Is a check-up posted to an unknown questionnaire a 404, and to the pulse a 400?"""
    member, hidden, answers = filled
    before = row_counts(app)
    unknown = member.client.post("/checkup/checkup-v9", data={**hidden, **answers})
    assert unknown.status_code == 404
    assert "Page not found" in unknown.get_data(as_text=True)
    to_pulse = member.client.post("/checkup/pulse", data={**hidden, **answers})
    assert to_pulse.status_code == 400
    assert row_counts(app) == before


def test_body_over_the_size_limit(filled, app) -> None:
    """Is a body over 1 MiB a 413 with a friendly page, nothing stored?"""
    member, hidden, answers = filled
    before = row_counts(app)
    response = member.client.post(
        "/checkup/checkup", data={**hidden, **answers, "padding": "x" * (1024 * 1024 + 1)}
    )
    assert response.status_code == 413
    assert "larger than this site accepts" in response.get_data(as_text=True)
    assert row_counts(app) == before


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_missing_or_wrong_csrf_token(filled, app, token) -> None:
    """Is a post without the form's CSRF token a 400 that says the form expired?"""
    member, hidden, answers = filled
    before = row_counts(app)
    fields = {**hidden, **answers}
    if token is None:
        del fields["csrf_token"]
    else:
        fields["csrf_token"] = token
    status, html = _post(member, fields)
    assert status == 400
    assert "This form has expired" in html
    assert row_counts(app) == before


def test_another_persons_result_and_export(filled, app, person) -> None:
    """Is someone else's result a 404 (never 403), and does the export hold only my data?"""
    member, _hidden, _answers = filled
    stored = member.client.get("/export.json").get_json()["assessments"][0]["id"]
    member.logout()
    member.register("intruder")
    before = row_counts(app)
    response = member.client.get(f"/results/{stored}")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert member.client.get("/export.json").get_json()["assessments"] == []
    assert row_counts(app) == before


@pytest.mark.parametrize(
    "path", ["/results/2147483648", "/results/99999999999999999999999", "/plans/2147483648/drop"]
)
def test_ids_past_a_database_integer_are_404(member, app, path) -> None:
    """Is an id no integer column can hold a plain 404 on any database, never a 500?"""
    before = row_counts(app)
    if path.endswith("/drop"):
        response = member.client.post(path, data={"csrf_token": member.csrf("/account")})
    else:
        response = member.client.get(path)
    assert response.status_code == 404
    assert row_counts(app) == before


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/login", {"username": "alex", "password": "a long walk by the river", "admin": "1"}),
        ("/login", [("username", "alex"), ("username", "sam"), ("password", "x" * 12)]),
        ("/register", {"username": "kim", "password": "p" * 12, "confirm": "p" * 12, "x": ""}),
        ("/logout", {"next": "/"}),
        ("/account/delete", {"password": "a long walk by the river", "everything": "yes"}),
    ],
)
def test_account_posts_with_an_unknown_or_doubled_field_are_400(member, app, path, fields) -> None:
    """Does the strict form base refuse an extra or repeated field on every account post?"""
    signed_in = path not in ("/login", "/register")
    if not signed_in:
        member.logout()
    before = row_counts(app)
    data = MultiDict(fields)
    data.add("csrf_token", member.csrf("/login"))
    response = member.client.post(path, data=data)
    assert response.status_code == 400
    assert row_counts(app) == before
    # Signed in as before (nothing deleted, not signed out), or still signed out.
    assert member.client.get("/account").status_code == (200 if signed_in else 302)


@pytest.mark.parametrize("path", ["/logout", "/account/delete", "/partner/invite"])
def test_get_of_a_post_only_route(member, app, path) -> None:
    """Is a GET of a POST-only route a 405 with a friendly page, changing nothing?"""
    before = row_counts(app)
    response = member.client.get(path)
    assert response.status_code == 405
    assert "be used that way" in response.get_data(as_text=True)
    assert row_counts(app) == before


# Text that has broken servers before: digits that are not ASCII, NUL, numbers past 64 bits.
ODD_CHARACTERS = "0123456789²³¹١٢٣߀०৩๓௪\x00\x01\u202e\ufeff%/.-+eE "
huge_numbers = st.integers(min_value=2**31 - 2, max_value=10**30).map(str)
KNOWN_ODD = ["²", "١", "١٢", "߁", "\x00", "1\x00", "99999999999999999999", "9223372036854775808"]
odd_text = st.one_of(
    st.sampled_from(KNOWN_ODD),
    st.text(ODD_CHARACTERS, max_size=24),
    huge_numbers,
    st.integers(-(10**25), -1).map(str),
    st.sampled_from(["9223372036854775807", "9223372036854775808", "18446744073709551616"]),
)


def _routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Every (method, rule) in the URL map, GET and POST alike."""
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            routes.append((method, rule.rule))
    return sorted(routes)


def _fill(rule: str, data) -> str:  # type: ignore[no-untyped-def]
    """The rule with each parameter replaced by a drawn value (odd ones included), quoted."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        plain = "1" if "id" in name else "x"
        drawn = data.draw(st.one_of(odd_text, st.just(plain), st.text(max_size=20)))
        return quote(drawn, safe="") or plain

    return re.sub(r"<(?:\w+:)?(\w+)>", value, rule)


FIELD_NAMES = [
    "csrf_token",
    "submission_token",
    "version",
    "username",
    "password",
    "confirm",
    "share",
    "com_listen",
    "safe_afraid",
    "p_com",
    "strategy_id",
    "assessment_id",
    "plan_1_tried",
    "plan_١_tried",
    "next",
    "page",
]
field_names = st.one_of(
    st.sampled_from(FIELD_NAMES),
    st.text(string.ascii_letters + "_[].", min_size=1, max_size=12),
    st.text(ODD_CHARACTERS + "_", min_size=1, max_size=12),
)
field_values = st.one_of(
    odd_text,
    st.text(max_size=40),
    st.integers(-10, 10).map(str),
    st.sampled_from(["", "na", "yes", "no", "skip", "0", "1e9", "\x00", "é", "<script>"]),
)


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_bodies_never_cause_a_server_error(member, app, data) -> None:
    """Whatever is sent to whichever route (GET or POST, odd ids in the path), never a 5xx."""
    with member.client.session_transaction() as session:
        signed_in = "_user_id" in session
    if not signed_in:  # an earlier example signed out: odd requests of a member are the point
        assert member.login().status_code == 303
    routes = _routes(app)
    with_parameters = [route for route in routes if "<" in route[1]]
    method, rule = data.draw(st.sampled_from(routes + with_parameters * 2))
    path = _fill(rule, data)
    fields = st.one_of(
        st.tuples(st.sampled_from(FIELD_NAMES), odd_text), st.tuples(field_names, field_values)
    )
    body = data.draw(st.lists(fields, max_size=12))
    if method == "GET":
        response = member.client.get(path, query_string=MultiDict(body))
    else:
        if data.draw(st.sampled_from([True, True, False])):  # past CSRF, most of the time
            body.append(("csrf_token", member.csrf("/account")))
        response = member.client.post(path, data=MultiDict(body))
    response.close()
    assert response.status_code < 500, (method, path, body, response.status_code)
