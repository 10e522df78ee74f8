"""The radar as inline SVG, drawn on the server: it shows at once, prints, and needs no script.

Pure geometry and markup from the scores; no queries and no plotly.js. Colours are CSS
classes (``static/css/site.css`` reads them from the page's variables), so one drawing
reads in light, dark and print. Labels are wrapped and the radius chosen so that every
label fits inside the drawing, which scales with its column (about 290 px wide on a
320 px phone); every score is written beside its point, placed where it covers no other
number, label or point (docs/architecture.md#charts).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from questionnaires.models import Questionnaire

WIDTH = 320.0  # viewBox units
PAD = 3.0  # kept clear at every edge
LABEL_SIZE = 14.0  # font sizes in viewBox units: about 12.6 px and 11.3 px on a 320 px phone
LABEL_LINE = 16.0
SCORE_SIZE = 12.5
SCORE_HEIGHT = 15.0  # a line of DejaVu Sans at 12.5: 1.16 em
LABEL_GAP = 8.0  # between an axis's tip and its label
MAX_RADIUS = 112.0
MIN_RADIUS = 48.0
RINGS = (25, 50, 75, 100)
# A side label wraps to lines of about this many characters; top and bottom ones get more.
SIDE_LINE_CHARS = 10
END_LINE_CHARS = 22
# How far from its point a number may sit, nearest first.
SCORE_DISTANCES = (15.0, 24.0, 34.0, 46.0, 58.0, 72.0)

# Widths of glyphs in ems, measured on DejaVu Sans (the widest common system font) and
# rounded up, to lay labels out before any browser measures them.
_NARROW = set("fijlrt.,:;'!|() ")
_WIDE = set("mwMW")
_CAPITAL_EM = 0.7
_WIDE_EM = 0.9
_NARROW_EM = 0.34
_OTHER_EM = 0.6
_SAFETY = 1.06


@dataclass(frozen=True)
class RadarTrace:
    """One assessment on the radar: its name (the legend's words) and its style."""

    name: str
    style: int  # 0: solid line and circles; 1: dashed line and squares; 2: dotted, diamonds

    @property
    def swatch(self) -> Markup:
        """The legend's sample of this outline: its line and its marker, in its colour."""
        return Markup(
            f'<svg class="radar-swatch" viewBox="0 0 34 12" aria-hidden="true">'
            f'<g class="radar-trace radar-trace-{self.style}">'
            f'<line class="radar-edge" x1="2" y1="6" x2="32" y2="6"/>'
            f"{_marker(self.style, 17, 6)}</g></svg>"
        )


@dataclass(frozen=True)
class RadarDrawing:
    """The finished SVG and the legend that names its outlines."""

    svg: Markup
    traces: tuple[RadarTrace, ...]


def text_width(text: str, size: float) -> float:
    """About how wide ``text`` is at ``size`` in a sans-serif font (a little over, never under)."""
    ems = 0.0
    for ch in text:
        if ch in _WIDE:
            ems += _WIDE_EM
        elif ch in _NARROW:
            ems += _NARROW_EM
        elif ch.isupper() or ch.isdigit():
            ems += _CAPITAL_EM
        else:
            ems += _OTHER_EM
    return ems * size * _SAFETY


def wrap_words(label: str, chars: int) -> list[str]:
    """Greedy word wrap to lines of at most ``chars`` characters (a longer word keeps its line)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def one_decimal(score: float) -> str:
    """A score as the drawing writes it when no reader's language is given: 62.5."""
    return f"{score:.1f}"


def _fmt(value: float) -> str:
    """A coordinate with one decimal, short in the markup."""
    text = f"{value:.1f}"
    return "0" if text == "-0.0" else (text[:-2] if text.endswith(".0") else text)


@dataclass(frozen=True)
class _Box:
    left: float
    top: float
    right: float
    bottom: float

    def covered(self, other: _Box, margin: float = 1.5) -> float:
        """How much of this box (grown by ``margin``) the other covers: 0 when apart."""
        across = min(self.right + margin, other.right) - max(self.left - margin, other.left)
        down = min(self.bottom + margin, other.bottom) - max(self.top - margin, other.top)
        return across * down if across > 0 and down > 0 else 0.0


@dataclass(frozen=True)
class _Axis:
    lines: list[str]
    dx: float  # unit vector from the centre to the axis's tip (y grows downwards)
    dy: float

    @property
    def is_side(self) -> bool:
        return abs(self.dx) > 0.3

    @property
    def width(self) -> float:
        return max(text_width(line, LABEL_SIZE) for line in self.lines)

    @property
    def height(self) -> float:
        return LABEL_LINE * len(self.lines)

    def label(self, radius: float) -> tuple[float, float, str, _Box]:
        """Where the label's lines start (x, top), its anchor and its box, centre at 0, 0."""
        tip_x, tip_y = self.dx * radius, self.dy * radius
        if self.is_side:
            anchor = "start" if self.dx > 0 else "end"
            x = tip_x + (LABEL_GAP if self.dx > 0 else -LABEL_GAP)
            # Beside the tip, nudged the way the axis points: upper labels sit a little higher.
            top = tip_y - self.height / 2 + self.dy * self.height / 2
            left = x if self.dx > 0 else x - self.width
        else:
            anchor = "middle"
            x = tip_x
            top = tip_y - LABEL_GAP - self.height if self.dy < 0 else tip_y + LABEL_GAP
            left = x - self.width / 2
        return x, top, anchor, _Box(left, top, left + self.width, top + self.height)


def _axes(labels: Sequence[str]) -> list[_Axis]:
    """The first label at the top, the rest clockwise, each wrapped for where it sits."""
    axes = []
    for index, label in enumerate(labels):
        angle = -math.pi / 2 + 2 * math.pi * index / len(labels)
        dx, dy = math.cos(angle), math.sin(angle)
        dx, dy = (0.0 if abs(dx) < 1e-9 else dx), (0.0 if abs(dy) < 1e-9 else dy)
        chars = SIDE_LINE_CHARS if abs(dx) > 0.3 else END_LINE_CHARS
        axes.append(_Axis(wrap_words(label, chars), dx, dy))
    return axes


def _radius(axes: Sequence[_Axis]) -> float:
    """The largest radius at which every side label fits between its tip and the edge."""
    radius = MAX_RADIUS
    for axis in axes:
        if axis.is_side:
            room = WIDTH / 2 - PAD - LABEL_GAP - axis.width
            radius = min(radius, room / abs(axis.dx))
    return max(radius, MIN_RADIUS)


def _directions(axis: _Axis, style: int) -> Iterator[tuple[float, float]]:
    """Where a number may sit around its point, best first.

    Across the axis first (this check-up clockwise, the one before the other way), so two
    numbers on one axis start apart; then outwards, inwards and the diagonals.
    """
    side = 1.0 if style % 2 == 0 else -1.0
    across = (-axis.dy * side, axis.dx * side)
    out = (axis.dx, axis.dy)
    diagonal = math.sqrt(0.5)
    yield across
    yield out
    yield (-across[0], -across[1])
    yield (-out[0], -out[1])
    for a, b in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
        yield (
            diagonal * (a * across[0] + b * out[0]),
            diagonal * (a * across[1] + b * out[1]),
        )


def _place(
    point: tuple[float, float],
    axis: _Axis,
    style: int,
    text: str,
    taken: list[_Box],
    bounds: _Box,
) -> tuple[float, float, _Box]:
    """The nearest free place for a number near its point; when none is free (many low
    scores crowd the centre), the place that covers the least of the others."""
    width = text_width(text, SCORE_SIZE)
    least: tuple[float, tuple[float, float, _Box]] | None = None
    for distance in SCORE_DISTANCES:
        for dx, dy in _directions(axis, style):
            # Measured from the box's edge, so a wide number keeps the same gap as a narrow one.
            reach = distance + abs(dx) * (width / 2 - SCORE_HEIGHT / 2)
            x, y = point[0] + dx * reach, point[1] + dy * reach
            box = _Box(x - width / 2, y - SCORE_HEIGHT / 2, x + width / 2, y + SCORE_HEIGHT / 2)
            inside = (
                box.left >= bounds.left
                and box.right <= bounds.right
                and box.top >= bounds.top
                and box.bottom <= bounds.bottom
            )
            covered = sum(box.covered(other) for other in taken)
            if inside and covered == 0:
                return x, y, box
            if inside and (least is None or covered < least[0]):
                least = (covered, (x, y, box))
    assert least is not None
    return least[1]


def _marker(style: int, x: float, y: float) -> str:
    if style == 1:
        return f'<rect x="{_fmt(x - 3.5)}" y="{_fmt(y - 3.5)}" width="7" height="7"/>'
    if style == 2:
        corners = ((x, y - 4.5), (x + 4.5, y), (x, y + 4.5), (x - 4.5, y))
        return f'<polygon points="{" ".join(f"{_fmt(a)},{_fmt(b)}" for a, b in corners)}"/>'
    return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="4"/>'


def radar_svg(
    questionnaire: Questionnaire,
    traces: Sequence[tuple[str, Mapping[str, float | None]]],
    description: str,
    number: Callable[[float], str] = one_decimal,
) -> RadarDrawing:
    """The radar of these traces (the newest first), every score written beside its point.

    ``description`` is what the drawing says to a screen reader (the same figures are in
    the table beside it). A dimension without a score breaks its outline and shows no
    number, as the table says "needs more answers". ``number`` writes a score in the
    reader's language (62,5 in German), as the table beside the drawing does.
    """
    ids = [d.id for d in questionnaire.dimensions]
    axes = _axes([d.label for d in questionnaire.dimensions])
    radius = _radius(axes)
    labels = [axis.label(radius) for axis in axes]

    # Every point, centre at 0, 0: per trace, per dimension (None where unscored).
    points: list[list[tuple[float, float] | None]] = []
    for _name, scores in traces:
        row: list[tuple[float, float] | None] = []
        for dimension_id, axis in zip(ids, axes, strict=True):
            score = scores.get(dimension_id)
            share = None if score is None else radius * float(score) / 100
            row.append(None if share is None else (axis.dx * share, axis.dy * share))
        points.append(row)

    # Numbers go where they cover no label, no point and no number placed before them.
    top = min([box.top for *_, box in labels] + [-radius])
    bottom = max([box.bottom for *_, box in labels] + [radius])
    room = SCORE_HEIGHT + max(SCORE_DISTANCES)
    bounds = _Box(-WIDTH / 2 + PAD, top - room, WIDTH / 2 - PAD, bottom + room)
    taken = [box for *_, box in labels] + [
        _Box(p[0] - 4.5, p[1] - 4.5, p[0] + 4.5, p[1] + 4.5)
        for row in points
        for p in row
        if p is not None
    ]
    numbers: list[tuple[int, float, float, str]] = []
    for style, (_name, scores) in enumerate(traces):
        for dimension_id, axis, point in zip(ids, axes, points[style], strict=True):
            if point is None:
                continue
            text = number(float(scores[dimension_id] or 0))
            x, y, box = _place(point, axis, style, text, taken, bounds)
            taken.append(box)
            numbers.append((style, x, y, text))
            top, bottom = min(top, box.top), max(bottom, box.bottom)

    cx, cy = WIDTH / 2, PAD - top
    height = bottom - top + 2 * PAD

    def at(x: float, y: float) -> str:
        return f"{_fmt(cx + x)},{_fmt(cy + y)}"

    parts: list[str] = []
    for ring in RINGS:  # rings every 25 points, and a spoke per area
        share = radius * ring / 100
        corners = " ".join(at(a.dx * share, a.dy * share) for a in axes)
        parts.append(f'<polygon class="radar-ring" points="{corners}"/>')
    for axis in axes:
        parts.append(
            f'<line class="radar-spoke" x1="{_fmt(cx)}" y1="{_fmt(cy)}"'
            f' x2="{_fmt(cx + axis.dx * radius)}" y2="{_fmt(cy + axis.dy * radius)}"/>'
        )
    # The outlines, the earliest underneath, so the newest is drawn on top.
    for style in reversed(range(len(traces))):
        row = points[style]
        group = [f'<g class="radar-trace radar-trace-{style}">']
        scored = [p for p in row if p is not None]
        if len(scored) == len(row):
            outline = " ".join(at(*p) for p in scored)
            group.append(f'<polygon class="radar-area" points="{outline}"/>')
        else:
            # Unscored areas break the outline: only neighbours that both have a score join.
            for here, there in zip(row, row[1:] + row[:1], strict=True):
                if here is not None and there is not None:
                    group.append(
                        f'<line class="radar-edge" x1="{_fmt(cx + here[0])}"'
                        f' y1="{_fmt(cy + here[1])}" x2="{_fmt(cx + there[0])}"'
                        f' y2="{_fmt(cy + there[1])}"/>'
                    )
        group.extend(_marker(style, cx + p[0], cy + p[1]) for p in scored)
        group.append("</g>")
        parts.extend(group)
    for style, x, y, text in numbers:
        parts.append(
            f'<text class="radar-score radar-score-{style}" x="{_fmt(cx + x)}"'
            f' y="{_fmt(cy + y)}" text-anchor="middle" dominant-baseline="central">{text}</text>'
        )
    for axis, (x, line_top, anchor, _box) in zip(axes, labels, strict=True):
        spans = "".join(
            f'<tspan x="{_fmt(cx + x)}" y="{_fmt(cy + line_top + LABEL_LINE * (n + 1) - 4)}">'
            f"{escape(line)}</tspan>"
            for n, line in enumerate(axis.lines)
        )
        parts.append(f'<text class="radar-label" text-anchor="{anchor}">{spans}</text>')
    svg = (
        f'<svg class="radar" viewBox="0 0 {_fmt(WIDTH)} {_fmt(height)}" role="img"'
        f' aria-label="{escape(description)}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(parts)
        + "</svg>"
    )
    shown = tuple(RadarTrace(name=name, style=style) for style, (name, _) in enumerate(traces))
    return RadarDrawing(svg=Markup(svg), traces=shown)
