"""What the planner produces: boxes in px, in drawing order, with fitted text.

The generator consumes a :class:`Layout` and never measures text again: each
:class:`TextItem` carries the :class:`~factframe.typography.TextBlock` that was measured.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from factframe.layout.projection import Bounds, MapTransform, Projection, fit
from factframe.typography import TextBlock

__all__ = [
    "LOGO_ID",
    "Box",
    "CardItem",
    "Dot",
    "IconItem",
    "ImageItem",
    "Layout",
    "LayoutItem",
    "MapItem",
    "Outline",
    "Polygon",
    "Polyline",
    "Rect",
    "RuleItem",
    "Shape",
    "ShapeItem",
    "TextItem",
    "Wedge",
]

#: Block id of the brand logo's item (no spec block id can take this form).
LOGO_ID = "@logo"

RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in px; ``(x, y)`` is the top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def mirrored(self, width: float) -> Box:
        """The box reflected across the vertical centre line of a canvas ``width`` wide."""
        return Box(width - self.x - self.w, self.y, self.w, self.h)

    @staticmethod
    def around(boxes: Iterable[Box]) -> Box:
        """The smallest box holding every one of ``boxes`` (at least one)."""
        boxes = list(boxes)
        x, y = min(b.x for b in boxes), min(b.y for b in boxes)
        right, bottom = max(b.right for b in boxes), max(b.bottom for b in boxes)
        return Box(x, y, right - x, bottom - y)

    def contains(self, other: Box, tolerance: float = 0.5) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )


@dataclass(frozen=True)
class TextItem:
    """A paragraph: ``text`` is drawn with its top-left at ``box.x, box.y``."""

    block_id: str
    role: str
    box: Box
    text: TextBlock


@dataclass(frozen=True)
class CardItem:
    """A rounded, filled rectangle behind other items (stat cards). A ``scrim`` is an
    underlay put behind a block's text so it reads on a picture: backdrop, not content, so
    it may reach into the margins (the canvas, not the safe area, bounds it)."""

    block_id: str
    box: Box
    radius: float
    color: RGBA
    shadow: bool = True
    scrim: bool = False


@dataclass(frozen=True)
class ImageItem:
    """A picture fitted into ``box`` (cover crops, contain letterboxes); ``src`` is None for
    a picture painted for the block (its ``prompt``), which the scene builder generates."""

    block_id: str
    box: Box
    src: str | bytes | None
    fit: Literal["cover", "contain"]
    radius: float
    #: a photo that fills the canvas with things drawn on it (an annotated photo): a
    #: backdrop, so what lies on it is no overlap and the canvas, not the safe area, bounds it
    backdrop: bool = False


@dataclass(frozen=True)
class RuleItem:
    """A filled bar: dividers and accents."""

    block_id: str
    box: Box
    color: RGBA


@dataclass(frozen=True)
class Rect:
    """A filled rectangle (a bar, a grid line, a legend swatch)."""

    box: Box
    color: RGBA

    def mirrored(self, width: float) -> Rect:
        return Rect(self.box.mirrored(width), self.color)


@dataclass(frozen=True)
class Polyline:
    """A stroked line through ``points`` (round joins and caps), ``width`` px wide."""

    points: tuple[tuple[float, float], ...]
    color: RGBA
    width: float

    def mirrored(self, width: float) -> Polyline:
        return replace(self, points=tuple((width - x, y) for x, y in self.points))


@dataclass(frozen=True)
class Polygon:
    """A filled polygon (an area under a line)."""

    points: tuple[tuple[float, float], ...]
    color: RGBA

    def mirrored(self, width: float) -> Polygon:
        return replace(self, points=tuple((width - x, y) for x, y in self.points))


@dataclass(frozen=True)
class Wedge:
    """A slice of a pie (``inner`` 0) or of a ring (a donut).

    Angles are in degrees, clockwise from the positive x axis (3 o'clock), as skia draws
    them: -90 is 12 o'clock. The slice runs from ``start`` to ``start + sweep``.
    """

    cx: float
    cy: float
    radius: float
    inner: float
    start: float
    sweep: float
    color: RGBA

    def mirrored(self, width: float) -> Wedge:
        return replace(self, cx=width - self.cx, start=180.0 - self.start - self.sweep)


@dataclass(frozen=True)
class Dot:
    """A filled circle (a line chart's data point)."""

    cx: float
    cy: float
    r: float
    color: RGBA

    def mirrored(self, width: float) -> Dot:
        return replace(self, cx=width - self.cx)


@dataclass(frozen=True)
class Outline:
    """A stroked rounded rectangle around ``box`` (``radius`` half its side: a ring),
    ``width`` px wide; ``blur`` > 0 softens it into a glow (a Gaussian of that sigma, px)."""

    box: Box
    radius: float
    color: RGBA
    width: float
    blur: float = 0.0

    def mirrored(self, width: float) -> Outline:
        return replace(self, box=self.box.mirrored(width))


Shape = Rect | Polyline | Polygon | Wedge | Dot | Outline


@dataclass(frozen=True)
class ShapeItem:
    """Vector marks of one block (a chart's bars, lines, slices, grid), drawn in order.

    ``box`` is the block's whole region: the marks lie inside it, and the block's own
    labels may sit among them (the chart planner keeps them apart, and the audit treats
    them as nested); another block's items must stay out of it.
    """

    block_id: str
    box: Box
    shapes: tuple[Shape, ...]
    #: marks pinned to places in a picture (an annotation's highlight and leader line): the
    #: picture decides where they are, so the canvas, not the safe area, bounds them; and
    #: their box (a thin leader's bounding box) says little about what they cover, so the
    #: box overlap check leaves them to the annotation planner, which keeps leaders off
    #: other labels exactly
    pinned: bool = False

    def mirrored(self, width: float) -> ShapeItem:
        """The item reflected across the vertical centre line of a canvas ``width`` wide."""
        shapes = tuple(s.mirrored(width) for s in self.shapes)
        return ShapeItem(self.block_id, self.box.mirrored(width), shapes, self.pinned)


@dataclass(frozen=True)
class IconItem:
    """An icon of the set (a Lucide name, already resolved), as large as fits ``box``
    with its aspect kept, centred, in ``color``. With ``clip`` only the part of it
    inside that box is drawn (a pictogram's partly filled icon). Like a shape item, it is
    a mark of its block: the block's own labels may sit near it, never on it."""

    block_id: str
    box: Box
    name: str
    color: RGBA
    clip: Box | None = None

    def mirrored(self, width: float) -> IconItem:
        """The item reflected across the vertical centre line of a canvas ``width`` wide
        (its place and clip; the icon itself is not flipped)."""
        clip = None if self.clip is None else self.clip.mirrored(width)
        return replace(self, box=self.box.mirrored(width), clip=clip)


@dataclass(frozen=True)
class MapItem:
    """An offline basemap (Natural Earth countries) filling ``box``: the projected
    ``bounds`` fitted into it (the box has their aspect), clipped to it. A map block's
    markers and labels follow as a shape item and text items placed with
    :attr:`transform`; mirroring moves the box, never the geography.

    Attributes:
        projection: the projection the map is drawn in.
        bounds: the projected view ``(x_min, y_min, x_max, y_max)`` in unit space.
        land, border, ocean: fills of the countries, their outlines and the sea.
        highlight: country codes filled in ``highlight_color`` instead of ``land``.
    """

    block_id: str
    box: Box
    projection: Projection
    bounds: Bounds
    land: RGBA
    border: RGBA
    ocean: RGBA
    highlight: tuple[str, ...] = ()
    highlight_color: RGBA = (0, 0, 0, 0)

    @property
    def transform(self) -> MapTransform:
        """lon/lat → pixels of this map (see :func:`~factframe.layout.projection.fit`)."""
        return fit(self.bounds, (self.box.x, self.box.y, self.box.w, self.box.h), self.projection)


LayoutItem = TextItem | CardItem | ImageItem | RuleItem | ShapeItem | IconItem | MapItem


@dataclass(frozen=True)
class Layout:
    """Every block's place on the canvas.

    Attributes:
        width, height: the canvas in px.
        safe: the safe area; every item lies inside it.
        direction: ``rtl`` when the layout is mirrored.
        items: in drawing order (later items on top).
        text_scale: the factor by which every text size was scaled down to fit (1.0 = none).
        strategy: the planner's strategy that placed the blocks (``stack``, ``grid``,
            ``hero``, ``columns``, ``comparison``, ``timeline``, ``poster``).
        notes: why: the rule that chose it, strategies that did not apply or fit, and the
            arrangement used.
        notices: what a reader of the picture should know that it does not show (an
            annotation's points that were culled or left without a label); the audit
            carries them, and they do not fail it.
    """

    width: int
    height: int
    safe: Box
    direction: Literal["ltr", "rtl"]
    items: tuple[LayoutItem, ...]
    text_scale: float = 1.0
    strategy: str = "stack"
    notes: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()

    @property
    def texts(self) -> list[TextItem]:
        return [i for i in self.items if isinstance(i, TextItem)]

    def boxes(self, block_id: str) -> list[Box]:
        """The boxes of every item a block produced."""
        return [i.box for i in self.items if i.block_id == block_id]
