"""What the infographic blocks share: a node whose marks and labels are planned inside
its box, colours from palette roles, and the ``icon`` block.

The ``icon``, ``pictogram``, ``progress`` and ``table`` blocks are drawn like charts: their
text goes through :class:`~factframe.layout.plotting.ChartText` (the typography stack:
shaping, bidi, the locale's font chain, one size per role, never below the floor), their
marks are :class:`~factframe.layout.model.ShapeItem` s and
:class:`~factframe.layout.model.IconItem` s of the block (the layout names an icon; the
generator draws it, so layout never imports the drawing code), and every label keeps
:func:`~factframe.layout.plotting.clearance` from every mark, so the audit's contrast
ring around the text sees only the background. Geometry is planned left to right; the
flow mirrors it for RTL locales (:meth:`~factframe.layout.model.IconItem.mirrored`).
A block with a ``style.background`` sits on its own padded card.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from factframe.layout.context import PlanContext, visual_share
from factframe.layout.model import Box, CardItem, IconItem, LayoutItem
from factframe.layout.plotting import (
    RGBA,
    ChartStyle,
    ChartText,
    Label,
    clearance,
    series_colors,
)
from factframe.spec import Block, IconBlock, PictogramBlock, ProgressBlock
from factframe.spec_icons import resolve_icon

__all__ = ["FAINT_ALPHA", "IconNode", "MarkNode", "ValueNode", "block_style", "faint"]

Align = Literal["start", "center", "end"]
#: Opacity of the empty part of a pictogram or a progress track (of the text colour).
FAINT_ALPHA = 56


def faint(color: RGBA) -> RGBA:
    """``color`` at :data:`FAINT_ALPHA`: visible on light and dark backgrounds alike."""
    return (color[0], color[1], color[2], FAINT_ALPHA)


def block_style(
    ctx: PlanContext, block: Block, roles: Sequence[str], k: float, card: RGBA | None
) -> ChartStyle:
    """How a block's labels are set at text scale ``k``: its fonts, locale, direction,
    each role's (largest, floor) size and a colour readable on its card or the canvas."""
    under = (card,) if card is not None and card[3] == 255 else ctx.backgrounds
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


class MarkNode:
    """A block planned like a chart: subclasses say which text ``roles`` it has, how
    tall it is at a width (:meth:`inner_height`) and what it draws in a box
    (:meth:`plan`); this class adds the card and keeps the text scale."""

    roles: tuple[str, ...] = ()
    height = 0.0

    def __init__(self, ctx: PlanContext, block: Block, available: float) -> None:
        self.ctx, self.blocks, self.block = ctx, [block], block
        self.available, self.k = available, 1.0
        self.card = ctx.card_color(block)
        self.pad = ctx.pad if self.card else 0.0
        # the text of each scale tried, kept: the planner measures again and again
        self._by_scale: dict[float, ChartText] = {}
        self._fitted: dict[tuple[float, str, str, float, Align], Label] = {}
        self.texts = self._texts_at(1.0)

    def _texts_at(self, k: float) -> ChartText:
        if k not in self._by_scale:
            self._by_scale[k] = ChartText(self.style(k))
        return self._by_scale[k]

    def fitted(self, text: str, role: str, width: float, align: Align = "start") -> Label:
        """``text`` wrapped to ``width`` at the largest size of its role that fits (at the
        scale measured last; kept)."""
        key = (self.k, text, role, width, align)
        if key not in self._fitted:
            self._fitted[key] = self.texts.fitted(text, role, width, align)
        return self._fitted[key]

    def style(self, k: float) -> ChartStyle:
        return block_style(self.ctx, self.block, self.roles, k, self.card)

    def color(self, value: str | None) -> RGBA:
        """A mark's colour: a palette role or a colour as given, or for None the first
        automatic colour that stands out (3:1) from what the block sits on (as a chart's
        first series: :func:`~factframe.layout.plotting.series_colors`)."""
        style = self.texts.style
        return series_colors(style.palette, style.backgrounds, [value])[0]

    def inner_height(self, width: float) -> float:
        """The height of the content ``width`` px wide, at the scale :attr:`k`."""
        raise NotImplementedError

    def plan(self, box: Box) -> list[LayoutItem]:
        """The marks and labels inside ``box`` (left to right)."""
        raise NotImplementedError

    def wanted(self, width: float) -> float:
        return self.height

    def sizes(self) -> list[tuple[str, float]]:
        return []  # like a chart's, its labels size themselves

    def measure(self, width: float, k: float) -> float:
        self.k, self.texts = k, self._texts_at(k)
        self.height = self.inner_height(width - 2 * self.pad) + 2 * self.pad
        return self.height

    def place(self, box: Box) -> list[LayoutItem]:
        p = self.pad
        items = self.plan(Box(box.x + p, box.y + p, box.w - 2 * p, box.h - 2 * p))
        if self.card is None:
            return items
        radius = self.ctx.spec.brand.radius * self.ctx.scale
        return [CardItem(self.block.id or "", box, radius, self.card, self.card[3] == 255), *items]


class ValueNode(MarkNode):
    """A block with a ``value`` (``pictogram``, ``progress``): its :attr:`amount` is read
    when the node is made, so a value template not bound yet is a
    :class:`~factframe.errors.SpecError` before any planning."""

    block: PictogramBlock | ProgressBlock

    def __init__(
        self, ctx: PlanContext, block: PictogramBlock | ProgressBlock, available: float
    ) -> None:
        super().__init__(ctx, block, available)
        self.amount = block.amount


class IconNode(MarkNode):
    """An ``icon`` block: the icon, ``size`` px at 1080 (less when the text has to
    shrink, never wider than the region), and its label under it."""

    roles = ("icon.label",)
    block: IconBlock
    side = 0.0

    def _label_gap(self) -> float:
        return clearance(self.texts.style.sizes["icon.label"][0])

    def inner_height(self, width: float) -> float:
        block = self.block
        self.side = min(block.size * self.ctx.scale * visual_share(self.k), width)
        if block.label is None:
            return self.side
        label = self.fitted(block.label, "icon.label", width, self._align())
        return self.side + self._label_gap() + label.h

    def _align(self) -> Align:
        return self.block.style.align or "center"

    def plan(self, box: Box) -> list[LayoutItem]:
        block, side = self.block, self.side
        align = self._align()
        x = {"start": box.x, "center": box.x + (box.w - side) / 2, "end": box.right - side}[align]
        y = box.y + max(0.0, box.h - self.height + 2 * self.pad) / 2
        color = self.color(block.color)
        bid = block.id or ""
        items: list[LayoutItem] = [
            IconItem(bid, Box(x, y, side, side), resolve_icon(block.name), color)
        ]
        if block.label is not None:
            label = self.fitted(block.label, "icon.label", box.w, align)
            items.append(label.at(bid, box.x, y + side + self._label_gap()))
        return items
