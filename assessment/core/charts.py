"""Plotly figures from scoring results, as figure JSON (plain dicts); no queries in here.

Figures are built as the dicts plotly.js reads rather than through
``plotly.graph_objects``: the same JSON, without the validation cost on every
page view. ``tests/unit/test_charts.py`` feeds each one to ``go.Figure`` so a
figure plotly would not accept fails a test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from questionnaires.models import Questionnaire

Figure = dict[str, Any]

# Colours that stay apart for the common forms of colour blindness (Okabe & Ito).
TRACE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
# The same colours, faint, for radar fills that overlap without turning grey.
FILL_COLOURS = (
    "rgba(0,114,178,0.18)",
    "rgba(213,94,0,0.12)",
    "rgba(0,158,115,0.12)",
    "rgba(204,121,167,0.12)",
    "rgba(230,159,0,0.12)",
    "rgba(86,180,233,0.12)",
)
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
    """A difference with its sign and one decimal; "0.0" when it rounds to nothing."""
    if value is None:
        return "—"
    shown = round(value, 1)
    return "0.0" if shown == 0 else f"{shown:+.1f}"


def wrap_label(label: str, width: int = 12) -> str:
    """Break a long axis label at the space nearest its middle (plotly reads ``<br>``)."""
    if len(label) <= width or " " not in label:
        return label
    middle = len(label) // 2
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return label[:cut] + "<br>" + label[cut + 1 :]


def radar_figure(
    questionnaire: Questionnaire, traces: Sequence[tuple[str, Mapping[str, float | None]]]
) -> Figure:
    """One scatterpolar trace per assessment, r in definition order, None where unscored.

    The first dimension is repeated at the end of ``r`` and ``theta`` so the outline closes
    (the last dimension joins back to the first).
    """
    labels = [d.label for d in questionnaire.dimensions]
    data = []
    for index, (name, scores) in enumerate(traces):
        colour = TRACE_COLOURS[index % len(TRACE_COLOURS)]
        r = [scores.get(d.id) for d in questionnaire.dimensions]
        data.append(
            {
                "type": "scatterpolar",
                "name": name,
                "r": r + r[:1],
                "theta": labels + labels[:1],
                "fill": "toself",
                "fillcolor": FILL_COLOURS[index % len(FILL_COLOURS)],
                "mode": "lines+markers",
                "line": {"color": colour, "dash": "solid" if index == 0 else "dash", "width": 2},
                "marker": {"symbol": "circle" if index == 0 else "square", "size": 7},
                "hovertemplate": "%{theta}: %{r:.1f}<extra>" + name + "</extra>",
            }
        )
    layout = _base_layout(380)
    layout["margin"] = {"l": 64, "r": 64, "t": 36, "b": 36}
    layout["polar"] = {
        "radialaxis": {
            "range": [0, 100],
            "tickvals": [25, 50, 75, 100],
            # Halfway between the first dimension and the second, so no tick sits on a label
            # (and, pointing up to the right, its numbers read the right way up).
            "angle": 90 - 180 / max(1, len(labels)),
            "tickfont": {"size": 10},
        },
        "angularaxis": {
            "direction": "clockwise",
            "tickfont": {"size": 12},
            # Long labels wrap onto two lines so the radar fits a phone's width.
            "tickvals": labels,
            "ticktext": [wrap_label(label) for label in labels],
        },
    }
    layout["showlegend"] = len(traces) > 1
    return {"data": data, "layout": layout}


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
    layout["xaxis"] = {"type": "date", "fixedrange": True}
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
        "title": {"text": "You minus your partner", "standoff": 6},
        "automargin": True,
        "fixedrange": True,
    }
    layout["xaxis"] = {"type": "date", "fixedrange": True, "automargin": True}
    # Below the plot, two entries a row on a phone; each entry shows its dash and marker.
    layout["legend"] = {"orientation": "h", "y": -0.15, "yanchor": "top", "itemwidth": 40}
    layout["showlegend"] = True
    return {"data": data, "layout": layout}


def plan_marker_trace(
    points: Sequence[tuple[datetime, float | None, str]],
    name: str = "Plans",
    symbol: str = "star",
    color: str = "#E69F00",
) -> dict[str, Any]:
    """Plans on a trend line: a star where one was chosen or reported on, with its words
    (talks use it too, with their own name, shape and colour)."""
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
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
