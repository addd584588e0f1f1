"""The ``pictogram`` block: ``value`` of ``total`` icons filled, in rows, with a label.

The icons stand in a grid of equal squares, :data:`GAP` of a side apart. The number of
columns (unless the block sets ``columns``) is the one that gives the largest icons within
the width and the height the block may take (a share of the page that shrinks with the
text), preferring grids without a ragged last row (10 × 10 over 9 × 12), then fewer rows.
Icons are no larger than :data:`LARGEST` px at 1080 and no smaller than :data:`SMALLEST`.

Icons fill in reading order: the first ``floor(value)`` in the fill colour, then, for a
fractional value, one icon filled over that share of its width (the empty icon with the
filled one clipped over it), then empty ones. The grid is planned left to right and the
flow mirrors it for RTL locales, so there the icons fill from the right.
"""

from __future__ import annotations

import math

from factframe.layout.context import visual_share
from factframe.layout.marks import ValueNode, faint
from factframe.layout.model import Box, IconItem, LayoutItem
from factframe.layout.plotting import Label, clearance
from factframe.spec import PictogramBlock
from factframe.spec_icons import resolve_icon

__all__ = ["GAP", "LARGEST", "SHARE", "SHARE_MIN", "SMALLEST", "PictogramNode", "grid_shape"]

#: Space between icons, as a share of an icon's side.
GAP = 0.2
#: Largest and smallest icon side, px at 1080.
LARGEST = 84.0
SMALLEST = 16.0
#: The least and the most of the page's height the icons take (at text scale 1; the flow
#: gives a pictogram room up to the most, as it gives pictures and charts).
SHARE_MIN = 0.15
SHARE = 0.4
_RAGGED = 0.9  # a grid with a partly filled last row is worth this much of its icon size


def _span(n: int, side: float) -> float:
    return n * side + (n - 1) * GAP * side


def grid_shape(total: int, width: float, height: float, largest: float) -> tuple[int, float]:
    """(columns, icon side) of the grid of ``total`` icons with the largest icons within
    ``width`` × ``height`` (no larger than ``largest``), full rows preferred."""
    best = (1, 0.0)
    best_score = -1.0
    for columns in range(1, total + 1):
        rows = math.ceil(total / columns)
        if columns > 1 and math.ceil(total / (columns - 1)) == rows:
            continue  # the same rows with fewer columns is narrower and no smaller
        side = min(largest, width / _span(columns, 1.0), height / _span(rows, 1.0))
        score = side * (1.0 if rows * columns == total else _RAGGED)
        if score >= best_score - 1e-9:  # on a tie, fewer rows read better
            best, best_score = (columns, side), score
    return best


class PictogramNode(ValueNode):
    """A pictogram: the icon grid, then its label and caption, centred."""

    roles = ("pictogram.label", "pictogram.caption")
    block: PictogramBlock
    columns = 1

    def _texts(self, width: float) -> list[Label]:
        block, out = self.block, []
        if block.label:
            out.append(self.fitted(block.label, "pictogram.label", width, "center"))
        if block.caption:
            out.append(self.fitted(block.caption, "pictogram.caption", width, "center"))
        return out

    def _grid(self, width: float, height: float) -> tuple[int, float]:
        """(columns, side) of the grid within ``width`` × ``height``."""
        block, scale = self.block, self.ctx.scale
        largest = LARGEST * scale * visual_share(self.k)
        if block.columns is not None:
            columns = min(block.columns, block.total)
            rows = math.ceil(block.total / columns)
            side = min(largest, width / _span(columns, 1.0), height / _span(rows, 1.0))
        else:
            columns, side = grid_shape(block.total, width, height, largest)
        smallest = min(SMALLEST * scale, width / _span(columns, 1.0))
        return columns, max(side, smallest)

    def _text_height(self, width: float) -> float:
        return sum(lab.h + clearance(lab.text.size) for lab in self._texts(width))

    def _height(self, width: float, share: float) -> float:
        """The height at ``width`` with the icons in ``share`` of the page's height."""
        text = self._text_height(width)
        budget = max(0.0, share * self.available * visual_share(self.k) - text)
        columns, side = self._grid(width, budget)
        return _span(math.ceil(self.block.total / columns), side) + text

    def inner_height(self, width: float) -> float:
        return self._height(width, SHARE_MIN)

    def wanted(self, width: float) -> float:
        return self._height(width - 2 * self.pad, SHARE) + 2 * self.pad

    def plan(self, box: Box) -> list[LayoutItem]:
        block = self.block
        text = self._text_height(box.w)
        self.columns, side = self._grid(box.w, box.h - text)
        rows = math.ceil(block.total / self.columns)
        top = box.y + max(0.0, box.h - _span(rows, side) - text) / 2
        bid = block.id or ""
        name = resolve_icon(block.icon)
        filled = self.color(block.color)
        label_color = self.texts.style.colors["pictogram.label"]
        empty = self.color(block.empty_color) if block.empty_color else faint(label_color)
        step = side * (1 + GAP)
        left = box.x + (box.w - _span(self.columns, side)) / 2
        items: list[LayoutItem] = []
        whole, part = int(self.amount), self.amount - int(self.amount)
        for i in range(block.total):
            row, col = divmod(i, self.columns)
            icon = Box(left + col * step, top + row * step, side, side)
            if i < whole:
                items.append(IconItem(bid, icon, name, filled))
                continue
            items.append(IconItem(bid, icon, name, empty))
            if i == whole and part > 0:
                clip = Box(icon.x, icon.y, icon.w * part, icon.h)
                items.append(IconItem(bid, icon, name, filled, clip))
        y = top + _span(rows, side)
        for lab in self._texts(box.w):
            y += clearance(lab.text.size)
            items.append(lab.at(bid, box.x, y))
            y += lab.h
        return items
