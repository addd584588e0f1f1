"""Donut and pie charts: one series as slices of a circle, named in a legend.

Slices start at 12 o'clock and run clockwise in the order of the values (the flow mirrors
them for RTL locales, so they run counter-clockwise from the same place); each sweeps
``value / total × 360°``, so the sweeps add up to 360°. Thin separators in the
background's colour part neighbouring slices. Small slices have no room for text, so
every slice is named in the legend, with its share (``42 %``) or, when the chart has a
``format`` or ``unit``, its value: beside the circle when the region is wide, else under
it, at the largest legend size that fits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from factframe.errors import TextOverflowError
from factframe.layout.model import Box, Polyline, Wedge
from factframe.layout.plotting import (
    RGBA,
    ChartData,
    ChartText,
    Legend,
    Marks,
    clearance,
    show_legend,
    value_style,
    write,
)
from factframe.spec import ChartBlock
from factframe.typography.numbers import NumberStyle

__all__ = ["DONUT_HOLE", "plan_radial", "slice_texts"]

#: A donut's hole, as a share of its radius.
DONUT_HOLE = 0.58
_BESIDE = 1.3  # regions at least this much wider than tall get the legend beside
_LEGEND_SHARE = 0.45  # of the width (beside) or of the height (below)


def slice_texts(block: ChartBlock, data: ChartData, locale: str) -> list[str]:
    """The legend's entries: the label, and its share or value when value labels are on."""
    values = data.values[0]
    labels = list(data.labels or [""] * data.n)
    if block.value_labels is False:
        return labels
    present = [v for v in values if v is not None]
    total = sum(present)
    if block.format is None and block.unit is None:
        shares = [100 * v / total for v in present]
        small = any(0 < s < 1 for s in shares)
        number = NumberStyle("percent", 1 if small else 0)
        amounts = [None if v is None else 100 * v / total for v in values]
    else:
        number = value_style(block, present)
        amounts = list(values)
    out = []
    for label, amount in zip(labels, amounts, strict=True):
        written = "–" if amount is None else write(amount, number, locale)
        out.append(f"{label}\u2003{written}" if label else written)
    return out


def plan_radial(
    block: ChartBlock, data: ChartData, region: Box, texts: ChartText, marks: Marks
) -> None:
    """Plans a donut or pie in ``region`` (see the module docstring)."""
    circle = region
    if show_legend(block, data):
        entries = list(zip(slice_texts(block, data, texts.style.locale), data.colors, strict=True))
        legend = Legend(texts, entries)
        beside = _beside(legend, region, texts, marks) if region.w >= _BESIDE * region.h else None
        if beside is not None:
            circle = beside
        else:
            height = legend.fit_below(region.w, _LEGEND_SHARE * region.h)
            legend.place_below(Box(region.x, region.bottom - height, region.w, height), marks)
            gap = clearance(legend.size)
            circle = Box(region.x, region.y, region.w, region.h - height - gap)
    if min(circle.w, circle.h) < 4 * texts.style.sizes["chart.legend"][1]:
        raise TextOverflowError(
            texts.style.block_id,
            region.h - circle.h,
            region.h,
            hint="the legend leaves no room for the circle; give the chart more room",
        )
    radius = min(circle.w, circle.h) / 2
    cx, cy = circle.x + circle.w / 2, circle.y + circle.h / 2
    inner = radius * DONUT_HOLE if block.kind == "donut" else 0.0
    values = data.values[0]
    total = sum(v for v in values if v is not None)
    start = -90.0
    edges = []
    for k, v in enumerate(values):
        if not v:
            continue
        sweep = 360.0 * v / total
        marks.shapes.append(Wedge(cx, cy, radius, inner, start, sweep, data.colors[k]))
        edges.append(start)
        start += sweep
    if len(edges) > 1:
        width = max(2.0, round(3 * texts.style.scale))
        color = _mean(texts.style.backgrounds)
        for angle in edges:
            a = math.radians(angle)
            p = (cx + inner * math.cos(a), cy + inner * math.sin(a))
            q = (cx + (radius + 1) * math.cos(a), cy + (radius + 1) * math.sin(a))
            marks.shapes.append(Polyline((p, q), color, width))


def _mean(colors: Sequence[RGBA]) -> RGBA:
    """The separators' colour: the background's (the mean of a gradient's stops)."""
    r, g, b = (round(sum(c[k] for c in colors) / len(colors)) for k in range(3))
    return (r, g, b, 255)


def _beside(legend: Legend, region: Box, texts: ChartText, marks: Marks) -> Box | None:
    """The legend as a column on the end side; returns the circle's region (None when the
    column does not fit even at the floor)."""
    column = _LEGEND_SHARE * region.w
    for size in texts.size_steps("chart.legend"):
        legend.size = size
        width = min(column, max(legend.entry_width(n, size, column) for n, _ in legend.entries))
        if legend.column_height(width, size) <= region.h:
            break
    else:
        return None
    gap = clearance(legend.size) * 3
    diameter = min(region.h, region.w - width - gap)
    left = region.x + max(0.0, (region.w - diameter - gap - width) / 2)  # the pair, centred
    legend.place_column(Box(left + diameter + gap, region.y, width, region.h), marks)
    return Box(left, region.y, diameter, region.h)
