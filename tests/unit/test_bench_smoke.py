"""The benchmark harness runs end to end at tiny sizes, so it cannot rot (no timings asserted)."""

from __future__ import annotations

import pytest

from bench.__main__ import main

pytestmark = pytest.mark.slow


def test_benchmarks_run_and_write_their_table(tmp_path) -> None:
    """Does `python -m bench --smoke` measure every section and write the table?"""
    output = tmp_path / "RESULTS.md"
    report = main(["--smoke", "--output", str(output)])
    text = output.read_text()
    assert "| section | what |" in text
    sections = {row.section for row in report.rows}
    expected_sections = {"baseline", "scoring", "in-process", "size", "http sqlite", "http nginx"}
    expected_sections |= {"exports"}
    assert expected_sections | {"norms"} <= sections
    whats = " ".join(row.what for row in report.rows)
    for expected in (
        "POST a check-up",
        "GET a result page",
        "GET History, N = 3",
        "SQL statements",
        "HTML bytes",
        "GET /partner",
        "requests/s",
        "p95",
        "nginx + two hosts / one host direct",
        "flask norms report --json",
        "/healthz p50 / p95 / max",
    ):
        assert expected in whats, expected
