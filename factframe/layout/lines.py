"""Line, area and sparkline charts.

Points stand at the centres of equal category slots (a sparkline runs edge to edge); a
``null`` breaks the line. A series longer than twice the plot's width in px is drawn
decimated (:func:`~factframe.layout.ticks.decimate`): each pixel column keeps its minimum
and maximum, so spikes survive. Areas fill down to the zero baseline; stacked areas fill
between each series' running total and the one below (a null counts as 0 there).

Value labels (one series of at most :data:`AUTO_LABELS` points, unless asked) sit above
each point, or below it when the line passes through the space above; they keep
:func:`~factframe.layout.plotting.clearance` from every line and dot. A sparkline has no
axes: a line, a dot on its last value and that value written at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from factframe.errors import LayoutError
from factframe.layout.axes import (
    Frame,
    baseline,
    draw_grid,
    vertical_axis_labels,
    vertical_frame,
)
from factframe.layout.model import Box, Dot, Polygon, Polyline, Shape
from factframe.layout.plotting import ChartData, ChartText, Marks, clearance, value_style, write
from factframe.layout.ticks import Scale, boxes_collide, decimate, inflate, segment_hits_box
from factframe.spec import ChartBlock

__all__ = ["AUTO_LABELS", "plan_line", "plan_sparkline"]

#: With ``value_labels`` unset, a one-series line is labelled up to this many points.
AUTO_LABELS = 12
#: Data points get a dot up to this many points a series.
DOTS = 40
_MAX_LABELS = 200
_AREA_ALPHA = 0.3


@dataclass(frozen=True)
class _Line:
    """One series on the canvas: runs of point indices (decimated, gaps split) and their
    points."""

    index: list[list[int]]
    runs: list[list[tuple[float, float]]]
    color: tuple[int, int, int, int]


def _stroke(texts: ChartText) -> float:
    return max(2.0, round(4 * texts.style.scale, 1))


def _totals(data: ChartData, stacked: bool) -> list[list[float | None]]:
    """Each series' heights: its values, or running totals when stacked."""
    if not stacked:
        return [list(row) for row in data.values]
    out: list[list[float | None]] = []
    below = [0.0] * data.n
    for row in data.values:
        below = [b + (v or 0.0) for b, v in zip(below, row, strict=True)]
        out.append(list(below))
    return out


def _lines(
    heights: list[list[float | None]], xs: list[float], scale: Scale, data: ChartData, columns: int
) -> list[_Line]:
    lines = []
    for j, row in enumerate(heights):
        index = decimate(row, columns)
        runs = [[(xs[i], scale(row[i] or 0.0)) for i in run] for run in index]
        lines.append(_Line(index, runs, data.colors[j]))
    return lines


def _points(row: list[float | None], xs: list[float], scale: Scale) -> list[tuple[float, float]]:
    return [(xs[i], scale(v)) for i, v in enumerate(row) if v is not None]


def _areas(
    heights: list[list[float | None]],
    lines: list[_Line],
    xs: list[float],
    scale: Scale,
    stacked: bool,
) -> list[Shape]:
    """Fills under each line: to the baseline, or to the series below when stacked."""
    shapes: list[Shape] = []
    zero = scale(max(scale.lo, min(0.0, scale.hi)))
    for j, line in enumerate(lines):
        r, g, b, a = line.color
        fill = (r, g, b, round(a * _AREA_ALPHA))
        for index, run in zip(line.index, line.runs, strict=True):
            if len(run) < 2:
                continue
            if stacked and j > 0:
                below = heights[j - 1]
                lower = [(xs[i], scale(below[i] or 0.0)) for i in reversed(index)]
            else:
                lower = [(run[-1][0], zero), (run[0][0], zero)]
            shapes.append(Polygon((*run, *lower), fill))
    return shapes


def _label_spots(
    points: list[tuple[float, float]],
    texts: list[str],
    size: float,
    lines: list[_Line],
    dots: list[Dot],
    plot: Box,
    chart: ChartText,
    stroke: float,
) -> list[tuple[Box, str]] | None:
    """A box for each point's label, above or below it, clear of every line and dot."""
    gap = clearance(size)
    segments = [(p, q) for ln in lines for run in ln.runs for p, q in pairwise(run)]
    reach = max([stroke / 2, *(d.r for d in dots)]) + gap  # from the point to the label
    placed: list[tuple[Box, str]] = []
    for (x, y), text in zip(points, texts, strict=True):
        lab = chart.label(text, "chart.value", size)
        for box in _candidates(x, y, lab.w, lab.h, reach, plot):
            ring = inflate(box, gap - 0.5)
            clear = (
                plot.contains(box, tolerance=0.5)
                and not any(segment_hits_box(p, q, ring) for p, q in segments)
                and not any(boxes_collide(ring, _dot_box(d)) for d in dots)
                and not any(boxes_collide(inflate(box, 0.15 * size), b) for b, _ in placed)
            )
            if clear:
                placed.append((box, text))
                break
        else:
            return None
    return placed


def _candidates(x: float, y: float, w: float, h: float, reach: float, plot: Box) -> list[Box]:
    """Places for a point's label: above it, below it, then above or below to either side."""
    out = []
    for top in (y - reach - h, y + reach):
        for left in (x - w / 2, x - w - reach * 0.7, x + reach * 0.7):
            out.append(Box(min(max(left, plot.x), plot.right - w), top, w, h))
    return out


def _baseline_line(frame: Frame, stroke: float) -> list[_Line]:
    """The zero line, as an obstacle for value labels (also at the plot's edge: a label
    under a low point must keep its distance from it too)."""
    if not frame.ticks.lo <= 0 <= frame.ticks.hi:
        return []
    y = frame.scale(0.0)
    run = [(frame.plot.x, y), (frame.plot.right, y)]
    return [_Line([[0, 1]], [run], (0, 0, 0, 255))]


def _dot_box(dot: Dot) -> Box:
    return Box(dot.cx - dot.r, dot.cy - dot.r, 2 * dot.r, 2 * dot.r)


def plan_line(
    block: ChartBlock, data: ChartData, region: Box, texts: ChartText, marks: Marks
) -> None:
    """Plans a line or area chart in ``region`` (see the module docstring)."""
    area = block.kind == "area"
    stacked = area and block.stacked and len(data.values) > 1
    heights = _totals(data, stacked)
    present = [v for row in heights for v in row if v is not None]
    lo, hi = min(present), max(present)
    stroke = _stroke(texts)
    single = len(data.values) == 1
    wanted = (
        block.value_labels if block.value_labels is not None else (single and data.n <= AUTO_LABELS)
    )
    if block.value_labels and data.n * len(data.values) > _MAX_LABELS:
        raise LayoutError(
            f"block {texts.style.block_id!r}: {data.n:,} value labels cannot be written "
            f"without collisions (at most {_MAX_LABELS}); set value_labels: false",
            texts.style.block_id,
        )
    values = [v for v in data.values[0] if v is not None]
    label_texts: list[str] = []
    if wanted:
        number = value_style(block, values)
        label_texts = [write(v, number, texts.style.locale) for v in values]
    sizes = texts.size_steps("chart.value") if wanted else []
    for size in [*sizes, None]:
        room = below = 0.0
        if size is not None:
            lab_h = max(texts.label(t, "chart.value", size).h for t in label_texts)
            room = lab_h + clearance(size) + stroke * 1.25 + 1  # past a dot's edge
            below = 0.0 if area and lo >= 0 else room  # under an area: above the baseline
        frame = vertical_frame(
            block, region, texts, data.labels, data.n, lo, hi, zero=area, room=(below, room)
        )
        if size is not None and not frame.ok:
            continue
        columns = max(1, int(frame.plot.w))
        lines = _lines(heights, frame.centers, frame.scale, data, columns)
        dots = _dots(heights, frame.centers, frame.scale, data, stroke)
        placed: list[tuple[Box, str]] = []
        if size is not None:
            points = _points(heights[0], frame.centers, frame.scale)
            obstacles = [*lines, *_baseline_line(frame, stroke)]
            spots = _label_spots(
                points, label_texts, size, obstacles, dots, frame.plot, texts, stroke
            )
            if spots is None:
                continue
            placed = spots
        break
    if wanted and not placed and block.value_labels:
        raise LayoutError(
            f"block {texts.style.block_id!r}: its value labels cannot be written without "
            "touching the lines or each other; set value_labels: false or give the chart "
            "more room",
            texts.style.block_id,
        )
    value_size = size if size is not None else texts.style.sizes["chart.value"][0]
    keep_out = [inflate(b, clearance(value_size)) for b, _ in placed]
    draw_grid(frame, texts, marks, keep_out, vertical=True)
    if area:
        marks.shapes += _areas(heights, lines, frame.centers, frame.scale, stacked)
    zero = baseline(frame, texts, vertical=True)
    if zero is not None:
        marks.shapes.append(zero)
    for line in lines:
        marks.shapes += [Polyline(tuple(run), line.color, stroke) for run in line.runs]
    marks.shapes += dots
    bid = texts.style.block_id
    for box, text in placed:
        marks.texts.append(texts.label(text, "chart.value", value_size).at(bid, box.x, box.y))
    vertical_axis_labels(frame, texts, list(data.labels or []), marks)


def _dots(
    heights: list[list[float | None]], xs: list[float], scale: Scale, data: ChartData, stroke: float
) -> list[Dot]:
    if data.n > DOTS:
        return []
    return [
        Dot(x, y, stroke * 1.25, data.colors[j])
        for j, row in enumerate(heights)
        for x, y in _points(row, xs, scale)
    ]


def plan_sparkline(
    block: ChartBlock, data: ChartData, region: Box, texts: ChartText, marks: Marks
) -> None:
    """A line without axes, a dot on its last value and that value at the end side."""
    stroke = _stroke(texts)
    values = data.values[0]
    last = max(i for i, v in enumerate(values) if v is not None)
    last_value = values[last]
    assert last_value is not None
    label = None
    if block.value_labels is not False:
        number = value_style(block, [last_value])
        text = write(last_value, number, texts.style.locale)
        largest, floor = texts.style.sizes["chart.value"]
        size = max(floor, min(largest, region.h * 0.8 / 1.2))
        label = texts.label(text, "chart.value", size)
        if label.h > region.h or label.w > 0.5 * region.w:
            if block.value_labels:
                raise LayoutError(
                    f"block {texts.style.block_id!r}: the sparkline's value does not fit",
                    texts.style.block_id,
                )
            label = None
    pad = stroke * 1.5
    right = region.right - (label.w + clearance(label.text.size) if label else 0.0) - pad
    plot = Box(region.x + pad, region.y + pad, right - region.x - pad, region.h - 2 * pad)
    present = [v for row in data.values for v in row if v is not None]
    scale = Scale(min(present), max(present), plot.bottom, plot.y)
    if scale.hi == scale.lo:
        scale = Scale(scale.lo - 1, scale.hi + 1, plot.bottom, plot.y)
    step = plot.w / max(1, data.n - 1)
    xs = [plot.x + i * step for i in range(data.n)]
    lines = _lines([list(r) for r in data.values], xs, scale, data, max(1, int(plot.w)))
    for line in lines:
        marks.shapes += [Polyline(tuple(run), line.color, stroke) for run in line.runs]
    x, y = xs[last], scale(last_value)
    marks.shapes.append(Dot(x, y, stroke * 1.5, data.colors[0]))
    if label is not None:
        top = min(max(y - label.h / 2, region.y), region.bottom - label.h)
        marks.texts.append(label.at(texts.style.block_id, region.right - label.w, top))
