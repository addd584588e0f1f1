"""The ``progress`` block: a bar or a half-circle gauge, its value written in the locale.

The value's text is the share of the range as a percentage (``72 %``, ``٧٢٪``), or the
value itself (``format: number`` or ``unit``), by
:func:`~factframe.typography.numbers.format_number` in the block's locale.

bar
    The label at the start and the value at the end of one line, the track under them: a
    rounded bar of :data:`BAR` px at 1080, filled from the start over the share of the
    range. When label and value do not share a line the value goes on a line of its own.
gauge
    A half ring, :data:`RING` of its radius thick, filled clockwise from 9 o'clock over
    the share of the range; the value sits in the hollow of the ring, the label under it.
    The radius is :data:`GAUGE_MIN` px at 1080, growing up to :data:`GAUGE` when the
    page has room, and never less than what the value needs.

Geometry is planned left to right; the flow mirrors it for RTL locales, so there the bar
fills from the right and the gauge counter-clockwise from 3 o'clock.
"""

from __future__ import annotations

import math

from factframe.errors import TextOverflowError
from factframe.layout.context import visual_share
from factframe.layout.marks import ValueNode, faint
from factframe.layout.model import Box, LayoutItem, Polyline, Shape, ShapeItem, Wedge
from factframe.layout.plotting import Label, clearance
from factframe.spec import ProgressBlock
from factframe.typography.numbers import decimals_of, format_number

__all__ = ["BAR", "GAUGE", "GAUGE_MIN", "RING", "ProgressNode", "progress_text"]

#: A bar's thickness, px at 1080.
BAR = 28.0
#: A gauge's radius, px at 1080: the least it takes, the most it grows to given room
#: (never less than its value needs); its ring's thickness as a share of the radius.
GAUGE_MIN = 110.0
GAUGE = 200.0
RING = 0.24


def progress_text(block: ProgressBlock, locale: str) -> str:
    """The value as the block writes it, in ``locale``."""
    if block.format == "percent":
        share = 100 * block.share
        return format_number(share, locale, "percent", min(1, decimals_of([share])))
    digits = min(2, decimals_of([block.amount]))
    return format_number(block.amount, locale, block.format, digits, block.unit)


class ProgressNode(ValueNode):
    """A progress bar or gauge with its value and label."""

    roles = ("progress.value", "progress.label")
    block: ProgressBlock
    value: Label | None = None
    label: Label | None = None
    radius = most = thick = 0.0
    inline = True

    def _value(self, fits: float) -> Label:
        """The value's text at the largest size no wider than ``fits``."""
        text = progress_text(self.block, self.texts.style.locale)
        sizes = self.texts.size_steps("progress.value")
        for size in sizes:
            lab = self.texts.label(text, "progress.value", size)
            if lab.w <= fits:
                return lab
        raise TextOverflowError(
            self.block.id or "", lab.w, fits, hint="give the progress block more room"
        )

    def inner_height(self, width: float) -> float:
        if self.block.kind == "gauge":
            height = self._gauge_height(width)
            self.most = self.radius  # until the flow offers more room (wanted)
            return height
        return self._bar_height(width)

    # --- bar ---------------------------------------------------------------------------

    def _bar_height(self, width: float) -> float:
        self.thick = max(6.0, BAR * self.ctx.scale * visual_share(self.k))
        value = self.value = self._value(width)
        self.label, self.inline = None, True
        if self.block.label:
            room = width - value.w - clearance(value.text.size)
            narrow = room < 0.35 * width
            self.inline = not narrow
            self.label = self.fitted(
                self.block.label, "progress.label", width if narrow else room, "start"
            )
        row = value.h if self.label is None else max(value.h, self.label.h)
        if self.label is not None and not self.inline:
            row = value.h + clearance(self.label.text.size) + self.label.h
        return row + clearance(value.text.size) + self.thick

    def _bar(self, box: Box) -> list[LayoutItem]:
        assert self.value is not None
        bid, value, label = self.block.id or "", self.value, self.label
        items: list[LayoutItem] = []
        if label is not None and self.inline:
            row = max(value.h, label.h)
            items.append(label.at(bid, box.x, box.y + row - label.h))
            items.append(value.at(bid, box.right - value.w, box.y + row - value.h))
            y = box.y + row
        elif label is not None:
            items.append(label.at(bid, box.x, box.y))
            y = box.y + label.h + clearance(label.text.size)
            items.append(value.at(bid, box.x, y))
            y += value.h
        else:
            items.append(value.at(bid, box.right - value.w, box.y))
            y = box.y + value.h
        y += clearance(value.text.size)
        t, cy = self.thick, y + self.thick / 2
        start, end = box.x + t / 2, box.right - t / 2
        shapes: list[Shape] = [Polyline(((start, cy), (end, cy)), self._track(), t)]
        if self.block.share > 0:
            reach = start + (end - start) * self.block.share
            shapes.append(Polyline(((start, cy), (reach, cy)), self.color(self.block.color), t))
        return [ShapeItem(bid, Box(box.x, y, box.w, t), tuple(shapes)), *items]

    def _track(self) -> tuple[int, int, int, int]:
        if self.block.track_color is not None:
            return self.color(self.block.track_color)
        return faint(self.texts.style.colors["progress.label"])

    # --- gauge -------------------------------------------------------------------------

    def _gauge_height(self, width: float, most: float = GAUGE_MIN) -> float:
        """The gauge's height with a radius of at most ``most`` px at 1080 (at least what
        its value needs); keeps the radius in :attr:`radius`."""
        largest = min(width / 2, GAUGE * self.ctx.scale * visual_share(self.k))
        hollow = largest * (1 - RING)
        value = self.value = self._value(2 * hollow)
        gap = clearance(value.text.size)
        # the value's box, ``gap`` inside the hollow: its top corners within the circle
        needed = (math.hypot(value.w / 2, value.h) + gap) / (1 - RING)
        if needed > width / 2 + 1e-6:
            raise TextOverflowError(
                self.block.id or "", 2 * needed, width, hint="give the gauge more room"
            )
        self.radius = max(min(width / 2, most * self.ctx.scale * visual_share(self.k)), needed)
        self.label = None
        if self.block.label:
            self.label = self.fitted(self.block.label, "progress.label", width, "center")
        return self.radius + self._under()

    def _under(self) -> float:
        """The height under the ring: the label and its gap."""
        return 0.0 if self.label is None else clearance(self.label.text.size) + self.label.h

    def wanted(self, width: float) -> float:
        if self.block.kind != "gauge":
            return self.height
        smallest = self.radius
        height = self._gauge_height(width - 2 * self.pad, GAUGE) + 2 * self.pad
        self.radius, self.most = smallest, self.radius
        return height

    def _gauge(self, box: Box) -> list[LayoutItem]:
        assert self.value is not None
        bid, value = self.block.id or "", self.value
        r = min(max(self.radius, box.h - self._under()), self.most, box.w / 2)
        cx, cy = box.x + box.w / 2, box.y + max(0.0, box.h - r - self._under()) / 2 + r
        inner = r * (1 - RING)
        shapes: list[Shape] = [Wedge(cx, cy, r, inner, 180.0, 180.0, self._track())]
        if self.block.share > 0:
            sweep = 180.0 * self.block.share
            shapes.append(Wedge(cx, cy, r, inner, 180.0, sweep, self.color(self.block.color)))
        ring = Box(cx - r, cy - r, 2 * r, r)
        items: list[LayoutItem] = [ShapeItem(bid, ring, tuple(shapes))]
        items.append(value.at(bid, cx - value.w / 2, cy - value.h))
        if self.label is not None:
            items.append(self.label.at(bid, box.x, cy + clearance(self.label.text.size)))
        return items

    def plan(self, box: Box) -> list[LayoutItem]:
        return self._gauge(box) if self.block.kind == "gauge" else self._bar(box)
