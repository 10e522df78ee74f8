"""The shipped deployment, for real: nginx over HTTPS in front of two app hosts.

Debian's nginx (scripts/ensure-nginx) runs deploy/nginx/rekindle.conf rendered onto
loopback ports; gunicorn serves the app on 127.0.0.2 and 127.0.0.3, both with one
PostgreSQL schema and one Redis, TRUSTED_PROXIES=1 and SESSION_COOKIE_SECURE=1. People
connect from addresses of their own (127.0.1.x), so nginx sees them as different clients.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import signal
import socket
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text

from tests.conftest import PASSWORD, hidden_fields, keyed_answers, postgres_schema
from tests.support.browser import register_in_page
from tests.support.proxy import NGINX, ProxiedPerson, Proxy, nginx
from tests.support.server import Reply, Server, gunicorn, migrate

pytestmark = [pytest.mark.deploy, pytest.mark.slow]

POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = "redis://127.0.0.1:6379/0"
LIMIT = 10
LEVELS = {
    "communication": 4,
    "emotional_needs": 3,
    "stress": 2,
    "romance": 4,
    "intimacy": 3,
    "support": 5,
}
REQUEST_LINE = re.compile(r"^<\d+> (GET|POST) (\S+) ", re.M)


@dataclass
class Stack:
    """nginx, the two app hosts behind it, and the database they share."""

    proxy: Proxy
    hosts: dict[str, Server]
    database_url: str

    def requests(self) -> dict[str, list[tuple[str, str]]]:
        """(method, path) of every request each host has answered, from its access log.

        gunicorn writes a line just after it answers, so the logs are read until they settle.
        """
        seen = None
        deadline = time.monotonic() + 3
        while True:
            now = {
                name: REQUEST_LINE.findall(server.log.read_text())
                for name, server in self.hosts.items()
            }
            if now == seen or time.monotonic() > deadline:
                return now
            seen = now
            time.sleep(0.15)

    def assessments(self, token: str) -> int:
        """How many assessments the database holds for one submission token."""
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                query = text("SELECT count(*) FROM assessments WHERE submission_token = :t")
                return connection.execute(query, {"t": token}).scalar_one()
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole deployment, started once for this file (the last test stops a host)."""
    if not NGINX.exists():
        pytest.fail(
            f"nginx is not at {NGINX}. Run `make test` (scripts/ensure-nginx installs Debian's"
            " nginx when it can) or set NGINX_PATH to an nginx binary.",
            pytrace=False,
        )
    folder = tmp_path_factory.mktemp("deploy")
    prefix = f"rekindle-test-{uuid.uuid4().hex[:10]}"
    environment = {
        "RATELIMIT_ENABLED": "1",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
        "TRUSTED_PROXIES": "1",
        "SESSION_COOKIE_SECURE": "1",
    }
    try:
        with postgres_schema(POSTGRES_URL) as url, ExitStack() as running:
            migrate(url, folder)
            hosts = {}
            for name, address in (("a", "127.0.0.2"), ("b", "127.0.0.3")):
                instance = folder / f"host-{name}"
                instance.mkdir()
                hosts[name] = running.enter_context(
                    gunicorn(url, instance, workers=1, environment=environment, host=address)
                )
            upstreams = [urllib.parse.urlsplit(s.url).netloc for s in hosts.values()]
            proxy = running.enter_context(nginx(folder / "nginx", upstreams))
            yield Stack(proxy, hosts, url)
    finally:
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(f"{prefix}*"):
            store.delete(key)
        store.close()


def take_checkup(person: ProxiedPerson, checkup, hidden=None) -> Reply:  # type: ignore[no-untyped-def]
    """Post a whole check-up (with a fresh form unless ``hidden`` is given)."""
    return person.submit("checkup", keyed_answers(checkup, LEVELS), hidden)


def checkins(history: Reply) -> int:
    """How many check-ins History says the person has."""
    match = re.search(r"(\d+) check-ins? so far", history.body)
    assert match, "History counts the check-ins"
    return int(match.group(1))


def test_a_whole_journey_works_across_both_hosts(stack: Stack, checkup) -> None:
    """Sign up, take the check-up, read the result and History: each page from either host."""
    before = stack.requests()
    person = ProxiedPerson(stack.proxy, "127.0.1.10")
    assert person.register("jordan").status == 303
    assert person.request("/checkup").status == 200
    submitted = take_checkup(person, checkup)
    assert submitted.status == 303
    result_path = urllib.parse.urlsplit(submitted.headers["Location"]).path
    for _ in range(2):  # twice, so both hosts are asked for the same private page
        result = person.request(result_path)
        assert result.status == 200
        assert "Support" in result.body  # the six areas are on the page
    history = person.request("/history")
    assert history.status == 200
    assert checkins(history) == 1

    after = stack.requests()
    served = {name: after[name][len(before[name]) :] for name in after}
    assert served["a"] and served["b"], served
    # Asked twice in a row, the private result page came once from each host.
    for name in ("a", "b"):
        assert [path for _, path in served[name]].count(result_path) == 1, served
    assert ("POST", "/checkup/checkup") in served["a"] + served["b"]


def test_sign_in_limit_holds_across_hosts_and_counts_people_apart(stack: Stack) -> None:
    """Ten wrong passwords from one address, on either host, stop that address; not another."""
    guesser = ProxiedPerson(stack.proxy, "127.0.1.1")
    fields = guesser.form("/login")  # one form, so the posts alternate between the hosts
    before = stack.requests()

    def guess(username: str, headers: dict[str, str] | None = None) -> int:
        data = {**fields, "username": username, "password": "wrong " + PASSWORD}
        return guesser.request("/login", data, headers).status

    # A different name each time, so only the per-address limit is in play.
    assert [guess(f"guess{n}") for n in range(LIMIT)] == [401] * LIMIT
    assert guess("guess-more") == 429
    # Sending a made-up X-Forwarded-For does not make the guesser someone new.
    assert guess("guess-forged", {"X-Forwarded-For": "203.0.113.5"}) == 429
    after = stack.requests()
    for name in after:
        posts = [r for r in after[name][len(before[name]) :] if r == ("POST", "/login")]
        assert len(posts) >= 4, f"host {name} answered sign-in attempts too"

    neighbour = ProxiedPerson(stack.proxy, "127.0.1.2")
    reply = neighbour.request(
        "/login", {**neighbour.form("/login"), "username": "neighbour", "password": "wrong"}
    )
    assert reply.status == 401, "someone else is not locked out"


def test_https_gives_secure_cookies_and_plain_http_only_redirects(stack: Stack) -> None:
    """Over HTTPS the session cookie is Secure and HttpOnly; plain HTTP sets nothing."""
    person = ProxiedPerson(stack.proxy, "127.0.1.30")
    assert person.register("casey").status == 303
    session = [cookie for cookie in person.cookies if cookie.name == "session"]
    assert session, "signed in with a session cookie"
    assert session[0].secure
    assert session[0].has_nonstandard_attr("HttpOnly")
    assert person.request("/history").status == 200

    address = urllib.parse.urlsplit(stack.proxy.http_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    connection.request("GET", "/login")
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 301
    assert response.getheader("Location", "").startswith("https://")
    assert response.getheader("Set-Cookie") is None


def _raw(stack: Stack, method: str, path: str, body: bytes | None = None, **headers: str):  # type: ignore[no-untyped-def]
    address = urllib.parse.urlsplit(stack.proxy.https_url)
    connection = http.client.HTTPSConnection(
        address.hostname, address.port, timeout=30, context=stack.proxy.tls()
    )
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def test_compression_caching_body_limit_and_log(stack: Stack, checkup) -> None:
    """HTML comes gzipped; plotly.js is asked of the app hosts once; past 1 MiB is a 413;
    invitation tokens stay out of nginx's log."""
    response, data = _raw(stack, "GET", "/login", **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert b"<form" in gzip.decompress(data)

    person = ProxiedPerson(stack.proxy, "127.0.1.40")
    assert person.register("riley").status == 303
    take_checkup(person, checkup)
    # History fetches plotly.js when its first chart nears the screen; the page names it.
    history = person.request("/history")
    asset = re.search(r'data-plotly-src="(/assets/plotly-[^"]+\.min\.js)"', history.body).group(1)
    for _ in range(3):
        response, data = _raw(stack, "GET", asset, **{"Accept-Encoding": "gzip"})
        assert response.status == 200
        assert "max-age=31536000" in response.getheader("Cache-Control", "")
        assert len(gzip.decompress(data)) > 100_000
    asked = [path for log in stack.requests().values() for _, path in log if path == asset]
    assert len(asked) == 1, "nginx keeps plotly.js; the app hosts were asked once"

    secret = "invitation-token-" + uuid.uuid4().hex
    response, _ = _raw(stack, "GET", f"/partner/join/{secret}")
    assert response.status == 404  # an unknown invitation; its token must not be logged
    deadline = time.monotonic() + 5  # nginx writes the line just after it answers
    while "/partner/join/(token)" not in stack.proxy.access_log.read_text():
        assert time.monotonic() < deadline, "the join was logged, without its token"
        time.sleep(0.05)
    assert secret not in stack.proxy.access_log.read_text()

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    before = stack.requests()
    response, data = _raw(stack, "POST", "/login", b"a" * (1024 * 1024 + 1), **form)
    assert response.status == 413
    assert "larger than this site accepts (1 MiB)" in data.decode()
    assert stack.requests() == before, "no app host had to read it"
    # Exactly 1 MiB is the app's to judge (a form without its CSRF token: 400), not nginx's.
    response, data = _raw(stack, "POST", "/login", b"a" * (1024 * 1024), **form)
    assert response.status == 400
    assert sum(len(log) for log in stack.requests().values()) == 1 + sum(
        len(log) for log in before.values()
    )


def test_a_browser_signs_up_and_takes_the_pulse_over_https(stack: Stack, pulse, browser) -> None:
    """Debian's Chromium behind nginx over HTTPS: every form post passes the CSRF check.

    Over HTTPS the app asks for a same-origin Referer; the pages' Referrer-Policy lets the
    browser send one.
    """
    context = browser.new_context(base_url=stack.proxy.https_url, ignore_https_errors=True)
    try:
        page = context.new_page()
        register_in_page(page, "sky", PASSWORD)
        assert page.url.endswith("/account/recovery-codes/new"), page.url
        with page.expect_navigation():
            page.click("text=Continue")
        assert page.url.endswith("/checkup"), page.url
        page.goto("/checkup/pulse")
        for item in pulse.items:
            page.check(f'input[name="{item.id}"][value="3"]')
        with page.expect_navigation():
            page.click("#questionnaire button[type=submit]")
        assert "/results/" in page.url, page.url
        assert page.locator("svg.radar").count() == 1, "the result's radar, drawn on the server"
        page.goto("/history")
        page.wait_for_function("() => window.Plotly !== undefined")
        cookies = {cookie["name"]: cookie for cookie in context.cookies()}
        assert cookies["session"]["secure"] and cookies["session"]["httpOnly"]
    finally:
        context.close()


def _in_background(call) -> tuple[threading.Thread, list]:  # type: ignore[no-untyped-def]
    outcome: list = []
    thread = threading.Thread(target=lambda: outcome.append(call()), daemon=True)
    thread.start()
    return thread, outcome


def queued_on(server: Server) -> int:
    """Connections waiting in a host's listening socket that no process has taken yet."""
    address = urllib.parse.urlsplit(server.url)
    local = f"{socket.inet_aton(address.hostname)[::-1].hex().upper()}:{address.port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == local and fields[3] == "0A":  # 0A: listening
            return int(fields[4].split(":")[1], 16)  # rx_queue: the accept queue
    raise AssertionError(f"nothing listens on {server.url}")


def on_host_or_done(thread: threading.Thread, server: Server, queued: int) -> bool:
    """Wait until the request in ``thread`` is answered or waits on ``server``; True if it waits."""
    deadline = time.monotonic() + 30
    while thread.is_alive() and queued_on(server) <= queued:
        assert time.monotonic() < deadline, "the request was neither answered nor queued"
        time.sleep(0.02)
    return thread.is_alive()


def test_a_host_killed_mid_run_loses_no_submission(stack: Stack, checkup) -> None:
    """Host a dies holding a page view and a check-up: the view is answered by host b, the
    check-up gets a clear error, and sending the same form again stores it exactly once.
    """
    person = ProxiedPerson(stack.proxy, "127.0.1.20")
    assert person.register("morgan").status == 303
    first = take_checkup(person, checkup)
    assert first.status == 303
    form = person.form("/checkup/checkup")
    bystander = ProxiedPerson(stack.proxy, "127.0.1.21")

    dying = stack.hosts["a"]
    processes = [dying.process.pid, *dying.worker_pids()]
    for pid in processes:  # host a hangs: its socket takes connections, nobody answers
        os.kill(pid, signal.SIGSTOP)
    try:
        # nginx takes the hosts in turn; look until a page view waits on host a.
        for _ in range(3):
            view, viewed = _in_background(lambda: person.request("/history"))
            if on_host_or_done(view, dying, 0):
                break
            assert viewed[0].status == 200
        assert view.is_alive(), "a page view is waiting on host a"
        # Host b's turn, then host a's again: the check-up goes to host a.
        ping, pinged = _in_background(lambda: bystander.request("/healthz"))
        assert not on_host_or_done(ping, dying, 1), "host b answered the next request"
        assert pinged[0].status == 200
        post, posted = _in_background(lambda: take_checkup(person, checkup, form))
        assert on_host_or_done(post, dying, 1), "the check-up is waiting on host a"
    finally:
        for pid in processes:
            os.kill(pid, signal.SIGKILL)
    view.join(timeout=30)
    post.join(timeout=30)

    assert viewed[0].status == 200, "nginx asked host b for the page view"
    assert posted[0].status == 502, "nginx never sends a POST that reached a host again"
    assert "send it again" in posted[0].body
    assert stack.assessments(form["submission_token"]) == 0

    again = take_checkup(person, checkup, form)
    assert again.status == 303
    once_more = take_checkup(person, checkup, form)
    assert once_more.headers["Location"] == again.headers["Location"]
    assert stack.assessments(form["submission_token"]) == 1

    # The person carries on: both check-ups are in History, and another can be started.
    history = person.request("/history")
    assert history.status == 200
    assert checkins(history) == 2
    assert person.request(urllib.parse.urlsplit(again.headers["Location"]).path).status == 200
    assert hidden_fields(person.request("/checkup/checkup").body)["submission_token"]
