"""The figure JSON we send is JSON that plotly itself accepts."""

from __future__ import annotations

from datetime import datetime

import plotly.graph_objects as go

from assessment.core import charts


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


def test_a_first_days_axis_shows_dates_not_clock_times() -> None:
    """Two check-ins on one day: ticks a day apart, written as dates, the day in the middle."""
    day = [datetime(2026, 12, 7, 9, 30), datetime(2026, 12, 7, 21, 15)]
    figure = charts.trend_figure("Romance", [("checkup", "Check-up", day, [40.0, 55.5])])
    go.Figure(figure)
    axis = figure["layout"]["xaxis"]
    assert axis["tickmode"] == "linear" and axis["dtick"] == 86_400_000
    assert "%H" not in axis["tickformat"] and "%b" in axis["tickformat"]
    assert "tickformatstops" not in axis  # they would outrank the day format
    start, end = (datetime.fromisoformat(moment) for moment in axis["range"])
    assert start < day[0] and day[1] < end and (end - start).days == 3
    gaps = charts.gap_trend_figure([("Romance", day, [1.0, -1.0])])
    assert gaps["layout"]["xaxis"]["dtick"] == 86_400_000


def test_a_long_history_lets_plotly_choose_ticks_but_never_clock_times() -> None:
    """Over months plotly picks the ticks; each format it may use is a date."""
    months = [datetime(2026, 1, 5), datetime(2026, 6, 5)]
    axis = charts.trend_figure("Romance", [("checkup", "Check-up", months, [40.0, 55.5])])[
        "layout"
    ]["xaxis"]
    assert "tickmode" not in axis and "range" not in axis
    assert all("%H" not in stop["value"] for stop in axis["tickformatstops"])
    assert axis["tickformatstops"][0]["dtickrange"][0] is None  # short ticks too
