"""The planner's nodes: one block, or a group of blocks, that measures and places itself.

A node answers three questions, the protocol every strategy builds on:

- ``measure(width, k)``: how tall it is at ``width`` px wide with text scale ``k`` (it
  fits its text and keeps the result);
- ``wanted(width)``: how tall it would like to be, given room (images, charts and
  stretchable cards grow; text does not);
- ``place(box)``: its items inside ``box`` (at least as tall as measured).

``sizes()`` reports the ``(role, size)`` of its fitted text, so the planner can make
siblings share one size (:func:`~factframe.layout.context.harmonise`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from factframe.layout.charts import chart_heights, layout_chart
from factframe.layout.context import UNBOUNDED, PlanContext, shares_size, visual_share
from factframe.layout.marks import IconNode, block_style
from factframe.layout.model import RGBA, Box, CardItem, ImageItem, LayoutItem, RuleItem, TextItem
from factframe.layout.pictogram import PictogramNode
from factframe.layout.plotting import ChartStyle
from factframe.layout.progress import ProgressNode
from factframe.layout.table import TableNode
from factframe.spec import (
    Block,
    ChartBlock,
    Divider,
    Footer,
    IconBlock,
    ImageBlock,
    ListBlock,
    MapBlock,
    PictogramBlock,
    ProcessBlock,
    ProgressBlock,
    Stat,
    Subtitle,
    TableBlock,
    Text,
    TimelineBlock,
    Title,
    parse_color,
)
from factframe.typography import Align, TextBlock, measure
from factframe.typography.numbers import format_number

__all__ = [
    "CardNode",
    "ChartNode",
    "DividerNode",
    "ImageNode",
    "ListNode",
    "Node",
    "NodeBase",
    "StatCardsNode",
    "TextNode",
    "build_nodes",
    "gap_before",
    "in_group",
    "stat_parts",
    "visual_share",
]

#: Smallest height of an image or a chart in a stack, as a share of the body's height.
VISUAL_MINIMUM = 0.18
#: Narrowest stat card (px at 1080) before a row of stats wraps to more rows.
MIN_CARD = 200


class Node(Protocol):
    """One block or a group of blocks that measures itself and places its items."""

    @property
    def blocks(self) -> Sequence[Block]: ...

    def measure(self, width: float, k: float) -> float: ...

    def wanted(self, width: float) -> float: ...

    def sizes(self) -> list[tuple[str, float]]: ...

    def place(self, box: Box) -> list[LayoutItem]: ...


class NodeBase:
    """Defaults for nodes of a fixed height (their measured one) with no shared text."""

    height = 0.0

    def wanted(self, width: float) -> float:
        return self.height

    def sizes(self) -> list[tuple[str, float]]:
        return []


class TextNode(NodeBase):
    """A title, subtitle, paragraph or footer."""

    def __init__(self, ctx: PlanContext, block: Title | Subtitle | Text | Footer) -> None:
        self.ctx, self.blocks, self.block = ctx, [block], block
        self.text: TextBlock | None = None

    def measure(self, width: float, k: float) -> float:
        self.text = self.ctx.fit(self.block, self.block.type, self.block.text, width, k)
        self.height = measure(self.text, self.ctx.library).height
        return self.height

    def sizes(self) -> list[tuple[str, float]]:
        shared = self.text is not None and shares_size(self.block)
        return [(self.block.type, self.text.size)] if shared and self.text else []

    def place(self, box: Box) -> list[LayoutItem]:
        assert self.text is not None
        return [TextItem(self.block.id or "", self.block.type, box, self.text)]


def list_marker(ctx: PlanContext, block: ListBlock, i: int) -> str:
    """A list item's marker: a bullet, or its number in the locale's digits."""
    if not block.ordered:
        return "•"
    return f"{format_number(i + 1, block.lang or ctx.spec.locale)}."


class ListNode(NodeBase):
    """A bulleted or numbered list: one size for all its items."""

    def __init__(self, ctx: PlanContext, block: ListBlock) -> None:
        self.ctx, self.blocks, self.block = ctx, [block], block
        self.markers: list[TextBlock] = []
        self.items: list[TextBlock] = []
        self.heights: list[float] = []
        self.marker_w = self.item_gap = 0.0

    def measure(self, width: float, k: float) -> float:
        ctx, block = self.ctx, self.block
        markers = [
            ctx.fit(block, "list", list_marker(ctx, block, i), width, k)
            for i in range(len(block.items))
        ]
        widest = max(measure(m, ctx.library).max_width + 2 * m.inset for m in markers)
        self.marker_w = widest + ctx.small_gap * 0.5
        item_w = width - self.marker_w
        items = [ctx.fit(block, "list", text, item_w, k) for text in block.items]
        size = min(t.size for t in items)  # one list, one size
        self.items = [t.at(size) for t in items]
        side: Align = "right" if ctx.direction == "rtl" else "left"  # markers hug the text
        self.markers = [replace(m.at(size), width=self.marker_w, align=side) for m in markers]
        self.heights = [  # a row is as tall as its item or its marker, whichever is taller
            max(measure(t, ctx.library).height, measure(m, ctx.library).height)
            for t, m in zip(self.items, self.markers, strict=True)
        ]
        self.item_gap = ctx.small_gap * 0.75
        self.height = sum(self.heights) + self.item_gap * (len(self.items) - 1)
        return self.height

    def sizes(self) -> list[tuple[str, float]]:
        return [("list", self.items[0].size)] if self.items and shares_size(self.block) else []

    def place(self, box: Box) -> list[LayoutItem]:
        out: list[LayoutItem] = []
        y = box.y
        bid = self.block.id or ""
        for marker, item, h in zip(self.markers, self.items, self.heights, strict=True):
            out.append(TextItem(bid, "list.marker", Box(box.x, y, self.marker_w, h), marker))
            item_box = Box(box.x + self.marker_w, y, box.w - self.marker_w, h)
            out.append(TextItem(bid, "list", item_box, item))
            y += h + self.item_gap
        return out


def stat_parts(stat: Stat, value_role: str = "stat.value") -> list[tuple[str, str]]:
    """A stat's texts as ``(role, text)``: its value (with the unit), label and caption."""
    value = f"{stat.value}\u00a0{stat.unit}" if stat.unit else stat.value
    parts = [(value_role, value)]
    if stat.label:
        parts.append(("stat.label", stat.label))
    if stat.caption:
        parts.append(("stat.caption", stat.caption))
    return parts


class StatCardsNode(NodeBase):
    """Stats on cards in rows: all values share one size, all labels another.

    ``per_row`` cards a row (default: up to three, four as two rows of two, fewer where
    cards would be narrower than :data:`MIN_CARD`); a last row with fewer cards is
    centred. With ``stretch`` > 0 the cards may grow, given room, up
    to ``stretch`` × their width tall (a card grid filling its region).
    """

    def __init__(
        self,
        ctx: PlanContext,
        stats: list[Stat],
        per_row: int | None = None,
        stretch: float = 0.0,
        labels: bool = True,
    ) -> None:
        self.ctx, self.blocks, self.stats = ctx, stats, stats
        self.fixed = per_row
        self.per_row, self.stretch, self.labels = per_row or 1, stretch, labels
        self.rows: list[list[Stat]] = []
        self.pad = ctx.pad
        self.texts: dict[tuple[str, str], TextBlock] = {}
        self.row_heights: list[float] = []
        self.cell_w = 0.0

    def parts(self, stat: Stat) -> list[tuple[str, str]]:
        parts = stat_parts(stat)
        return parts if self.labels else [p for p in parts if p[0] != "stat.label"]

    def _per_row(self, width: float) -> int:
        """Cards a row: as asked, else up to three (four as two rows of two), fewer when a
        card would be narrower than :data:`MIN_CARD` px at 1080."""
        n = len(self.stats)
        if self.fixed:
            return self.fixed
        wanted = n if n <= 3 else (2 if n == 4 else 3)
        room = int((width + self.ctx.gap) / (MIN_CARD * self.ctx.scale + self.ctx.gap))
        return max(1, min(wanted, room))

    def measure(self, width: float, k: float) -> float:
        ctx = self.ctx
        self.per_row = per_row = self._per_row(width)
        self.rows = [self.stats[i : i + per_row] for i in range(0, len(self.stats), per_row)]
        self.cell_w = (width - ctx.gap * (self.per_row - 1)) / self.per_row
        inner = self.cell_w - 2 * self.pad
        fitted = {
            (s.id or "", role): ctx.fit(s, role, text, inner, k)
            for s in self.stats
            for role, text in self.parts(s)
        }
        shared = {
            role: min(t.size for (_, r), t in fitted.items() if r == role)
            for role in {r for _, r in fitted}
        }
        self.texts = {key: t.at(shared[key[1]]) for key, t in fitted.items()}
        self.row_heights = [max(self.cell_height(s) for s in row) for row in self.rows]
        self.height = sum(self.row_heights) + ctx.gap * (len(self.rows) - 1)
        return self.height

    def wanted(self, width: float) -> float:
        if not self.stretch:
            return self.height
        tallest = self.cell_w * self.stretch
        rows = sum(max(h, tallest) for h in self.row_heights)
        return rows + self.ctx.gap * (len(self.rows) - 1)

    def sizes(self) -> list[tuple[str, float]]:
        sharing = {s.id or "" for s in self.stats if shares_size(s)}
        return [(role, t.size) for (sid, role), t in self.texts.items() if sid in sharing]

    def content_height(self, stat: Stat) -> float:
        heights = [
            measure(self.texts[(stat.id or "", role)], self.ctx.library).height
            for role, _ in self.parts(stat)
        ]
        return sum(heights) + self.ctx.small_gap * 0.5 * (len(heights) - 1)

    def cell_height(self, stat: Stat) -> float:
        return 2 * self.pad + self.content_height(stat)

    def place_card(self, stat: Stat, card: Box) -> list[LayoutItem]:
        """One stat's card and its texts, centred in ``card``."""
        ctx, sid = self.ctx, stat.id or ""
        fill = ctx.card_color(stat) or ctx.surface
        radius = ctx.spec.brand.radius * ctx.scale
        out: list[LayoutItem] = [CardItem(sid, card, radius, fill, shadow=fill[3] == 255)]
        ty = card.y + (card.h - self.content_height(stat)) / 2
        for role, _ in self.parts(stat):
            text = self.texts[(sid, role)]
            h = measure(text, ctx.library).height
            out.append(TextItem(sid, role, Box(card.x + self.pad, ty, text.width, h), text))
            ty += h + ctx.small_gap * 0.5
        return out

    def place(self, box: Box) -> list[LayoutItem]:
        ctx = self.ctx
        out: list[LayoutItem] = []
        grow = max(0.0, box.h - self.height) / len(self.rows)  # stretched rows share it
        y = box.y
        for row, row_h in zip(self.rows, self.row_heights, strict=True):
            h = row_h + grow
            row_w = len(row) * self.cell_w + ctx.gap * (len(row) - 1)
            x = box.x + (box.w - row_w) / 2
            for stat in row:
                out += self.place_card(stat, Box(x, y, self.cell_w, h))
                x += self.cell_w + ctx.gap
            y += h + ctx.gap
        return out


class ImageNode(NodeBase):
    """A picture: at least ``minimum`` px tall, growing to its aspect's height (or to any
    height when it has no aspect: ``cover`` crops, ``contain`` letterboxes)."""

    def __init__(self, ctx: PlanContext, block: ImageBlock, minimum: float) -> None:
        self.ctx, self.blocks, self.block = ctx, [block], block
        self.minimum = minimum

    def wanted(self, width: float) -> float:
        return width / self.block.aspect if self.block.aspect else UNBOUNDED

    def measure(self, width: float, k: float) -> float:
        # when text has to shrink, the picture's minimum gives way too (to half at k = 0)
        self.height = min(self.minimum * visual_share(k), self.wanted(width))
        return self.height

    def place(self, box: Box) -> list[LayoutItem]:
        w = min(box.w, box.h * self.block.aspect) if self.block.aspect else box.w
        placed = Box(box.x + (box.w - w) / 2, box.y, w, box.h)
        radius = self.ctx.spec.brand.radius * self.ctx.scale
        return [ImageItem(self.block.id or "", placed, self.block.src, self.block.fit, radius)]


class ChartNode(NodeBase):
    """A chart: a flexible height like an image's, its inside planned by
    :func:`~factframe.layout.charts.layout_chart`; on its own card when it has a
    ``style.background``."""

    def __init__(self, ctx: PlanContext, block: ChartBlock, available: float) -> None:
        self.ctx, self.blocks, self.block = ctx, [block], block
        self.available, self.k = available, 1.0
        self.card = ctx.card_color(block)
        self.pad = ctx.pad if self.card else 0.0

    def style(self, k: float) -> ChartStyle:
        roles = ("chart.tick", "chart.value", "chart.legend", "chart.caption")
        return block_style(self.ctx, self.block, roles, k, self.card)

    def measure(self, width: float, k: float) -> float:
        self.k = k
        inner = width - 2 * self.pad
        available = self.available * visual_share(k)  # a smaller plot when text shrinks
        smallest = chart_heights(self.block, inner, self.style(k), available)[0]
        self.height = smallest + 2 * self.pad
        return self.height

    def wanted(self, width: float) -> float:
        inner = width - 2 * self.pad
        available = self.available * visual_share(self.k)
        return chart_heights(self.block, inner, self.style(self.k), available)[1] + 2 * self.pad

    def place(self, box: Box) -> list[LayoutItem]:
        p, bid = self.pad, self.block.id or ""
        inner = Box(box.x + p, box.y + p, box.w - 2 * p, box.h - 2 * p)
        items = layout_chart(self.block, inner, self.style(self.k))
        if self.card is None:
            return items
        radius = self.ctx.spec.brand.radius * self.ctx.scale
        return [CardItem(bid, box, radius, self.card, self.card[3] == 255), *items]


class DividerNode(NodeBase):
    """A thin rule in the accent colour."""

    def __init__(self, ctx: PlanContext, block: Divider) -> None:
        self.ctx, self.blocks, self.block = ctx, [block], block

    def measure(self, width: float, k: float) -> float:
        self.height = max(2.0, round(3 * self.ctx.scale))
        return self.height

    def place(self, box: Box) -> list[LayoutItem]:
        color = self.block.style.color or self.ctx.spec.brand.palette.accent
        return [RuleItem(self.block.id or "", box, parse_color(color))]


class CardNode:
    """Any block with a ``style.background``: its content on a padded, rounded card."""

    def __init__(self, ctx: PlanContext, inner: Node, color: RGBA) -> None:
        self.ctx, self.inner, self.color = ctx, inner, color
        self.pad = ctx.pad
        self.height = 0.0

    @property
    def blocks(self) -> Sequence[Block]:
        return self.inner.blocks

    def measure(self, width: float, k: float) -> float:
        self.height = self.inner.measure(width - 2 * self.pad, k) + 2 * self.pad
        return self.height

    def wanted(self, width: float) -> float:
        return self.height

    def sizes(self) -> list[tuple[str, float]]:
        return self.inner.sizes()

    def place(self, box: Box) -> list[LayoutItem]:
        radius = self.ctx.spec.brand.radius * self.ctx.scale
        card = CardItem(self.blocks[0].id or "", box, radius, self.color, self.color[3] == 255)
        p = self.pad
        return [card, *self.inner.place(Box(box.x + p, box.y + p, box.w - 2 * p, box.h - 2 * p))]


def diagram_node(ctx: PlanContext, block: Block, available: float) -> Node | None:
    """The node of a timeline, process or map block (None for other blocks)."""
    if isinstance(block, TimelineBlock):
        from factframe.layout.event_timeline import EventTimelineNode

        return EventTimelineNode(ctx, block, available)
    if isinstance(block, ProcessBlock):
        from factframe.layout.process import ProcessNode

        return ProcessNode(ctx, block)
    if isinstance(block, MapBlock):
        from factframe.layout.geomap import MapNode

        return MapNode(ctx, block, available)
    return None


def block_node(
    ctx: PlanContext, block: Block, available: float, image_minimum: float = VISUAL_MINIMUM
) -> Node | None:
    """The node of one block that is not a stat (stats group into :class:`StatCardsNode`).
    ``available`` is the body's height; images take at least ``image_minimum`` of it."""
    node: Node | None = None
    if isinstance(block, Title | Subtitle | Text | Footer):
        node = TextNode(ctx, block)
    elif isinstance(block, ListBlock):
        node = ListNode(ctx, block)
    if node is not None:
        card = ctx.card_color(block)
        return node if card is None else CardNode(ctx, node, card)
    if isinstance(block, ImageBlock):
        return ImageNode(ctx, block, image_minimum * available)
    if isinstance(block, ChartBlock):
        return ChartNode(ctx, block, available)
    if isinstance(block, IconBlock):  # infographics take their card themselves
        return IconNode(ctx, block, available)
    if isinstance(block, PictogramBlock):
        return PictogramNode(ctx, block, available)
    if isinstance(block, ProgressBlock):
        return ProgressNode(ctx, block, available)
    if isinstance(block, TableBlock):
        return TableNode(ctx, block, available)
    diagram = diagram_node(ctx, block, available)
    if diagram is not None:
        card = ctx.card_color(block)
        if card is None or isinstance(block, ProcessBlock):  # a process's boxes take it
            return diagram
        return CardNode(ctx, diagram, card)
    if isinstance(block, Divider):
        return DividerNode(ctx, block)
    return None


def build_nodes(
    ctx: PlanContext,
    blocks: Sequence[Block],
    available: float,
    image_minimum: float = VISUAL_MINIMUM,
    special: Mapping[str, Node | None] | None = None,
) -> list[Node]:
    """The nodes of a stack: one per block, consecutive stats together on one
    :class:`StatCardsNode`. ``special`` maps block ids to the node a strategy made for
    them (placed where the block is), or to None for blocks that node also holds."""
    special = special or {}
    nodes: list[Node] = []
    stats: list[Stat] = []
    for block in [*blocks, None]:
        if isinstance(block, Stat) and block.id not in special:
            stats.append(block)
            continue
        if stats:
            nodes.append(StatCardsNode(ctx, stats))
            stats = []
        if block is None:
            continue
        if block.id in special:
            if (given := special[block.id or ""]) is not None:
                nodes.append(given)
        elif (node := block_node(ctx, block, available, image_minimum)) is not None:
            nodes.append(node)
    return nodes


def in_group(node: Node, previous: Node) -> bool:
    """Whether two nodes belong to one group (a title and its subtitle): a small gap
    between them, not a section gap."""
    return isinstance(previous.blocks[0], Title) and isinstance(node.blocks[0], Subtitle)


def gap_before(ctx: PlanContext, node: Node, previous: Node, k: float = 1.0) -> float:
    """The gap between two nodes at text scale ``k``: small inside a group, else a
    section gap."""
    return ctx.small_gap if in_group(node, previous) else ctx.section_gap(k)
