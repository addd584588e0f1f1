"""What every planner strategy shares: the safe area, type sizes at a scale, colours, the
brand's spacing scale and layout grid, and the rules that keep sizes in order.

Sizes: a role's size at scale ``k`` is ``max(floor, size · canvas scale · k)``; all text
shrinks together, so the hierarchy of the roles holds. On top of that,
:func:`harmonise` sets caps so that **siblings share one size** (every stat value, every
list, every body text of a layout: the smallest one fitted) and the **hierarchy** holds
even where a long word forced a heading down (title ≥ subtitle ≥ body text; a hero
number ≥ the other stat values). Blocks with their own ``style.size`` or
``style.min_size`` are left out of both.

Spacing: gaps are steps of the brand's spacing scale (``brand.spacing``, px at 1080,
scaled with the short side): the 5th step between sections, the 3rd inside a group.
Column splits snap to the brand's layout grid (``brand.grid`` columns, gutters of one
section gap).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from factframe.layout.model import Box
from factframe.layout.styles import (
    REFERENCE_SIDE,
    ROLES,
    background_colors,
    legibility_floor,
    readable,
)
from factframe.spec import Block, Spec, Stat, parse_color
from factframe.typography import FontLibrary, TextBlock, TextRequest, fit_text, locale_info

__all__ = [
    "HIERARCHY",
    "MARGIN_RATIO",
    "RGBA",
    "PlanContext",
    "Under",
    "harmonise",
    "make_context",
    "safe_area",
    "shares_size",
    "visual_share",
]

RGBA = tuple[int, int, int, int]
#: What a text sits on: its block's own card, the canvas, or a panel of this colour.
Under = Literal["card", "canvas"] | RGBA
MARGIN_RATIO = 0.06  # safe margin, fraction of the short side
UNBOUNDED = 1e9
#: Roles that must not be larger than the role before them, when both are on the canvas.
HIERARCHY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("title", ("subtitle", "text", "list", "list.marker")),
    ("subtitle", ("text", "list", "list.marker")),
    ("stat.hero", ("stat.value",)),
)
# Roles whose sizes siblings share (a chart sizes its own labels).
_SHARED = frozenset(role for role in ROLES if not role.startswith("chart."))

#: A stat's smaller texts: sized in proportion to its value when the block sets ``size``.
_STAT_PARTS = ("stat.label", "stat.caption")


def safe_area(width: int, height: int) -> Box:
    """The safe area of a canvas: inset by ``MARGIN_RATIO`` of the short side, rounded to
    whole px, on every side. The planner places every block inside it and the audit checks
    against it."""
    margin = round(MARGIN_RATIO * min(width, height))
    return Box(margin, margin, width - 2 * margin, height - 2 * margin)


def visual_share(k: float) -> float:
    """How much of its minimum height a picture or chart keeps at text scale ``k``: all
    of it at 1, half at 0 (visuals give way when the text has to shrink)."""
    return 0.5 + 0.5 * k


def shares_size(block: Block) -> bool:
    """Whether a block's text takes part in shared sizes (it sets none of its own)."""
    return block.style.size is None and block.style.min_size is None


@dataclass(frozen=True)
class PlanContext:
    """The spec's measures for one plan: scale, floors, gaps, colours, direction.

    ``caps`` is the one mutable part: the shared-size caps of the scale being tried,
    set by :func:`harmonise` and cleared by the planner before each try.
    """

    spec: Spec
    library: FontLibrary
    scale: float  # canvas short side / 1080
    floor: float
    small_floor: float
    gap: float
    small_gap: float
    spacing: tuple[float, ...]  # the brand's spacing scale, in px on this canvas
    grid: int
    on_background: RGBA
    muted_on_background: RGBA
    on_surface: RGBA
    surface: RGBA
    direction: Literal["ltr", "rtl"]
    backgrounds: tuple[RGBA, ...]
    caps: dict[str, float] = field(default_factory=dict, compare=False)
    _requests: dict[tuple[str, str, str, Under], TextRequest] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def pad(self) -> float:
        """The inner padding of a card."""
        return 28 * self.scale

    def where(self, block: Block) -> str:
        """The block's path in the spec for an error message (``blocks[3]``)."""
        index = next((i for i, b in enumerate(self.spec.blocks) if b.id == block.id), 0)
        return f"blocks[{index}]"

    def card_color(self, block: Block) -> RGBA | None:
        """The fill of the card behind a block: stats always have one."""
        if block.style.background is not None:
            return parse_color(block.style.background)
        return self.surface if isinstance(block, Stat) else None

    def color(self, block: Block, role: str, under: Under = "card") -> RGBA:
        """A role's text colour: the block's own, else one readable on what it sits on:
        ``under`` is ``"card"`` (the block's own card, if it has one), ``"canvas"`` (the
        background) or the colour of a panel."""
        if block.style.color is not None:
            return parse_color(block.style.color)
        wanted = ROLES[role].color
        card = self._under(block, under)
        if card is not None and card[3] == 255:  # text on an opaque card must read on it
            preferred = parse_color(getattr(self.spec.brand.palette, wanted))
            white, black = (255, 255, 255, 255), (0, 0, 0, 255)
            minimum = 3.0 if wanted == "primary" else 4.5
            return readable(preferred, [self.on_surface, black, white], [card], minimum)
        return self.muted_on_background if wanted == "muted" else self.on_background

    def _under(self, block: Block, under: Under) -> RGBA | None:
        if under == "card":
            return self.card_color(block)
        return None if under == "canvas" else under

    def request(self, block: Block, role: str, text: str, under: Under = "card") -> TextRequest:
        """What to typeset for a role's text of a block (kept: a plan asks again and again)."""
        key = (block.id or "", role, text, under)
        found = self._requests.get(key)
        if found is None:
            found = self._requests[key] = self._request(block, role, text, under)
        return found

    def _request(self, block: Block, role: str, text: str, under: Under) -> TextRequest:
        style = ROLES[role]
        brand_fonts = self.spec.brand.fonts
        heading = role in ("title", "subtitle", "stat.value", "stat.hero", "timeline.date")
        fonts = brand_fonts.heading if heading else brand_fonts.body
        lang = block.lang or self.spec.locale
        return TextRequest(
            text=text,
            block_id=block.id or "",
            locale=lang,
            families=(*block.style.font, *fonts),
            weight=block.style.weight or style.weight,
            color=self.color(block, role, under),
            align=block.style.align or ("center" if role.startswith("stat") else "start"),
            line_height=block.style.line_height or style.line_height,
            direction=locale_info(lang).direction,
            balanced=role in ("title", "subtitle", "stat.label"),
        )

    def sizes(self, block: Block, role: str, k: float) -> tuple[float, float]:
        """(largest, smallest) size of a role's text at scale ``k``, within the caps. A
        block's ``style.size`` is its largest text's: a stat's value, its label and caption
        keeping their proportion to it."""
        style = ROLES[role]
        floor = block.style.min_size or (self.small_floor if style.small else self.floor)
        largest = block.style.size or style.size * self.scale
        if block.style.size and isinstance(block, Stat) and role in _STAT_PARTS:
            largest = block.style.size * style.size / ROLES["stat.value"].size
        size = largest * k
        cap = self.caps.get(role)
        if cap is not None and shares_size(block):
            size = min(size, cap)
        return max(floor, size), floor

    def fit(
        self,
        block: Block,
        role: str,
        text: str,
        width: float,
        k: float,
        under: Under = "card",
    ) -> TextBlock:
        """The text at the largest size of its role at ``k`` that fits ``width``."""
        largest, floor = self.sizes(block, role, k)
        req = self.request(block, role, text, under)
        wrap = role not in ("stat.value", "stat.label", "stat.hero", "timeline.date")
        return fit_text(req, width, UNBOUNDED, largest, floor, self.library, wrap=wrap)

    def span(self, width: float, columns: int) -> float:
        """The width of ``columns`` columns of the layout grid over a ``width`` px region,
        gutters included (the grid has ``self.grid`` columns, gutters of one gap)."""
        column = (width - self.gap * (self.grid - 1)) / self.grid
        return columns * column + (columns - 1) * self.gap

    def section_gap(self, k: float) -> float:
        """The gap between sections at text scale ``k``: the 5th step of the spacing scale
        at ``k = 1``; as text shrinks, the largest step within ``k`` × that, down to the
        gap inside a group (gaps tighten with the text, keeping to the scale)."""
        if k >= 1.0:
            return self.gap
        fitting = [s for s in self.spacing if self.small_gap <= s <= self.gap * k + 1e-6]
        return max(fitting, default=self.small_gap)

    def steps_above(self, gap: float) -> list[float]:
        """The brand's spacing steps larger than ``gap``, ascending."""
        return [s for s in self.spacing if s > gap + 1e-6]


def harmonise(ctx: PlanContext, fitted: Iterable[tuple[str, float]]) -> bool:
    """Sets ``ctx.caps`` from the sizes just fitted (``(role, size)`` of every text that
    shares sizes): each role's smallest size, lowered further where :data:`HIERARCHY`
    asks. Returns True when a cap is below a size that was fitted (measure again)."""
    fitted = list(fitted)
    caps: dict[str, float] = {}
    for role, size in fitted:
        if role in _SHARED:
            caps[role] = min(caps.get(role, math.inf), size)
    for upper, lowers in HIERARCHY:
        if upper in caps:
            for lower in lowers:
                if lower in caps:
                    caps[lower] = min(caps[lower], caps[upper])
    ctx.caps.update(caps)
    return any(size > caps.get(role, math.inf) + 1e-6 for role, size in fitted)


def make_context(spec: Spec, library: FontLibrary) -> PlanContext:
    """The measures of ``spec`` on its canvas."""
    short = spec.canvas.short_side
    scale = short / REFERENCE_SIDE
    palette = spec.brand.palette
    steps = spec.brand.spacing
    text, surface = parse_color(palette.text), parse_color(palette.surface)
    muted = parse_color(palette.muted)
    white, black = (255, 255, 255, 255), (0, 0, 0, 255)
    bgs = background_colors(spec.canvas.background, palette)
    on_bg = readable(text, [surface, white, black], bgs, 4.5)
    return PlanContext(
        spec=spec,
        library=library,
        scale=scale,
        floor=legibility_floor(short),
        small_floor=legibility_floor(short, small=True),
        gap=steps[min(4, len(steps) - 1)] * scale,
        small_gap=steps[2] * scale,
        spacing=tuple(s * scale for s in steps),
        grid=spec.brand.grid,
        on_background=on_bg,
        muted_on_background=readable(muted, [on_bg], bgs, 4.5),
        on_surface=readable(text, [black, white], [surface], 4.5),
        surface=surface,
        direction=locale_info(spec.locale).direction,
        backgrounds=tuple(bgs),
    )
