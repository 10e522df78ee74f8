"""The figure JSON we send is JSON that plotly itself accepts."""

from __future__ import annotations

from datetime import datetime

import plotly.graph_objects as go

from assessment import charts


def test_radar_is_valid_plotly_with_one_trace_per_assessment(checkup) -> None:
    """Does plotly accept the radar, with r in definition order and None where unscored?"""
    latest = {d.id: 60.0 for d in checkup.dimensions} | {"intimacy": None}
    previous = {d.id: 40.0 for d in checkup.dimensions}
    figure = charts.radar_figure(checkup, [("Latest", latest), ("Before", previous)])
    go.Figure(figure)  # raises on anything plotly.js would not understand
    assert [t["type"] for t in figure["data"]] == ["scatterpolar", "scatterpolar"]
    first = figure["data"][0]
    assert first["theta"] == [d.label for d in checkup.dimensions]
    assert first["r"][[d.id for d in checkup.dimensions].index("intimacy")] is None
    assert figure["layout"]["polar"]["radialaxis"]["range"] == [0, 100]


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
