"""Card strategies: ``grid`` (stats as a grid of cards) and ``hero`` (one stat leads).

grid
    Each run of consecutive stats becomes a grid of cards whose column count suits the
    body's shape (cards about 1.4 times as wide as tall, few empty cells); the cards grow
    to fill the free height, up to 0.8 times their width. Other blocks keep their order
    above and below. Two column counts are offered, best first.

hero
    The first stat is set large (role ``stat.hero``, 168 px at 1080) on a panel in the
    brand's primary colour, its text in whichever palette colour reads best on it; the
    other stats follow in a row of cards; the panel takes free height (up to half its
    width). Other blocks keep their order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from factframe.layout.context import PlanContext, shares_size
from factframe.layout.flow import Flow
from factframe.layout.model import Box, CardItem, LayoutItem, TextItem
from factframe.layout.nodes import Node, NodeBase, StatCardsNode, stat_parts
from factframe.layout.regions import Arrangement, Stack
from factframe.layout.strategies import NotApplicable, composed_nodes
from factframe.spec import Block, Stat, parse_color
from factframe.typography import TextBlock, measure

__all__ = ["HeroNode", "grid", "grid_columns", "hero"]

_CELL_ASPECT = 1.4  # width / height a grid's cards look best at
_STRETCH = 0.8  # a grid card grows to at most this × its width tall
_GRID_SHARE = 0.6  # share of the body's height a grid is expected to have


def grid_columns(n: int, width: float, height: float, gap: float) -> list[int]:
    """Column counts for ``n`` cards in a ``width`` × ``height`` region, best first: cards
    near :data:`_CELL_ASPECT`, penalising empty cells."""

    def score(cols: int) -> float:
        rows = math.ceil(n / cols)
        cell_w = (width - gap * (cols - 1)) / cols
        cell_h = max(1.0, (height - gap * (rows - 1)) / rows)
        return abs(math.log(cell_w / cell_h / _CELL_ASPECT)) + 0.35 * (cols * rows - n)

    return sorted(range(1, min(n, 5) + 1), key=score)


def _stat_runs(blocks: Sequence[Block]) -> list[list[Stat]]:
    runs: list[list[Stat]] = []
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Stat):
            if isinstance(previous, Stat):
                runs[-1].append(block)
            else:
                runs.append([block])
        previous = block
    return runs


def grid(ctx: PlanContext, blocks: Sequence[Block], body: Box) -> list[Arrangement]:
    """Stats in grids of cards that fill the free height."""
    runs = _stat_runs(blocks)
    if sum(len(r) for r in runs) < 2:
        raise NotApplicable("a card grid needs at least two stats")
    expected = body.h * _GRID_SHARE / len(runs)
    choices = [grid_columns(len(r), body.w, expected, ctx.gap) for r in runs]
    out: list[Arrangement] = []
    for rank in range(min(2, max(len(c) for c in choices))):
        cols = [c[min(rank, len(c) - 1)] for c in choices]
        special: dict[str, Node | None] = {}
        for run, c in zip(runs, cols, strict=True):
            special.update({s.id or "": None for s in run})
            special[run[0].id or ""] = StatCardsNode(ctx, run, per_row=c, stretch=_STRETCH)
        shape = ", ".join(f"{c}×{math.ceil(len(r) / c)}" for r, c in zip(runs, cols, strict=True))
        out.append(Stack(Flow(ctx, composed_nodes(ctx, blocks, body.h, special)), f"grid {shape}"))
    return out


class HeroNode(NodeBase):
    """The lead stat, large, on a panel of the brand's primary colour."""

    def __init__(self, ctx: PlanContext, stat: Stat) -> None:
        self.ctx, self.blocks, self.stat = ctx, [stat], stat
        primary = parse_color(stat.style.background or ctx.spec.brand.palette.primary)
        self.fill = primary if primary[3] == 255 else ctx.surface
        self.texts: list[tuple[str, TextBlock]] = []
        self.pad = ctx.pad
        self.width = 0.0

    def measure(self, width: float, k: float) -> float:
        ctx = self.ctx
        largest = ctx.sizes(self.stat, "stat.hero", k)[0]
        # the contrast check looks a quarter of the size around the ink: keep it on the panel
        self.pad = max(ctx.pad, 0.3 * largest + 4 * ctx.scale)
        inner = width - 2 * self.pad
        self.texts = [
            (role, ctx.fit(self.stat, role, text, inner, k, under=self.fill))
            for role, text in stat_parts(self.stat, "stat.hero")
        ]
        self.width = width
        self.height = self.content_height() + 2 * self.pad
        return self.height

    def content_height(self) -> float:
        heights = [measure(t, self.ctx.library).height for _, t in self.texts]
        return sum(heights) + self.ctx.small_gap * 0.5 * (len(heights) - 1)

    def wanted(self, width: float) -> float:
        return max(self.height, min(0.5 * width, 1.6 * self.height))

    def sizes(self) -> list[tuple[str, float]]:
        return [(r, t.size) for r, t in self.texts] if shares_size(self.stat) else []

    def place(self, box: Box) -> list[LayoutItem]:
        ctx, sid = self.ctx, self.stat.id or ""
        radius = ctx.spec.brand.radius * ctx.scale
        out: list[LayoutItem] = [CardItem(sid, box, radius, self.fill, self.fill[3] == 255)]
        y = box.y + (box.h - self.content_height()) / 2
        for role, text in self.texts:
            h = measure(text, ctx.library).height
            out.append(TextItem(sid, role, Box(box.x + self.pad, y, text.width, h), text))
            y += h + ctx.small_gap * 0.5
        return out


def hero(ctx: PlanContext, blocks: Sequence[Block], body: Box) -> list[Arrangement]:
    """The first stat as the hero; the other stats of its run in a row of cards."""
    runs = _stat_runs(blocks)
    if not runs:
        raise NotApplicable("a hero layout needs a stat")
    lead, *rest = runs[0]
    special: dict[str, Node | None] = {s.id or "": None for s in rest}
    special[lead.id or ""] = panel = HeroNode(ctx, lead)
    nodes = composed_nodes(ctx, blocks, body.h, special)
    if rest:
        nodes.insert(nodes.index(panel) + 1, StatCardsNode(ctx, rest))
    return [Stack(Flow(ctx, nodes), f"hero + {len(rest)} stats")]
