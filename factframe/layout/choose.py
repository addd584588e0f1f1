"""The automatic choice of a strategy, and the order of fallbacks.

:func:`choose` looks at the block mix and the canvas' aspect ratio (width / height) and
takes the first rule that matches:

== ================================================================== ==========
#  when                                                                strategy
== ================================================================== ==========
1  the spec says ``layout: <name>``                                    that one
2  a list of ≥ 3 items that each start with a date or time             timeline
3  ≥ 2 pairs of stats whose first and second labels are each the same comparison
4  a picture or chart, a wide canvas (aspect ≥ 1.5), little text, ≤ 2 poster
   stats
5  a picture or chart, a wide canvas                                   columns
6  a picture (not a chart), little text, ≤ 2 stats                     poster
7  ≥ 4 stats and little text                                           grid
8  a portrait canvas (aspect < 1), a title, 2–4 stats and some text    hero
9  a wide canvas, no pictures, much text in ≥ 2 blocks                 columns
10 anything else                                                       stack
== ================================================================== ==========

"Little text": the text and list blocks hold at most :data:`LITTLE_TEXT` characters
together; "much text": at least :data:`MUCH_TEXT`. Footers do not count: every strategy
puts them (and the brand's logo) in a band along the bottom.

When the chosen strategy cannot place the blocks even with every text at its
legibility floor, the planner tries the next in :data:`FALLBACKS` (a strategy the
blocks do not suit is skipped), and raises only when none fits. When an automatically
chosen strategy fits only with its text shrunk below
:data:`~factframe.layout.planner.SHRINK_LIMIT` (80 %), the fallbacks are tried as well
and the one that sets the largest text is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from factframe.layout.comparison import column_heads, stat_pairs
from factframe.layout.strategies import is_visual
from factframe.layout.timeline import dated_list
from factframe.spec import Block, Footer, ImageBlock, ListBlock, Spec, Stat, Text, Title

__all__ = ["FALLBACKS", "LITTLE_TEXT", "MUCH_TEXT", "WIDE", "Choice", "choose", "fallback_order"]

#: Aspect ratio (width / height) from which a canvas counts as wide.
WIDE = 1.5
#: At most this many characters of text and lists count as little text.
LITTLE_TEXT = 200
#: At least this many count as much text.
MUCH_TEXT = 480
#: Strategies tried, in order, after the chosen one does not fit.
FALLBACKS: dict[str, tuple[str, ...]] = {
    "stack": ("columns",),
    "grid": ("stack", "columns"),
    "hero": ("stack", "columns"),
    "comparison": ("stack", "columns"),
    "timeline": ("stack", "columns"),
    "poster": ("columns", "stack"),
    "columns": ("stack",),
}


@dataclass(frozen=True)
class Choice:
    """A strategy and the rule that chose it (shown in ``Layout.notes``)."""

    strategy: str
    reason: str


def _text_chars(blocks: Sequence[Block]) -> int:
    total = 0
    for block in blocks:
        if isinstance(block, Text):
            total += len(block.text)
        elif isinstance(block, ListBlock):
            total += sum(len(item) for item in block.items)
    return total


def choose(spec: Spec) -> Choice:
    """The strategy for ``spec``, by the rules in the module's table."""
    if spec.layout != "auto":
        return Choice(spec.layout, "asked for by the spec")
    blocks = [b for b in spec.blocks if not isinstance(b, Footer)]
    aspect = spec.canvas.width / spec.canvas.height
    wide = aspect >= WIDE
    stats = sum(isinstance(b, Stat) for b in blocks)
    chars = _text_chars(blocks)
    little = chars <= LITTLE_TEXT
    visuals = [b for b in blocks if is_visual(b)]
    pictures = [b for b in visuals if isinstance(b, ImageBlock)]
    shape = f"aspect {aspect:.2f}, {stats} stats, {chars} characters of text"
    if any(dated_list(b, spec.locale) for b in blocks):
        return Choice("timeline", "a list of dated events")
    pairs = stat_pairs(blocks)
    if pairs is not None and len(pairs[2]) >= 2 and column_heads(pairs[2]) is not None:
        return Choice("comparison", f"{len(pairs[2])} pairs of stats compared")
    if visuals and wide:
        if little and stats <= 2:
            return Choice("poster", f"a visual on a wide canvas, little text ({shape})")
        return Choice("columns", f"a visual on a wide canvas ({shape})")
    if pictures and little and stats <= 2:
        return Choice("poster", f"a picture and little text ({shape})")
    if stats >= 4 and little:
        return Choice("grid", f"many stats, little text ({shape})")
    has_text = any(isinstance(b, Text | ListBlock) for b in blocks)
    has_title = any(isinstance(b, Title) for b in blocks)
    if aspect < 1 and has_title and 2 <= stats <= 4 and has_text:
        return Choice("hero", f"a title, stats and text on a portrait canvas ({shape})")
    textual = sum(isinstance(b, Text | ListBlock | Stat) for b in blocks)
    if wide and chars >= MUCH_TEXT and textual >= 2:
        return Choice("columns", f"much text on a wide canvas ({shape})")
    return Choice("stack", f"no other rule matched ({shape})")


def fallback_order(strategy: str) -> list[str]:
    """The chosen strategy, then its fallbacks."""
    return [strategy, *FALLBACKS.get(strategy, ("stack",))]
