"""The scene: flat, ordered draw operations built from a layout.

Exporters (PNG, JPEG, WebP, PDF, SVG) all draw the same scene and never change it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import skia
from PIL import Image

from factframe.generator.backends import GeneratedImage, paint_block
from factframe.generator.images import load_image
from factframe.knowledge import Context, Fact
from factframe.layout import (
    LOGO_ID,
    Box,
    CardItem,
    IconItem,
    ImageItem,
    Layout,
    RuleItem,
    Shape,
    ShapeItem,
    TextItem,
)
from factframe.layout.model import MapItem
from factframe.spec import ImageBlock, LinearGradient, RadialGradient, Spec, parse_color
from factframe.typography import TextBlock

__all__ = [
    "CardOp",
    "FillOp",
    "GradientOp",
    "IconOp",
    "ImageOp",
    "MapOp",
    "Op",
    "RectOp",
    "Scene",
    "ShapeOp",
    "TextOp",
    "build_scene",
]

RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class FillOp:
    """The whole canvas in one colour."""

    color: RGBA


@dataclass(frozen=True)
class GradientOp:
    """The whole canvas in a linear or radial gradient."""

    gradient: LinearGradient | RadialGradient


@dataclass(frozen=True)
class ImageOp:
    """A picture fitted into ``box`` with rounded corners, optionally dimmed."""

    image: skia.Image = field(compare=False)
    box: Box
    fit: Literal["cover", "contain"]
    radius: float = 0.0
    dim: float = 0.0


@dataclass(frozen=True)
class CardOp:
    box: Box
    radius: float
    color: RGBA
    shadow: bool


@dataclass(frozen=True)
class RectOp:
    box: Box
    color: RGBA


@dataclass(frozen=True)
class TextOp:
    box: Box
    text: TextBlock


@dataclass(frozen=True)
class ShapeOp:
    """Vector marks (a chart's bars, lines, slices), drawn anti-aliased, in order."""

    shapes: tuple[Shape, ...]


@dataclass(frozen=True)
class MapOp:
    """A map block's basemap: the countries drawn as the map item says, clipped to its
    box (see :func:`factframe.generator.basemap.draw_map_view`)."""

    item: MapItem


@dataclass(frozen=True)
class IconOp:
    """An icon of the set (its Lucide name) fitted into ``box`` in ``color``; only the
    part inside ``clip`` when it has one."""

    box: Box
    name: str
    color: RGBA
    clip: Box | None = None


Op = FillOp | GradientOp | ImageOp | CardOp | RectOp | ShapeOp | TextOp | MapOp | IconOp


@dataclass(frozen=True)
class Scene:
    """Draw operations in order; ``opaque`` when the background covers every pixel;
    ``generated`` says how each generated picture was painted (backend, seed, the
    stray-text check)."""

    width: int
    height: int
    ops: tuple[Op, ...]
    opaque: bool
    generated: tuple[GeneratedImage, ...] = ()


#: Painted pictures as skia images, by identity: a re-render gets the same picture back
#: from the paint cache, and converting it again took ~19 ms for a 950×831 one. Holding
#: the picture keeps its id from being reused while it is here.
_painted: OrderedDict[int, tuple[Image.Image, skia.Image]] = OrderedDict()
_PAINTED_CACHE = 16


def _painted_image(picture: Image.Image, where: str) -> skia.Image:
    hit = _painted.get(id(picture))
    if hit is not None and hit[0] is picture:
        _painted.move_to_end(id(picture))
        return hit[1]
    image = load_image(picture, where)
    _painted[id(picture)] = (picture, image)
    if len(_painted) > _PAINTED_CACHE:
        _painted.popitem(last=False)
    return image


def _background(spec: Spec) -> tuple[list[Op], bool]:
    bg = spec.canvas.background
    if bg is None or isinstance(bg, str):
        color = parse_color(bg or spec.brand.palette.background)
        return [FillOp(color)], color[3] == 255
    if isinstance(bg, LinearGradient | RadialGradient):
        return [GradientOp(bg)], all(parse_color(c)[3] == 255 for c in bg.colors)
    image = load_image(bg.src, "canvas.background.src")
    full = Box(0, 0, spec.canvas.width, spec.canvas.height)
    fill = FillOp(parse_color(spec.brand.palette.background))
    return [fill, ImageOp(image, full, bg.fit, 0.0, bg.dim)], True


def build_scene(
    spec: Spec,
    layout: Layout,
    facts: Mapping[str, Fact] | None = None,
    context: Context | None = None,
) -> Scene:
    """Turns a layout into draw operations; pictures are decoded, or painted by their
    image backend at their region's pixel size, here.

    Args:
        facts: the render's facts; model backends take words about the subject from them.
        context: the render's knowledge context (remote models read it: facts with their
            sources, reference images); without one, a context of the facts is used.

    Raises:
        ImageError: a picture is missing, unreadable or too large (names the spec path).
        SpecError: a generated picture's backend or option is wrong (names the spec path).
        BackendError: an image backend failed.
    """
    ops, opaque = _background(spec)
    index = {block.id: i for i, block in enumerate(spec.blocks)}
    generated: list[GeneratedImage] = []
    for item in layout.items:
        if isinstance(item, TextItem):
            ops.append(TextOp(item.box, item.text))
        elif isinstance(item, CardItem):
            ops.append(CardOp(item.box, item.radius, item.color, item.shadow))
        elif isinstance(item, RuleItem):
            ops.append(RectOp(item.box, item.color))
        elif isinstance(item, ShapeItem):
            ops.append(ShapeOp(item.shapes))
        elif isinstance(item, IconItem):
            ops.append(IconOp(item.box, item.name, item.color, item.clip))
        elif isinstance(item, MapItem):
            ops.append(MapOp(item))
        elif isinstance(item, ImageItem) and item.src is None:
            i = index[item.block_id]
            block = spec.blocks[i]
            assert isinstance(block, ImageBlock)
            size = (max(1, round(item.box.w)), max(1, round(item.box.h)))
            picture, record = paint_block(block, i, size, spec.brand.palette, facts, context)
            generated.append(record)
            image = _painted_image(picture, f"blocks[{i}].prompt")
            ops.append(ImageOp(image, item.box, "cover", item.radius))
        elif isinstance(item, ImageItem):
            where = (
                "brand.logo" if item.block_id == LOGO_ID else f"blocks[{index[item.block_id]}].src"
            )
            image = load_image(item.src, where)
            ops.append(ImageOp(image, item.box, item.fit, item.radius))
    return Scene(layout.width, layout.height, tuple(ops), opaque, tuple(generated))
