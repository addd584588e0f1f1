"""Contrast on the real pixels, fixed before anything is drawn for keeps.

The planner picks text colours that read on the flat colours it knows (the canvas colour,
gradient stops, cards). A photo behind the text, or text over a picture, it cannot know:
:func:`ensure_contrast` draws the scene without its text (the backdrop), measures every text
on those pixels exactly as the audit will (:func:`~factframe.layout.contrast.surround`:
the worst 5 % of the pixels around the glyphs, WCAG AA), and fixes each failing block:

1. **Another colour** from the palette (text, background, surface) or white or black, the
   first that lets every text of the block pass; never for a block whose ``style.color``
   the spec sets (the author chose it).
2. **A scrim**: a rounded underlay behind the block's text, the palette's background or
   surface colour (or black or white, whichever suits the text), at the lowest opacity of
   45, 60, 75, 90 and 100 % that passes. A block next to one that already has a scrim
   shares it first (one underlay, grown to hold both, in its colour; the block's text
   recoloured to read on it unless the spec set the colour), so neighbours do not get two
   crowded panels; blocks whose colour the spec sets are fixed first, since their scrims'
   colours are the least free. It covers the block's text boxes, padded, on the
   canvas (it may reach into the margins: it is backdrop) and clear of every other
   block's items.

What it did is recorded in the layout's ``notes`` (``contrast: …``), so a user can see why
a colour is not the one the spec asked for. A text that still fails is left for the audit to
report. Nothing is done (no extra drawing) when no text can sit over anything but flat
colours the planner knew: a plain or gradient canvas and no text over a picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from factframe.generator.export import rasterize
from factframe.generator.scene import CardOp, Op, Scene, TextOp
from factframe.layout import Box, CardItem, ImageItem, Layout, LayoutItem, TextItem
from factframe.layout.contrast import Surround, ink_coverage, required_contrast, surround
from factframe.layout.styles import REFERENCE_SIDE
from factframe.spec import ImageBackground, Spec, parse_color
from factframe.typography import FontLibrary

__all__ = ["SCRIM_OPACITIES", "ensure_contrast"]

RGBA = tuple[int, int, int, int]
#: Opacities a scrim tries, lowest first (the picture behind stays as visible as it can).
SCRIM_OPACITIES = (0.45, 0.6, 0.75, 0.9, 1.0)
_WHITE: RGBA = (255, 255, 255, 255)
_BLACK: RGBA = (0, 0, 0, 255)
_SCRIM_PAD = 28.0  # px at 1080, a card's inner padding
_ROUNDS = 3  # measure → fix → measure again (a scrim may change a neighbour's backdrop)


def ensure_contrast(
    spec: Spec, layout: Layout, scene: Scene, library: FontLibrary
) -> tuple[Layout, Scene]:
    """The layout and scene with failing texts recoloured or given a scrim (see the module's
    documentation); the same objects when there was nothing to check or fix."""
    if not layout.texts or not _over_pictures(spec, layout):
        return layout, scene
    base = rasterize(_without_text(scene), library)
    judge = _Judge(layout, base, library)
    shader = _Shader(base)
    backdrop = base
    notes: list[str] = []
    for _ in range(_ROUNDS):
        failing = judge.failing(layout, backdrop)
        if not failing:
            break
        # blocks whose colour the spec sets first: their scrims' colours are the least free,
        # so the others can share them
        failing.sort(key=lambda block_id: _explicit_color(spec, block_id) is None)
        changed = False
        for block_id in failing:
            fixed = _fix_block(spec, layout, shader, backdrop, judge, block_id)
            if fixed is None:
                continue
            layout, backdrop, note = fixed
            notes.append(note)
            changed = True
        if not changed:
            break
    if not notes:
        return layout, scene
    layout = replace(layout, notes=(*layout.notes, *notes))
    return layout, _rebuild(scene, layout)


def _over_pictures(spec: Spec, layout: Layout) -> bool:
    """Whether any text may lie over pixels the planner did not choose: a picture behind
    the canvas, or a text box meeting another block's picture."""
    if isinstance(spec.canvas.background, ImageBackground):
        return True
    pictures = [i.box for i in layout.items if isinstance(i, ImageItem)]
    return any(_meets(t.box, p) for t in layout.texts for p in pictures)


def _meets(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def _without_text(scene: Scene) -> Scene:
    return replace(scene, ops=tuple(op for op in scene.ops if not isinstance(op, TextOp)))


class _Judge:
    """Measures texts on backdrops, keeping each text's surround (its glyphs' background
    pixels do not change with its colour or with a scrim under it)."""

    def __init__(self, layout: Layout, backdrop: np.ndarray, library: FontLibrary) -> None:
        self.library = library
        self.short = min(layout.width, layout.height)
        self.ink = ink_coverage(layout.texts, 0, 0, layout.width, layout.height, library)
        self.first = backdrop  # which pixels are opaque does not change
        self._surrounds: dict[tuple[str, Box], Surround | None] = {}

    def surround(self, item: TextItem) -> Surround | None:
        key = (item.block_id, item.box)
        if key not in self._surrounds:
            self._surrounds[key] = surround(item, self.first, self.ink, self.library)
        return self._surrounds[key]

    def passes(self, item: TextItem, backdrop: np.ndarray) -> tuple[bool, float]:
        """Whether the text reaches its WCAG level on ``backdrop``, and its contrast."""
        found = self.surround(item)
        if found is None:
            return True, float("inf")
        worst = found.contrast(item.text.color, backdrop)[0]
        return worst >= required_contrast(item, self.short, self.library), worst

    def worst(self, items: Sequence[TextItem], backdrop: np.ndarray) -> tuple[bool, float]:
        """Whether every item passes, and the lowest contrast among them."""
        results = [self.passes(i, backdrop) for i in items]
        return all(ok for ok, _ in results), min(c for _, c in results)

    def failing(self, layout: Layout, backdrop: np.ndarray) -> list[str]:
        """The blocks with a text that fails, in drawing order."""
        failing: list[str] = []
        for item in layout.texts:
            if item.block_id not in failing and not self.passes(item, backdrop)[0]:
                failing.append(item.block_id)
        return failing


def _recolored(items: Sequence[TextItem], color: RGBA) -> list[TextItem]:
    return [replace(i, text=replace(i.text, color=color)) for i in items]


def _hex(color: RGBA) -> str:
    return "#{:02x}{:02x}{:02x}".format(*color[:3])


def _fix_block(
    spec: Spec,
    layout: Layout,
    shader: _Shader,
    backdrop: np.ndarray,
    judge: _Judge,
    block_id: str,
) -> tuple[Layout, np.ndarray, str] | None:
    """Recolours the block's texts, or puts a scrim behind them (one scrim with a neighbour
    block's, when they are close); None when nothing passes. ``shader`` lays trial scrims
    over the backdrop without scrims, ``backdrop`` is the one with those placed so far."""
    items = [i for i in layout.texts if i.block_id == block_id]
    _, before = judge.worst(items, backdrop)
    palette = spec.brand.palette
    own = {parse_color(c) for c in (palette.text, palette.background, palette.surface)}
    explicit = _explicit_color(spec, block_id) is not None
    recolours = [] if explicit else [*sorted(own, key=lambda c: -_luma(c)), _WHITE, _BLACK]
    for color in recolours:
        trial = _recolored(items, color)
        ok, after = judge.worst(trial, backdrop)
        if ok:
            note = (
                f"contrast: {block_id} recoloured {_hex(items[0].text.color)} → "
                f"{_hex(color)} ({before:.1f}:1 → {after:.1f}:1 on the pixels)"
            )
            return _swap(layout, items, trial), backdrop, note
    box = _scrim_box(layout, items, judge.short)
    scrims = [i for i in layout.items if isinstance(i, CardItem) and i.scrim]
    radius = spec.brand.radius * judge.short / REFERENCE_SIDE
    for text, under, joined in _scrim_plans(layout, items, box, scrims, recolours, own, judge):
        trial = items if text is None else _recolored(items, text)
        area = box if joined is None else Box.around((box, joined.box))
        # a joined scrim keeps its block's texts passing: never lighter than it was
        floor = 0.0 if joined is None else joined.color[3] / 255 - 1e-6
        others = [s for s in scrims if s is not joined]
        partners = (
            [] if joined is None else [i for i in layout.texts if i.block_id == joined.block_id]
        )
        for opacity in (o for o in SCRIM_OPACITIES if o >= floor):
            card = CardItem(block_id, area, radius, (*under[:3], round(255 * opacity)), False, True)
            shaded = shader.shade([*others, card])
            ok, after = judge.worst([*trial, *partners], shaded)
            if not ok:
                continue
            scrimmed = _swap(layout, items, trial)
            if joined is not None:
                card = replace(card, block_id=joined.block_id)
                scrimmed = replace(
                    scrimmed, items=tuple(i for i in scrimmed.items if i is not joined)
                )
            what = f"on a scrim {_hex(card.color)} at {opacity:.0%}"
            if joined is not None:
                what = f"on one scrim with {joined.block_id}, {_hex(card.color)} at {opacity:.0%}"
            if text is not None:
                what = f"recoloured {_hex(items[0].text.color)} → {_hex(text)} and {what}"
            note = f"contrast: {block_id} {what} ({before:.1f}:1 → {after:.1f}:1 on the pixels)"
            return _with_scrim(scrimmed, card), shaded.copy(), note
    return None


def _scrim_plans(
    layout: Layout,
    items: Sequence[TextItem],
    box: Box,
    scrims: Sequence[CardItem],
    recolours: Sequence[RGBA],
    palette: set[RGBA],
    judge: _Judge,
) -> list[tuple[RGBA | None, RGBA, CardItem | None]]:
    """(text colour or None to keep it, scrim colour, the scrim to join or None), best first:
    one scrim with a close neighbour's (in its colour; the text recoloured to read on it if
    the spec did not set it) before a scrim of the block's own."""
    plans: list[tuple[RGBA | None, RGBA, CardItem | None]] = []
    reach = _SCRIM_PAD * judge.short / REFERENCE_SIDE
    block_id = items[0].block_id
    for near in scrims:
        union = Box.around((box, near.box))
        if not _close(box, near.box, reach) or _meets_others(layout, union, block_id, near):
            continue
        under = (*near.color[:3], 255)
        plans.append((None, under, near))
        far = [c for c in recolours if abs(_luma(c) - _luma(under)) >= 100]
        plans += [(c, under, near) for c in far]
    plans += [(None, under, None) for under in _scrim_colors(items[0].text.color, palette)]
    return plans


def _close(a: Box, b: Box, reach: float) -> bool:
    """Whether two boxes overlap or lie within ``reach`` of each other."""
    return (
        a.x - reach < b.right and b.x - reach < a.right
        and a.y - reach < b.bottom and b.y - reach < a.bottom
    )  # fmt: skip


def _meets_others(layout: Layout, box: Box, block_id: str, near: CardItem) -> bool:
    """Whether ``box`` would meet an item of a block other than this one and those already
    on the scrim it joins."""
    joined = {block_id, *(t.block_id for t in layout.texts if near.box.contains(t.box))}
    return any(
        _meets(item.box, box)
        for item in layout.items
        if item.block_id not in joined and not (isinstance(item, ImageItem) and item.backdrop)
    )


class _Shader:
    """The backdrop with scrims laid over it, in a buffer reused from trial to trial (only
    the regions the last trial touched are restored from the base)."""

    def __init__(self, base: np.ndarray) -> None:
        self.base = base
        self.work = base.copy()
        self.dirty: list[Box] = []

    def shade(self, scrims: Sequence[CardItem]) -> np.ndarray:
        """The base with ``scrims`` over it; valid until the next call (copy to keep)."""
        for box in self.dirty:
            _lay_over(self.work, self.base, box, (0, 0, 0, 0))
        for scrim in scrims:
            _lay_over(self.work, self.work, scrim.box, scrim.color)
        self.dirty = [scrim.box for scrim in scrims]
        return self.work


def _explicit_color(spec: Spec, block_id: str) -> RGBA | None:
    for block in spec.blocks:
        if block.id == block_id and block.style.color is not None:
            return parse_color(block.style.color)
    return None


def _luma(color: RGBA) -> float:
    return 0.2126 * color[0] + 0.7152 * color[1] + 0.0722 * color[2]


def _scrim_colors(text: RGBA, palette: set[RGBA]) -> list[RGBA]:
    """Underlay colours for a text colour, best first: the palette's, then black or white
    (the far end of the scale from the text)."""
    far = _BLACK if _luma(text) >= 128 else _WHITE
    ranked = sorted(palette, key=lambda c: -abs(_luma(c) - _luma(text)))
    return [*(c for c in ranked if abs(_luma(c) - _luma(text)) >= 100), far]


def _swap(layout: Layout, old: Sequence[TextItem], new: Sequence[TextItem]) -> Layout:
    by_id = {id(o): n for o, n in zip(old, new, strict=True)}
    items = tuple(by_id.get(id(item), item) for item in layout.items)
    return replace(layout, items=items)


def _with_scrim(layout: Layout, card: CardItem) -> Layout:
    """The scrim goes under every text (before the first one), so it never hides one."""
    items = list(layout.items)
    first = next(k for k, i in enumerate(items) if isinstance(i, TextItem))
    items.insert(first, card)
    return replace(layout, items=tuple(items))


def _scrim_box(layout: Layout, items: Sequence[TextItem], short: int) -> Box:
    """The block's text boxes, padded as a card pads its content (every scrim alike), on
    the canvas and short of every other block's items (unless the text already
    meets them)."""
    x0 = min(i.box.x for i in items)
    y0 = min(i.box.y for i in items)
    x1 = max(i.box.right for i in items)
    y1 = max(i.box.bottom for i in items)
    pad = _SCRIM_PAD * short / REFERENCE_SIDE
    left, top, right, bottom = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    core = Box(x0, y0, x1 - x0, y1 - y0)
    for other in _others(layout, items[0].block_id):
        if _meets(other, core):
            continue
        overlaps_x = other.x < x1 and x0 < other.right
        overlaps_y = other.y < y1 and y0 < other.bottom
        if overlaps_x and other.bottom <= y0:
            top = max(top, (other.bottom + y0) / 2)
        if overlaps_x and other.y >= y1:
            bottom = min(bottom, (other.y + y1) / 2)
        if overlaps_y and other.right <= x0:
            left = max(left, (other.right + x0) / 2)
        if overlaps_y and other.x >= x1:
            right = min(right, (other.x + x1) / 2)
    left, top = max(left, 0.0), max(top, 0.0)
    right, bottom = min(right, float(layout.width)), min(bottom, float(layout.height))
    return Box(left, top, right - left, bottom - top)


def _others(layout: Layout, block_id: str) -> list[Box]:
    items: Sequence[LayoutItem] = layout.items
    return [i.box for i in items if i.block_id != block_id]


def _lay_over(out: np.ndarray, backdrop: np.ndarray, box: Box, color: RGBA) -> None:
    """Writes ``backdrop`` with ``color`` laid over ``box`` into ``out`` (in the box only;
    the scrim's rounded corners are left square: the text never reaches them). Integer
    source-over, as the raster blends: (c·a + d·(255 − a) + 127) // 255."""
    h, w = out.shape[:2]
    x0, y0 = max(0, round(box.x)), max(0, round(box.y))
    x1, y1 = min(w, round(box.right)), min(h, round(box.bottom))
    alpha = color[3]
    if alpha == 0:
        out[y0:y1, x0:x1, :3] = backdrop[y0:y1, x0:x1, :3]
        return
    region = backdrop[y0:y1, x0:x1, :3].astype(np.uint16)  # ≤ 255·255 + 127 fits
    region *= 255 - alpha
    region += np.array(color[:3], np.uint16) * alpha + 127
    region //= 255
    out[y0:y1, x0:x1, :3] = region


def _rebuild(scene: Scene, layout: Layout) -> Scene:
    """The scene with the layout's recoloured texts, and its scrims before the first text
    (where :func:`_with_scrim` put their items)."""
    scrims = [i for i in layout.items if isinstance(i, CardItem) and i.scrim]
    texts = iter(layout.texts)
    ops: list[Op] = []
    for op in scene.ops:
        if isinstance(op, TextOp):
            if scrims:
                ops += [CardOp(c.box, c.radius, c.color, c.shadow) for c in scrims]
                scrims = []
            item = next(texts)
            ops.append(TextOp(item.box, item.text))
        else:
            ops.append(op)
    return replace(scene, ops=tuple(ops))
