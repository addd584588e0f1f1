"""Chart axes: a value axis with nice ticks and a category axis with thinned labels.

:func:`vertical_frame` plans the frame of a chart whose values grow upwards (vertical bars,
lines, areas): the value axis' tick labels on the start side, the category labels under
the plot, and the plot area between them. :func:`horizontal_frame` plans horizontal bars:
category labels on the start side, the value axis under the plot. Both pick the largest
tick size (one size for both axes) at which every category label fits; past the floor they
show every ``m``-th label instead, and a value axis too wide for its numbers switches to
the compact format. ``room_*`` asks for space at the ends of the value range (value labels
past the bars), which widens the range before the ticks are chosen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from factframe.errors import TextOverflowError
from factframe.layout.model import Box, Rect
from factframe.layout.plotting import (
    ChartText,
    Marks,
    clearance,
    grid_color,
    number_style,
    write,
)
from factframe.layout.ticks import Scale, Ticks, boxes_collide, nice_ticks, thinning
from factframe.spec import ChartBlock
from factframe.typography.numbers import NumberStyle

__all__ = ["Frame", "draw_grid", "horizontal_frame", "vertical_frame"]

_MAX_TICKS = 8
_AXIS_SHARE = 0.3  # the value axis' labels take at most this share of the width
_CATEGORY_SHARE = 0.4  # horizontal bars' category labels take at most this share
_RANGE_ROOM = 0.6  # value-label room may take at most this share of the plot
_MANY = 200  # beyond this many category labels, thinning starts from a sample


@dataclass
class Frame:
    """A planned chart frame.

    Attributes:
        plot: the plot area (marks go here; value labels too).
        scale: data value → px along the value axis (y for vertical charts, x for
            horizontal bars).
        ticks: the value axis' ticks; ``tick_texts`` their labels.
        size: the tick labels' size (both axes).
        centers: the centre of each category slot along the category axis.
        slot: the width (or height) of a category slot.
        shown: the categories whose label is written.
        ok: False when the ``room`` asked for did not fit (value labels must go).
    """

    plot: Box
    scale: Scale
    ticks: Ticks
    tick_texts: list[str]
    size: float
    centers: list[float]
    slot: float
    shown: list[int]
    ok: bool = True


def _span(lo: float, hi: float, zero: bool) -> tuple[float, float]:
    """The data's range, with zero when bars or areas need it; a single value gets a
    unit-wide range around it (from zero: ``[0, 1]``)."""
    if zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):
        pad = max(abs(hi) * 0.1, 1.0)
        lo, hi = (
            (lo, hi + pad)
            if zero and lo >= 0
            else ((lo - pad, hi) if zero else (lo - pad, hi + pad))
        )
    return lo, hi


def _range(
    lo: float, hi: float, room_lo: float, room_hi: float, length: float
) -> tuple[float, float, bool]:
    """``[lo, hi]`` widened so that ``room_lo``/``room_hi`` px of ``length`` stay free."""
    if length <= 0:
        return lo, hi, False
    f_lo, f_hi = room_lo / length, room_hi / length
    if f_lo + f_hi > _RANGE_ROOM:
        return lo, hi, False
    span = (hi - lo) / (1 - f_lo - f_hi)
    return lo - f_lo * span, hi + f_hi * span, True


def _axis(
    lo: float,
    hi: float,
    count: int,
    zero: bool,
    block: ChartBlock,
    locale: str,
    keep: tuple[float, float, float, float] | None = None,
) -> tuple[Ticks, list[str], NumberStyle]:
    """Nice ticks over ``[lo, hi]``; ``keep`` = (data low, data high, share of the axis
    to keep free below, above) holds the room for value labels whatever the ends."""
    ticks = nice_ticks(lo, hi, count, include_zero=zero)
    if keep is not None:  # the room widened the range: do not round it out a whole step
        ticks = ticks.trimmed(min(lo, 0.0) if zero else lo, max(hi, 0.0) if zero else hi)
        ticks = _keep_room(ticks, *keep)
    number = number_style(block, ticks.digits)
    return ticks, [write(v, number, locale) for v in ticks.values], number


def _keep_room(ticks: Ticks, a: float, b: float, f_lo: float, f_hi: float) -> Ticks:
    """The axis' ends moved out until ``f_lo``/``f_hi`` of it stay free below ``a`` and
    above ``b`` (a nice end on one side would otherwise eat the other side's room)."""
    lo, hi = ticks.lo, ticks.hi
    for _ in range(6):
        hi = max(hi, (b - f_hi * lo) / (1 - f_hi))
        lo = min(lo, (a - f_lo * hi) / (1 - f_lo))
    values = tuple(v for v in ticks.values if lo - 1e-9 <= v <= hi + 1e-9)
    return Ticks(values, ticks.step, ticks.digits, lo, hi)


def _compact(ticks: Ticks, block: ChartBlock, locale: str) -> list[str]:
    """Tick labels in the compact format, with the fewest digits that keep them apart."""
    texts: list[str] = []
    for digits in range(3):
        number = NumberStyle("compact", digits)
        texts = [write(v, number, locale) for v in ticks.values]
        if len(set(texts)) == len(texts):
            break
    return texts


def _height(texts: ChartText, samples: Sequence[str], size: float) -> float:
    """The tallest one-line label among ``samples`` (measured at the role's largest size,
    scaled: marks above Thai or Devanagari make some scripts taller), plus 1 px for the
    rounding of ink measured at another size."""
    ref = texts.style.sizes["chart.tick"][0]
    tallest = max(texts.label(s, "chart.tick", ref).h for s in samples)
    return tallest * size / ref + (1.0 if size != ref else 0.0)


def _samples(labels: Sequence[str], limit: int = 24) -> list[str]:
    step = max(1, len(labels) // limit)
    return list(labels[::step]) or ["0"]


def _shown(
    centers: list[float], widths: list[float], start: float, end: float, gap: float
) -> list[int]:
    """Which labels to write: every ``m``-th, ``m`` as small as fits (ends clamped)."""
    clamped = [
        min(max(c, start + w / 2), end - w / 2) for c, w in zip(centers, widths, strict=True)
    ]
    m = thinning(clamped, widths, gap)
    return list(range(0, len(centers), m))


def _shown_many(
    texts: ChartText, labels: list[str], size: float, centers: list[float], plot: Box
) -> list[int]:
    """:func:`_shown` for thousands of labels: the step comes from a sample's widest
    label, then grows until the labels it shows (measured) stand apart."""
    n, gap = len(labels), 0.5 * size
    widest = max(texts.estimate(t, "chart.tick", size) for t in _samples(labels, 100))
    slot = centers[1] - centers[0]
    m = max(1, math.ceil((widest + gap) / slot))
    while m < n:
        index = list(range(0, n, m))
        widths = [texts.estimate(labels[i], "chart.tick", size) for i in index]
        picked = [centers[i] for i in index]
        if len(_shown(picked, widths, plot.x, plot.right, gap)) == len(index):
            return index
        m += max(1, m // 4)
    return [0]


def vertical_frame(
    block: ChartBlock,
    region: Box,
    texts: ChartText,
    labels: Sequence[str] | None,
    n: int,
    lo: float,
    hi: float,
    *,
    zero: bool,
    room: tuple[float, float] = (0.0, 0.0),
    edge_to_edge: bool = False,
) -> Frame:
    """The frame of a chart whose values grow upwards (see the module docstring).

    Args:
        lo, hi: the data's range (bars and areas add zero).
        room: px to keep free below the lowest and above the highest value.
        edge_to_edge: points from the plot's left edge to its right edge (a sparkline),
            instead of at the centres of ``n`` slots.
    """
    locale = texts.style.locale
    lo, hi = _span(lo, hi, zero)
    label_list = list(labels or [])
    samples = [*_samples(label_list), "0"]
    best: Frame | None = None
    for size in texts.size_steps("chart.tick"):
        h = _height(texts, samples, size)
        gap = clearance(size)
        below = (h + gap) if label_list else h / 2
        plot_h = region.h - h / 2 - below
        if plot_h < 2 * h:
            continue
        a, b, ok = _range(lo, hi, room[0], room[1], plot_h)
        count = max(1, min(_MAX_TICKS, int(plot_h / (2.6 * h))))
        keep = (lo, hi, room[0] / plot_h, room[1] / plot_h) if ok and any(room) else None
        ticks, tick_texts, number = _axis(a, b, count, zero, block, locale, keep)
        axis_w = max(texts.estimate(t, "chart.tick", size) for t in tick_texts)
        if axis_w > _AXIS_SHARE * region.w and number.kind == "number":
            tick_texts = _compact(ticks, block, locale)
            axis_w = max(texts.estimate(t, "chart.tick", size) for t in tick_texts)
        if axis_w > _AXIS_SHARE * region.w:
            continue
        plot = Box(region.x + axis_w + gap, region.y + h / 2, region.w - axis_w - gap, plot_h)
        slot = plot.w / max(1, n - 1) if edge_to_edge else plot.w / n
        centers = [plot.x + (i if edge_to_edge else i + 0.5) * slot for i in range(n)]
        shown: list[int] = []
        if len(label_list) > _MANY:
            shown = _shown_many(texts, label_list, size, centers, plot)
        elif label_list:
            widths = [texts.estimate(t, "chart.tick", size) for t in label_list]
            shown = _shown(centers, widths, plot.x, plot.right, 0.5 * size)
        scale = Scale(ticks.lo, ticks.hi, plot.bottom, plot.y)
        frame = Frame(plot, scale, ticks, tick_texts, size, centers, slot, shown, ok)
        if best is None:
            best = frame
        if len(shown) == len(label_list):
            return frame
    return _best_or_raise(best, texts, region)


def horizontal_frame(
    block: ChartBlock,
    region: Box,
    texts: ChartText,
    labels: Sequence[str] | None,
    n: int,
    lo: float,
    hi: float,
    *,
    room: tuple[float, float] = (0.0, 0.0),
) -> Frame:
    """The frame of horizontal bars: categories down the start side, values along the
    bottom; ``room`` is px kept free before the lowest and past the highest value."""
    lo, hi = _span(lo, hi, True)
    label_list = list(labels or [])
    best: Frame | None = None
    for size in texts.size_steps("chart.tick"):
        gap = clearance(size)
        h = _height(texts, ["0", *_samples(label_list)], size)
        cat_w = max((texts.estimate(t, "chart.tick", size) for t in label_list), default=0.0)
        cat_w = min(cat_w, _CATEGORY_SHARE * region.w)
        plot_x = region.x + (cat_w + gap if label_list else 0.0)
        end = _end_pad(block, texts, lo, hi, size)  # the last tick's label, centred
        plot = Box(plot_x, region.y, region.right - plot_x - end, region.h - h - gap)
        if plot.h < h or plot.w < 4 * h:
            continue
        a, b, ok = _range(lo, hi, room[0], room[1], plot.w)
        keep = (lo, hi, room[0] / plot.w, room[1] / plot.w) if ok and any(room) else None
        slot = plot.h / n
        centers = [plot.y + (i + 0.5) * slot for i in range(n)]
        shown = []
        if label_list:
            heights = [_wrapped_height(texts, t, size, cat_w) for t in label_list]
            shown = _shown(centers, heights, plot.y, plot.bottom, 0.25 * size)
        frame = _horizontal_ticks(
            block, texts, plot, region.right, (a, b, keep), size, centers, slot, shown, ok
        )
        if frame is None:
            continue
        if best is None:
            best = frame
        if len(shown) == len(label_list):
            return frame
    return _best_or_raise(best, texts, region)


def _wrapped_height(texts: ChartText, text: str, size: float, width: float) -> float:
    if texts.estimate(text, "chart.tick", size) <= width:
        return _height(texts, [text], size)
    return texts.label(text, "chart.tick", size, width=width, align="end").h


def _end_pad(block: ChartBlock, texts: ChartText, lo: float, hi: float, size: float) -> float:
    """Half the width of the widest number the value axis may write."""
    number = number_style(block, 0)
    widest = max(abs(lo), abs(hi))
    return 0.5 * texts.estimate(write(widest, number, texts.style.locale), "chart.tick", size)


def _horizontal_ticks(
    block: ChartBlock,
    texts: ChartText,
    plot: Box,
    end: float,
    limits: tuple[float, float, tuple[float, float, float, float] | None],
    size: float,
    centers: list[float],
    slot: float,
    shown: list[int],
    ok: bool,
) -> Frame | None:
    """The value axis under horizontal bars: as many ticks as fit side by side (labels
    centred under their ticks, reaching at most ``end``)."""
    for count in range(_MAX_TICKS, 0, -1):
        a, b, keep = limits
        ticks, tick_texts, _ = _axis(a, b, count, True, block, texts.style.locale, keep)
        scale = Scale(ticks.lo, ticks.hi, plot.x, plot.right)
        widths = [texts.estimate(t, "chart.tick", size) for t in tick_texts]
        xs = [scale(v) for v in ticks.values]
        lefts = [
            min(max(x - w / 2, plot.x - w / 2), end - w) for x, w in zip(xs, widths, strict=True)
        ]
        spaced = all(lefts[k] + widths[k] + 0.5 * size <= lefts[k + 1] for k in range(len(xs) - 1))
        if spaced:
            return Frame(plot, scale, ticks, tick_texts, size, centers, slot, shown, ok)
    return None


def vertical_axis_labels(
    frame: Frame, texts: ChartText, labels: Sequence[str], marks: Marks
) -> None:
    """Tick labels beside the plot (end-aligned against it) and category labels under it."""
    bid = texts.style.block_id
    gap = clearance(frame.size)
    for value, text in zip(frame.ticks.values, frame.tick_texts, strict=True):
        lab = texts.label(text, "chart.tick", frame.size)
        y = frame.scale(value) - lab.h / 2
        marks.texts.append(lab.at(bid, frame.plot.x - gap - lab.w, y))
    for i in frame.shown:
        lab = texts.label(labels[i], "chart.tick", frame.size)
        x = min(max(frame.centers[i] - lab.w / 2, frame.plot.x), frame.plot.right - lab.w)
        marks.texts.append(lab.at(bid, x, frame.plot.bottom + gap))


def horizontal_axis_labels(
    frame: Frame, texts: ChartText, labels: Sequence[str], marks: Marks, region: Box
) -> None:
    """Category labels on the start side (end-aligned against the bars), value tick labels
    under the plot."""
    bid = texts.style.block_id
    gap = clearance(frame.size)
    cat_w = frame.plot.x - gap - region.x
    for i in frame.shown:
        lab = texts.label(labels[i], "chart.tick", frame.size)
        if lab.w > cat_w:
            lab = texts.label(labels[i], "chart.tick", frame.size, width=cat_w, align="end")
        y = min(max(frame.centers[i] - lab.h / 2, frame.plot.y), frame.plot.bottom - lab.h)
        marks.texts.append(lab.at(bid, frame.plot.x - gap - lab.w, y))
    for value, text in zip(frame.ticks.values, frame.tick_texts, strict=True):
        lab = texts.label(text, "chart.tick", frame.size)
        x = min(max(frame.scale(value) - lab.w / 2, frame.plot.x - lab.w / 2), region.right - lab.w)
        marks.texts.append(lab.at(bid, x, frame.plot.bottom + gap))


def draw_grid(
    frame: Frame, texts: ChartText, marks: Marks, keep_out: Sequence[Box], *, vertical: bool
) -> None:
    """Faint grid lines at the ticks (not the zero line), cut where a label needs its
    clear ring; the caller draws the zero baseline over the marks."""
    scale = texts.style.scale
    width = max(1.0, round(1.5 * scale))
    color = grid_color(texts.style)
    plot = frame.plot
    for value in frame.ticks.values:
        if value == 0:
            continue
        at = round(frame.scale(value))
        line = (
            Box(plot.x, at - width / 2, plot.w, width)
            if vertical
            else Box(at - width / 2, plot.y, width, plot.h)
        )
        for piece in _cut(line, keep_out, vertical):
            marks.shapes.append(Rect(piece, color))


def _cut(line: Box, keep_out: Sequence[Box], vertical: bool) -> list[Box]:
    """``line`` (horizontal when ``vertical``, the chart's orientation) without the parts
    inside any of ``keep_out``."""
    pieces = [line]
    for box in keep_out:
        out: list[Box] = []
        for p in pieces:
            if not boxes_collide(p, box):
                out.append(p)
                continue
            if vertical:
                left, right = (
                    Box(p.x, p.y, box.x - p.x, p.h),
                    Box(box.right, p.y, p.right - box.right, p.h),
                )
                out += [q for q in (left, right) if q.w > 0.5]
            else:
                top, bottom = (
                    Box(p.x, p.y, p.w, box.y - p.y),
                    Box(p.x, box.bottom, p.w, p.bottom - box.bottom),
                )
                out += [q for q in (top, bottom) if q.h > 0.5]
        pieces = out
    return pieces


def baseline(frame: Frame, texts: ChartText, *, vertical: bool) -> Rect | None:
    """The zero line, in the tick colour, when zero is on the axis."""
    if not frame.ticks.lo <= 0 <= frame.ticks.hi:
        return None
    width = max(2.0, round(2 * texts.style.scale))
    at = frame.scale(0.0)
    plot = frame.plot
    box = (
        Box(plot.x, at - width / 2, plot.w, width)
        if vertical
        else Box(at - width / 2, plot.y, width, plot.h)
    )
    return Rect(box, texts.style.colors["chart.tick"])


def _best_or_raise(best: Frame | None, texts: ChartText, region: Box) -> Frame:
    """The best frame tried (not every label shown), or the error when none fitted."""
    if best is None:
        raise TextOverflowError(
            texts.style.block_id,
            region.h,
            region.h,
            hint="the chart's axes do not fit its region; give the chart more room",
        )
    return best
