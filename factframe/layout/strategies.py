"""Planner strategies: what they share, and the simplest of them, ``stack``.

A strategy is a function ``(ctx, blocks, body) -> [Arrangement, …]``: given the body's
blocks (every block but the footers, in spec order) and the body's box, it returns one or
more candidate :class:`~factframe.layout.regions.Arrangement` s, best first, or raises
:class:`NotApplicable` when the blocks do not suit it (``comparison`` without paired
stats). The planner (:mod:`factframe.layout.planner`) tries the candidates at text scale
1 and takes the first that fits; if none does, the one that fits at the largest scale.

The strategies, each in its own module:

========== ==============================================================================
stack      every block top to bottom (:func:`stack`)
grid       stats as a grid of cards that fill the free height (:mod:`.grid`)
hero       the first stat large on a brand-coloured panel, the others in a row
           (:mod:`.grid`)
comparison paired stats in two columns, one row per measure (:func:`comparison`,
           :mod:`.comparison`)
timeline   a list of dated events on a rail (:func:`timeline`, :mod:`.timeline`)
columns    text in one column, pictures and charts in the other, or long text in two
           columns (:mod:`.columns`)
poster     one large picture or chart and a band of text (:mod:`.columns`)
========== ==============================================================================

Every strategy but ``stack`` (the plainest, the last resort) sets the blocks it does not
arrange itself with :func:`composed_nodes`: paired stats as a comparison table and dated
lists on a rail wherever they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from factframe.layout.comparison import ComparisonNode, column_heads, stat_pairs
from factframe.layout.context import PlanContext
from factframe.layout.flow import Flow
from factframe.layout.model import Box
from factframe.layout.nodes import VISUAL_MINIMUM, CardNode, Node, build_nodes
from factframe.layout.regions import Arrangement, Stack
from factframe.layout.timeline import HORIZONTAL_MAX, TimelineNode, dated_list
from factframe.spec import Block, ChartBlock, ImageBlock, ListBlock, MapBlock, Subtitle, Title

__all__ = [
    "NotApplicable",
    "Strategy",
    "comparison",
    "composed_nodes",
    "header_length",
    "is_visual",
    "stack",
    "timeline",
]

#: A strategy: the body's blocks and box → candidate arrangements, best first.
Strategy = Callable[[PlanContext, Sequence[Block], Box], list[Arrangement]]


class NotApplicable(Exception):
    """The blocks do not suit a strategy; the message says why."""


def is_visual(block: Block) -> bool:
    """Pictures, charts and maps: the blocks that take free space."""
    return isinstance(block, ImageBlock | ChartBlock | MapBlock)


def header_length(blocks: Sequence[Block]) -> int:
    """How many leading blocks are the header: titles and subtitles (no cards)."""
    n = 0
    for block in blocks:
        if not isinstance(block, Title | Subtitle) or block.style.background is not None:
            break
        n += 1
    return n


def stack(ctx: PlanContext, blocks: Sequence[Block], body: Box) -> list[Arrangement]:
    """Every block top to bottom, consecutive stats in rows of cards; spare height goes to
    pictures and charts, then to the gaps, then around the group (see
    :mod:`factframe.layout.flow`)."""
    return [Stack(Flow(ctx, build_nodes(ctx, blocks, body.h)), "stack")]


def composed_nodes(
    ctx: PlanContext,
    blocks: Sequence[Block],
    available: float,
    special: Mapping[str, Node | None] | None = None,
    image_minimum: float = VISUAL_MINIMUM,
) -> list[Node]:
    """A stack's nodes, with paired stats (when the automatic choice would take them for
    a comparison) as a comparison table and dated lists on a vertical rail; ``special``
    as in :func:`~factframe.layout.nodes.build_nodes` comes first."""
    given = dict(special or {})
    found = stat_pairs(blocks)
    if found is not None and len(found[2]) >= 2 and column_heads(found[2]) is not None:
        start, end, pairs = found
        rows = [b.id or "" for b in blocks[start:end]]
        if not any(r in given for r in rows):
            given.update(dict.fromkeys(rows))
            given[rows[0]] = ComparisonNode(ctx, pairs, middle=True)
    for block in blocks:
        if (
            isinstance(block, ListBlock)
            and dated_list(block, ctx.spec.locale)
            and block.id not in given
        ):
            given[block.id or ""] = _timeline_node(ctx, block, horizontal=False)
    return build_nodes(ctx, blocks, available, image_minimum, special=given)


def _timeline_node(ctx: PlanContext, block: ListBlock, horizontal: bool) -> Node:
    """A list on a rail, on its card when it has a ``style.background``."""
    node = TimelineNode(ctx, block, horizontal)
    card = ctx.card_color(block)
    return node if card is None else CardNode(ctx, node, card)


def comparison(ctx: PlanContext, blocks: Sequence[Block], body: Box) -> list[Arrangement]:
    """The comparison's rows as a table between the blocks before and after it (see
    :mod:`factframe.layout.comparison`)."""
    found = stat_pairs(blocks)
    if found is None:
        raise NotApplicable("a comparison needs its stats in pairs, one pair a row")
    start, end, pairs = found
    out: list[Arrangement] = []
    for middle in (True, False):
        special: dict[str, Node | None] = {b.id or "": None for b in blocks[start:end]}
        special[blocks[start].id or ""] = ComparisonNode(ctx, pairs, middle)
        nodes = composed_nodes(ctx, blocks, body.h, special)
        label = "comparison, measures " + ("between" if middle else "above")
        out.append(Stack(Flow(ctx, nodes), label))
    return out


def timeline(ctx: PlanContext, blocks: Sequence[Block], body: Box) -> list[Arrangement]:
    """The first list of dated events (or, asked for, the first list) on a rail, the
    other blocks above and below it (see :mod:`factframe.layout.timeline`); horizontal
    first on a wide body."""
    lists = [b for b in blocks if isinstance(b, ListBlock)]
    if not lists:
        raise NotApplicable("a timeline needs a list")
    chosen = next((b for b in lists if dated_list(b, ctx.spec.locale)), lists[0])
    wide = body.w >= 1.3 * body.h and 2 <= len(chosen.items) <= HORIZONTAL_MAX
    out: list[Arrangement] = []
    for horizontal in (True, False) if wide else (False,):
        special: dict[str, Node | None] = {chosen.id or "": _timeline_node(ctx, chosen, horizontal)}
        nodes = composed_nodes(ctx, blocks, body.h, special)
        label = "timeline, " + ("horizontal" if horizontal else "vertical")
        out.append(Stack(Flow(ctx, nodes), label))
    return out
