"""The committed plotly.js bundle is the one the pinned recipe builds, for the pinned plotly."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

from plotly.offline import get_plotlyjs_version

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor"
RECIPE = ROOT / "tools" / "plotly-bundle"
BUNDLE = VENDOR / "plotly-rekindle.min.js"
MANIFEST = json.loads((VENDOR / "plotly-rekindle.json").read_text())
WIRE_LIMIT = 400 * 1024


def test_bundle_matches_its_recorded_build() -> None:
    """Size and sha256 are the ones `make plotly-bundle` recorded: nobody edited it by hand."""
    data = BUNDLE.read_bytes()
    assert len(data) == MANIFEST["bytes"]
    assert hashlib.sha256(data).hexdigest() == MANIFEST["sha256"]
    licence = (VENDOR / "plotly.js-LICENSE.txt").read_text()
    assert licence.startswith("MIT License") and "Plotly" in licence


def test_bundle_is_the_plotly_js_the_python_package_was_made_for() -> None:
    """Figure JSON must mean the same to plotly (Python) and the bundle (JavaScript)."""
    banner = re.search(rb'version="(\d+\.\d+\.\d+)"', BUNDLE.read_bytes()).group(1).decode()
    assert banner == MANIFEST["plotly.js"] == get_plotlyjs_version()


def test_recipe_pins_exactly_what_was_built() -> None:
    """package.json and its lock pin plotly.js and esbuild to the versions in the manifest."""
    package = json.loads((RECIPE / "package.json").read_text())
    assert package["devDependencies"] == {
        "esbuild": MANIFEST["esbuild"],
        "plotly.js": MANIFEST["plotly.js"],
    }
    lock = json.loads((RECIPE / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/plotly.js"]["version"] == MANIFEST["plotly.js"]
    assert lock["packages"]["node_modules/esbuild"]["version"] == MANIFEST["esbuild"]
    entry = (RECIPE / "index.js").read_text()
    assert 'require("plotly.js/lib/core")' in entry
    assert entry.count("require(") == 1  # the core alone: radars are drawn on the server
    assert MANIFEST["traces"] == ["scatter"]
    assert "--define:global=window" in package["scripts"]["build"]


def test_bundle_is_small_on_the_wire(member) -> None:
    """Served gzip, versioned and immutable, it is at most 400 KB (the full plotly is ~1.4 MB)."""
    from assessment.core.assets import plotly_filename

    response = member.client.get(
        f"/assets/{plotly_filename()}", headers={"Accept-Encoding": "gzip"}
    )
    body = response.get_data()
    response.close()
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert len(body) <= WIRE_LIMIT
    assert gzip.decompress(body) == BUNDLE.read_bytes()
