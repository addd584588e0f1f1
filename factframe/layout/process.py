"""The ``process`` block: steps in boxes joined by arrows.

Arrangements (``arrangement``; ``auto`` takes the first that fits):

- **row**: every step side by side, arrows pointing along the reading direction, when
  each box gets at least :data:`MIN_BOX` px at 1080;
- **snake**: rows of as many boxes as fit (at least two, the rows as even as can be);
  every other row runs back, and an arrow turns down at the row's end to the box under
  it;
- **column**: one box a line, arrows pointing down.

Every box of a row has the row's height, and every step's number, title and text share
one size each over the whole block (``step.number``, ``step.title``, ``step.text``).
A step may show an icon (``icon``) above its title. Boxes are filled with the block's
``style.background`` or the brand's surface colour, the text chosen readable on it.

Geometry is planned left to right; the flow mirrors it for RTL locales, so the steps run
from right to left and the arrowheads point left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from factframe.errors import TextOverflowError
from factframe.layout.context import PlanContext
from factframe.layout.model import (
    RGBA,
    Box,
    CardItem,
    IconItem,
    LayoutItem,
    Polygon,
    Rect,
    Shape,
    ShapeItem,
    TextItem,
)
from factframe.layout.nodes import NodeBase
from factframe.layout.timeline import role_sizes, stacked_parts
from factframe.spec import ProcessBlock, parse_color
from factframe.spec_icons import resolve_icon
from factframe.typography import TextBlock
from factframe.typography.numbers import format_number

__all__ = ["MIN_BOX", "ProcessNode", "arrow", "step_number"]

#: Narrowest box (px at 1080) in a row.
MIN_BOX = 170.0
_ROLES = ("step.number", "step.title", "step.text")


@lru_cache(maxsize=512)
def step_number(locale: str, i: int) -> str:
    """Step ``i``'s number (from 1) in the locale's digits (kept: asked at every scale)."""
    return format_number(i + 1, locale)


def arrow(
    start: tuple[float, float], end: tuple[float, float], thickness: float, color: RGBA
) -> list[Shape]:
    """A straight arrow from ``start`` to ``end`` (horizontal or vertical): a shaft and a
    triangular head ending at ``end``."""
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    head = min(length * 0.6, 4.0 * thickness)
    half = 1.6 * thickness
    bx, by = x1 - ux * head, y1 - uy * head
    shaft_end = (bx + ux * 0.5, by + uy * 0.5)  # under the head, no seam
    if abs(ux) > abs(uy):
        left, right = sorted((x0, shaft_end[0]))
        shaft = Rect(Box(left, y0 - thickness / 2, right - left, thickness), color)
    else:
        top, bottom = sorted((y0, shaft_end[1]))
        shaft = Rect(Box(x0 - thickness / 2, top, thickness, bottom - top), color)
    tip = Polygon(
        ((x1, y1), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)), color
    )
    return [shaft, tip]


def _balanced(n: int, most: int) -> int:
    """Boxes a row for ``n`` steps in rows of at most ``most``, the rows as even as can
    be (7 in rows of 4 → 4 + 3; 5 → 3 + 2, not 4 + 1)."""
    rows = math.ceil(n / most)
    return math.ceil(n / rows)


@dataclass(frozen=True)
class _Step:
    parts: tuple[tuple[str, TextBlock], ...]
    heights: tuple[float, ...]
    icon: float  # the icon's side, 0 without one

    def content(self, between: float) -> float:
        blocks = [*self.heights, *([self.icon] if self.icon else [])]
        return sum(blocks) + between * (len(blocks) - 1)


class ProcessNode(NodeBase):
    """A process block: step boxes and arrows in a row, a snake of rows or a column."""

    def __init__(self, ctx: PlanContext, block: ProcessBlock) -> None:
        self.ctx, self.blocks, self.block = ctx, [block], block
        self.fill = parse_color(block.style.background or ctx.spec.brand.palette.surface)
        self.pad = 20 * ctx.scale
        self.between = ctx.small_gap * 0.4
        self.arrow_len = 44 * ctx.scale  # room between boxes for an arrow
        self.thickness = max(2.0, round(4 * ctx.scale))
        self.per_row = 1
        self.box_w = 0.0
        self.steps: list[_Step] = []
        self.row_heights: list[float] = []

    @property
    def arrangement(self) -> str:
        n = len(self.block.steps)
        if self.per_row >= n:
            return "row"
        return "column" if self.per_row == 1 else "snake"

    # -- measuring ---------------------------------------------------------------------

    def _columns(self, width: float) -> list[int]:
        """Boxes a row to try, most first, for the block's arrangement."""
        n, wanted = len(self.block.steps), self.block.arrangement
        smallest = MIN_BOX * self.ctx.scale
        fitting = int((width + self.arrow_len) / (smallest + self.arrow_len))
        if wanted == "row":
            return [n]
        if wanted == "column" or n == 1:
            return [1]
        snakes = [_balanced(n, c) for c in range(min(fitting, n - 1), 1, -1)]
        if wanted == "snake":
            return [max(2, snakes[0] if snakes else 2)]
        found = [c for c in (n, *snakes, 1) if c == 1 or c <= fitting]
        return list(dict.fromkeys(found))

    def _fit(self, width: float, k: float) -> list[_Step]:
        ctx, block = self.ctx, self.block
        locale = block.lang or ctx.spec.locale
        rows = [
            (step_number(locale, i) if block.numbered else None, step.title, step.text)
            for i, step in enumerate(block.steps)
        ]
        inner = width - 2 * self.pad
        found = stacked_parts(ctx, block, _ROLES, rows, inner, k, center=True, under=self.fill)
        icon = 44 * ctx.scale * max(0.6, k)
        return [
            _Step(parts, heights, icon if step.icon else 0.0)
            for (parts, heights), step in zip(found, block.steps, strict=True)
        ]

    def measure(self, width: float, k: float) -> float:
        error: TextOverflowError | None = None
        for per_row in self._columns(width):
            box_w = (width - self.arrow_len * (per_row - 1)) / per_row
            try:
                steps = self._fit(box_w, k)
            except TextOverflowError as exc:  # too narrow: fewer boxes a row
                error = error or exc
                continue
            self.per_row, self.box_w, self.steps = per_row, box_w, steps
            rows = [steps[i : i + per_row] for i in range(0, len(steps), per_row)]
            self.row_heights = [
                max(s.content(self.between) for s in row) + 2 * self.pad for row in rows
            ]
            self.height = sum(self.row_heights) + self.arrow_len * (len(rows) - 1)
            return self.height
        assert error is not None
        raise error

    def sizes(self) -> list[tuple[str, float]]:
        return role_sizes(self.block, (part for step in self.steps for part in step.parts))

    # -- placing -----------------------------------------------------------------------

    def _cells(self, box: Box) -> list[Box]:
        """Each step's box: rows left to right, every other row right to left."""
        n, c = len(self.steps), self.per_row
        row_w = c * self.box_w + self.arrow_len * (c - 1)
        x0 = box.x + (box.w - row_w) / 2
        y = box.y + max(0.0, box.h - self.height) / 2
        cells = []
        for r, h in enumerate(self.row_heights):
            for j in range(min(c, n - r * c)):
                col = j if r % 2 == 0 else c - 1 - j
                cells.append(Box(x0 + col * (self.box_w + self.arrow_len), y, self.box_w, h))
            y += h + self.arrow_len
        return cells

    def place(self, box: Box) -> list[LayoutItem]:
        ctx, bid = self.ctx, self.block.id or ""
        palette = ctx.spec.brand.palette
        color = parse_color(self.block.style.color or palette.primary)
        radius = min(ctx.spec.brand.radius * ctx.scale, 0.2 * self.box_w)
        cells = self._cells(box)
        items: list[LayoutItem] = []
        shapes: list[Shape] = []
        gap = max(3.0, 0.18 * self.arrow_len)  # between an arrow and the boxes it joins
        for i, (cell, step) in enumerate(zip(cells, self.steps, strict=True)):
            items.append(CardItem(bid, cell, radius, self.fill, self.fill[3] == 255))
            items += self._contents(step, cell, i, color)
            if i + 1 < len(cells):
                nxt = cells[i + 1]
                if abs(nxt.y - cell.y) < 0.5:  # along the row
                    cy = cell.y + min(cell.h, nxt.h) / 2
                    if nxt.x > cell.x:
                        start, end = (cell.right + gap, cy), (nxt.x - gap, cy)
                    else:
                        start, end = (cell.x - gap, cy), (nxt.right + gap, cy)
                else:  # down to the next row (or the next box of a column)
                    cx = cell.x + cell.w / 2
                    start, end = (cx, cell.bottom + gap), (cx, nxt.y - gap)
                shapes += arrow(start, end, self.thickness, color)
        return [ShapeItem(bid, box, tuple(shapes)), *items]

    def _contents(self, step: _Step, cell: Box, i: int, color: RGBA) -> list[LayoutItem]:
        bid = self.block.id or ""
        y = cell.y + (cell.h - step.content(self.between)) / 2
        out: list[LayoutItem] = []
        icon = self.block.steps[i].icon
        if icon and step.icon:
            side = step.icon
            spot = Box(cell.x + (cell.w - side) / 2, y, side, side)
            out.append(IconItem(bid, spot, resolve_icon(icon), color))
            y += side + self.between
        x, w = cell.x + self.pad, cell.w - 2 * self.pad
        for (role, text), h in zip(step.parts, step.heights, strict=True):
            out.append(TextItem(bid, role, Box(x, y, w, h), text))
            y += h + self.between
        return out
