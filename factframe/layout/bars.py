"""Bar charts: vertical or horizontal, one series, grouped series or stacked series.

A bar runs from the zero baseline to its value, so its length is proportional to the
value (negative values go below, or before, the baseline). Grouped bars of one category
stand side by side in series order; stacked bars put positive values above the baseline
and negative ones below, in series order, and are labelled with the category's total.

Value labels go just past the bar's end, kept :func:`~factframe.layout.plotting.clearance`
away from it; the value range is widened so they fit inside the plot. A label that still
finds no room there goes inside the bar's end when the bar is long and wide enough (in a
colour readable on the bar). When labels would touch each other or another bar at every
size down to the floor they are left out (``value_labels`` unset) or a
:class:`~factframe.errors.LayoutError` says so (``value_labels: true``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from factframe.errors import LayoutError
from factframe.layout.axes import (
    Frame,
    baseline,
    draw_grid,
    horizontal_axis_labels,
    horizontal_frame,
    vertical_axis_labels,
    vertical_frame,
)
from factframe.layout.model import Box, Rect
from factframe.layout.plotting import (
    RGBA,
    ChartData,
    ChartText,
    Marks,
    clearance,
    on_color,
    value_style,
    write,
)
from factframe.layout.ticks import boxes_collide, inflate
from factframe.spec import ChartBlock

__all__ = ["AUTO_LABELS", "Bar", "plan_bars"]

#: With ``value_labels`` unset, bars are labelled when there are at most this many.
AUTO_LABELS = 24
_GROUP = 0.72  # share of a category slot the bars of grouped series fill
_SINGLE = 0.62  # share of a slot one bar (or a stack) fills


@dataclass(frozen=True)
class Bar:
    """One bar (or stack segment): its category, series, value and box on the canvas."""

    category: int
    series: int
    value: float
    box: Box


@dataclass(frozen=True)
class _Spot:
    """A value label wanted: the bar (or whole stack) it belongs to, its value and text."""

    box: Box
    value: float
    text: str
    fill: RGBA
    inside_ok: bool


@dataclass(frozen=True)
class _Placed:
    box: Box
    text: str
    color: RGBA | None  # None: the chart's value colour; else readable on the bar


def _columns(data: ChartData) -> list[list[float]]:
    return [[v for v in col if v is not None] for col in zip(*data.values, strict=True)]


def _extent(data: ChartData, stacked: bool) -> tuple[float, float]:
    if not stacked:
        present = data.present()
        return min(present), max(present)
    columns = _columns(data)
    ups = [sum(v for v in col if v > 0) for col in columns]
    downs = [sum(v for v in col if v < 0) for col in columns]
    return min(downs), max(ups)


def bar_boxes(data: ChartData, frame: Frame, stacked: bool, vertical: bool) -> list[Bar]:
    """Every bar's box: across, from its category slot; along the value axis, from the
    baseline (or the stack below it) to its value."""
    s = len(data.values)
    thick = frame.slot * (_SINGLE if stacked or s == 1 else _GROUP)
    each = thick if stacked else thick / s
    inner = 0.0 if stacked or s == 1 else min(2.0, 0.08 * each)
    bars: list[Bar] = []
    for i in range(data.n):
        up = down = 0.0
        for j in range(s):
            v = data.values[j][i]
            if v is None:
                continue
            start = frame.centers[i] - thick / 2 + (0.0 if stacked else j * each) + inner / 2
            a = (up if v >= 0 else down) if stacked else 0.0
            if stacked:
                up, down = (a + v, down) if v >= 0 else (up, a + v)
            p, q = sorted((frame.scale(a), frame.scale(a + v)))
            w = each - inner
            box = Box(start, p, w, q - p) if vertical else Box(p, start, q - p, w)
            bars.append(Bar(i, j, v, box))
    return bars


def _spots(
    block: ChartBlock, data: ChartData, bars: list[Bar], stacked: bool, locale: str
) -> list[_Spot]:
    """The value labels wanted: each bar's value, or each stack's total."""
    if not stacked:
        number = value_style(block, [b.value for b in bars])
        return [
            _Spot(b.box, b.value, write(b.value, number, locale), data.colors[b.series], True)
            for b in bars
        ]
    stacks: dict[int, list[Bar]] = {}
    for b in bars:
        stacks.setdefault(b.category, []).append(b)
    number = value_style(block, [sum(b.value for b in s) for s in stacks.values()])
    spots = []
    for stack in stacks.values():
        total = sum(b.value for b in stack)
        x0, y0 = min(b.box.x for b in stack), min(b.box.y for b in stack)
        x1, y1 = max(b.box.right for b in stack), max(b.box.bottom for b in stack)
        box = Box(x0, y0, x1 - x0, y1 - y0)
        spots.append(_Spot(box, total, write(total, number, locale), (0, 0, 0, 0), False))
    return spots


def _outside(spot: _Spot, w: float, h: float, gap: float, vertical: bool) -> Box:
    b = spot.box
    if vertical:
        x = b.x + (b.w - w) / 2
        return Box(x, b.y - gap - h, w, h) if spot.value >= 0 else Box(x, b.bottom + gap, w, h)
    y = b.y + (b.h - h) / 2
    return Box(b.right + gap, y, w, h) if spot.value >= 0 else Box(b.x - gap - w, y, w, h)


def _inside(spot: _Spot, w: float, h: float, gap: float, vertical: bool) -> Box | None:
    b = spot.box
    if not spot.inside_ok or w + 2 * gap > b.w or h + 2 * gap > b.h:
        return None
    if vertical:
        x = b.x + (b.w - w) / 2
        return Box(x, b.y + gap, w, h) if spot.value >= 0 else Box(x, b.bottom - gap - h, w, h)
    y = b.y + (b.h - h) / 2
    return Box(b.right - gap - w, y, w, h) if spot.value >= 0 else Box(b.x + gap, y, w, h)


def _place(
    spots: list[_Spot],
    size: float,
    plot: Box,
    bars: list[Bar],
    texts: ChartText,
    vertical: bool,
) -> list[_Placed] | None:
    """Every value label past its bar's end, else inside it; None when any collides."""
    gap = clearance(size)
    placed: list[_Placed] = []
    for spot in spots:
        lab = texts.label(spot.text, "chart.value", size)
        box = _outside(spot, lab.w, lab.h, gap, vertical)
        color = None
        if not plot.contains(box, tolerance=0.5):
            inside = _inside(spot, lab.w, lab.h, gap, vertical)
            if inside is None:
                return None
            box, color = inside, on_color(spot.fill, texts.style)
        ring = inflate(box, gap - 0.5)
        if any(boxes_collide(ring, b.box) for b in bars if not b.box.contains(box, 0.0)):
            return None
        if any(boxes_collide(inflate(box, 0.15 * size), p.box) for p in placed):
            return None
        placed.append(_Placed(box, spot.text, color))
    return placed


def _room(
    values: list[tuple[float, str]], size: float, texts: ChartText, vertical: bool
) -> tuple[float, float]:
    """px wanted before the lowest and past the highest value for the labels outside."""
    gap = clearance(size)
    below = above = 0.0
    for value, text in values:
        lab = texts.label(text, "chart.value", size)
        need = (lab.h if vertical else lab.w) + gap
        if value >= 0:
            above = max(above, need)
        else:
            below = max(below, need)
    return below, above


def plan_bars(
    block: ChartBlock, data: ChartData, region: Box, texts: ChartText, marks: Marks
) -> None:
    """Plans a bar chart in ``region`` (see the module docstring)."""
    vertical = block.orientation == "vertical"
    stacked = block.stacked and len(data.values) > 1
    lo, hi = _extent(data, stacked)

    def frame_for(room: tuple[float, float]) -> Frame:
        if vertical:
            return vertical_frame(
                block, region, texts, data.labels, data.n, lo, hi, zero=True, room=room
            )
        return horizontal_frame(block, region, texts, data.labels, data.n, lo, hi, room=room)

    count = data.n if stacked else sum(1 for row in data.values for v in row if v is not None)
    wanted = block.value_labels if block.value_labels is not None else count <= AUTO_LABELS
    frame, placed, size = _labelled(block, data, frame_for, texts, stacked, vertical, wanted)
    bars = bar_boxes(data, frame, stacked, vertical)
    keep_out = [inflate(p.box, clearance(size)) for p in placed]
    draw_grid(frame, texts, marks, keep_out, vertical=vertical)
    marks.shapes += [Rect(b.box, data.colors[b.series]) for b in bars]
    line = baseline(frame, texts, vertical=vertical)
    if line is not None:
        marks.shapes.append(line)
    bid = texts.style.block_id
    for p in placed:
        lab = texts.label(p.text, "chart.value", size, color=p.color)
        marks.texts.append(lab.at(bid, p.box.x, p.box.y))
    labels = list(data.labels or [])
    if vertical:
        vertical_axis_labels(frame, texts, labels, marks)
    else:
        horizontal_axis_labels(frame, texts, labels, marks, region)


def _labelled(
    block: ChartBlock,
    data: ChartData,
    frame_for: Callable[[tuple[float, float]], Frame],
    texts: ChartText,
    stacked: bool,
    vertical: bool,
    wanted: bool,
) -> tuple[Frame, list[_Placed], float]:
    """The frame and the value labels, at the largest value size where all of them fit."""
    locale = texts.style.locale
    if wanted:
        plain = frame_for((0.0, 0.0))
        first = _spots(block, data, bar_boxes(data, plain, stacked, vertical), stacked, locale)
        values = [(spot.value, spot.text) for spot in first]

        def attempt(size: float) -> tuple[Frame, list[_Placed]] | None:
            frame = frame_for(_room(values, size, texts, vertical))
            if not frame.ok:
                return None
            bars = bar_boxes(data, frame, stacked, vertical)
            spots = _spots(block, data, bars, stacked, locale)
            placed = _place(spots, size, frame.plot, bars, texts, vertical)
            return None if placed is None else (frame, placed)

        sizes = texts.size_steps("chart.value")
        if attempt(sizes[-1]) is not None:  # the floor first: if it fails, every size does
            for size in sizes:
                found = attempt(size)
                if found is not None:
                    return found[0], found[1], size
        if block.value_labels:
            raise LayoutError(
                f"block {texts.style.block_id!r}: its value labels cannot be written without "
                "touching each other or the bars, even at the smallest legible size; set "
                "value_labels: false, use fewer bars, or give the chart more room",
                texts.style.block_id,
            )
    return frame_for((0.0, 0.0)), [], texts.style.sizes["chart.value"][0]
