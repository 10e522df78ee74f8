"""The benchmark harness runs end to end at tiny sizes, so it cannot rot (no timings asserted)."""

from __future__ import annotations

import pytest

from bench.__main__ import main
from tests.support.proxy import NGINX

pytestmark = pytest.mark.slow


def test_benchmarks_run_and_write_their_table(tmp_path) -> None:
    """Does `python -m bench --smoke` measure every section and write the table?"""
    output = tmp_path / "RESULTS.md"
    report = main(["--smoke", "--output", str(output)])
    text = output.read_text()
    assert "| section | what |" in text
    sections = {row.section for row in report.rows}
    expected_sections = {"baseline", "scoring", "in-process", "size", "http sqlite", "exports"}
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
        "flask norms report --json",
        "/healthz p50 / p95 / max",
    ):
        assert expected in whats, expected
    if not NGINX.exists():
        # Everything else was measured; the table says plainly what was not.
        assert f"http nginx: not measured, nginx is not at {NGINX}" in text
        pytest.skip(f"nginx is not at {NGINX}, so its section was not measured (make nginx)")
    assert "http nginx" in sections
    assert "nginx + two hosts / one host direct" in whats


def test_one_section_measured_again_keeps_the_others(tmp_path) -> None:
    """`--lighthouse-only` puts each row it measured again in its old one's place, its notes
    in place of the old Lighthouse notes, and keeps everything else."""
    from bench.report import Report, Row

    output = tmp_path / "RESULTS.md"
    before = Report()
    before.rows += [
        Row("baseline", "bare route", "0.3 ms"),
        Row("lighthouse mobile", "History, N = 200", "0.5"),
        Row("lighthouse mobile", "home, N = 200", "1.0"),
    ]
    before.notes += ["Lighthouse: the old runs.", "Something else."]
    before.write(output)
    again = Report()
    again.rows.append(Row("lighthouse mobile", "History, N = 200", "0.9"))
    again.notes.append("Lighthouse: three runs each.")
    again.write_section(output, "lighthouse")
    text = output.read_text()
    assert "| baseline | bare route | 0.3 ms |" in text
    assert "| History, N = 200 | 0.5 |" not in text  # measured again
    assert "| home, N = 200 | 1.0 |" in text  # not measured again: kept
    assert text.index("| History, N = 200 | 0.9 |") < text.index("| home, N = 200 |")  # its place
    assert "the old runs" not in text
    assert "- Something else." in text and "- Lighthouse: three runs each." in text
    assert "- lighthouse section measured on" in text and text.startswith("# Benchmark results\n\n")
    assert text.index("| section |") < text.index("| baseline |") < text.index("| lighthouse")
