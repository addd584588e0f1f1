"""The ``timeline`` block: dated events on a rail, across a wide region or down a
narrow one.

Each event is a date (``timeline.date``: written in the locale by
:func:`~factframe.layout.timeline.format_iso_date`, which the timeline *strategy* uses
for ISO stamps of dated lists too), a title (``event.title``) and an optional text
(``event.text``); each role has one size over the block
(:func:`~factframe.layout.timeline.one_size`).

Horizontal (``orientation: horizontal``, or ``auto`` in a region at least as wide as the
body is tall, with room for labels of at least :data:`MIN_LABEL` px at 1080): the rail
runs across the middle, a dot on it per event, evenly spaced; each label is centred on
its dot and joined to it by a short connector. When labels below every dot would be
narrower than :data:`MIN_LABEL`, they alternate above and below the rail, each twice as
wide, so that labels on one side are two steps apart and never meet. The dots are
inset so that the outer labels stay inside the block.

Vertical: the rail runs down the start side, a dot level with each date, the labels
beside it; free height spreads the events apart.

Geometry is planned left to right; the flow mirrors it for RTL locales, so time runs
from right to left there.
"""

from __future__ import annotations

from dataclasses import dataclass

from factframe.errors import SpecError
from factframe.layout.context import PlanContext
from factframe.layout.model import Box, Dot, LayoutItem, Rect, Shape, ShapeItem, TextItem
from factframe.layout.nodes import NodeBase
from factframe.layout.timeline import format_iso_date, role_sizes, stacked_parts
from factframe.spec import TimelineBlock, parse_color
from factframe.typography import TextBlock

__all__ = ["MIN_LABEL", "EventTimelineNode", "event_dates"]

#: Narrowest label (px at 1080) under a dot before labels alternate above and below.
MIN_LABEL = 190.0
_ROLES = ("timeline.date", "event.title", "event.text")


def event_dates(ctx: PlanContext, block: TimelineBlock) -> list[str]:
    """The block's dates written in its locale.

    Raises:
        SpecError: a date is still a template, or ``date_format`` is not a CLDR format
            (naming the field).
    """
    path = ctx.where(block)
    locale = block.lang or ctx.spec.locale
    out = []
    for k, event in enumerate(block.events):
        if "{{" in event.date:
            raise SpecError(
                "the date's fact template is not bound yet; factframe.render() binds it",
                f"{path}.events[{k}].date",
            )
        try:
            out.append(format_iso_date(event.date, locale, block.date_format))
        except (ValueError, KeyError, AttributeError) as exc:
            where = "date_format" if block.date_format else f"events[{k}].date"
            raise SpecError(f"cannot write the date: {exc}", f"{path}.{where}") from None
    return out


@dataclass(frozen=True)
class _Label:
    """One event's texts, stacked: date, title, text (each may be None)."""

    parts: tuple[tuple[str, TextBlock], ...]
    heights: tuple[float, ...]
    between: float

    @property
    def height(self) -> float:
        return sum(self.heights) + self.between * (len(self.heights) - 1)

    def first_line(self) -> float:
        """Half the first line's height: where a dot beside it sits."""
        text = self.parts[0][1]
        return min(self.heights[0], text.size * text.line_height) / 2

    def items(self, block_id: str, x: float, y: float, w: float) -> list[LayoutItem]:
        out: list[LayoutItem] = []
        for (role, text), h in zip(self.parts, self.heights, strict=True):
            out.append(TextItem(block_id, role, Box(x, y, w, h), text))
            y += h + self.between
        return out


class EventTimelineNode(NodeBase):
    """A timeline block: its events on a horizontal or vertical rail."""

    def __init__(self, ctx: PlanContext, block: TimelineBlock, available: float) -> None:
        self.ctx, self.blocks, self.block, self.available = ctx, [block], block, available
        self.dates = event_dates(ctx, block)
        self.dot = 9 * ctx.scale
        self.rail = max(2.0, round(3 * ctx.scale))
        self.connector = ctx.small_gap
        self.lane = 2 * self.dot + ctx.small_gap  # beside vertical events
        self.horizontal = self.alternate = False
        self.labels: list[_Label] = []
        self.step = self.label_w = 0.0

    # -- measuring ---------------------------------------------------------------------

    def _fit(self, width: float, k: float, align: str) -> list[_Label]:
        rows = [(d, e.title, e.text) for d, e in zip(self.dates, self.block.events, strict=True)]
        center = align == "center"
        found = stacked_parts(self.ctx, self.block, _ROLES, rows, width, k, center=center)
        between = self.ctx.small_gap * 0.25
        return [_Label(parts, heights, between) for parts, heights in found]

    def _layout(self, width: float) -> tuple[bool, bool, float, float]:
        """(horizontal, alternate, step between dots, label width) at ``width``."""
        n, gap = len(self.block.events), self.ctx.gap
        smallest = MIN_LABEL * self.ctx.scale
        wide = width >= self.available
        if self.block.orientation == "vertical" or n == 1:
            return False, False, 0.0, width - self.lane
        if self.block.orientation == "auto" and not wide:
            return False, False, 0.0, width - self.lane
        step = (width + gap) / n  # labels under every dot: n labels and n - 1 gaps
        if step - gap >= smallest:
            return True, False, step, step - gap
        step = (width + gap) / (n + 1)  # alternating: each label two steps wide, less a gap
        if 2 * step - gap >= smallest or self.block.orientation == "horizontal":
            return True, True, step, 2 * step - gap
        return False, False, 0.0, width - self.lane

    def measure(self, width: float, k: float) -> float:
        self.horizontal, self.alternate, self.step, self.label_w = self._layout(width)
        align = "center" if self.horizontal else "start"
        self.labels = self._fit(self.label_w, k, align)
        if self.horizontal:
            above, below = self._bands()
            self.height = above + 2 * self.dot + below
        else:
            gaps = self.entry_gap * (len(self.labels) - 1)
            self.height = sum(lab.height for lab in self.labels) + gaps
        return self.height

    def _bands(self) -> tuple[float, float]:
        """Heights above and below the rail's dots: labels plus their connectors."""
        reach = self.connector
        up = [lab.height for i, lab in enumerate(self.labels) if self._above(i)]
        down = [lab.height for i, lab in enumerate(self.labels) if not self._above(i)]
        return (max(up) + reach if up else 0.0), (max(down) + reach if down else 0.0)

    def _above(self, i: int) -> bool:
        return self.alternate and i % 2 == 1

    @property
    def entry_gap(self) -> float:
        return self.ctx.small_gap * 1.25

    def wanted(self, width: float) -> float:
        if self.horizontal:
            return self.height
        spread = self.ctx.gap * 1.5 - self.entry_gap
        return self.height + spread * (len(self.labels) - 1)

    def sizes(self) -> list[tuple[str, float]]:
        return role_sizes(self.block, (part for lab in self.labels for part in lab.parts))

    # -- placing -----------------------------------------------------------------------

    def _colors(self) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int]]:
        palette = self.ctx.spec.brand.palette
        return parse_color(self.block.style.color or palette.accent), parse_color(palette.primary)

    def place(self, box: Box) -> list[LayoutItem]:
        if self.horizontal:
            shapes, texts = self._place_horizontal(box)
        else:
            shapes, texts = self._place_vertical(box)
        return [ShapeItem(self.block.id or "", box, tuple(shapes)), *texts]

    def _place_horizontal(self, box: Box) -> tuple[list[Shape], list[LayoutItem]]:
        rail_color, dot_color = self._colors()
        bid, n = self.block.id or "", len(self.labels)
        above = self._bands()[0]
        spare = max(0.0, box.h - self.height)
        cy = box.y + spare / 2 + above + self.dot
        first = box.x + self.label_w / 2  # the outer labels touch the block's edges
        xs = [first + i * self.step for i in range(n)]
        span = (xs[-1] - xs[0]) if n > 1 else 0.0
        shapes: list[Shape] = [
            Rect(Box(xs[0], cy - self.rail / 2, span, self.rail), rail_color),
        ]
        texts: list[LayoutItem] = []
        thin = max(1.0, round(2 * self.ctx.scale))
        for i, (x, lab) in enumerate(zip(xs, self.labels, strict=True)):
            if self._above(i):
                top = cy - self.dot - self.connector
                shapes.append(Rect(Box(x - thin / 2, top, thin, self.connector), rail_color))
                texts += lab.items(bid, x - self.label_w / 2, top - lab.height, self.label_w)
            else:
                top = cy + self.dot
                shapes.append(Rect(Box(x - thin / 2, top, thin, self.connector), rail_color))
                y = top + self.connector
                texts += lab.items(bid, x - self.label_w / 2, y, self.label_w)
            shapes.append(Dot(x, cy, self.dot, dot_color))
        return shapes, texts

    def _place_vertical(self, box: Box) -> tuple[list[Shape], list[LayoutItem]]:
        rail_color, dot_color = self._colors()
        bid, n = self.block.id or "", len(self.labels)
        gap = self.entry_gap + max(0.0, box.h - self.height) / max(1, n - 1)
        cx, y = box.x + self.dot, box.y
        centres: list[float] = []
        texts: list[LayoutItem] = []
        for lab in self.labels:
            centres.append(y + lab.first_line())
            texts += lab.items(bid, box.x + self.lane, y, box.w - self.lane)
            y += lab.height + gap
        shapes: list[Shape] = []
        if n > 1:
            span = centres[-1] - centres[0]
            shapes.append(Rect(Box(cx - self.rail / 2, centres[0], self.rail, span), rail_color))
        shapes += [Dot(cx, cy, self.dot, dot_color) for cy in centres]
        return shapes, texts
