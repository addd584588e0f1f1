"""An offline world basemap: Natural Earth countries, projected and drawn with skia.

The countries come from :mod:`factframe.layout.countries` (Natural Earth 1:10m admin-0,
shipped by a PyPI package, nothing downloaded at run time) and the projections and the
fitting from :mod:`factframe.layout.projection` (Equal Earth for the world,
equirectangular for regions), which the planner uses too: a map block's markers are
placed with the same :class:`MapTransform` that draws the countries here. The names of
both modules are re-exported, so ``from factframe.generator.basemap import project``
keeps working.

Outlines are simplified for the scale they are drawn at (a vertex is dropped while it
stays in the same grid cell of at most 1 px as the one before it), so a 1080 px world
map draws about 77k of the 547k vertices, and a zoom on one country keeps the 10m
detail. The simplified outlines are cached per projection and scale.

Example::

    transform = draw_basemap(canvas, (0, 0, 1080, 540), land_color="#d8dde3")
    x, y = place_marker(transform, lon=-9.14, lat=38.72)   # Lisbon
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import skia

from factframe.errors import SpecError
from factframe.layout.countries import (
    Country,
    country_at,
    find_country,
    map_view,
    ring_boxes,
    world_countries,
)
from factframe.layout.countries import _countries as _countries
from factframe.layout.projection import (
    EQUAL_EARTH,
    Bounds,
    FloatArray,
    IntArray,
    MapTransform,
    Projection,
    equal_earth,
    equirectangular,
    fit,
    place_marker,
    project,
    projected_bounds,
)
from factframe.spec import parse_color

__all__ = [
    "EQUAL_EARTH",
    "Country",
    "MapTransform",
    "Projection",
    "country_at",
    "draw_basemap",
    "draw_map_view",
    "equirectangular",
    "fit",
    "map_view",
    "place_marker",
    "project",
    "projected_bounds",
    "transform_matrix",
    "world_countries",
]

#: Outlines drop vertices that stay within the same grid cell of at most this many
#: pixels: invisible at 1× (anti-aliased edges), and 10m data shrinks ~14× on a world map.
_TOLERANCE_PX = 1.0


def transform_matrix(transform: MapTransform) -> skia.Matrix:
    """A transform's unit space → pixels mapping as a skia matrix."""
    t = transform
    return skia.Matrix.MakeAll(t.scale, 0, t.x0, 0, -t.scale, t.y0, 0, 0, 1)


# --- drawing ------------------------------------------------------------------------------

# Outlines are cached per projection family ("base space": Equal Earth units, or plain
# degrees for equirectangular, whose standard parallel is then an affine stretch) and per
# power-of-two simplification tolerance, so redrawing a map at the same scale is cheap.


@lru_cache(maxsize=2)
def _base_rings(kind: str) -> tuple[FloatArray, IntArray, IntArray]:
    """All rings of all countries in base space: the points, where each ring starts
    (ending with the number of points), and where each country's rings start."""
    countries = _countries()
    rings = [ring for c in countries for ring in c.rings]
    points = np.concatenate(rings)
    if kind == "equal-earth":
        x, y = equal_earth(points[:, 0], points[:, 1])
        points = np.column_stack([x, y])
    starts = np.cumsum([0] + [len(r) for r in rings], dtype=np.int64)
    firsts = np.cumsum([0] + [len(c.rings) for c in countries], dtype=np.int64)
    return points, starts, firsts


@lru_cache(maxsize=2)
def _base_boxes(kind: str) -> FloatArray:
    """Per country ``(x_min, y_min, x_max, y_max)`` in base space."""
    points, starts, firsts = _base_rings(kind)
    boxes = ring_boxes(points, starts)
    lo = np.minimum.reduceat(boxes[:, :2], firsts[:-1], axis=0)
    hi = np.maximum.reduceat(boxes[:, 2:], firsts[:-1], axis=0)
    return np.hstack([lo, hi])


@lru_cache(maxsize=16)
def _kept(kind: str, level: int) -> tuple[npt.NDArray[np.bool_], IntArray]:
    """Which vertices to draw at tolerance 2**level base units, and how many per ring.

    A vertex is kept when it lies in another grid cell than the one before it: fast,
    and within one cell of the true outline.
    """
    points, starts, _ = _base_rings(kind)
    cells = np.floor(points / 2.0**level)
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = np.any(cells[1:] != cells[:-1], axis=1)
    keep[starts[:-1]] = True
    return keep, np.add.reduceat(keep.astype(np.int64), starts[:-1])


def _path_from_points(points: FloatArray, lengths: IntArray) -> skia.Path:
    """A path of closed polygons: ``points`` holds the rings one after another."""
    if _bulk_paths():
        return _read_path(points, lengths)
    path = skia.Path()
    for ring in np.split(points, np.cumsum(lengths)[:-1]):
        path.addPoly([skia.Point(x, y) for x, y in ring.tolist()], True)
    return path


def _read_path(points: FloatArray, lengths: IntArray) -> skia.Path:
    # skia's own serialisation (SkPath::writeToMemory, version 5): a header of four
    # int32 (version | fill type << 28, points, conic weights, verbs), float32 points,
    # one byte per verb (0 move, 1 line, 5 close), zero-padded to 4 bytes. Building it
    # with numpy is 20× faster than making a skia.Point per vertex; _bulk_paths()
    # checks it against addPoly once, and the slow way is used if skia ever changes it.
    verbs = np.ones(len(points) + len(lengths), dtype=np.uint8)
    ends = np.cumsum(lengths + 1)
    verbs[ends - 1] = 5
    verbs[ends - lengths - 1] = 0
    header = np.array([5, len(points), 0, len(verbs)], dtype="<i4")
    data = b"".join(
        [header.tobytes(), points.astype("<f4").tobytes(), verbs.tobytes(), bytes(-len(verbs) % 4)]
    )
    path = skia.Path()
    if path.readFromMemory(data) != len(data):
        raise RuntimeError("skia did not read the path")  # never once _bulk_paths() passed
    return path


@lru_cache(maxsize=1)
def _bulk_paths() -> bool:
    """Whether :func:`_read_path` builds exactly what ``addPoly`` builds in this skia."""
    points = np.array([[0, 0], [4, 0], [4, 3], [1, 1], [2, 1], [2, 2], [1.5, 2.5]], dtype=float)
    lengths = np.array([3, 4], dtype=np.int64)
    slow = skia.Path()
    for ring in np.split(points, [3]):
        slow.addPoly([skia.Point(x, y) for x, y in ring.tolist()], True)
    try:
        fast = _read_path(points, lengths)
    except (RuntimeError, ValueError):
        return False
    return bytes(fast.serialize()) == bytes(slow.serialize())


@lru_cache(maxsize=2048)
def _outline(kind: str, index: int, level: int) -> skia.Path | None:
    """Country ``index``'s rings in base space at tolerance 2**level, or None when none
    is larger than the tolerance."""
    points, starts, firsts = _base_rings(kind)
    keep, counts = _kept(kind, level)
    r0, r1 = int(firsts[index]), int(firsts[index + 1])
    p0, p1 = int(starts[r0]), int(starts[r1])
    big = counts[r0:r1] >= 3
    if not big.any():
        return None
    mask = keep[p0:p1] & np.repeat(big, np.diff(starts[r0 : r1 + 1]))
    return _path_from_points(points[p0:p1][mask], counts[r0:r1][big])


def _base_matrix(transform: MapTransform) -> tuple[skia.Matrix, float]:
    """Base space → pixels, and pixels per base unit (the larger axis)."""
    proj, s = transform.projection, transform.scale
    if proj.name == "equal-earth":
        return transform_matrix(transform), s
    sx = s * math.radians(1.0) * math.cos(math.radians(proj.standard_parallel))
    sy = s * math.radians(1.0)
    return skia.Matrix.MakeAll(sx, 0, transform.x0, 0, -sy, transform.y0, 0, 0, 1), sy


def _sphere_outline(projection: Projection) -> skia.Path:
    """The edge of the whole globe in unit space (the ocean's shape)."""
    lats = np.linspace(-90.0, 90.0, 181)
    lons = np.concatenate([np.full(181, -180.0), np.full(181, 180.0)])
    x, y = project(lons, np.concatenate([lats, lats[::-1]]), projection)
    path = skia.Path()
    path.addPoly([skia.Point(a, b) for a, b in zip(x.tolist(), y.tolist(), strict=True)], True)
    return path


def _paint(color: str, **kwargs: object) -> skia.Paint:
    try:
        r, g, b, a = parse_color(color)
    except ValueError as exc:
        raise SpecError(str(exc)) from None
    return skia.Paint(Color=skia.Color(r, g, b, a), AntiAlias=True, **kwargs)


def draw_basemap(
    canvas: skia.Canvas,
    box: Sequence[float],
    projection: Projection | str | None = None,
    land_color: str = "#d8dde3",
    border_color: str = "#ffffff",
    ocean_color: str | None = None,
    region: Sequence[str] | Bounds | None = None,
    *,
    border_width: float = 0.75,
    fills: Mapping[str, str] | None = None,
) -> MapTransform:
    """Draws the countries into ``box`` and returns the transform for placing markers.

    Args:
        canvas: any skia canvas (raster, PDF, SVG).
        box: the pixel box ``(x, y, w, h)``; the map is fitted inside it with its aspect
            kept, centred, and clipped to it.
        projection: default Equal Earth for the world and equirectangular (standard
            parallel through the region's middle) for a region; ``"equirectangular"``
            picks that standard parallel too.
        land_color: fill of every country (``#rrggbb[aa]``).
        border_color: country outlines and coasts; ``"#00000000"`` draws none.
        ocean_color: fill of the globe behind the land (its Equal Earth outline for a
            world map); None leaves the canvas as it is.
        region: None for the whole world, a list of country codes (ISO alpha-2 or
            alpha-3: the view covers their main landmasses), or a box
            ``(lon_min, lat_min, lon_max, lat_max)`` in degrees.
        border_width: outline width in pixels.
        fills: a fill colour per country code, for highlighting (``{"PT": "#0b3d91"}``).

    Returns:
        The :class:`MapTransform` used: :func:`place_marker` puts points on this map.

    Raises:
        SpecError: an unknown country code, a bad region, projection or colour.
    """
    # 1. The view: what part of the world, in which projection.
    view, proj = map_view(region, projection)
    transform = fit(projected_bounds(view, proj), box, proj)
    # 2. The countries, ocean and borders.
    draw_map_view(
        canvas,
        transform,
        land_color,
        border_color,
        ocean_color,
        border_width=border_width,
        fills=fills,
    )
    return transform


def draw_map_view(
    canvas: skia.Canvas,
    transform: MapTransform,
    land_color: str = "#d8dde3",
    border_color: str = "#ffffff",
    ocean_color: str | None = None,
    *,
    border_width: float = 0.75,
    fills: Mapping[str, str] | None = None,
) -> None:
    """Draws the countries with ``transform`` (from :func:`fit`), clipped to its box.

    The planner fits a map block's view with the same functions, so its markers lie
    exactly on what is drawn here. The arguments are those of :func:`draw_basemap`.

    Raises:
        SpecError: an unknown country code in ``fills``, or a bad colour.
    """
    bx, by, bw, bh = transform.box
    proj = transform.projection
    # 1. Which outlines, simplified for this scale.
    kind = proj.name
    to_pixels, per_unit = _base_matrix(transform)
    level = math.floor(math.log2(_TOLERANCE_PX / per_unit))
    inverse = skia.Matrix()
    to_pixels.invert(inverse)
    visible = inverse.mapRect(skia.Rect.MakeXYWH(bx, by, bw, bh))
    boxes = _base_boxes(kind)
    shown = np.nonzero(
        (boxes[:, 2] >= visible.left())
        & (boxes[:, 0] <= visible.right())
        & (boxes[:, 3] >= visible.top())
        & (boxes[:, 1] <= visible.bottom())
    )[0]
    special = {find_country(code).code: color for code, color in (fills or {}).items()}
    countries = _countries()
    groups: dict[str, skia.Path] = {}
    for index in shown.tolist():
        outline = _outline(kind, index, level)
        if outline is None:
            continue
        color = special.get(countries[index].code, land_color)
        group = groups.setdefault(color, skia.Path())
        group.addPath(outline, to_pixels)
    # 2. Draw: ocean, land by colour, then all borders in one stroke.
    canvas.save()
    canvas.clipRect(skia.Rect.MakeXYWH(bx, by, bw, bh), doAntiAlias=True)
    if ocean_color is not None:
        ocean = _sphere_outline(proj)
        ocean.transform(transform_matrix(transform))
        canvas.drawPath(ocean, _paint(ocean_color))
    borders = skia.Path()
    for color, path in groups.items():
        path.setFillType(skia.PathFillType.kEvenOdd)
        canvas.drawPath(path, _paint(color))
        borders.addPath(path)
    if border_width > 0:
        stroke = _paint(border_color, Style=skia.Paint.kStroke_Style, StrokeWidth=border_width)
        stroke.setStrokeJoin(skia.Paint.kRound_Join)
        if stroke.getAlpha() > 0:
            canvas.drawPath(borders, stroke)
    canvas.restore()
