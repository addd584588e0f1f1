"""The vertical-flow planner: blocks stacked top to bottom inside the safe area.

Each block group becomes a node that measures itself for a width at a text scale ``k`` and
then places its items. The planner takes the largest ``k`` ≤ 1 at which everything fits
(all text shrinks together, so the hierarchy holds), never going below the legibility
floor; if even the floor does not fit it raises :class:`TextOverflowError`. Space left over
goes to images, then to the gaps, then centres the content. RTL locales mirror the layout.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from factframe.errors import TextOverflowError
from factframe.layout.charts import chart_heights, layout_chart
from factframe.layout.model import (
    LOGO_ID,
    Box,
    CardItem,
    ImageItem,
    Layout,
    LayoutItem,
    RuleItem,
    ShapeItem,
    TextItem,
)
from factframe.layout.plotting import ChartStyle
from factframe.layout.styles import (
    REFERENCE_SIDE,
    ROLES,
    background_colors,
    legibility_floor,
    readable,
)
from factframe.spec import (
    Block,
    ChartBlock,
    Divider,
    Footer,
    ImageBlock,
    ListBlock,
    Spec,
    Stat,
    Subtitle,
    Text,
    Title,
    parse_color,
)
from factframe.typography import (
    Align,
    FontLibrary,
    TextBlock,
    TextRequest,
    default_library,
    fit_text,
    locale_info,
    measure,
)

__all__ = ["MARGIN_RATIO", "plan", "safe_area"]

RGBA = tuple[int, int, int, int]
_UNBOUNDED = 1e9
_SEARCH_STEPS = 10
MARGIN_RATIO = 0.06  # safe margin, fraction of the short side


def safe_area(width: int, height: int) -> Box:
    """The safe area of a canvas: inset by ``MARGIN_RATIO`` of the short side, rounded to
    whole px, on every side. :func:`plan` places every block inside it and the audit checks
    against it."""
    margin = round(MARGIN_RATIO * min(width, height))
    return Box(margin, margin, width - 2 * margin, height - 2 * margin)


@dataclass(frozen=True)
class _Context:
    spec: Spec
    library: FontLibrary
    scale: float  # canvas short side / 1080
    floor: float
    small_floor: float
    gap: float
    small_gap: float
    on_background: RGBA
    muted_on_background: RGBA
    on_surface: RGBA
    surface: RGBA
    direction: Literal["ltr", "rtl"]
    backgrounds: tuple[RGBA, ...]

    def card_color(self, block: Block) -> RGBA | None:
        """The fill of the card behind a block: stats always have one."""
        if block.style.background is not None:
            return parse_color(block.style.background)
        return self.surface if isinstance(block, Stat) else None

    def color(self, block: Block, role: str) -> RGBA:
        if block.style.color is not None:
            return parse_color(block.style.color)
        wanted = ROLES[role].color
        card = self.card_color(block)
        if card is not None and card[3] == 255:  # text on an opaque card must read on it
            preferred = parse_color(getattr(self.spec.brand.palette, wanted))
            white, black = (255, 255, 255, 255), (0, 0, 0, 255)
            minimum = 3.0 if wanted == "primary" else 4.5
            return readable(preferred, [self.on_surface, black, white], [card], minimum)
        return self.muted_on_background if wanted == "muted" else self.on_background

    def request(self, block: Block, role: str, text: str) -> TextRequest:
        style = ROLES[role]
        color = self.color(block, role)
        brand_fonts = self.spec.brand.fonts
        heading = role in ("title", "subtitle", "stat.value")
        fonts = brand_fonts.heading if heading else brand_fonts.body
        lang = block.lang or self.spec.locale
        return TextRequest(
            text=text,
            block_id=block.id or "",
            locale=lang,
            families=(*block.style.font, *fonts),
            weight=block.style.weight or style.weight,
            color=color,
            align=block.style.align or ("center" if role.startswith("stat") else "start"),
            line_height=block.style.line_height or style.line_height,
            direction=locale_info(lang).direction,
            balanced=role in ("title", "subtitle", "stat.label"),
        )

    def sizes(self, block: Block, role: str, k: float) -> tuple[float, float]:
        """(largest, smallest) size of a role's text at scale ``k``."""
        style = ROLES[role]
        floor = block.style.min_size or (self.small_floor if style.small else self.floor)
        largest = block.style.size or style.size * self.scale
        return max(floor, largest * k), floor

    def fit(self, block: Block, role: str, text: str, width: float, k: float) -> TextBlock:
        largest, floor = self.sizes(block, role, k)
        req = self.request(block, role, text)
        wrap = role not in ("stat.value", "stat.label")  # short: one line while it can
        return fit_text(req, width, _UNBOUNDED, largest, floor, self.library, wrap=wrap)


class _Node(Protocol):
    @property
    def blocks(self) -> Sequence[Block]: ...

    def measure(self, width: float, k: float) -> float: ...

    def place(self, box: Box) -> list[LayoutItem]: ...


class _TextNode:
    def __init__(self, ctx: _Context, block: Title | Subtitle | Text | Footer) -> None:
        self.ctx, self.blocks, self.block = ctx, [block], block
        self.text: TextBlock | None = None

    def measure(self, width: float, k: float) -> float:
        self.text = self.ctx.fit(self.block, self.block.type, self.block.text, width, k)
        return measure(self.text, self.ctx.library).height

    def place(self, box: Box) -> list[LayoutItem]:
        assert self.text is not None
        return [TextItem(self.block.id or "", self.block.type, box, self.text)]


class _ListNode:
    def __init__(self, ctx: _Context, block: ListBlock) -> None:
        self.ctx, self.blocks, self.block = ctx, [block], block
        self.markers: list[TextBlock] = []
        self.items: list[TextBlock] = []
        self.heights: list[float] = []

    def _marker(self, i: int) -> str:
        if not self.block.ordered:
            return "•"
        from babel.numbers import format_decimal

        number = format_decimal(i + 1, locale=self.ctx.spec.locale.replace("-", "_"))
        return f"{number}."

    def measure(self, width: float, k: float) -> float:
        ctx, block = self.ctx, self.block
        markers = [
            ctx.fit(block, "list", self._marker(i), width, k) for i in range(len(block.items))
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
        return sum(self.heights) + self.item_gap * (len(self.items) - 1)

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


class _StatRowNode:
    """Consecutive stats: rows of up to three cards; all values share one size."""

    def __init__(self, ctx: _Context, stats: list[Stat]) -> None:
        self.ctx, self.blocks, self.stats = ctx, stats, stats
        n = len(stats)
        per_row = n if n <= 3 else (2 if n == 4 else 3)
        self.rows = [stats[i : i + per_row] for i in range(0, n, per_row)]
        self.per_row = per_row
        self.pad = 28 * ctx.scale
        self.texts: dict[tuple[str, str], TextBlock] = {}
        self.row_heights: list[float] = []

    def _parts(self, stat: Stat) -> list[tuple[str, str]]:
        value = f"{stat.value}\u00a0{stat.unit}" if stat.unit else stat.value
        parts = [("stat.value", value)]
        if stat.label:
            parts.append(("stat.label", stat.label))
        if stat.caption:
            parts.append(("stat.caption", stat.caption))
        return parts

    def measure(self, width: float, k: float) -> float:
        ctx = self.ctx
        self.cell_w = (width - ctx.gap * (self.per_row - 1)) / self.per_row
        inner = self.cell_w - 2 * self.pad
        fitted = {
            (s.id or "", role): ctx.fit(s, role, text, inner, k)
            for s in self.stats
            for role, text in self._parts(s)
        }
        shared = {
            role: min(t.size for (_, r), t in fitted.items() if r == role)
            for role in {r for _, r in fitted}
        }
        self.texts = {key: t.at(shared[key[1]]) for key, t in fitted.items()}
        self.row_heights = [max(self._cell_height(s) for s in row) for row in self.rows]
        return sum(self.row_heights) + ctx.gap * (len(self.rows) - 1)

    def _cell_height(self, stat: Stat) -> float:
        heights = [
            measure(self.texts[(stat.id or "", role)], self.ctx.library).height
            for role, _ in self._parts(stat)
        ]
        return 2 * self.pad + sum(heights) + self.ctx.small_gap * 0.5 * (len(heights) - 1)

    def place(self, box: Box) -> list[LayoutItem]:
        ctx = self.ctx
        out: list[LayoutItem] = []
        y = box.y
        radius = ctx.spec.brand.radius * ctx.scale
        for row, row_h in zip(self.rows, self.row_heights, strict=True):
            row_w = len(row) * self.cell_w + ctx.gap * (len(row) - 1)
            x = box.x + (box.w - row_w) / 2
            for stat in row:
                sid = stat.id or ""
                fill = ctx.card_color(stat) or ctx.surface
                card = Box(x, y, self.cell_w, row_h)
                out.append(CardItem(sid, card, radius, fill, shadow=fill[3] == 255))
                content_h = self._cell_height(stat) - 2 * self.pad
                ty = y + (row_h - content_h) / 2
                for role, _ in self._parts(stat):
                    text = self.texts[(sid, role)]
                    h = measure(text, ctx.library).height
                    out.append(TextItem(sid, role, Box(x + self.pad, ty, text.width, h), text))
                    ty += h + ctx.small_gap * 0.5
                x += self.cell_w + ctx.gap
            y += row_h + ctx.gap
        return out


class _ImageNode:
    def __init__(self, ctx: _Context, block: ImageBlock, available: float) -> None:
        self.ctx, self.blocks, self.block = ctx, [block], block
        self.minimum = 0.18 * available
        self.extra = 0.0
        self.width = 0.0

    def wanted(self, width: float) -> float:
        """Height for the block's aspect; unbounded when it has none."""
        return width / self.block.aspect if self.block.aspect else _UNBOUNDED

    def measure(self, width: float, k: float) -> float:
        self.width = width
        return min(self.minimum, self.wanted(width))

    def place(self, box: Box) -> list[LayoutItem]:
        w = min(box.w, box.h * self.block.aspect) if self.block.aspect else box.w
        placed = Box(box.x + (box.w - w) / 2, box.y, w, box.h)
        radius = self.ctx.spec.brand.radius * self.ctx.scale
        return [ImageItem(self.block.id or "", placed, self.block.src, self.block.fit, radius)]


class _ChartNode:
    """A chart: a flexible height like an image's, its inside planned by
    :func:`~factframe.layout.charts.layout_chart`; on its own card when it has a
    ``style.background``."""

    def __init__(self, ctx: _Context, block: ChartBlock, available: float) -> None:
        self.ctx, self.blocks, self.block = ctx, [block], block
        self.available, self.k = available, 1.0
        self.card = ctx.card_color(block)
        self.pad = 28 * ctx.scale if self.card else 0.0

    def style(self, k: float) -> ChartStyle:
        ctx, block = self.ctx, self.block
        roles = ("chart.tick", "chart.value", "chart.legend", "chart.caption")
        under = (self.card,) if self.card and self.card[3] == 255 else ctx.backgrounds
        return ChartStyle(
            block_id=block.id or "",
            locale=block.lang or ctx.spec.locale,
            direction=ctx.direction,
            families=(*block.style.font, *ctx.spec.brand.fonts.body),
            weight=block.style.weight,
            sizes={role: ctx.sizes(block, role, k) for role in roles},
            colors={role: ctx.color(block, role) for role in roles},
            backgrounds=under,
            palette=ctx.spec.brand.palette,
            scale=ctx.scale,
            library=ctx.library,
        )

    def measure(self, width: float, k: float) -> float:
        self.k = k
        inner = width - 2 * self.pad
        return chart_heights(self.block, inner, self.style(k), self.available)[0] + 2 * self.pad

    def wanted(self, width: float) -> float:
        inner = width - 2 * self.pad
        return (
            chart_heights(self.block, inner, self.style(self.k), self.available)[1] + 2 * self.pad
        )

    def place(self, box: Box) -> list[LayoutItem]:
        p, bid = self.pad, self.block.id or ""
        inner = Box(box.x + p, box.y + p, box.w - 2 * p, box.h - 2 * p)
        items = layout_chart(self.block, inner, self.style(self.k))
        if self.card is None:
            return items
        radius = self.ctx.spec.brand.radius * self.ctx.scale
        return [CardItem(bid, box, radius, self.card, self.card[3] == 255), *items]


class _DividerNode:
    def __init__(self, ctx: _Context, block: Divider) -> None:
        self.ctx, self.blocks, self.block = ctx, [block], block

    def measure(self, width: float, k: float) -> float:
        return max(2.0, round(3 * self.ctx.scale))

    def place(self, box: Box) -> list[LayoutItem]:
        color = self.block.style.color or self.ctx.spec.brand.palette.accent
        return [RuleItem(self.block.id or "", box, parse_color(color))]


class _CardNode:
    """Any block with a ``style.background``: its content on a padded, rounded card."""

    def __init__(self, ctx: _Context, inner: _Node, color: RGBA) -> None:
        self.ctx, self.inner, self.color = ctx, inner, color
        self.pad = 28 * ctx.scale

    @property
    def blocks(self) -> Sequence[Block]:
        return self.inner.blocks

    def measure(self, width: float, k: float) -> float:
        return self.inner.measure(width - 2 * self.pad, k) + 2 * self.pad

    def place(self, box: Box) -> list[LayoutItem]:
        radius = self.ctx.spec.brand.radius * self.ctx.scale
        card = CardItem(self.blocks[0].id or "", box, radius, self.color, self.color[3] == 255)
        p = self.pad
        return [card, *self.inner.place(Box(box.x + p, box.y + p, box.w - 2 * p, box.h - 2 * p))]


def _nodes(ctx: _Context, blocks: Sequence[Block], available: float) -> list[_Node]:
    nodes: list[_Node] = []
    stats: list[Stat] = []
    for block in [*blocks, None]:
        if isinstance(block, Stat):
            stats.append(block)
            continue
        if stats:
            nodes.append(_StatRowNode(ctx, stats))
            stats = []
        node: _Node | None = None
        if isinstance(block, Title | Subtitle | Text | Footer):
            node = _TextNode(ctx, block)
        elif isinstance(block, ListBlock):
            node = _ListNode(ctx, block)
        if node is not None:
            card = ctx.card_color(node.blocks[0])
            nodes.append(node if card is None else _CardNode(ctx, node, card))
        elif isinstance(block, ImageBlock):
            nodes.append(_ImageNode(ctx, block, available))
        elif isinstance(block, ChartBlock):
            nodes.append(_ChartNode(ctx, block, available))
        elif isinstance(block, Divider):
            nodes.append(_DividerNode(ctx, block))
    return nodes


def _gap_before(ctx: _Context, node: _Node, previous: _Node) -> float:
    if isinstance(previous.blocks[0], Title) and isinstance(node.blocks[0], Subtitle):
        return ctx.small_gap
    return ctx.gap


def _context(spec: Spec, library: FontLibrary) -> _Context:
    short = spec.canvas.short_side
    scale = short / REFERENCE_SIDE
    palette = spec.brand.palette
    steps = spec.brand.spacing
    text, surface = parse_color(palette.text), parse_color(palette.surface)
    muted = parse_color(palette.muted)
    white, black = (255, 255, 255, 255), (0, 0, 0, 255)
    bgs = background_colors(spec.canvas.background, palette)
    on_bg = readable(text, [surface, white, black], bgs, 4.5)
    return _Context(
        spec=spec,
        library=library,
        scale=scale,
        floor=legibility_floor(short),
        small_floor=legibility_floor(short, small=True),
        gap=steps[min(4, len(steps) - 1)] * scale,
        small_gap=steps[2] * scale,
        on_background=on_bg,
        muted_on_background=readable(muted, [on_bg], bgs, 4.5),
        on_surface=readable(text, [black, white], [surface], 4.5),
        surface=surface,
        direction=locale_info(spec.locale).direction,
        backgrounds=tuple(bgs),
    )


def plan(spec: Spec, library: FontLibrary | None = None) -> Layout:
    """Places every block of ``spec`` on its canvas.

    Raises:
        TextOverflowError: the blocks do not fit even at the legibility floor.
        MissingGlyphError: a text has a character no font covers.
    """
    lib = library or default_library()
    ctx = _context(spec, lib)
    width, height = spec.canvas.width, spec.canvas.height
    safe = safe_area(width, height)
    body_blocks = [b for b in spec.blocks if not isinstance(b, Footer)]
    footer_blocks = [b for b in spec.blocks if isinstance(b, Footer)]
    nodes = _nodes(ctx, body_blocks, safe.h)
    footers = _nodes(ctx, footer_blocks, safe.h)
    logo = _logo_box(spec, safe)
    foot_w = safe.w - (logo.w + ctx.gap if logo else 0.0)

    def total(k: float) -> tuple[float, list[float], list[float]]:
        heights = [n.measure(safe.w, k) for n in nodes]
        foot = [n.measure(foot_w, k) for n in footers]
        return _used(ctx, nodes, heights, foot, logo), heights, foot

    k = _largest_scale(lambda k: total(k)[0] <= safe.h)
    needed, heights, foot = total(k if k is not None else 0.0)
    if k is None:
        biggest = max(zip(heights + foot, nodes + footers, strict=True), key=lambda p: p[0])
        raise TextOverflowError(
            biggest[1].blocks[0].id or "",
            needed,
            safe.h,
            hint=(
                f"all blocks together need {needed:.0f} px of {safe.h:.0f} px; the largest is "
                "this one; shorten the text or use a taller canvas"
            ),
        )
    items = _stack(ctx, nodes, heights, footers, foot, safe, logo)
    if logo is not None and spec.brand.logo is not None:
        items.append(ImageItem(LOGO_ID, logo, spec.brand.logo, "contain", 0.0))
    if ctx.direction == "rtl":
        items = [_mirror(item, width) for item in items]
    # cards first, so text on a card is drawn over it
    items.sort(key=lambda i: 0 if isinstance(i, CardItem) else 1)
    return Layout(width, height, safe, ctx.direction, tuple(items), k)


def _logo_box(spec: Spec, safe: Box) -> Box | None:
    """The brand logo's box: bottom corner on the end side, 7.5 % of the short side tall."""
    if spec.brand.logo is None:
        return None
    h = round(0.075 * spec.canvas.short_side)
    w = min(2.5 * h, safe.w / 3)
    return Box(safe.right - w, safe.bottom - h, w, h)


def _largest_scale(fits: Callable[[float], bool]) -> float | None:
    if fits(1.0):
        return 1.0
    if not fits(0.0):
        return None
    low, high = 0.0, 1.0
    for _ in range(_SEARCH_STEPS):
        mid = (low + high) / 2
        low, high = (mid, high) if fits(mid) else (low, mid)
    fits(low)  # leave every node measured at the chosen scale
    return low


def _stack(
    ctx: _Context,
    nodes: list[_Node],
    heights: list[float],
    footers: list[_Node],
    foot: list[float],
    safe: Box,
    logo: Box | None,
) -> list[LayoutItem]:
    heights = list(heights)
    extra = safe.h - _used(ctx, nodes, heights, foot, logo)
    images = [i for i, n in enumerate(nodes) if isinstance(n, _ImageNode | _ChartNode)]
    for i in images:  # images and charts take the spare room, up to their aspect's height
        node = nodes[i]
        assert isinstance(node, _ImageNode | _ChartNode)
        heights[i] += max(0.0, min(extra / len(images), node.wanted(safe.w) - heights[i]))
    extra = safe.h - _used(ctx, nodes, heights, foot, logo)
    gaps = [_gap_before(ctx, n, p) for p, n in itertools.pairwise(nodes)]
    if gaps and extra > 0:
        grow = min(extra / len(gaps), ctx.gap)
        gaps = [g + grow for g in gaps]
        extra -= grow * len(gaps)
    y = safe.y + max(0.0, extra) * 0.3  # what is still left: content above the centre
    items: list[LayoutItem] = []
    for i, node in enumerate(nodes):
        if i:
            y += gaps[i - 1]
        items += node.place(Box(safe.x, y, safe.w, heights[i]))
        y += heights[i]
    fy = safe.bottom - _stacked(ctx, foot)
    foot_w = safe.w - (logo.w + ctx.gap if logo else 0.0)
    for node, h in zip(footers, foot, strict=True):
        items += node.place(Box(safe.x, fy, foot_w, h))
        fy += h + ctx.small_gap
    return items


def _used(
    ctx: _Context,
    nodes: list[_Node],
    heights: list[float],
    foot: list[float],
    logo: Box | None = None,
) -> float:
    gaps = sum(_gap_before(ctx, n, p) for p, n in itertools.pairwise(nodes))
    bottom = max(_stacked(ctx, foot), logo.h if logo else 0.0)
    bottom += ctx.gap if bottom and nodes else 0.0
    return sum(heights) + gaps + bottom


def _stacked(ctx: _Context, heights: list[float]) -> float:
    return sum(heights) + ctx.small_gap * max(0, len(heights) - 1)


def _mirror(item: LayoutItem, width: float) -> LayoutItem:
    if isinstance(item, ShapeItem):
        return item.mirrored(width)
    return replace(item, box=item.box.mirrored(width))
