"""Charts drawn as server-rendered SVG: these compute the shapes, the template draws them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float

    @property
    def value_y(self) -> float:
        return self.y - 4


@dataclass
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    width: int = 260
    height: int = 150
    baseline: float = 120.0

    @property
    def label_y(self) -> float:
        return self.baseline + 16


def bar_chart(title: str, description: str, values: list[tuple[str, int]]) -> BarChart:
    width, baseline, top = 260, 120.0, 18.0
    slot = width / max(1, len(values))
    peak = max((v for _, v in values), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(values):
        height = (baseline - top) * value / peak
        x = i * slot + slot * 0.2
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(slot * 0.6, 1),
                height=round(height, 1),
                label_x=round(x + slot * 0.3, 1),
            )
        )
    return BarChart(title=title, description=description, bars=bars)


@dataclass
class Point:
    label: str
    value: float | None
    x: float
    y: float | None


@dataclass
class LineChart:
    title: str
    description: str
    points: list[Point]
    polyline: str
    y_ticks: list[tuple[str, float, float]]  # label, y of the line, y of its text
    width: int = 300
    height: int = 160
    left: int = 30
    right: int = 270
    top: int = 12
    baseline: int = 130
    label_y: int = 148
    tick_x: int = 24


def line_chart(
    title: str,
    description: str,
    values: list[tuple[str, float | None]],
    y_min: float = 1,
    y_max: float = 5,
) -> LineChart:
    """A line through the values that exist; a missing value leaves a gap, never a zero."""
    left, right, top, baseline = 30, 270, 12, 130
    n = len(values)
    step = (right - left) / max(1, n - 1)

    def y_of(v: float) -> float:
        return round(baseline - (baseline - top) * (v - y_min) / (y_max - y_min), 1)

    points = [
        Point(
            label=label,
            value=None if value is None else round(value, 1),
            x=round(left + (i * step if n > 1 else (right - left) / 2), 1),
            y=None if value is None else y_of(value),
        )
        for i, (label, value) in enumerate(values)
    ]
    # Segments join neighbours only, so a gap stays a gap.
    segments = []
    for a, b in itertools.pairwise(points):
        if a.y is not None and b.y is not None:
            segments.append(f"M{a.x},{a.y} L{b.x},{b.y}")
    ticks = [(str(v), y_of(v), y_of(v) + 4) for v in range(int(y_min), int(y_max) + 1)]
    return LineChart(
        title=title,
        description=description,
        points=points,
        polyline=" ".join(segments),
        y_ticks=ticks,
    )
