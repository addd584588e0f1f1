"""Layers: a scene drawn as cached pieces, so that an edit re-draws only what changed.

A layout's items are cut into **layers**: the background, then each *run* of consecutive
items of one block, in drawing order (a stat's card and its text are two layers when other
cards lie between them). Keeping the order exactly, the layers drawn one after another
give the same pixels as the whole scene drawn at once.

Each layer's draw operations are built by :func:`~factframe.generator.scene.build_scene`
(pictures decoded or painted there) and recorded once into a ``skia.Picture`` by
:func:`~factframe.generator.draw.draw_scene`: any item type the scene builder knows works
here. A :class:`LayerCache` keeps layers by their content (the items, and for painted
pictures the block, the palette and the facts), so an unchanged block is never built or
painted again; ``hits`` and ``misses`` count what it did.

A :class:`Compositor` keeps the last frame. For a new list of layers it finds the layers
that differ (a sequence match on their keys), re-draws only the rectangle they cover, old
and new (every layer that reaches into it replayed, clipped to it) and copies every other
pixel from the last frame. Inside the rectangle the pixels are exactly those of a full
draw, so the result never depends on the edits that led to it.
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import partial

import numpy as np
import skia

from factframe.generator.backends import GeneratedImage
from factframe.generator.draw import draw_scene
from factframe.generator.scene import Op, Scene, build_scene
from factframe.knowledge import Fact
from factframe.layout import ImageItem, Layout, LayoutItem
from factframe.spec import Spec
from factframe.typography import FontLibrary

__all__ = ["BACKGROUND", "Compositor", "Layer", "LayerCache", "layer_runs", "layered_scene"]

#: The block id the background layer goes by.
BACKGROUND = "@background"
#: Above this share of the canvas a partial re-draw is no cheaper than a whole one.
_FULL_REDRAW_SHARE = 0.6


@dataclass(frozen=True, eq=False)
class Layer:
    """One cached piece of a picture.

    Attributes:
        key: what the layer was built from (equal keys, equal pixels).
        block_id: the block the items belong to (:data:`BACKGROUND` for the background).
        items: the layout items it draws.
        ops: the scene's draw operations for them.
        picture: the operations recorded (replayed onto any canvas).
        bounds: the pixels it may touch, ``(left, top, right, bottom)``; empty when
            ``left >= right``.
        generated: how its generated pictures were painted.
        opaque: the layer covers every pixel with opaque paint (a background can).
    """

    key: Hashable
    block_id: str
    items: tuple[LayoutItem, ...]
    ops: tuple[Op, ...]
    picture: skia.Picture
    bounds: tuple[int, int, int, int]
    generated: tuple[GeneratedImage, ...] = ()
    opaque: bool = False


def layer_runs(items: Sequence[LayoutItem]) -> list[tuple[str, tuple[LayoutItem, ...]]]:
    """The items cut into runs of consecutive items of one block, in drawing order."""
    runs: list[tuple[str, list[LayoutItem]]] = []
    for item in items:
        if runs and runs[-1][0] == item.block_id:
            runs[-1][1].append(item)
        else:
            runs.append((item.block_id, [item]))
    return [(block, tuple(run)) for block, run in runs]


def _items_key(items: tuple[LayoutItem, ...]) -> Hashable:
    """The items themselves when they hash (frozen dataclasses do), else a digest of their
    representation."""
    try:
        hash(items)
    except TypeError:
        return hashlib.sha256(repr(items).encode()).hexdigest()
    return items


class LayerCache:
    """Layers by content, least recently used dropped beyond ``maxsize``.

    Attributes:
        hits: layers found in the cache.
        misses: layers built (scene operations made, pictures painted, recorded).
        built: the block ids of the layers built by the last :meth:`layers` call.
    """

    def __init__(self, library: FontLibrary, maxsize: int = 512) -> None:
        self.library = library
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self.built: list[str] = []
        self._layers: OrderedDict[Hashable, Layer] = OrderedDict()

    def __len__(self) -> int:
        return len(self._layers)

    def clear(self) -> None:
        self._layers.clear()

    def layers(
        self,
        spec: Spec,
        layout: Layout,
        facts: Mapping[str, Fact] | None = None,
        facts_key: Hashable = None,
    ) -> list[Layer]:
        """The background layer and one layer per run of ``layout``'s items.

        Args:
            spec: the bound spec the layout was planned for.
            facts: the render's facts (model backends take words from them).
            facts_key: a key that changes when ``facts`` do (part of painted pictures'
                keys); None when they never change for this cache.

        Raises:
            ImageError, SpecError, BackendError: as :func:`build_scene` does.
        """
        self.built = []
        w, h = layout.width, layout.height
        palette = spec.brand.palette
        bg_key = ("background", w, h, spec.canvas.model_dump_json(), palette.background)
        empty = replace(layout, items=())
        out = [self._get(bg_key, partial(self._build, spec, empty, 0, facts))]
        plain = spec.model_copy(
            update={"canvas": spec.canvas.model_copy(update={"background": None})}
        )
        by_id = {b.id: b for b in spec.blocks}
        for block_id, items in layer_runs(layout.items):
            painted = any(isinstance(i, ImageItem) and i.src is None for i in items)
            extra: Hashable = None
            if painted:  # the picture depends on the block, the palette and the facts
                block = by_id.get(block_id)
                index = spec.blocks.index(block) if block is not None else -1
                dumped = block.model_dump_json() if block is not None else ""
                extra = (dumped, index, palette.model_dump_json(), facts_key)
            key = ("run", w, h, _items_key(items), extra)
            out.append(
                self._get(key, partial(self._build, plain, replace(layout, items=items), 1, facts))
            )
        return out

    def _get(self, key: Hashable, build: Callable[[], Layer]) -> Layer:
        found = self._layers.get(key)
        if found is not None:
            self.hits += 1
            self._layers.move_to_end(key)
            return found
        self.misses += 1
        layer = replace(build(), key=key)
        self.built.append(layer.block_id)
        self._layers[key] = layer
        while len(self._layers) > self.maxsize:
            self._layers.popitem(last=False)
        return layer

    def _build(
        self, spec: Spec, layout: Layout, skip: int, facts: Mapping[str, Fact] | None
    ) -> Layer:
        scene = build_scene(spec, layout, facts)
        ops = scene.ops[skip:]  # ``skip``: the plain background every scene starts with
        recorder = skia.PictureRecorder()
        bounds = skia.Rect.MakeWH(layout.width, layout.height)
        canvas = recorder.beginRecording(bounds, skia.RTreeFactory()())
        draw_scene(Scene(layout.width, layout.height, ops, False), canvas, self.library)
        picture = recorder.finishRecordingAsPicture()
        block_id = layout.items[0].block_id if layout.items else BACKGROUND
        bounds = _bounds(picture, layout)
        return Layer(
            None, block_id, layout.items, ops, picture, bounds, scene.generated, scene.opaque
        )


def _bounds(picture: skia.Picture, layout: Layout) -> tuple[int, int, int, int]:
    """The recorded operations' bounds (skia computes them, blur and stroke included),
    rounded out, one px more for antialiasing, within the canvas."""
    r = picture.cullRect()
    if r.isEmpty():
        return (0, 0, 0, 0)
    left, top = max(0, math.floor(r.left()) - 1), max(0, math.floor(r.top()) - 1)
    right = min(layout.width, math.ceil(r.right()) + 1)
    bottom = min(layout.height, math.ceil(r.bottom()) + 1)
    return (left, top, right, bottom) if left < right and top < bottom else (0, 0, 0, 0)


def layered_scene(layers: Sequence[Layer], width: int, height: int) -> Scene:
    """The whole scene the layers make (for PDF and SVG export, which draw it anew);
    opaque when its first layer (the background) is."""
    ops = tuple(op for layer in layers for op in layer.ops)
    generated = tuple(g for layer in layers for g in layer.generated)
    return Scene(width, height, ops, bool(layers) and layers[0].opaque, generated)


def _union(
    a: tuple[int, int, int, int] | None, b: tuple[int, int, int, int]
) -> tuple[int, int, int, int] | None:
    if b[0] >= b[2] or b[1] >= b[3]:
        return a
    if a is None:
        return b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


@dataclass(frozen=True)
class _Frame:
    pixels: np.ndarray  # as handed out, read-only
    layers: tuple[Layer, ...]
    width: int
    height: int
    opaque: bool


class Compositor:
    """Draws lists of layers, re-drawing only what changed since the last one.

    A partial re-draw replays every layer that reaches into the changed rectangle (the
    background included), clipped to it, and pastes that rectangle into a copy of the last
    frame's pixels: the last frame is only read, never drawn into.

    Attributes:
        redrawn: the rectangle the last :meth:`draw` re-drew, ``(left, top, right,
            bottom)``; the whole canvas for a full draw, None when nothing changed.
    """

    def __init__(self) -> None:
        self._frame: _Frame | None = None
        self.redrawn: tuple[int, int, int, int] | None = None

    def draw(self, layers: Sequence[Layer], width: int, height: int) -> np.ndarray:
        """The pixels of ``layers``: (height, width, 4) RGBA, unpremultiplied unless the
        background is opaque (as :func:`~factframe.generator.export.rasterize` gives them).
        The array is read-only: the next frame is made from a copy of it."""
        opaque = bool(layers) and layers[0].opaque
        frame = self._frame
        whole = (0, 0, width, height)
        dirty: tuple[int, int, int, int] | None = whole
        if frame is not None and (frame.width, frame.height, frame.opaque) == (
            width,
            height,
            opaque,
        ):
            dirty = _changed(frame.layers, layers, width, height)
        if frame is None or dirty == whole:
            pixels = _paint(layers, whole, opaque, width, height)
        else:
            pixels = frame.pixels.copy()
            if dirty is not None:
                left, top, right, bottom = dirty
                pixels[top:bottom, left:right] = _paint(layers, dirty, opaque, width, height)
        self.redrawn = dirty
        pixels.flags.writeable = False  # the next frame starts from these pixels
        self._frame = _Frame(pixels, tuple(layers), width, height, opaque)
        return pixels


def _paint(
    layers: Sequence[Layer], rect: tuple[int, int, int, int], opaque: bool, width: int, height: int
) -> np.ndarray:
    """The pixels of ``rect`` with every layer that reaches into it drawn, in order.

    The layers are drawn in place on a canvas-sized surface clipped to ``rect``, not on a
    smaller one moved by ``-rect``: skia's scaled image sampling is not exactly the same
    under a translation (a few pixels of a photo background differed by one level)."""
    left, top, right, bottom = rect
    surface = skia.Surface.MakeRaster(skia.ImageInfo.MakeN32Premul(width, height))
    canvas = surface.getCanvas()
    canvas.clipRect(skia.Rect.MakeLTRB(left, top, right, bottom), skia.ClipOp.kIntersect, False)
    canvas.clear(skia.ColorTRANSPARENT)
    for layer in layers:
        if _union(None, layer.bounds) is not None and _meets(layer.bounds, rect):
            canvas.drawPicture(layer.picture)
    # Drawn in the native (N32) order, swizzled once on read-back, as rasterize does.
    alpha = skia.kPremul_AlphaType if opaque else skia.kUnpremul_AlphaType
    snapshot = surface.makeImageSnapshot(skia.IRect.MakeLTRB(left, top, right, bottom))
    pixels: np.ndarray = snapshot.toarray(colorType=skia.kRGBA_8888_ColorType, alphaType=alpha)
    return pixels


def _meets(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _changed(
    old: Sequence[Layer], new: Sequence[Layer], width: int, height: int
) -> tuple[int, int, int, int] | None:
    """The rectangle covering every layer that is in one list and not in the other (the
    common layers in the same order); the whole canvas when the background changed or
    the rectangle is most of it; None when nothing changed."""
    whole = (0, 0, width, height)
    if not old or not new or old[0].key != new[0].key:
        return whole
    matcher = SequenceMatcher(None, [x.key for x in old], [x.key for x in new], autojunk=False)
    dirty: tuple[int, int, int, int] | None = None
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for layer in [*old[i1:i2], *new[j1:j2]]:
            dirty = _union(dirty, layer.bounds)
    if dirty is None:
        return None
    area = (dirty[2] - dirty[0]) * (dirty[3] - dirty[1])
    return whole if area >= _FULL_REDRAW_SHARE * width * height else dirty
