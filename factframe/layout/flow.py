"""The vertical flow: nodes stacked top to bottom in a region, and how spare height is
shared out.

Every strategy is built of flows (a stack is one; two columns are two, side by side). A
flow measures its nodes at a width and text scale ``k``; placed in a region taller than
it needs, it gives the spare height away like a designer would, in this order:

1. **visuals grow**: images, charts and stretchable cards take what they want (an
   image or chart up to its aspect's height, an image without an aspect any height),
   shared evenly (water-filling);
2. **sections breathe**: the gaps between sections step up the brand's spacing scale
   (one step at a time, all together, up to its largest step), so the rhythm stays
   regular; the small gap inside a group (title → subtitle) stays. (When text has to
   shrink, section gaps tighten with it, down the same scale:
   :meth:`~factframe.layout.context.PlanContext.section_gap`.)
3. **the group is centred**: whatever is left goes around the whole group, half above
   and half below (:data:`OPTICAL_CENTRE`); with the gap before the footer band under
   it, the content sits a little above the middle of the card, where the eye expects
   it, instead of leaving an empty band at the bottom.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace

from factframe.layout.context import MARGIN_RATIO, PlanContext, safe_area
from factframe.layout.model import Box, IconItem, LayoutItem, ShapeItem
from factframe.layout.nodes import Node, gap_before, in_group
from factframe.spec import Block

__all__ = ["MARGIN_RATIO", "OPTICAL_CENTRE", "Flow", "largest_scale", "mirror", "safe_area"]

#: Share of a flow's leftover height that goes above its content (the rest below).
OPTICAL_CENTRE = 0.5
# Bisection steps for the text scale: 1/128 of a title's 76 px is under a pixel, and sizes
# are fitted in whole px.
_SEARCH_STEPS = 7


class Flow:
    """Nodes stacked top to bottom.

    Args:
        ctx: the plan's context.
        nodes: in reading order.
        anchor: the share of the leftover height above the content (0: top aligned).
    """

    def __init__(
        self, ctx: PlanContext, nodes: Sequence[Node], anchor: float = OPTICAL_CENTRE
    ) -> None:
        self.ctx, self.nodes, self.anchor = ctx, list(nodes), anchor
        self.heights: list[float] = []
        self.width = 0.0
        self.sections = [not in_group(n, p) for p, n in itertools.pairwise(self.nodes)]
        self.gaps = [gap_before(ctx, n, p) for p, n in itertools.pairwise(self.nodes)]

    @property
    def blocks(self) -> list[Block]:
        return [b for n in self.nodes for b in n.blocks]

    @property
    def needed(self) -> float:
        """The height measured last: the nodes and the gaps between them."""
        return sum(self.heights) + sum(self.gaps)

    def measure(self, width: float, k: float) -> float:
        """Measures every node at ``width`` and scale ``k``; returns :attr:`needed`."""
        self.width = width
        self.heights = [n.measure(width, k) for n in self.nodes]
        self.gaps = [gap_before(self.ctx, n, p, k) for p, n in itertools.pairwise(self.nodes)]
        return self.needed

    def sizes(self) -> list[tuple[str, float]]:
        return [s for n in self.nodes for s in n.sizes()]

    def largest_block(self) -> str:
        """The block of the tallest node (named when the flow does not fit)."""
        if not self.nodes:
            return ""
        _, node = max(zip(self.heights, self.nodes, strict=True), key=lambda p: p[0])
        return node.blocks[0].id or ""

    def wanted(self) -> float:
        """The height the flow would grow to: its visuals at the heights they want."""
        return sum(n.wanted(self.width) for n in self.nodes) + sum(self.gaps)

    def place(self, box: Box) -> list[LayoutItem]:
        """Places the nodes in ``box`` (measured at its width), sharing out its spare
        height as the module describes."""
        heights, gaps = list(self.heights), list(self.gaps)
        extra = box.h - self.needed
        # 1. visuals grow
        extra = _grow(heights, [n.wanted(box.w) for n in self.nodes], extra)
        # 2. sections breathe, a step of the spacing scale at a time
        sections = [i for i, section in enumerate(self.sections) if section]
        for step in self.ctx.steps_above(min((gaps[i] for i in sections), default=0.0)):
            cost = sum(max(0.0, step - gaps[i]) for i in sections)
            if not sections or cost > extra:
                break
            for i in sections:
                gaps[i] = max(gaps[i], step)
            extra -= cost
        # 3. the group at the optical centre
        y = box.y + max(0.0, extra) * self.anchor
        items: list[LayoutItem] = []
        for i, node in enumerate(self.nodes):
            if i:
                y += gaps[i - 1]
            items += node.place(Box(box.x, y, box.w, heights[i]))
            y += heights[i]
        return items


def _grow(heights: list[float], wanted: list[float], extra: float) -> float:
    """Gives ``extra`` px to the nodes that want more, evenly, none past what it wants
    (water-filling); returns what is left."""
    hungry = [i for i, (h, w) in enumerate(zip(heights, wanted, strict=True)) if w > h + 0.5]
    while hungry and extra > 0.5:
        share = extra / len(hungry)
        for i in list(hungry):
            take = min(share, wanted[i] - heights[i])
            heights[i] += take
            extra -= take
            if wanted[i] - heights[i] <= 0.5:
                hungry.remove(i)
    return extra


def largest_scale(
    excess: Callable[[float], float],
    steps: int = _SEARCH_STEPS,
    above: float = 0.0,
    full: bool = True,
) -> float | None:
    """The largest text scale ``k`` in [0, 1] at which everything fits, leaving
    everything measured at the answer; None when even ``k = 0`` (every text at its
    floor) does not fit. ``excess(k)`` measures at ``k`` and says how much too full the
    fullest region is (needed / available − 1; ≤ 0 when it fits).

    The scale is found by regula falsi on the excess, safeguarded by bisection: heights
    grow smoothly enough with ``k`` that two or three measures usually land within 1.5 %
    of filling the region, where the search stops (or when the bracket is 1/128 wide).
    With ``above``, only scales above it are of interest: None when it does not fit
    there. ``full=False`` skips trying ``k = 1`` (known not to fit).
    """
    high, over = 1.0, excess(1.0) if full else 1.0
    if over <= 0:
        return 1.0
    low, under = above, excess(above)
    if under > 0:
        return None
    for i in range(steps):
        if high - low < 1 / 128 or under > -0.015:
            break
        guess = low + (high - low) * under / (under - over)
        margin = (high - low) * (0.1 if i % 2 == 0 else 0.5)  # every other step: bisect
        k = min(max(guess, low + margin), high - margin) if i % 2 == 0 else low + margin
        value = excess(k)
        if value <= 0:
            low, under = k, value
        else:
            high, over = k, value
    excess(low)
    return low


def mirror(item: LayoutItem, width: float) -> LayoutItem:
    """An item reflected across the vertical centre line of a canvas ``width`` wide."""
    if isinstance(item, ShapeItem | IconItem):
        return item.mirrored(width)
    return replace(item, box=item.box.mirrored(width))
