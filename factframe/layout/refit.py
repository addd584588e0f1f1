"""Refitting one block inside the region it already has, every other item kept.

An editing session changes one block at a time: a colour, a word, a picture's prompt.
Planning the whole spec again could move every other block (a title one line shorter
lifts everything below it), so :func:`refit_block` first tries to keep the layout: the
edited block's node (the same nodes the planner uses, for any block type) is measured at
the layout's text scale, under the sizes its siblings were given (shared sizes and the
hierarchy hold), within the width of the region its items took; if it fits that region's
height, with the same kinds of items as before, its new items replace the old ones and
nothing else moves. Otherwise it returns None and the caller plans the whole layout again.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

from factframe.layout.context import HIERARCHY, make_context
from factframe.layout.flow import mirror
from factframe.layout.model import Box, CardItem, Layout, LayoutItem, TextItem
from factframe.layout.nodes import build_nodes
from factframe.spec import Spec
from factframe.typography import FontLibrary

__all__ = ["refit_block", "region_of"]

_TOLERANCE = 0.5  # px


def region_of(layout: Layout, block_id: str) -> Box | None:
    """The smallest box holding every item of a block, or None when it has none."""
    boxes = layout.boxes(block_id)
    return Box.around(boxes) if boxes else None


def _shape(items: list[LayoutItem]) -> Counter[tuple[str, str]]:
    """What kinds of items a block has: item type and text role, counted."""
    return Counter((type(i).__name__, i.role if isinstance(i, TextItem) else "") for i in items)


def _caps(layout: Layout, block_id: str) -> dict[str, float]:
    """Each text role's size among the other blocks (the smallest), with the hierarchy:
    a role is no larger than the role above it."""
    caps: dict[str, float] = {}
    for item in layout.texts:
        if item.block_id != block_id and not item.role.startswith("chart."):
            caps[item.role] = min(caps.get(item.role, math.inf), item.text.size)
    for upper, lowers in HIERARCHY:
        if upper in caps:
            for lower in lowers:
                caps[lower] = min(caps.get(lower, math.inf), caps[upper])
    return caps


def refit_block(spec: Spec, layout: Layout, block_id: str, library: FontLibrary) -> Layout | None:
    """``layout`` with the block ``block_id`` (as ``spec`` now has it) fitted again inside
    its old region, every other item unchanged; None when it does not fit there (or the
    block is new, or its items would change kind), so the caller plans afresh.

    Raises:
        MissingGlyphError: the block's text has a character no font covers.
    """
    block = next((b for b in spec.blocks if b.id == block_id), None)
    region = region_of(layout, block_id)
    if block is None or region is None:
        return None
    ctx = make_context(spec, library)
    ctx.caps.update(_caps(layout, block_id))
    nodes = build_nodes(ctx, [block], region.h)
    if len(nodes) != 1:
        return None
    node = nodes[0]
    rtl = layout.direction == "rtl"
    box = region.mirrored(layout.width) if rtl else region  # nodes place left to right
    if node.measure(box.w, layout.text_scale) > box.h + _TOLERANCE:
        return None
    placed = node.place(box)
    if rtl:
        placed = [mirror(item, layout.width) for item in placed]
    old = [i for i in layout.items if i.block_id == block_id]
    if _shape(placed) != _shape(old) or not all(region.contains(i.box) for i in placed):
        return None
    note = f"session: {block_id} refitted in its region"
    return replace(
        layout, items=_splice(layout.items, block_id, placed), notes=(*layout.notes, note)
    )


def _splice(
    items: tuple[LayoutItem, ...], block_id: str, new: list[LayoutItem]
) -> tuple[LayoutItem, ...]:
    """``items`` with the block's items replaced by ``new``: its cards where its old cards
    were, its other items where its other old items were (the drawing order holds)."""
    cards = [i for i in new if isinstance(i, CardItem)]
    rest = [i for i in new if not isinstance(i, CardItem)]
    out: list[LayoutItem] = []
    for item in items:
        if item.block_id != block_id:
            out.append(item)
        elif isinstance(item, CardItem):
            out += cards
            cards = []
        else:
            out += rest
            rest = []
    return (*cards, *out, *rest) if cards or rest else tuple(out)
