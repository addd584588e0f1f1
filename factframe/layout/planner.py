"""The planner: a strategy chosen, tried, negotiated and, if need be, replaced.

:func:`plan` reads as its steps:

1. **choose** a strategy from the block mix and the canvas (:mod:`.choose`, overridden by
   the spec's ``layout``);
2. **negotiate**: the strategy offers candidate arrangements (a split 7 : 5 or 6 : 6, a
   grid of 2 or 3 columns …). For each, the largest text scale ``k`` ≤ 1 at which every
   region fits is searched (all text shrinks together, so the hierarchy holds; siblings
   share one size; nothing goes below the legibility floor); the first candidate that
   fits at ``k = 1`` is taken, else the one that fits at the largest ``k``. Regions with
   room to spare grow their pictures, charts and cards (:mod:`.flow`);
3. **reflow**: if no candidate fits even at the floor, the next strategy of
   :data:`~factframe.layout.choose.FALLBACKS` is tried; if the text had to shrink below
   :data:`SHRINK_LIMIT`, the fallbacks are tried too and the largest text wins;
4. **give up** with :class:`~factframe.errors.TextOverflowError` naming the block that
   did not fit and by how much (of the strategy that came closest), and every strategy
   tried.

Every strategy shares the frame: the safe area, footers (and the brand's logo, on the
end side) in a band along the bottom, the body above them; right-to-left locales mirror
the finished layout. The :class:`~factframe.layout.model.Layout` records the strategy
used and notes on why (``layout.strategy``, ``layout.notes``).
"""

from __future__ import annotations

from collections.abc import Sequence

from factframe.errors import LayoutError, TextOverflowError
from factframe.layout.choose import choose, fallback_order
from factframe.layout.columns import columns, poster
from factframe.layout.context import PlanContext, harmonise, make_context, safe_area
from factframe.layout.flow import largest_scale, mirror
from factframe.layout.grid import grid, hero
from factframe.layout.model import LOGO_ID, Box, CardItem, ImageItem, Layout, LayoutItem
from factframe.layout.nodes import Node, build_nodes
from factframe.layout.regions import Arrangement, Fill
from factframe.layout.strategies import NotApplicable, Strategy, comparison, stack, timeline
from factframe.spec import Block, Footer, Spec
from factframe.typography import FontLibrary, default_library

__all__ = ["SHRINK_LIMIT", "STRATEGIES", "plan"]

#: Below this text scale the automatically chosen strategy's fallbacks are tried too, and
#: the one that sets the largest text wins (the chosen one on a tie).
SHRINK_LIMIT = 0.8

#: The strategies by name, as ``layout:`` names them.
STRATEGIES: dict[str, Strategy] = {
    "stack": stack,
    "grid": grid,
    "hero": hero,
    "comparison": comparison,
    "timeline": timeline,
    "columns": columns,
    "poster": poster,
}


class _Frame:
    """The safe area, the footer band (footers, and the logo on the end side) and the
    body above it."""

    def __init__(self, ctx: PlanContext, footers: Sequence[Block], has_body: bool) -> None:
        spec = ctx.spec
        self.ctx = ctx
        self.safe = safe_area(spec.canvas.width, spec.canvas.height)
        self.footers: list[Node] = build_nodes(ctx, footers, self.safe.h)
        self.logo = _logo_box(spec, self.safe)
        self.foot_w = self.safe.w - (self.logo.w + ctx.gap if self.logo else 0.0)
        self.heights: list[float] = []
        self.has_body = has_body

    def _stacked(self) -> float:
        return sum(self.heights) + self.ctx.small_gap * max(0, len(self.heights) - 1)

    def measure(self, k: float) -> Box:
        """Measures the footers at ``k``; returns the body's box."""
        self.heights = [n.measure(self.foot_w, k) for n in self.footers]
        band = max(self._stacked(), self.logo.h if self.logo else 0.0)
        band += self.ctx.gap if band and self.has_body else 0.0
        safe = self.safe
        return Box(safe.x, safe.y, safe.w, safe.h - band)

    def sizes(self) -> list[tuple[str, float]]:
        return [s for n in self.footers for s in n.sizes()]

    def place(self) -> list[LayoutItem]:
        items: list[LayoutItem] = []
        y = self.safe.bottom - self._stacked()
        for node, h in zip(self.footers, self.heights, strict=True):
            items += node.place(Box(self.safe.x, y, self.foot_w, h))
            y += h + self.ctx.small_gap
        if self.logo is not None and self.ctx.spec.brand.logo is not None:
            items.append(ImageItem(LOGO_ID, self.logo, self.ctx.spec.brand.logo, "contain", 0.0))
        return items


def _logo_box(spec: Spec, safe: Box) -> Box | None:
    """The brand logo's box: bottom corner on the end side, 7.5 % of the short side tall."""
    if spec.brand.logo is None:
        return None
    h = round(0.075 * spec.canvas.short_side)
    w = min(2.5 * h, safe.w / 3)
    return Box(safe.right - w, safe.bottom - h, w, h)


class _Attempt:
    """One arrangement measured at text scales: how full its fullest region is."""

    def __init__(self, ctx: PlanContext, frame: _Frame, arrangement: Arrangement) -> None:
        self.ctx, self.frame, self.arrangement = ctx, frame, arrangement
        self.body = frame.safe
        self.fill: Fill | None = None

    def excess(self, k: float) -> float:
        """Measures everything at scale ``k``; the fullest region's needed / available
        height − 1 (≤ 0: it fits)."""
        ctx, frame, arrangement = self.ctx, self.frame, self.arrangement
        ctx.caps.clear()
        self.body = frame.measure(k)
        arrangement.measure(self.body, k)
        if harmonise(ctx, [*arrangement.sizes(), *frame.sizes()]):
            self.body = frame.measure(k)
            arrangement.measure(self.body, k)
        self.fill = fill = arrangement.tightest(self.body)
        return min(0.0, fill.ratio - 1.0) if fill.fits else max(1e-9, fill.ratio - 1.0)

    def fits(self, k: float) -> bool:
        return self.excess(k) <= 0

    def scale(self, above: float = 0.0, full: bool = True) -> float | None:
        """The largest text scale that fits (everything left measured at it), or None;
        with ``above``, None unless it fits at a larger scale than that; ``full=False``
        when it is known not to fit at scale 1."""
        return largest_scale(self.excess, above=above, full=full)


def _solve(
    ctx: PlanContext, frame: _Frame, arrangements: list[Arrangement], beat: float = -1.0
) -> tuple[_Attempt, float] | None:
    """The first candidate that fits at scale 1, else the one that fits at the largest
    scale, measured at it; None when none fits at a scale above ``beat``.

    Raises:
        TextOverflowError: none fits even at the legibility floor (the first candidate's
            tallest block in the region that is short, and by how much).
    """
    attempts = [_Attempt(ctx, frame, a) for a in arrangements]
    for attempt in attempts:  # first at full size: one measure each
        try:
            if attempt.fits(1.0):
                return attempt, 1.0
        except TextOverflowError:
            pass  # found again below
    best: tuple[_Attempt, float] | None = None
    first: LayoutError | None = None
    for attempt in attempts:
        # a later candidate is only of interest if it beats the best so far
        above = max(beat, best[1] if best else -1.0) + 1 / 128
        try:
            k = attempt.scale(above=max(0.0, above), full=False)
        except TextOverflowError as exc:  # a text too wide for its region even at its floor
            first = first or exc
            continue
        if k is None and (best is not None or beat >= 0):
            continue
        if k is None:
            short = attempt.fill
            assert short is not None
            first = first or TextOverflowError(
                short.block,
                short.needed,
                short.available,
                hint="the blocks together need more height than there is; this one is the tallest",
            )
            continue
        if best is None or k > best[1] + 1e-9:
            best = attempt, k
    if best is None:
        if beat >= 0:
            return None
        assert first is not None
        raise first
    attempt, k = best
    attempt.fits(k)  # measure the winner again: candidates may share nodes
    return attempt, k


def plan(spec: Spec, library: FontLibrary | None = None) -> Layout:
    """Places every block of ``spec`` on its canvas with the strategy its blocks and
    canvas call for (or its ``layout``), falling back to others before giving up.

    Raises:
        TextOverflowError: no strategy fits the blocks even at the legibility floor; names
            the block that did not fit and by how much.
        LayoutError: a block cannot be placed (a chart's ``value_labels: true`` that do
            not fit).
        MissingGlyphError: a text has a character no font covers.
    """
    lib = library or default_library()
    ctx = make_context(spec, lib)
    width, height = spec.canvas.width, spec.canvas.height
    body_blocks = [b for b in spec.blocks if not isinstance(b, Footer)]
    footers = [b for b in spec.blocks if isinstance(b, Footer)]
    frame = _Frame(ctx, footers, bool(body_blocks))
    # 1. Choose
    choice = choose(spec)
    notes = [f"chose {choice.strategy}: {choice.reason}"]
    failures: list[tuple[str, LayoutError]] = []
    best: tuple[str, _Attempt, float] | None = None
    for name in fallback_order(choice.strategy):
        # 2. Negotiate: the strategy's candidates at the largest scale that fits
        try:
            arrangements = STRATEGIES[name](ctx, body_blocks, frame.measure(1.0))
            found = _solve(ctx, frame, arrangements, best[2] if best else -1.0)
        except NotApplicable as exc:
            notes.append(f"{name} does not apply: {exc}")
            continue
        except LayoutError as exc:  # 3. reflow: the next strategy
            notes.append(f"{name} did not fit: {exc}")
            failures.append((name, exc))
            continue
        if found is None or (best is not None and found[1] <= best[2] + 1e-9):
            notes.append(f"{name} set no larger text")
            continue
        best = name, *found
        if best[2] >= SHRINK_LIMIT or spec.layout != "auto":
            break  # a strategy the spec asks for is kept unless it cannot fit at all
        notes.append(f"{name} fits only with text at {best[2]:.0%}; trying the next")
    if best is None:  # 4. Give up
        raise _give_up(failures, notes)
    name, attempt, k = best
    attempt.fits(k)  # strategies tried after it share the context's caps
    items = [*attempt.arrangement.place(attempt.body), *frame.place()]
    if ctx.direction == "rtl":
        items = [mirror(item, width) for item in items]
    items.sort(key=lambda i: 0 if isinstance(i, CardItem) else 1)  # cards under text
    notes.append(f"used {attempt.arrangement.label} at text scale {k:.2f}")
    return Layout(width, height, frame.safe, ctx.direction, tuple(items), k, name, tuple(notes))


def _give_up(failures: list[tuple[str, LayoutError]], notes: list[str]) -> LayoutError:
    overflows = [(n, e) for n, e in failures if isinstance(e, TextOverflowError)]
    if not overflows:
        return failures[0][1] if failures else LayoutError("; ".join(notes))
    name, closest = min(overflows, key=lambda p: p[1].needed / max(p[1].available, 1.0))
    tried = ", ".join(n for n, _ in failures)
    return TextOverflowError(
        closest.block or "",
        closest.needed,
        closest.available,
        hint=(
            f"it came closest with the {name} layout (tried {tried}); shorten the text, "
            "use a larger canvas, or lower min_size"
        ),
    )
