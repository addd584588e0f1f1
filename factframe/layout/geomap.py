"""The ``map`` block: an offline basemap with labelled markers.

The view (:func:`map_view_of`) is the whole world in Equal Earth, the main landmasses of
a list of countries, a lon/lat box, or (``region`` None) the box around the markers,
the last three in the equirectangular projection through the view's middle latitude
(:func:`~factframe.layout.countries.map_view`). The map takes the view's aspect
(or ``aspect``) and the block's width; when the body is short it shrinks, like a chart,
but never below the size at which every label finds its place.

The planner emits a :class:`~factframe.layout.model.MapItem` (the generator draws the
countries under everything else of the block), one shape item with the markers (a dot
in the primary colour on a ring of the surface colour) and the label plates, and a text
item per label (``map.label``, one size for all). Each marker lands exactly where
:func:`~factframe.layout.projection.place_marker` puts its lon/lat on the drawn map.

Labels are placed greedily, marker by marker, at the first of eight positions around
the marker (right, left, above, below, then the diagonals; mirrored for RTL text) whose
plate stays inside the map and clear of every marker and of the labels placed before;
when some label has no such place the size steps down to the floor, and then the plan
fails with a :class:`~factframe.errors.LayoutError` naming the marker.

RTL canvases mirror the layout but never the geography: the map is planned where the
flow will put it, and its items are handed over pre-mirrored.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache

from factframe.errors import LayoutError, SpecError
from factframe.layout.context import PlanContext
from factframe.layout.countries import find_country, map_view
from factframe.layout.model import (
    RGBA,
    Box,
    Dot,
    LayoutItem,
    MapItem,
    Rect,
    Shape,
    ShapeItem,
    TextItem,
)
from factframe.layout.nodes import NodeBase, visual_share
from factframe.layout.projection import Bounds, Projection, place_marker, projected_bounds
from factframe.layout.timeline import one_size
from factframe.spec import MapBlock, parse_color
from factframe.typography import TextBlock, measure, typeset

__all__ = ["MapNode", "label_candidates", "map_view_of"]

#: Smallest share of the body's height a map keeps (like a chart's plot).
_MAP_MIN = 0.3
#: Step by which a map grows past that when its labels find no place.
_GROW = 1.2
_WORLD: Bounds = (-180.0, -90.0, 180.0, 90.0)


@lru_cache(maxsize=256)
def _view(region: tuple[str, ...] | Bounds | None) -> tuple[Bounds, Projection]:
    """:func:`~factframe.layout.countries.map_view`, kept: every strategy the planner
    tries builds the map's node again."""
    return map_view(region)


@lru_cache(maxsize=256)
def _projected(view: Bounds, projection: Projection) -> Bounds:
    return projected_bounds(view, projection)


def map_view_of(ctx: PlanContext, block: MapBlock) -> tuple[Bounds, Projection]:
    """The lon/lat box the block shows and its projection.

    Raises:
        SpecError: an unknown country code (naming ``blocks[i].region[j]``), or a marker
            still bound to a fact template.
    """
    where = ctx.where(block)
    for k, marker in enumerate(block.markers):
        if marker.lat is None or marker.lon is None:
            raise SpecError(
                "the marker's place fact is not bound yet; factframe.render() binds it",
                f"{where}.markers[{k}].place",
            )
    region = block.region
    if region == "world" or (region is None and not block.markers):
        return _view(None)
    if isinstance(region, list):
        for j, code in enumerate(region):
            try:
                find_country(code)
            except SpecError as exc:
                raise SpecError(str(exc), f"{where}.region[{j}]") from None
        return _view(tuple(region))
    if isinstance(region, tuple):
        return _view(region)
    lons = [m.lon for m in block.markers if m.lon is not None]
    lats = [m.lat for m in block.markers if m.lat is not None]
    span_x, span_y = max(lons) - min(lons), max(lats) - min(lats)
    if span_x > 200 or span_y > 100:
        return _view(None)
    pad_x, pad_y = max(3.0, 0.3 * span_x), max(2.0, 0.3 * span_y)
    box = (
        max(-180.0, min(lons) - pad_x),
        max(-90.0, min(lats) - pad_y),
        min(180.0, max(lons) + pad_x),
        min(90.0, max(lats) + pad_y),
    )
    return _view(box)


def _mix(a: RGBA, b: RGBA, t: float) -> RGBA:
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a[:3], b[:3], strict=True))
    return (r, g, bl, 255)


def label_candidates(
    cx: float, cy: float, reach: float, w: float, h: float, rtl: bool
) -> list[Box]:
    """Where a ``w`` × ``h`` label may go around a marker at ``(cx, cy)``, ``reach`` px
    from its centre: after, before, above, below, then the diagonals (after = right for
    LTR text, left for RTL)."""
    after = [Box(cx + reach, cy - h / 2, w, h)]
    before = [Box(cx - reach - w, cy - h / 2, w, h)]
    above = Box(cx - w / 2, cy - reach - h, w, h)
    below = Box(cx - w / 2, cy + reach, w, h)
    d = reach / math.sqrt(2)
    diagonals = [
        Box(cx + d, cy - d - h, w, h),
        Box(cx + d, cy + d, w, h),
        Box(cx - d - w, cy - d - h, w, h),
        Box(cx - d - w, cy + d, w, h),
    ]
    if rtl:
        after, before = before, after
        diagonals = [diagonals[2], diagonals[3], diagonals[0], diagonals[1]]
    return [*after, *before, above, below, *diagonals]


def _hits(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


class MapNode(NodeBase):
    """A map block: a flexible height like a chart's, markers and their labels."""

    def __init__(self, ctx: PlanContext, block: MapBlock, available: float) -> None:
        self.ctx, self.blocks, self.block, self.available = ctx, [block], block, available
        self.view, self.projection = map_view_of(ctx, block)
        self.bounds = _projected(self.view, self.projection)
        x0, y0, x1, y1 = self.bounds
        self.aspect = block.aspect or (x1 - x0) / (y1 - y0)
        self.k = 1.0
        self.marker = 7 * ctx.scale
        self.ring = max(2.0, round(3 * ctx.scale))
        palette = ctx.spec.brand.palette
        background = ctx.backgrounds[0]
        self.plate = parse_color(palette.surface)
        self.land = _mix(background, parse_color(palette.text), 0.13)
        self.ocean = _mix(background, parse_color(palette.primary), 0.07)
        self.border = background
        self.accent = _mix(background, parse_color(palette.accent), 0.55)
        self.dot = parse_color(block.style.color or palette.primary)
        self.texts: list[TextBlock] = []

    # -- measuring ---------------------------------------------------------------------

    def _labels(self, width: float, k: float) -> list[TextBlock]:
        ctx, block = self.ctx, self.block
        fitted = [
            ctx.fit(block, "map.label", m.name, 0.4 * width, k, under=self.plate)
            for m in block.markers
            if m.name
        ]
        return [t for t in one_size(list(fitted)) if t is not None]

    def _map_box(self, box: Box) -> Box:
        w = min(box.w, box.h * self.aspect)
        h = w / self.aspect
        return Box(box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h)

    def measure(self, width: float, k: float) -> float:
        self.k = k
        self.texts = self._labels(width, k)
        full = self.wanted(width)
        height = min(full, max(_MAP_MIN * self.available * visual_share(k), 1.0))
        while True:  # as small as it may be, but large enough to place every label
            try:
                self._placed(self._map_box(Box(0, 0, width, height)))
                break
            except LayoutError:
                if height >= full:
                    raise
                height = min(full, height * _GROW)
        self.height = height
        return self.height

    def wanted(self, width: float) -> float:
        return width / self.aspect

    # -- placing -----------------------------------------------------------------------

    def _points(self, area: Box) -> list[tuple[float, float]]:
        item = self._item(area)
        points = []
        for k, m in enumerate(self.block.markers):
            assert m.lon is not None and m.lat is not None
            x, y = place_marker(item.transform, m.lon, m.lat)
            if (
                not area.x - 0.5 <= x <= area.right + 0.5
                or not area.y - 0.5 <= y <= area.bottom + 0.5
            ):
                raise SpecError(
                    f"the marker at {m.lat:g}, {m.lon:g} lies outside the map's region; "
                    "widen the region or leave it out (the map then fits the markers)",
                    f"{self.ctx.where(self.block)}.markers[{k}]",
                )
            points.append((x, y))
        return points

    def _placed(self, area: Box) -> list[tuple[int, Box, TextBlock]]:
        """Each named marker's label box and text, at the largest size that places all."""
        points = self._points(area)
        lib = self.ctx.library
        named = [k for k, m in enumerate(self.block.markers) if m.name]
        if not named:
            return []
        r = self.marker + self.ring
        discs = [Box(x - r, y - r, 2 * r, 2 * r) for x, y in points]
        largest = self.texts[0].size
        floor = self.ctx.sizes(self.block, "map.label", 0.0)[1]
        size, failed = largest, 0
        while True:
            placed: list[tuple[int, Box, TextBlock]] = []
            for k, text in zip(named, self.texts, strict=True):
                text = text.at(size)
                natural = typeset(text, lib).MaxIntrinsicWidth  # no ink raster needed
                w = min(text.width, math.ceil(natural + 2 * text.inset + 1))
                text = text.at(size, width=w)
                h = measure(text, lib).height
                pad = max(2.0, 0.2 * size)
                reach = r + pad + max(3.0, 0.25 * size)
                x, y = points[k]
                spot = self._spot(x, y, reach, w + 2 * pad, h + 2 * pad, area, discs, placed)
                if spot is None:
                    failed = k
                    break
                placed.append((k, spot, text))
            else:
                return placed
            if size <= floor + 1e-6:
                name = self.block.markers[failed].name
                raise LayoutError(
                    f"the label {name!r} of markers[{failed}] finds no place beside its marker "
                    "clear of the others; give the map more room or fewer labels",
                    self.block.id,
                )
            size = max(floor, size - max(1.0, 0.08 * largest))

    def _spot(
        self,
        x: float,
        y: float,
        reach: float,
        w: float,
        h: float,
        area: Box,
        discs: list[Box],
        placed: list[tuple[int, Box, TextBlock]],
    ) -> Box | None:
        rtl = self.ctx.direction == "rtl"
        for spot in label_candidates(x, y, reach, w, h, rtl):
            if not area.contains(spot, tolerance=0.0):
                continue
            if any(_hits(spot, d) for d in discs):
                continue
            if any(_hits(spot, other) for _, other, _ in placed):
                continue
            return spot
        return None

    def _item(self, area: Box) -> MapItem:
        codes = tuple(self.block.region) if isinstance(self.block.region, list) else ()
        return MapItem(
            self.block.id or "",
            area,
            self.projection,
            self.bounds,
            self.land,
            self.border,
            self.ocean,
            codes if self.block.highlight else (),
            self.accent,
        )

    def place(self, box: Box) -> list[LayoutItem]:
        width = float(self.ctx.spec.canvas.width)
        rtl = self.ctx.direction == "rtl"
        final = box.mirrored(width) if rtl else box  # where the flow will put it
        area = self._map_box(final)
        item = self._item(area)
        points = self._points(area)
        labels = self._placed(area)
        bid = self.block.id or ""
        r = self.marker
        shapes: list[Shape] = []
        for x, y in points:
            shapes += [Dot(x, y, r + self.ring, self.plate), Dot(x, y, r, self.dot)]
        texts: list[LayoutItem] = []
        for _, spot, text in labels:
            shapes.append(Rect(spot, self.plate))
            h = measure(text, self.ctx.library).height
            inner = Box(
                spot.x + (spot.w - text.width) / 2, spot.y + (spot.h - h) / 2, text.width, h
            )
            texts.append(TextItem(bid, "map.label", inner, text))
        items: list[LayoutItem] = [item, ShapeItem(bid, final, tuple(shapes)), *texts]
        if not rtl:
            return items
        # handed over mirrored: the flow mirrors them back to where they were planned
        return [
            it.mirrored(width)
            if isinstance(it, ShapeItem)
            else replace(it, box=it.box.mirrored(width))
            for it in items
        ]
