"""Pages, CSS and JS are sent compressed; plotly.js, compressed once by itself, is not again."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

from assessment.core.assets import BUNDLE, plotly_filename
from assessment.core.headers import CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(("accept", "encoding"), [("gzip", "gzip"), ("gzip, deflate, br", "br")])
def test_pages_are_sent_compressed(member, accept: str, encoding: str) -> None:
    """Is a signed-in page compressed, still with its headers, and readable once unpacked?"""
    response = member.client.get("/history", headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    text = (gzip.decompress(body) if encoding == "gzip" else brotli.decompress(body)).decode()
    assert "<h1>Your history</h1>" in text
    assert int(response.headers["Content-Length"]) == len(body) < len(text.encode())


def test_a_client_that_asks_for_no_compression_gets_none(client) -> None:
    """Without Accept-Encoding, is the page sent as it is?"""
    response = client.get("/login", headers={"Accept-Encoding": ""})
    assert "Content-Encoding" not in response.headers
    assert "<h1>Sign in</h1>" in response.get_data(as_text=True)


def test_stylesheet_and_script_are_compressed(client) -> None:
    """Are our own CSS and JS compressed too (Lighthouse's text-compression audit)?"""
    for path in ("/static/css/site.css", "/static/js/rekindle.js"):
        response = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "br", path
        assert b"Rekindle" in brotli.decompress(response.get_data())


@pytest.mark.parametrize("accept", ["gzip, deflate, br, zstd", "br", ""])
def test_plotly_is_compressed_once_by_itself(client, accept: str) -> None:
    """Is the plotly bundle gzip exactly once when asked, and never re-encoded by the hook?"""
    response = client.get(f"/assets/{plotly_filename()}", headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    raw = BUNDLE.read_bytes()
    if "gzip" in accept:
        assert response.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.get_data()) == raw
    else:
        assert "Content-Encoding" not in response.headers
        assert response.get_data() == raw
    assert re.fullmatch(r"public, max-age=\d+, immutable", response.headers["Cache-Control"])
