"""Comparisons: two things compared measure by measure (the ``comparison`` strategy).

A comparison is written as pairs of stats, each pair optionally after a short text naming
the measure (the ``comparison-card`` template)::

    - {type: text, text: Price}
    - {type: stat, value: "€450", label: City bike}
    - {type: stat, value: "€1,900", label: E-bike}
    - {type: text, text: Range}
    - …

It is laid out as a table: when every pair's first stat has one label and every second
stat another, those two labels head the two columns once (instead of on every card);
each row holds the two values on cards, and the measure's name either between them
(in a middle column four grid columns wide) or, when it needs more room, above them.
All values share one size; rows grow evenly with free height (cards up to half as tall
as wide).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from factframe.layout.context import PlanContext, shares_size
from factframe.layout.model import Box, LayoutItem, TextItem
from factframe.layout.nodes import NodeBase, StatCardsNode
from factframe.spec import Block, Stat, Text
from factframe.typography import TextBlock, measure

__all__ = ["ComparisonNode", "Pair", "column_heads", "stat_pairs"]

_MIDDLE_SPAN = 4  # grid columns of the measure names' middle column
_STRETCH = 0.5


@dataclass(frozen=True)
class Pair:
    """One row of a comparison: the measure's name (a text block, or None) and two stats."""

    name: Text | None
    a: Stat
    b: Stat


def stat_pairs(blocks: Sequence[Block]) -> tuple[int, int, list[Pair]] | None:
    """The comparison in ``blocks``: ``(start, end, pairs)`` — the blocks ``start:end``
    are its rows — or None when the stats are not all in pairs (runs of exactly two), or
    other blocks stand between the rows."""

    def pair_at(j: int) -> bool:
        return all(j + d < len(blocks) and isinstance(blocks[j + d], Stat) for d in (0, 1))

    pairs: list[Pair] = []
    start: int | None = None
    end: int | None = None
    i = 0
    while i < len(blocks):
        block = blocks[i]
        name = block if isinstance(block, Text) and block.style.background is None else None
        j = i + (name is not None)
        if pair_at(j):
            if end is not None and i != end:
                return None  # something stands between two rows
            if pair_at(j + 1):
                return None  # three stats in a run
            a, b = blocks[j], blocks[j + 1]
            assert isinstance(a, Stat) and isinstance(b, Stat)
            pairs.append(Pair(name, a, b))
            start = i if start is None else start
            i = end = j + 2
        elif isinstance(block, Stat):
            return None  # a stat on its own
        else:
            i += 1
    if start is None or end is None:
        return None
    return start, end, pairs


def column_heads(pairs: Sequence[Pair]) -> tuple[str, str] | None:
    """The two labels that head the columns: every first stat's label and every second
    stat's, when each is the same on every row (and they differ)."""
    first = {p.a.label for p in pairs}
    second = {p.b.label for p in pairs}
    if len(first) == len(second) == 1:
        a, b = next(iter(first)), next(iter(second))
        if a and b and a != b:
            return a, b
    return None


class ComparisonNode(NodeBase):
    """The rows of a comparison, with column heads; ``middle`` puts the measures' names
    between the cards, else above them."""

    def __init__(self, ctx: PlanContext, pairs: list[Pair], middle: bool) -> None:
        self.ctx, self.pairs, self.middle = ctx, pairs, middle
        self.blocks = [b for p in pairs for b in (p.name, p.a, p.b) if b is not None]
        self.heads = column_heads(pairs)
        labels = self.heads is None
        self.cards = [StatCardsNode(ctx, [p.a, p.b], per_row=2, labels=labels) for p in pairs]
        self.head_texts: list[TextBlock] = []
        self.names: list[TextBlock | None] = []
        self.rows: list[float] = []
        self.card_w = self.mid_w = self.head_h = 0.0

    def measure(self, width: float, k: float) -> float:
        ctx = self.ctx
        self.mid_w = ctx.span(width, _MIDDLE_SPAN) if self.middle else 0.0
        cards_w = width - (self.mid_w + ctx.gap if self.middle else 0.0)
        for node in self.cards:
            node.measure(cards_w, k)
        self.card_w = self.cards[0].cell_w
        self.head_texts, self.head_h = [], 0.0
        if self.heads is not None:
            p = self.pairs[0]
            self.head_texts = [
                ctx.fit(stat, "stat.label", head, self.card_w, k, under="canvas")
                for stat, head in ((p.a, self.heads[0]), (p.b, self.heads[1]))
            ]
            size = min(t.size for t in self.head_texts)
            self.head_texts = [replace(t.at(size), align="center") for t in self.head_texts]
            self.head_h = max(measure(t, ctx.library).height for t in self.head_texts)
        name_w = self.mid_w if self.middle else width
        names = [
            None if p.name is None else ctx.fit(p.name, "text", p.name.text, name_w, k)
            for p in self.pairs
        ]
        sharing = self._sharing(names)
        if sharing:
            size = min(n.size for n, _ in sharing)
            names = [n.at(size) if n and any(n is m for m, _ in sharing) else n for n in names]
        self.names = [None if n is None else replace(n, align="center") for n in names]
        self.rows = [self._row(i) for i in range(len(self.pairs))]
        self.height = self._top() + sum(self.rows) + ctx.gap * (len(self.rows) - 1)
        return self.height

    def _name_h(self, i: int) -> float:
        name = self.names[i]
        return measure(name, self.ctx.library).height if name is not None else 0.0

    def _row(self, i: int) -> float:
        cards = self.cards[i].height
        if self.middle:
            return max(cards, self._name_h(i))
        return cards + (self._name_h(i) + self.ctx.small_gap if self.names[i] else 0.0)

    def _top(self) -> float:
        return self.head_h + self.ctx.small_gap if self.head_texts else 0.0

    def wanted(self, width: float) -> float:
        grow = sum(max(0.0, self.card_w * _STRETCH - n.height) for n in self.cards)
        return self.height + grow

    def sizes(self) -> list[tuple[str, float]]:
        out = [s for node in self.cards for s in node.sizes()]
        return out + [("text", n.size) for n, _ in self._sharing(self.names)]

    def _sharing(self, names: list[TextBlock | None]) -> list[tuple[TextBlock, Pair]]:
        """The measures' names that share one size (set no size of their own)."""
        pairs = zip(names, self.pairs, strict=True)
        return [(n, p) for n, p in pairs if n and p.name and shares_size(p.name)]

    def place(self, box: Box) -> list[LayoutItem]:
        ctx, lib = self.ctx, self.ctx.library
        out: list[LayoutItem] = []
        right = box.x + box.w - self.card_w
        if self.head_texts:
            a, b = self.pairs[0].a.id or "", self.pairs[0].b.id or ""
            for sid, x, text in ((a, box.x, self.head_texts[0]), (b, right, self.head_texts[1])):
                h = measure(text, lib).height
                out.append(TextItem(sid, "stat.label", Box(x, box.y, text.width, h), text))
        grow = max(0.0, box.h - self.height) / len(self.pairs)
        y = box.y + self._top()
        for i, (pair, node) in enumerate(zip(self.pairs, self.cards, strict=True)):
            name, row_h = self.names[i], self.rows[i] + grow
            card_y, card_h = y, node.height + grow
            if name is not None and pair.name is not None:
                h = self._name_h(i)
                if self.middle:
                    name_box = Box(
                        box.x + self.card_w + ctx.gap, y + (row_h - h) / 2, self.mid_w, h
                    )
                else:
                    name_box = Box(box.x, y, box.w, h)
                    card_y += h + ctx.small_gap
                out.append(TextItem(pair.name.id or "", "text", name_box, name))
            out += node.place_card(pair.a, Box(box.x, card_y, self.card_w, card_h))
            out += node.place_card(pair.b, Box(right, card_y, self.card_w, card_h))
            y += row_h + ctx.gap
        return out
