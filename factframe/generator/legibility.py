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
   45, 60, 75, 90 and 100 % that passes. It covers the block's text boxes, padded, on the
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
    backdrop = rasterize(_without_text(scene), library)
    judge = _Judge(layout, backdrop, library)
    notes: list[str] = []
    scrims: list[CardItem] = []
    for _ in range(_ROUNDS):
        failing = judge.failing(layout, backdrop)
        if not failing:
            break
        changed = False
        for block_id in failing:
            fixed = _fix_block(spec, layout, backdrop, judge, block_id)
            if fixed is None:
                continue
            layout, backdrop, note, scrim = fixed
            notes.append(note)
            scrims += [scrim] if scrim is not None else []
            changed = True
        if not changed:
            break
    if not notes:
        return layout, scene
    layout = replace(layout, notes=(*layout.notes, *notes))
    return layout, _rebuild(scene, layout, scrims)


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
    backdrop: np.ndarray,
    judge: _Judge,
    block_id: str,
) -> tuple[Layout, np.ndarray, str, CardItem | None] | None:
    """Recolours the block's texts, or puts a scrim behind them; None when neither passes."""
    items = [i for i in layout.texts if i.block_id == block_id]
    _, before = judge.worst(items, backdrop)
    palette = spec.brand.palette
    own = {parse_color(c) for c in (palette.text, palette.background, palette.surface)}
    explicit = _explicit_color(spec, block_id)
    if explicit is None:
        for color in (*sorted(own, key=lambda c: -_luma(c)), _WHITE, _BLACK):
            trial = _recolored(items, color)
            ok, after = judge.worst(trial, backdrop)
            if ok:
                note = (
                    f"contrast: {block_id} recoloured {_hex(items[0].text.color)} → "
                    f"{_hex(color)} ({before:.1f}:1 → {after:.1f}:1 on the pixels)"
                )
                return _swap(layout, items, trial), backdrop, note, None
    text_color = items[0].text.color
    scrim = _scrim_box(layout, items, judge.short)
    shaded = backdrop.copy()
    for under in _scrim_colors(text_color, own):
        for opacity in SCRIM_OPACITIES:
            color = (*under[:3], round(255 * opacity))
            _lay_over(shaded, backdrop, scrim, color)
            ok, after = judge.worst(items, shaded)
            if ok:
                radius = spec.brand.radius * judge.short / REFERENCE_SIDE
                card = CardItem(block_id, scrim, radius, color, shadow=False, scrim=True)
                note = (
                    f"contrast: {block_id} on a scrim {_hex(color)} at {opacity:.0%} "
                    f"({before:.1f}:1 → {after:.1f}:1 on the pixels)"
                )
                return _with_scrim(layout, card), shaded, note, card
    return None


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
    the scrim's rounded corners are left square: the text never reaches them)."""
    h, w = out.shape[:2]
    x0, y0 = max(0, round(box.x)), max(0, round(box.y))
    x1, y1 = min(w, round(box.right)), min(h, round(box.bottom))
    alpha = color[3] / 255
    region = backdrop[y0:y1, x0:x1, :3].astype(np.float32) * (1 - alpha)
    region += np.array(color[:3], np.float32) * alpha
    out[y0:y1, x0:x1, :3] = np.round(region).astype(np.uint8)


def _rebuild(scene: Scene, layout: Layout, scrims: Sequence[CardItem]) -> Scene:
    """The scene with the layout's recoloured texts, and its scrims before the first text
    (where :func:`_with_scrim` put their items)."""
    texts = iter(layout.texts)
    ops: list[Op] = []
    for op in scene.ops:
        if isinstance(op, TextOp):
            if scrims:
                ops += [CardOp(c.box, c.radius, c.color, c.shadow) for c in scrims]
                scrims = ()
            item = next(texts)
            ops.append(TextOp(item.box, item.text))
        else:
            ops.append(op)
    return replace(scene, ops=tuple(ops))
