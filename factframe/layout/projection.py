"""Map projections and fitting, pure numpy: lon/lat → unit space → pixels.

World maps use the **Equal Earth** projection (Šavrič, Patterson & Jenny 2018: equal
area, straight parallels, a pleasing outline); small regions use the equirectangular
projection with its standard parallel through the region's middle, which keeps shapes
right near that latitude. Projected coordinates are in "unit space" (a sphere of
radius 1, x east, y north); :func:`fit` maps them to a pixel box, and the returned
:class:`MapTransform` places markers exactly where the map is drawn
(:mod:`factframe.generator.basemap` draws the countries with the same transform).

Example::

    transform = fit(projected_bounds((-180, -90, 180, 90)), (0, 0, 1080, 540))
    x, y = place_marker(transform, lon=-9.14, lat=38.72)   # Lisbon
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, overload

import numpy as np
import numpy.typing as npt

from factframe.errors import SpecError

__all__ = [
    "EQUAL_EARTH",
    "Bounds",
    "MapTransform",
    "Projection",
    "as_projection",
    "equal_earth",
    "equirectangular",
    "fit",
    "place_marker",
    "project",
    "projected_bounds",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Bounds = tuple[float, float, float, float]

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


def equal_earth(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
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


def as_projection(projection: Projection | str) -> Projection:
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
    proj = as_projection(projection)
    lon_a, lat_a = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    if proj.name == "equal-earth":
        x, y = equal_earth(lon_a, lat_a)
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
    return MapTransform(as_projection(projection), scale, x0, y0, (bx, by, bw, bh))


def place_marker(transform: MapTransform, lon: float, lat: float) -> tuple[float, float]:
    """Where the point ``(lon, lat)`` lies on a map drawn with ``transform``, in pixels."""
    x, y = project(float(lon), float(lat), transform.projection)
    return transform.x0 + transform.scale * x, transform.y0 - transform.scale * y
