"""Plotly figures from scoring results, as figure JSON (plain dicts); no queries in here.

Figures are built as the dicts plotly.js reads rather than through
``plotly.graph_objects``: the same JSON, without the validation cost on every
page view. ``tests/unit/test_charts.py`` feeds each one to ``go.Figure`` so a
figure plotly would not accept fails a test.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from .templating import format_change

Figure = dict[str, Any]

# Colours that stay apart for the common forms of colour blindness (Okabe & Ito).
TRACE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
QUESTIONNAIRE_MARKERS = {"checkup": ("circle", "solid"), "pulse": ("diamond", "dot")}
# Six lines on one chart are told apart by dash and marker too, not by colour alone.
LINE_DASHES = ("solid", "dot", "dash", "longdash", "dashdot", "longdashdot")
LINE_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}


def _base_layout(height: int) -> dict[str, Any]:
    return {
        "height": height,
        "margin": {"l": 48, "r": 24, "t": 24, "b": 40},
        "font": FONT,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "y": -0.12},
    }


def _signed(value: float | None) -> str:
    """A difference with its sign and one decimal, in the reader's way; "0.0" when it rounds
    to nothing."""
    return format_change(value)


# Date ticks by how far apart they are: days as "7 Dec", months as "Jul 2026", then years;
# never a clock time, since each point is a day's check-in.
TWO_WEEKS_MS = 14 * 86_400_000
DATE_FORMATS = [
    {"dtickrange": [None, TWO_WEEKS_MS], "value": "%-d %b"},
    {"dtickrange": [TWO_WEEKS_MS + 1, "M12"], "value": "%b %Y"},
    {"dtickrange": ["M12", None], "value": "%Y"},
]
SHORT_SPAN = timedelta(days=14)


def date_axis(times: Sequence[datetime]) -> dict[str, Any]:
    """An x axis of dates. Over less than two weeks (a first day, say) the ticks are whole
    days chosen here, as plotly would otherwise count the hours."""
    axis: dict[str, Any] = {"type": "date", "fixedrange": True, "tickformatstops": DATE_FORMATS}
    if not times:
        return axis
    first = min(times).replace(hour=0, minute=0, second=0, microsecond=0)
    last = max(times).replace(hour=0, minute=0, second=0, microsecond=0)
    if last - first >= SHORT_SPAN:
        return axis
    step = max(1, (last - first).days // 4 + 1)
    # Ticks at midday, so a day's points sit by their own day's label.
    start = first - timedelta(days=step) + timedelta(hours=12)
    end = last + timedelta(days=step) + timedelta(hours=12)
    del axis["tickformatstops"]  # they would outrank the format chosen here
    axis.update(
        {
            "tickmode": "linear",
            "tick0": start.isoformat(timespec="seconds"),
            "dtick": step * 86_400_000,
            "tickformat": "%-d %b %Y" if first == last else "%-d %b",
            "range": [
                (start - timedelta(hours=12)).isoformat(timespec="seconds"),
                (end + timedelta(hours=12)).isoformat(timespec="seconds"),
            ],
        }
    )
    return axis


def trend_figure(
    title: str,
    series: Sequence[tuple[str, str, Sequence[datetime], Sequence[float | None]]],
) -> Figure:
    """One dimension over time: a lines+markers trace per questionnaire, marked differently.

    ``series`` holds (questionnaire id, trace name, times, scores).
    """
    data = []
    for index, (questionnaire_id, name, times, scores) in enumerate(series):
        symbol, dash = QUESTIONNAIRE_MARKERS.get(questionnaire_id, ("square", "dashdot"))
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": [moment.isoformat(timespec="seconds") for moment in times],
                "y": list(scores),
                "line": {"color": TRACE_COLOURS[index % len(TRACE_COLOURS)], "dash": dash},
                "marker": {"symbol": symbol, "size": 8},
                "connectgaps": True,
                "hovertemplate": "%{x|%d %b %Y}: %{y:.1f}<extra>" + name + "</extra>",
            }
        )
    layout = _base_layout(260)
    layout["title"] = {"text": title, "x": 0, "font": {"size": 15}}
    layout["margin"] = {"l": 44, "r": 16, "t": 40, "b": 40}
    layout["yaxis"] = {"range": [0, 100], "tickvals": [0, 25, 50, 75, 100], "fixedrange": True}
    layout["xaxis"] = date_axis([moment for _, _, times, _ in series for moment in times])
    # Below the dates, clear of them: the figure grows its bottom margin to hold it.
    layout["legend"] = {"orientation": "h", "x": 0, "y": -0.24, "yanchor": "top"}
    layout["showlegend"] = len(series) > 1
    return {"data": data, "layout": layout}


def gap_trend_figure(
    series: Sequence[tuple[str, Sequence[datetime], Sequence[float | None]]],
) -> Figure:
    """Partners' perception gaps over time: a lines+markers trace per dimension.

    ``series`` holds (dimension label, pair midpoints, gaps you - partner); zero is
    drawn as a line, since "no gap" is what the eye compares against.
    """
    data = []
    for index, (name, times, gaps) in enumerate(series):
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": [moment.isoformat(timespec="seconds") for moment in times],
                "y": list(gaps),
                "line": {
                    "color": TRACE_COLOURS[index % len(TRACE_COLOURS)],
                    "dash": LINE_DASHES[index % len(LINE_DASHES)],
                    "width": 2,
                },
                "marker": {"size": 8, "symbol": LINE_SYMBOLS[index % len(LINE_SYMBOLS)]},
                "connectgaps": True,
                # Formatted here: a gap of nothing reads "0.0", never "+0.0".
                "text": [_signed(gap) for gap in gaps],
                "hovertemplate": "%{x|%d %b %Y}: %{text}<extra>" + name + "</extra>",
            }
        )
    largest = max((abs(g) for _, _, gaps in series for g in gaps if g is not None), default=0)
    reach = max(25.0, min(100.0, 10 * (int(largest) // 10 + 1)))
    layout = _base_layout(380)
    layout["margin"] = {"l": 56, "r": 16, "t": 24, "b": 40}
    layout["yaxis"] = {
        "range": [-reach, reach],
        "zeroline": True,
        "zerolinewidth": 2,
        # NOTE: the y axis of the partners' gap chart: your score minus your partner's.
        "title": {"text": _("You minus your partner"), "standoff": 6},
        "automargin": True,
        "fixedrange": True,
    }
    layout["xaxis"] = date_axis([moment for _, times, _ in series for moment in times])
    layout["xaxis"]["automargin"] = True
    # Below the plot, two entries a row on a phone; each entry shows its dash and marker.
    layout["legend"] = {"orientation": "h", "y": -0.15, "yanchor": "top", "itemwidth": 40}
    layout["showlegend"] = True
    return {"data": data, "layout": layout}


def plan_marker_trace(
    points: Sequence[tuple[datetime, float | None, str]],
    name: str | None = None,
    symbol: str = "star",
    color: str = "#E69F00",
) -> dict[str, Any]:
    """Plans on a trend line: a star where one was chosen or reported on, with its words
    (talks use it too, with their own name, shape and colour). The legend says "Plans"
    unless given a name, in the page's language."""
    return {
        "type": "scatter",
        "mode": "markers",
        # NOTE: legend entry of the stars marking plans on a trend chart.
        "name": _("Plans") if name is None else name,
        "x": [moment.isoformat(timespec="seconds") for moment, _, _ in points],
        "y": [score for _, score, _ in points],
        "text": [label for _, _, label in points],
        "marker": {
            "symbol": symbol,
            "size": 13,
            "color": color,
            "line": {"color": "#1f1a17", "width": 1},
        },
        "hovertemplate": "%{text}<extra></extra>",
    }
