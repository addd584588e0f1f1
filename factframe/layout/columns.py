"""Two-region strategies: ``columns`` (side by side) and ``poster`` (a large visual and a
band of text).

columns
    With pictures or charts: the text (header, stats, text, lists, in order) in one
    column and the visuals in the other, on the end side (right; left when mirrored).
    Candidates, best first, on the brand's layout grid (12 columns): text 6 : 6 visuals,
    7 : 5, 5 : 7, then the title and subtitle across the top with 6 : 6 and 7 : 5 under
    them. The visuals fill their column's height. Without visuals: the title and
    subtitle across the top, the other blocks in two columns of equal width, split
    between blocks where the two heights balance best (order kept: down the first
    column, then the second).

poster
    The first picture (else the first chart) is the poster's visual. On a wide body
    (≥ 1.3 : 1) it takes the end side and the text band the start side: the band 5, 4
    or 6 grid columns wide. Otherwise the visual takes the top, at least 55 %, 45 % or
    35 % of the height (the first of those the text fits under), and the band of text
    follows; the visual grows into any free height.
"""

from __future__ import annotations

from collections.abc import Sequence

from factframe.layout.context import PlanContext
from factframe.layout.flow import Flow
from factframe.layout.model import Box
from factframe.layout.nodes import Node, block_node, build_nodes, gap_before
from factframe.layout.regions import Arrangement, Split, Stack
from factframe.layout.strategies import NotApplicable, composed_nodes, header_length, is_visual
from factframe.spec import Block, ImageBlock

__all__ = ["BalancedColumns", "columns", "poster"]

_WIDE = 1.3  # body width / height from which a poster's visual goes beside its band
_VISUAL_COLUMN_MINIMUM = 0.5  # of the body's height, for a picture in its own column


def _grid_split(ctx: PlanContext, share: float) -> int:
    """The grid columns closest to ``share`` of the width (at least one each side)."""
    return min(ctx.grid - 1, max(1, round(share * ctx.grid)))


class BalancedColumns(Split):
    """A header across the top and the other nodes in two equal columns, split (in
    order) where the columns' heights balance best at the scale being measured."""

    def __init__(self, ctx: PlanContext, header: Flow, nodes: list[Node]) -> None:
        super().__init__(ctx, header, Flow(ctx, []), Flow(ctx, []), ctx.grid // 2, "")
        self.nodes = nodes
        self.label = "columns, balanced"

    def measure(self, body: Box, k: float) -> None:
        ctx = self.ctx
        assert self.header is not None
        self.header.measure(body.w, k)
        width = self._widths(body.w)[0]
        heights = [n.measure(width, k) for n in self.nodes]

        def column(i: int, j: int) -> float:
            nodes = self.nodes
            gaps = sum(gap_before(ctx, nodes[m], nodes[m - 1], k) for m in range(i + 1, j))
            return sum(heights[i:j]) + gaps

        n = len(self.nodes)
        at = min(range(1, n), key=lambda i: max(column(0, i), column(i, n)))
        self.first, self.second = Flow(ctx, self.nodes[:at]), Flow(ctx, self.nodes[at:])
        self.first.measure(width, k)  # measured already: the nodes' caches answer
        self.second.measure(width, k)


def columns(ctx: PlanContext, blocks: Sequence[Block], body: Box) -> list[Arrangement]:
    """Text beside pictures and charts, or long text in two columns."""
    visuals = [b for b in blocks if is_visual(b)]
    text = [b for b in blocks if not is_visual(b)]
    if not visuals:
        top = header_length(blocks)
        rest = composed_nodes(ctx, blocks[top:], body.h)
        if len(rest) < 2:
            raise NotApplicable("two columns need two blocks besides the title")
        header = Flow(ctx, build_nodes(ctx, blocks[:top], body.h))
        return [BalancedColumns(ctx, header, rest)]
    if not text:
        raise NotApplicable("nothing to set beside the pictures")
    minimum = _VISUAL_COLUMN_MINIMUM / len(visuals)
    out: list[Arrangement] = []
    for span in (6, 7, 5):
        first = Flow(ctx, composed_nodes(ctx, text, body.h))
        second = Flow(ctx, build_nodes(ctx, visuals, body.h, image_minimum=minimum))
        out.append(
            Split(
                ctx, None, first, second, _grid_split(ctx, span / 12), f"columns {span}:{12 - span}"
            )
        )
    top = header_length(blocks)
    if top:
        for span in (6, 7):
            header = Flow(ctx, build_nodes(ctx, blocks[:top], body.h))
            first = Flow(ctx, composed_nodes(ctx, text[top:], body.h))
            second = Flow(ctx, build_nodes(ctx, visuals, body.h, image_minimum=minimum))
            label = f"columns {span}:{12 - span}, title across"
            out.append(Split(ctx, header, first, second, _grid_split(ctx, span / 12), label))
    return out


def poster(ctx: PlanContext, blocks: Sequence[Block], body: Box) -> list[Arrangement]:
    """One large picture (or chart) and a band of text."""
    pictures: list[Block] = [b for b in blocks if isinstance(b, ImageBlock)]
    visual = next(iter(pictures or [b for b in blocks if is_visual(b)]), None)
    if visual is None:
        raise NotApplicable("a poster needs a picture or a chart")
    band_blocks = [b for b in blocks if b is not visual]
    out: list[Arrangement] = []
    if body.w >= _WIDE * body.h and band_blocks:
        for span in (5, 4, 6):
            band = Flow(ctx, composed_nodes(ctx, band_blocks, body.h))
            node = block_node(ctx, visual, body.h, image_minimum=0.6)
            assert node is not None
            label = f"poster, band {span}:{12 - span}"
            out.append(
                Split(ctx, None, band, Flow(ctx, [node]), _grid_split(ctx, span / 12), label)
            )
        return out
    for share in (0.55, 0.45, 0.35):
        node = block_node(ctx, visual, body.h, image_minimum=share)
        assert node is not None
        nodes = [node, *composed_nodes(ctx, band_blocks, body.h)]
        out.append(Stack(Flow(ctx, nodes), f"poster, visual ≥ {share:.0%} on top"))
    return out
