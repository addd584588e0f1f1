"""Quads and homographies: exact corners, and every kind of bad quad named as ``quad``."""

from __future__ import annotations

import numpy as np
import pytest

from factframe.errors import SpecError
from factframe.generator.mockup import as_quad, homography, map_points
from factframe.generator.mockup.homography import rect_corners

QUAD = [(212.5, 96.25), (905.0, 180.0), (870.75, 702.0), (230.0, 760.5)]


def test_the_homography_maps_the_four_corners_exactly() -> None:
    h = homography(rect_corners(1080, 1350), QUAD)
    assert np.abs(map_points(h, rect_corners(1080, 1350)) - np.array(QUAD)).max() < 1e-9
    # a true perspective: the design's centre goes where the quad's diagonals cross
    ((cx, cy),) = map_points(h, [(540, 675)])
    p0, p1, p2, p3 = (np.array(p) for p in QUAD)
    s, _ = np.linalg.solve(np.c_[p2 - p0, p1 - p3], p1 - p0)
    assert np.allclose(p0 + s * (p2 - p0), (cx, cy), atol=1e-9)


def test_a_quad_is_four_pairs_or_eight_numbers() -> None:
    flat = [v for point in QUAD for v in point]
    assert as_quad(flat) == as_quad(QUAD) == tuple(QUAD)


BAD = {
    "repeated": ([(0, 0), (0, 0), (100, 100), (0, 100)], "same point"),
    "collinear": ([(0, 0), (50, 0), (100, 0), (50, 80)], "line"),
    "all on a line": ([(0, 0), (10, 10), (20, 20), (30, 30)], "line"),
    "zero area": ([(5, 5), (5, 5), (5, 5), (5, 5)], "same point"),
    "bow-tie": ([(0, 0), (100, 0), (0, 100), (100, 100)], "bow-tie"),
    "dent": ([(0, 0), (100, 0), (30, 30), (0, 100)], "not convex"),
    "counter-clockwise": ([(0, 0), (0, 100), (100, 100), (100, 0)], "counter-clockwise"),
    "three corners": ([(0, 0), (100, 0), (100, 100)], "four"),
    "not numbers": ([("a", 0), (1, 0), (1, 1), (0, 1)], "four"),
    "infinite": ([(0, 0), (float("inf"), 0), (1, 1), (0, 1)], "finite"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_quads_raise_a_spec_error_naming_quad(name: str) -> None:
    points, words = BAD[name]
    with pytest.raises(SpecError, match=words) as caught:
        as_quad(points)
    assert caught.value.path == "quad"
    assert str(caught.value).startswith("quad: ")
