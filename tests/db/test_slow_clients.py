"""Slow clients against gunicorn served as `make run` serves it (README, "Two commands").

A client that sends its request slowly keeps one of gunicorn's threads for as long as it
takes. `make run` has threads enough that the README's number of such clients at once
still leaves one free for everyone else; past it, the README says, a public server
runs behind the shipped nginx, which takes whole requests before gunicorn sees them.
"""

from __future__ import annotations

import re
import socket
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bench.exports import make_run_threads
from tests.support.server import gunicorn, migrated_database

pytestmark = [pytest.mark.slow, pytest.mark.gunicorn]

README = Path(__file__).resolve().parents[2] / "README.md"
# The README's promise: this many slow clients at once, and `make run` still answers.
SLOW_CLIENTS = 31
# A request that has started and never ends: its body is 1,000 bytes, a few are sent.
HALF_A_REQUEST = (
    b"POST /login HTTP/1.1\r\nHost: rekindle\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
    b"username="
)


def test_the_readme_states_the_limit_make_run_serves_with() -> None:
    """Does the README give the number of threads and slow clients `make run` really has?"""
    text = re.sub(r"\s+", " ", README.read_text())
    threads = make_run_threads()
    assert threads == SLOW_CLIENTS + 1
    assert f"{threads} threads" in text
    assert f"{SLOW_CLIENTS} clients that send or read slowly" in text


def test_make_run_answers_beside_as_many_slow_clients_as_the_readme_says(tmp_path) -> None:
    """31 half-sent requests held open: does /healthz still answer, served as make run is?"""
    serving = {"GUNICORN_CMD_ARGS": f"--threads {make_run_threads()}"}
    with (
        migrated_database("sqlite", tmp_path) as url,
        gunicorn(url, tmp_path, 1, serving) as server,
    ):
        address = urllib.parse.urlsplit(server.url)
        slow = [
            socket.create_connection((address.hostname, address.port)) for _ in range(SLOW_CLIENTS)
        ]
        try:
            for client in slow:
                client.sendall(HALF_A_REQUEST)
            time.sleep(1)  # each has been taken up by a thread by now
            # Not a speed target: a server with no thread left never answers at all.
            with urllib.request.urlopen(server.url + "/healthz", timeout=10) as response:
                assert response.status == 200
        finally:
            for client in slow:
                client.close()
