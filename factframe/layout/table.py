"""The ``table`` block: a comparison table with a header row.

Cells are text (start-aligned), numbers (written by
:func:`~factframe.typography.numbers.format_number` in the block's locale, each column
with the fewest fraction digits that write all its numbers exactly, end-aligned), checks
and crosses (booleans, or ✓/✗ cells, drawn as the ``check`` and ``x`` icons with
``icons: true``; centred in a column of nothing else), or empty.

Sizes: one size for every cell and one for every header (``table.cell``,
``table.header``), the largest at which every column fits on one line; when even the floor
does not fit, text columns wrap (at the floor size) and the others keep their width. A
table that cannot fit even so (a word wider than its column) raises
:class:`~factframe.errors.TextOverflowError`. Spare width is shared out evenly.

Marks: a rule in the primary colour under the header, every other row tinted (``zebra``),
the ``highlight`` column tinted in the primary colour. Labels keep
:func:`~factframe.layout.plotting.clearance` from the rule. Columns are planned left to
right; the flow mirrors them for RTL locales, so the first column is on the right there and
numbers end on the left of theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from factframe.errors import TextOverflowError
from factframe.layout.context import PlanContext
from factframe.layout.marks import MarkNode
from factframe.layout.model import Box, IconItem, LayoutItem, Rect, Shape, ShapeItem
from factframe.layout.plotting import Label, clearance
from factframe.layout.styles import ROLES
from factframe.spec import TableBlock
from factframe.spec_infographics import CHECK_CELLS, CROSS_CELLS
from factframe.typography.numbers import decimals_of, format_number

__all__ = ["CHECK_ICON", "CROSS_ICON", "TableCell", "TableNode", "table_cells"]

CHECK_ICON = "check"
CROSS_ICON = "x"
_ZEBRA_ALPHA = 16  # of the text colour
_HIGHLIGHT_ALPHA = 34  # of the primary colour
_WIDE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u0e00-\u0e7f]")
Kind = Literal["text", "number", "check", "cross", "empty"]


@dataclass(frozen=True)
class TableCell:
    """A cell's kind and, for text and numbers, what it says."""

    kind: Kind
    text: str = ""


def table_cells(block: TableBlock, locale: str) -> list[list[TableCell]]:
    """Every body cell, numbers written in ``locale`` (a column's numbers share their
    fraction digits)."""
    columns = len(block.header)
    digits = []
    for k in range(columns):
        numbers = [v for r in block.rows if isinstance(v := r[k], float)]
        digits.append(min(3, decimals_of(numbers)))
    out = []
    for row in block.rows:
        cells = []
        for k, value in enumerate(row):
            if value is None or value == "":
                cells.append(TableCell("empty"))
            elif isinstance(value, bool) or (block.icons and value in CHECK_CELLS | CROSS_CELLS):
                check = value is True or (isinstance(value, str) and value in CHECK_CELLS)
                if block.icons:
                    cells.append(TableCell("check" if check else "cross"))
                else:
                    cells.append(TableCell("text", "✓" if check else "✗"))
            elif isinstance(value, float):
                cells.append(TableCell("number", format_number(value, locale, "number", digits[k])))
            else:
                cells.append(TableCell("text", value))
        out.append(cells)
    return out


class TableNode(MarkNode):
    """A table: header, rows, caption (see the module docstring)."""

    roles = ("table.header", "table.cell", "table.caption")
    block: TableBlock

    def __init__(self, ctx: PlanContext, block: TableBlock, available: float) -> None:
        super().__init__(ctx, block, available)
        self.cells = table_cells(block, block.lang or ctx.spec.locale)
        # each column's kinds of non-empty cells: asked for every cell the sizing measures
        self._kinds = [
            {row[k].kind for row in self.cells} - {"empty"} for k in range(len(block.header))
        ]
        self.widths: list[float] = []
        self.size = self.head_size = 0.0
        self.heights: list[float] = []
        self.caption: Label | None = None
        self._plans: dict[
            tuple[float, float], tuple[float, float, list[float], list[float], Label | None]
        ] = {}

    # --- columns -----------------------------------------------------------------------

    def _across(self, size: float) -> float:
        """A cell's padding at its start and end."""
        return round(0.5 * size)

    def _along(self, row: int) -> tuple[float, float]:
        """A row's padding above and below its text: the header (row -1) keeps the
        rule's clearance under it; body rows only tints, which text reads on."""
        body = round(0.3 * self.size)
        return (body, clearance(self.head_size) + self._rule()) if row < 0 else (body, body)

    def _rule(self) -> float:
        return max(2.0, round(3 * self.ctx.scale))

    def _icon(self, size: float) -> float:
        return round(size * ROLES["table.cell"].line_height)

    def _numeric(self, k: int) -> bool:
        return bool(self._kinds[k]) and self._kinds[k] <= {"number"}

    def _icons_only(self, k: int) -> bool:
        return bool(self._kinds[k]) and self._kinds[k] <= {"check", "cross"}

    def _need(self, k: int, size: float, head: float, shortest: bool) -> float:
        """A column's width on one line (``shortest``: its longest word or number)."""
        texts = self.texts

        def width(text: str, role: str, at: float) -> float:
            if shortest and not self._numeric(k):
                words = text.split()
                if _WIDE.search(text):  # may break between characters
                    return texts.estimate(text[:2], role, at)
                return max(texts.estimate(w, role, at) for w in words) if words else 0.0
            return texts.estimate(text, role, at)

        need = width(self.block.header[k], "table.header", head)
        for row in self.cells:
            cell = row[k]
            if cell.kind in ("text", "number"):
                need = max(need, width(cell.text, "table.cell", size))
            elif cell.kind != "empty":
                need = max(need, self._icon(size))
        return need + 2 * self._across(size)

    def _head_size(self, size: float) -> float:
        head, head_floor = self.texts.style.sizes["table.header"]
        largest = self.texts.style.sizes["table.cell"][0]
        return max(head_floor, min(head, size * head / largest))

    def _columns(self, width: float) -> None:
        """Picks the sizes and the column widths."""
        n = len(self.block.header)
        for size in self.texts.size_steps("table.cell"):
            head = self._head_size(size)
            needs = [self._need(k, size, head, False) for k in range(n)]
            if sum(needs) <= width:
                extra = (width - sum(needs)) / n
                self.size, self.head_size = size, head
                self.widths = [w + extra for w in needs]
                return
        least = [self._need(k, size, head, True) for k in range(n)]
        if sum(least) > width:
            raise TextOverflowError(
                self.block.id or "",
                sum(least),
                width,
                hint="the table's columns are wider than its region; use fewer columns "
                "or shorter words",
            )
        spare = [w - m for w, m in zip(needs, least, strict=True)]
        share = (width - sum(least)) / sum(spare) if sum(spare) else 0.0
        self.size, self.head_size = size, head
        self.widths = [m + s * share for m, s in zip(least, spare, strict=True)]

    # --- rows --------------------------------------------------------------------------

    def _label(self, text: str, role: str, size: float, column: float) -> Label:
        one = self.texts.label(text, role, size)
        if one.w <= column:
            return one
        return self.texts.label(text, role, size, width=column, align="start")

    def _row_labels(self, row: int) -> list[Label | None]:
        """The labels of a row (-1: the header), None for icons and empty cells."""
        out: list[Label | None] = []
        for k, w in enumerate(self.widths):
            column = w - 2 * self._across(self.size)
            if row < 0:
                out.append(
                    self._label(self.block.header[k], "table.header", self.head_size, column)
                )
                continue
            cell = self.cells[row][k]
            text = cell.text if cell.kind in ("text", "number") else None
            out.append(None if text is None else self._label(text, "table.cell", self.size, column))
        return out

    def inner_height(self, width: float) -> float:
        key = (width, self.k)  # the planner measures the same width and scale again
        if key in self._plans:
            plan = self._plans[key]
            self.size, self.head_size, self.widths, self.heights, self.caption = plan
            return sum(self.heights) + self._caption_height()
        self._columns(width)
        self.heights = []
        for row in range(-1, len(self.cells)):
            tallest = max((lab.h for lab in self._row_labels(row) if lab), default=0.0)
            self.heights.append(max(tallest, self._icon(self.size)) + sum(self._along(row)))
        self.caption = None
        if self.block.caption:
            self.caption = self.fitted(self.block.caption, "table.caption", width)
        self._plans[key] = (self.size, self.head_size, self.widths, self.heights, self.caption)
        return sum(self.heights) + self._caption_height()

    def _caption_height(self) -> float:
        if self.caption is None:
            return 0.0
        return clearance(self.caption.text.size) + self.caption.h

    def _x(self, k: int, left: float, lab_w: float) -> float:
        """Where a label of ``lab_w`` px starts in column ``k`` (its left edge at
        ``left``)."""
        across = self._across(self.size)
        w = self.widths[k]
        if self._numeric(k):
            return left + w - across - lab_w
        if self._icons_only(k):
            return left + (w - lab_w) / 2
        return left + across

    def plan(self, box: Box) -> list[LayoutItem]:
        bid, block = self.block.id or "", self.block
        primary = self.color(None)
        ink = self.texts.style.colors["table.cell"]
        lefts = [box.x + sum(self.widths[:k]) for k in range(len(self.widths))]
        body = sum(self.heights)
        shapes: list[Shape] = []
        highlight = block.highlight_column()
        if highlight is not None:
            tint = (*primary[:3], _HIGHLIGHT_ALPHA)
            shapes.append(Rect(Box(lefts[highlight], box.y, self.widths[highlight], body), tint))
        items: list[LayoutItem] = []
        y = box.y
        for row, h in zip(range(-1, len(self.cells)), self.heights, strict=True):
            if block.zebra and row >= 0 and row % 2 == 1:
                shapes.append(Rect(Box(box.x, y, box.w, h), (*ink[:3], _ZEBRA_ALPHA)))
            top = self._along(row)[0]
            for k, lab in enumerate(self._row_labels(row)):
                if lab is not None:
                    items.append(lab.at(bid, self._x(k, lefts[k], lab.w), y + top))
                    continue
                cell = self.cells[row][k]
                if cell.kind in ("check", "cross"):
                    side = self._icon(self.size)
                    icon = Box(self._x(k, lefts[k], side), y + top, side, side)
                    name, color = (
                        (CHECK_ICON, primary) if cell.kind == "check" else (CROSS_ICON, ink)
                    )
                    items.append(IconItem(bid, icon, name, color))
            y += h
            if row < 0:
                rule = self._rule()
                shapes.append(Rect(Box(box.x, y - rule, box.w, rule), primary))
        if self.caption is not None:
            y += clearance(self.caption.text.size)
            items.append(self.caption.at(bid, box.x, y))
        region = Box(box.x, box.y, box.w, body)
        return [ShapeItem(bid, region, tuple(shapes)), *items]
