"""The result's radar, drawn on the server as SVG: every area labelled, every score at its point."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ElementTree

import pytest

from assessment.core.radar import WIDTH, radar_svg, text_width, wrap_words
from tests.conftest import radar_of

SVG = "{http://www.w3.org/2000/svg}"


def _svg(drawing) -> ElementTree.Element:  # type: ignore[no-untyped-def]
    return ElementTree.fromstring(str(drawing.svg))


def _centre_and_tips(svg: ElementTree.Element) -> tuple[tuple[float, float], list]:
    spokes = [line for line in svg.iter(f"{SVG}line") if line.get("class") == "radar-spoke"]
    centre = (float(spokes[0].get("x1")), float(spokes[0].get("y1")))
    tips = [(float(line.get("x2")), float(line.get("y2"))) for line in spokes]
    return centre, tips


def test_each_score_is_written_and_drawn_at_its_place(checkup) -> None:
    """Six labelled axes, this one and the one before, each point at score / 100 of the axis."""
    ids = [d.id for d in checkup.dimensions]
    now = dict(zip(ids, [79.2, 66.7, 50.0, 75.0, 65.0, 80.0], strict=True))
    before = dict(zip(ids, [70.8, 66.7, 50.0, 66.7, 50.0, 75.0], strict=True))
    drawing = radar_svg(checkup, [("This check-up", now), ("The one before", before)], "Radar")
    radar = radar_of(str(drawing.svg))
    assert radar["labels"] == [d.label for d in checkup.dimensions]
    assert radar["scores"] == {
        0: [f"{now[d]:.1f}" for d in ids],
        1: [f"{before[d]:.1f}" for d in ids],
    }
    assert [(t.name, t.style) for t in drawing.traces] == [
        ("This check-up", 0),
        ("The one before", 1),
    ]
    (cx, cy), tips = _centre_and_tips(_svg(drawing))
    assert tips[0][0] == cx and tips[0][1] < cy  # the first area points straight up
    for style, scores in ((0, now), (1, before)):
        for (x, y), (tip_x, tip_y), dimension in zip(
            radar["outlines"][style], tips, ids, strict=True
        ):
            radius = math.dist((cx, cy), (tip_x, tip_y))
            share = math.dist((cx, cy), (x, y)) / radius
            assert share == pytest.approx(scores[dimension] / 100, abs=0.002)  # one decimal
            along = (x - cx) * (tip_x - cx) + (y - cy) * (tip_y - cy)
            assert along >= 0  # on its own axis, not the opposite one


def test_an_unscored_area_breaks_the_outline_and_shows_no_number(checkup) -> None:
    """No score for intimacy: no number there, and no closed outline through it."""
    scores = {d.id: 60.0 for d in checkup.dimensions} | {"intimacy": None}
    drawing = radar_svg(checkup, [("This check-up", scores)], "Radar")
    svg, radar = _svg(drawing), radar_of(str(drawing.svg))
    assert radar["scores"] == {0: ["60.0"] * (len(checkup.dimensions) - 1)}
    assert radar["outlines"] == {}
    edges = [line for line in svg.iter(f"{SVG}line") if line.get("class") == "radar-edge"]
    assert len(edges) == len(checkup.dimensions) - 2  # the two edges into intimacy are gone


def test_labels_and_numbers_stay_inside_and_apart(checkup) -> None:
    """Low, high and crossing scores: every label and number inside the drawing, none on another."""
    ids = [d.id for d in checkup.dimensions]
    cases = [
        ([5, 0, 10, 2, 8, 12], [8, 3, 2, 0, 15, 10]),
        ([100, 100, 95, 100, 98, 100], [100, 97, 100, 90, 100, 100]),
        ([20, 90, 45, 55, 30, 100], [85, 20, 60, 50, 35, 0]),
        # The demo's first and latest: two low numbers close together near the centre.
        ([79.2, 62.5, 50, 75, 62.5, 79.2], [30, 50, 60, 25, 30, 65]),
    ]
    for now, before in cases:
        drawing = radar_svg(
            checkup,
            [
                ("This", dict(zip(ids, now, strict=True))),
                ("Before", dict(zip(ids, before, strict=True))),
            ],
            "Radar",
        )
        svg = _svg(drawing)
        height = float(svg.get("viewBox").split()[3])
        boxes = []
        for text in svg.iter(f"{SVG}text"):
            if text.get("class") == "radar-label":
                anchor = text.get("text-anchor")
                for span in text:
                    width = text_width(span.text or "", 14)
                    x, y = float(span.get("x")), float(span.get("y"))
                    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
                    boxes.append((left, y - 11, left + width, y + 3))
            else:
                width = text_width(text.text or "", 12.5)
                x, y = float(text.get("x")), float(text.get("y"))
                boxes.append((x - width / 2, y - 7.5, x + width / 2, y + 7.5))
        for left, top, right, bottom in boxes:
            assert left >= 0 and right <= WIDTH and top >= 0 and bottom <= height
        for index, a in enumerate(boxes):
            for b in boxes[index + 1 :]:
                apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                assert apart, (now, before, a, b)


def test_labels_wrap_at_spaces_and_measure_wide_enough() -> None:
    """Long labels wrap between words; the width guess is never under a wide font's."""
    assert wrap_words("Stress and life changes", 10) == ["Stress and", "life", "changes"]
    assert wrap_words("Communication", 10) == ["Communication"]
    # DejaVu Sans at 14 px, as Chromium measures it on Debian.
    for text, measured in (("Communication", 110.4), ("Support and", 86.1), ("life changes", 84.6)):
        assert text_width(text, 14) >= measured


def test_names_and_description_are_escaped(checkup) -> None:
    """A trace name or description with markup characters stays text."""
    drawing = radar_svg(
        checkup, [("A <b>", {d.id: 50.0 for d in checkup.dimensions})], 'Say "x" <y>'
    )
    svg = _svg(drawing)
    assert svg.get("aria-label") == 'Say "x" <y>'
    assert svg.get("role") == "img"
