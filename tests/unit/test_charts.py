"""The figure JSON we send is JSON that plotly itself accepts."""

from __future__ import annotations

from datetime import datetime

import plotly.graph_objects as go

from assessment.core import charts


def test_radar_is_valid_plotly_with_one_trace_per_assessment(checkup) -> None:
    """Does plotly accept the radar, with r in definition order and None where unscored?"""
    latest = {d.id: 60.0 for d in checkup.dimensions} | {"intimacy": None}
    previous = {d.id: 40.0 for d in checkup.dimensions}
    figure = charts.radar_figure(checkup, [("Latest", latest), ("Before", previous)])
    go.Figure(figure)  # raises on anything plotly.js would not understand
    assert [t["type"] for t in figure["data"]] == ["scatterpolar", "scatterpolar"]
    first = figure["data"][0]
    labels = [d.label for d in checkup.dimensions]
    # The first dimension is repeated at the end so the outline closes.
    assert first["theta"] == labels + labels[:1]
    assert first["r"][[d.id for d in checkup.dimensions].index("intimacy")] is None
    assert len(first["r"]) == 7 and first["r"][-1] == first["r"][0] == 60.0
    assert figure["data"][1]["r"] == [40.0] * 7
    assert figure["layout"]["polar"]["radialaxis"]["range"] == [0, 100]
    # The radial axis lies between the first two labels, not on one of them.
    assert figure["layout"]["polar"]["radialaxis"]["angle"] == 60


def test_gap_trend_lines_differ_in_dash_and_marker_not_only_colour() -> None:
    """Can six gap lines be told apart without colour, with the axis title kept whole?"""
    times = [datetime(2026, 1, 5), datetime(2026, 2, 5)]
    figure = charts.gap_trend_figure([(f"Area {n}", times, [n, -n]) for n in range(6)])
    go.Figure(figure)
    styles = {(t["line"]["dash"], t["marker"]["symbol"]) for t in figure["data"]}
    assert len({dash for dash, _ in styles}) == 6 and len({sym for _, sym in styles}) == 6
    assert figure["layout"]["yaxis"]["automargin"] is True
    assert figure["data"][0]["text"] == ["0.0", "0.0"]  # hover text: no "+0.0"
    assert figure["data"][1]["text"] == ["+1.0", "-1.0"]


def test_trend_is_valid_plotly_with_iso_times() -> None:
    """Does plotly accept a trend, x as ISO-8601 and check-up and pulse marked apart?"""
    times = [datetime(2026, 1, 5, 9, 30), datetime(2026, 2, 5, 10, 0)]
    figure = charts.trend_figure(
        "Romance",
        [("checkup", "Check-up", times, [40.0, 55.5]), ("pulse", "Pulse", times[:1], [50.0])],
    )
    go.Figure(figure)
    checkup_trace, pulse_trace = figure["data"]
    assert checkup_trace["x"] == ["2026-01-05T09:30:00", "2026-02-05T10:00:00"]
    assert checkup_trace["mode"] == pulse_trace["mode"] == "lines+markers"
    assert checkup_trace["marker"]["symbol"] != pulse_trace["marker"]["symbol"]
