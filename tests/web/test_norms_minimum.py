"""The norms' minimum sample is exactly the documented 30 people, at both edges.

README ("norms") and docs/architecture.md#norms: with fewer than 30 people who answered
every question a figure is too unsteady, so the report gives none and an export leaves
that area out. 29 is too few; 30 is enough. Written out here, not imported, so moving the
app's number by one fails this file.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.web.test_norms_commands import _dimension, _seed, json_report

DOCUMENTED_MINIMUM = 30


def exported_areas(runner, path: Path) -> tuple[dict[str, int], str]:  # type: ignore[no-untyped-def]
    """`flask norms export`: the check-up v1 areas the file holds (area -> n), and the output."""
    result = runner.invoke(args=["norms", "export", str(path)])
    assert result.exit_code == 0, result.output
    document = json.loads(path.read_text())
    areas = {
        dimension["id"]: dimension["n"]
        for questionnaire in document["questionnaires"]
        if questionnaire["id"] == "checkup" and questionnaire["version"] == 1
        for dimension in questionnaire["dimensions"]
    }
    return areas, result.output


def test_twenty_nine_people_are_too_few_and_thirty_are_enough(app, runner, tmp_path) -> None:
    """With 29 people does the report give no figures and the export leave the area out
    (saying so), and with a 30th do both have it?"""
    _seed(app, DOCUMENTED_MINIMUM - 1, seed=5, prefix="few")
    few = _dimension(json_report(runner), "checkup", "communication")
    assert few["n"] == DOCUMENTED_MINIMUM - 1 and not few["enough"] and few["alpha"] is None
    areas, output = exported_areas(runner, tmp_path / "few.json")
    assert "communication" not in areas
    assert "left out checkup v1 en communication: 29 people, fewer than 30" in output

    _seed(app, 1, seed=6, prefix="one-more")
    enough = _dimension(json_report(runner), "checkup", "communication")
    assert enough["n"] == DOCUMENTED_MINIMUM and enough["enough"] and enough["alpha"] is not None
    areas, output = exported_areas(runner, tmp_path / "enough.json")
    assert areas["communication"] == DOCUMENTED_MINIMUM
    assert "checkup v1 en communication" not in output
