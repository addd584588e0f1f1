"""Quadrilaterals and the homographies that map a rectangle onto them.

Coordinates are continuous pixel coordinates, as skia draws: the top-left pixel of a
picture spans 0…1 in x and y, so a ``w``×``h`` picture's corners are (0, 0), (w, 0),
(w, h) and (0, h). A quad lists its corners clockwise on screen (y grows downwards)
starting from the one the design's top-left corner goes to.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import skia

from factframe.errors import SpecError

__all__ = [
    "ASSUMED_FOCAL",
    "Quad",
    "as_quad",
    "homography",
    "map_points",
    "rect_corners",
    "skia_matrix",
    "surface_aspect",
]

#: Four (x, y) corners, clockwise from the one the design's top-left goes to.
Quad = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]

# Corners closer than this (px) are one corner; a corner closer than this to the line of
# its neighbours is no corner; a quad smaller than _MIN_AREA px² is no surface.
_MIN_SIDE = 0.5
_MIN_AREA = 4.0

#: The focal length assumed for a photo, in units of its longer side, when the quad does not
#: give its own: 28/36, a 28 mm lens on full frame (a phone's main camera is 24–28 mm).
ASSUMED_FOCAL = 28 / 36
# A focal length solved from a quad is believed between these (in units of the longer
# side: a 90° to a 19° field of view); outside, the quad is too nearly a parallelogram,
# hand-drawn, or cropped off-centre to tell, and ASSUMED_FOCAL is used.
_FOCAL_RANGE = (0.5, 3.0)


def rect_corners(width: float, height: float) -> Quad:
    """The corners of a ``width``×``height`` picture, clockwise from the top-left."""
    return ((0.0, 0.0), (float(width), 0.0), (float(width), float(height)), (0.0, float(height)))


def as_quad(points: object, where: str = "quad") -> Quad:
    """Checks that ``points`` are four corners of a convex quadrilateral, clockwise.

    Accepts four (x, y) pairs or eight numbers ``x1, y1, …, x4, y4``. A quad may reach
    beyond the picture it is drawn into (it is clipped there).

    Raises:
        SpecError: named ``where``: not four finite points, repeated corners, three in
            a line (zero area), sides that cross (a bow-tie), a dent (not convex), or
            corners listed counter-clockwise.
    """
    quad = _four_points(points, where)
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        if math.dist(a, b) < _MIN_SIDE:
            raise SpecError(
                f"corners {i + 1} and {(i + 1) % 4 + 1} are the same point {a}; "
                "give four distinct corners",
                where,
            )
    if _segments_cross(quad[0], quad[1], quad[2], quad[3]) or _segments_cross(
        quad[1], quad[2], quad[3], quad[0]
    ):
        raise SpecError(
            "sides cross each other (a bow-tie); list the corners in order around the "
            "shape, clockwise from top-left",
            where,
        )
    turns = [_cross(quad[i - 1], quad[i], quad[(i + 1) % 4]) for i in range(4)]
    for i, turn in enumerate(turns):
        # |turn| / |neighbour to neighbour| is the corner's distance from their line
        if abs(turn) <= _MIN_SIDE * math.dist(quad[i - 1], quad[(i + 1) % 4]):
            raise SpecError(
                f"corner {i + 1} {quad[i]} lies on the line through its neighbours "
                "(collinear corners, no area); give a real quadrilateral",
                where,
            )
    area = _area(quad)
    if abs(area) < _MIN_AREA:
        raise SpecError(f"the quad has no area ({abs(area):.2g} px²)", where)
    if not (all(t > 0 for t in turns) or all(t < 0 for t in turns)):
        dent = next(i for i, t in enumerate(turns) if (t > 0) != (area > 0))
        raise SpecError(
            f"the quad is not convex (it has a dent at corner {dent + 1} {quad[dent]}); "
            "a flat surface in perspective is always convex",
            where,
        )
    if area < 0:
        raise SpecError(
            "corners go counter-clockwise, which would mirror the design; list them "
            "clockwise on screen: top-left, top-right, bottom-right, bottom-left",
            where,
        )
    return quad


def _four_points(points: object, where: str) -> Quad:
    try:
        flat = np.asarray(points, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise SpecError(
            "expected four (x, y) corners or eight numbers x1,y1,…,x4,y4", where
        ) from None
    if flat.size != 8:
        raise SpecError(
            f"expected four (x, y) corners (eight numbers), got {flat.size} numbers", where
        )
    if not np.all(np.isfinite(flat)):
        raise SpecError("corners must be finite numbers", where)
    p = [(float(flat[2 * i]), float(flat[2 * i + 1])) for i in range(4)]
    return (p[0], p[1], p[2], p[3])


def _cross(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
    """The z of (b − a) × (c − b): > 0 for a clockwise turn on screen (y down)."""
    return (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])


def _area(quad: Quad) -> float:
    """Signed area by the shoelace formula: > 0 for clockwise on screen (y down)."""
    return 0.5 * sum(
        quad[i][0] * quad[(i + 1) % 4][1] - quad[(i + 1) % 4][0] * quad[i][1] for i in range(4)
    )


def _segments_cross(
    a: tuple[float, float], b: tuple[float, float], c: tuple[float, float], d: tuple[float, float]
) -> bool:
    """Whether segment ab crosses segment cd at a point inside both."""
    d1, d2 = _cross(a, b, c), _cross(a, b, d)
    d3, d4 = _cross(c, d, a), _cross(c, d, b)
    return (d1 > 0) != (d2 > 0) and (d3 > 0) != (d4 > 0) and 0 not in (d1, d2, d3, d4)


def homography(src: Sequence[Sequence[float]], dst: Sequence[Sequence[float]]) -> np.ndarray:
    """The 3×3 projective matrix that maps the four ``src`` points onto the four ``dst``.

    Solved exactly (8 equations, 8 unknowns, ``h33 = 1``) in float64; the result maps
    each corner to its target to ~1e-9 px.

    Raises:
        SpecError: the points do not define a homography (three of them in a line).
    """
    a = np.zeros((8, 8))
    b = np.zeros(8)
    for i, ((x, y), (u, v)) in enumerate(zip(src, dst, strict=True)):
        a[2 * i] = [x, y, 1, 0, 0, 0, -u * x, -u * y]
        a[2 * i + 1] = [0, 0, 0, x, y, 1, -v * x, -v * y]
        b[2 * i], b[2 * i + 1] = u, v
    try:
        h = np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        raise SpecError("the corners do not define a perspective (degenerate)", "quad") from None
    return np.append(h, 1.0).reshape(3, 3)


def map_points(matrix: np.ndarray, points: Sequence[Sequence[float]]) -> np.ndarray:
    """``points`` (n, 2) mapped through the homography ``matrix``."""
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    q = np.c_[p, np.ones(len(p))] @ matrix.T
    mapped: np.ndarray = q[:, :2] / q[:, 2:3]
    return mapped


def skia_matrix(matrix: np.ndarray) -> skia.Matrix:
    """The homography as a skia matrix (row-major, the same convention)."""
    m = matrix / matrix[2, 2]
    return skia.Matrix.MakeAll(*(float(v) for v in m.reshape(-1)))


def surface_aspect(quad: Quad, size: tuple[int, int]) -> tuple[float, str]:
    """Width / height of the real rectangle that ``quad`` shows in a ``size`` picture.

    A rectangle seen by a pinhole camera (square pixels, principal point at the
    picture's centre, focal length ``f`` px) maps onto the picture by ``H ~ K [w·r1,
    h·r2, t]``, where ``r1``, ``r2`` are the plane's orthonormal axes. So with ``H`` the
    homography from the unit square to the quad, the columns ``K⁻¹h1`` and ``K⁻¹h2`` are
    ``w·r1`` and ``h·r2`` up to one scale, and ``w / h = |K⁻¹h1| / |K⁻¹h2|``.
    Their orthogonality gives ``f² = −(h11·h12 + h21·h22) / (h31·h32)`` (Zhang and He,
    "Whiteboard scanning and image enhancement", 2007); that ``f`` is used when it is
    plausible, else :data:`ASSUMED_FOCAL` × the longer side. A quad that is a
    parallelogram (no perspective) gives the ratio of its sides whatever ``f``.

    Returns:
        the aspect, and how ``f`` was found (``"solved"`` or ``"assumed"``).
    """
    width, height = size
    cx, cy = width / 2, height / 2
    m = homography(rect_corners(1, 1), [(x - cx, y - cy) for x, y in quad])
    h1, h2 = m[:, 0], m[:, 1]
    longer = max(width, height)
    how, focal = "assumed", ASSUMED_FOCAL * longer
    den = h1[2] * h2[2]
    if den != 0:
        f2 = -(h1[0] * h2[0] + h1[1] * h2[1]) / den
        low, high = _FOCAL_RANGE
        if (low * longer) ** 2 <= f2 <= (high * longer) ** 2:
            how, focal = "solved", math.sqrt(f2)
    across = math.hypot(h1[0] / focal, h1[1] / focal, h1[2])
    down = math.hypot(h2[0] / focal, h2[1] / focal, h2[2])
    return across / down, how
