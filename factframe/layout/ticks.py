"""Chart arithmetic without text: nice ticks, scales, decimation, thinning, collisions.

- :func:`nice_ticks` covers a range with 1-2-5 steps (…, 0.5, 1, 2, 5, 10, …); bars and
  areas always include the zero baseline.
- :class:`Scale` maps data values to pixels, linearly and exactly (a bar's length is
  proportional to its value, to floating point).
- :func:`decimate` reduces a long series to at most two points per pixel column (its
  minimum and maximum, in order), so a single spike in 100,000 points still shows.
- :func:`thinning` finds the smallest step ``m`` at which every ``m``-th label fits.
- :func:`boxes_collide` and :func:`segment_hits_box` are the collision tests the chart
  planner runs between labels, bars and lines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from factframe.layout.model import Box

__all__ = [
    "Scale",
    "Ticks",
    "boxes_collide",
    "decimate",
    "inflate",
    "nice_step",
    "nice_ticks",
    "segment_hits_box",
    "thinning",
]

_STEPS = (1.0, 2.0, 5.0, 10.0)


def nice_step(span: float, count: int) -> float:
    """The 1-2-5 step that divides ``span`` into at most about ``count`` intervals."""
    raw = max(span, 1e-300) / max(1, count)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for m in _STEPS:
        if m * magnitude >= raw * (1 - 1e-9):
            return m * magnitude
    return 10.0 * magnitude  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class Ticks:
    """An axis from ``lo`` to ``hi`` with tick values ``step`` apart.

    Attributes:
        values: the ticks, ascending, inside ``[lo, hi]``.
        step: the distance between ticks.
        digits: fraction digits that write every tick exactly.
        lo, hi: the axis' ends (usually the first and last tick).
    """

    values: tuple[float, ...]
    step: float
    digits: int
    lo: float
    hi: float

    def trimmed(self, lo: float, hi: float, slack: float = 0.1) -> Ticks:
        """The axis ended at ``lo``/``hi`` instead of the next tick where that tick lies
        more than ``slack`` of the span beyond them (room asked for value labels would
        otherwise stretch the axis by a whole step)."""
        span = hi - lo
        if span <= 0:
            return self
        end_lo = lo if lo - self.lo > slack * span else self.lo
        end_hi = hi if self.hi - hi > slack * span else self.hi
        values = tuple(v for v in self.values if end_lo - 1e-9 <= v <= end_hi + 1e-9)
        return Ticks(values, self.step, self.digits, end_lo, end_hi)


def nice_ticks(lo: float, hi: float, count: int, include_zero: bool = False) -> Ticks:
    """Ticks with a 1-2-5 step covering ``[lo, hi]`` in about ``count`` intervals.

    Example:
        >>> nice_ticks(3, 97, 5, include_zero=True).values
        (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)
    """
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = (lo - pad, hi + pad) if not include_zero or lo != 0 else (0.0, hi + pad)
        if include_zero and hi == 0:
            lo, hi = -1.0, 0.0
    step = nice_step(hi - lo, max(1, count))
    first = math.floor(lo / step + 1e-9)
    last = math.ceil(hi / step - 1e-9)
    digits = max(0, -math.floor(math.log10(step) + 1e-9))
    values = tuple(round(i * step, digits + 2) + 0.0 for i in range(first, last + 1))
    return Ticks(values, step, digits, values[0], values[-1])


@dataclass(frozen=True)
class Scale:
    """A linear map from data values in ``[lo, hi]`` to pixels ``[start, end]`` (``end``
    may be smaller than ``start``: a vertical axis grows upwards)."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        return self.start + (value - self.lo) / (self.hi - self.lo) * (self.end - self.start)

    @property
    def px_per_unit(self) -> float:
        return abs(self.end - self.start) / (self.hi - self.lo)


def decimate(values: Sequence[float | None], columns: int) -> list[list[int]]:
    """The indices of ``values`` worth drawing on ``columns`` pixel columns, as runs
    without gaps (a ``None`` breaks a line).

    Up to two points per column nothing is dropped. Beyond that each column keeps the
    index of its minimum and of its maximum, in the order they occur, so the line still
    reaches every extreme (a one-sample spike survives); a column with no value at all is
    a gap.
    """
    n = len(values)
    arr = np.array([np.nan if v is None else v for v in values], dtype=float)
    present = ~np.isnan(arr)
    if n <= 2 * max(1, columns):
        keep = np.flatnonzero(present)
        breaks = np.flatnonzero(np.diff(keep) > 1) + 1
        return [run.tolist() for run in np.split(keep, breaks) if run.size]
    col = (np.arange(n) * columns) // n
    low = np.where(present, arr, np.inf)
    high = np.where(present, arr, -np.inf)
    by_low = np.lexsort((low, col))  # per column: ascending value, NaN last
    by_high = np.lexsort((-high, col))
    starts = np.searchsorted(col[by_low], np.arange(columns))
    mins, maxs = by_low[starts], by_high[starts]
    has_value = present[mins]
    runs: list[list[int]] = []
    current: list[int] = []
    for c in range(columns):
        if not has_value[c]:
            if current:
                runs.append(current)
            current = []
            continue
        a, b = int(mins[c]), int(maxs[c])
        current += [a] if a == b else sorted((a, b))
    if current:
        runs.append(current)
    return runs


def thinning(centers: Sequence[float], widths: Sequence[float], gap: float) -> int:
    """The smallest step ``m`` such that labels ``0, m, 2m, …`` (centred at ``centers``,
    ``widths`` wide) stand ``gap`` apart; ``len(centers)`` when even two do not fit."""
    n = len(centers)
    for m in range(1, max(2, n)):
        shown = range(0, n, m)
        if all(
            centers[b] - centers[a] >= (widths[a] + widths[b]) / 2 + gap
            for a, b in zip(shown, list(shown)[1:], strict=False)
        ):
            return m
    return max(1, n)


def inflate(box: Box, by: float) -> Box:
    """``box`` grown by ``by`` px on every side."""
    return Box(box.x - by, box.y - by, box.w + 2 * by, box.h + 2 * by)


def boxes_collide(a: Box, b: Box) -> bool:
    """Whether two boxes share any area (touching edges do not count)."""
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def segment_hits_box(p: tuple[float, float], q: tuple[float, float], box: Box) -> bool:
    """Whether the segment ``p``–``q`` passes through ``box`` (Liang–Barsky clipping)."""
    (x0, y0), (x1, y1) = p, q
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for edge_p, edge_q in (
        (-dx, x0 - box.x),
        (dx, box.right - x0),
        (-dy, y0 - box.y),
        (dy, box.bottom - y0),
    ):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True
