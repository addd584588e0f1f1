"""Camera geometry with closed-form answers: centre column, edges, rows, culling."""

from __future__ import annotations

import math

import numpy as np
import pytest

from factframe.layout.camera import EARTH_RADIUS_M, REFRACTION_K, enu, focal_px, project
from factframe.spec_annotation import CameraPose

W, H = 1600, 1000
LAT, LON, ALT = 46.0, 7.7, 1000.0
M_PER_DEG_LAT = 111_132.0  # near 46°N; each test measures the true offset with enu()


def pose(**kw: float) -> CameraPose:
    fields = {"lat": LAT, "lon": LON, "alt": ALT, "heading": 0.0, "hfov": 60.0} | kw
    return CameraPose(**fields)


def test_a_point_due_north_with_heading_0_is_on_the_centre_column() -> None:
    p = project(pose(), [LAT + 0.05], [LON], [ALT], W, H)
    assert p.status == ["visible"]
    assert p.x[0] == pytest.approx(W / 2, abs=1e-6)  # the same meridian: no east offset


def test_heading_90_puts_an_eastern_point_at_the_centre() -> None:
    p = project(pose(heading=90), [LAT], [LON + 0.02], [ALT], W, H)
    assert p.status == ["visible"]
    # a parallel bends off the straight east line by (d / 2R)·tan(lat) rad: 0.2 px here
    assert p.x[0] == pytest.approx(W / 2, abs=0.5)
    assert project(pose(heading=0), [LAT], [LON + 0.02], [ALT], W, H).status == ["outside"]


@pytest.mark.parametrize("side", [-1, 1])
def test_points_at_half_the_field_of_view_land_on_the_edges(side: int) -> None:
    lat, lon, alt = [LAT + 0.03], [LON + 0.01], [ALT + 50]
    e, n, _ = enu(pose(), np.array(lat), np.array(lon), np.array(alt))[0]
    bearing = math.degrees(math.atan2(e, n))
    heading = bearing - side * 30.0  # the point sits hfov/2 to the right (+1) or left (-1)
    p = project(pose(heading=heading), lat, lon, alt, W, H)
    assert p.x[0] == pytest.approx(0.0 if side < 0 else W, abs=1e-6)
    assert p.status == ["visible"]  # the edge itself is still in the frame


def test_a_point_1_km_away_and_100_m_higher_lands_on_the_predicted_row() -> None:
    north = enu(pose(), np.array([LAT + 0.009]), np.array([LON]), np.array([ALT]))[0, 1]
    lat = LAT + 0.009 * 1000 / north  # 1 km due north, to within mm
    p = project(pose(), [lat], [LON], [ALT + 100], W, H)
    d = float(p.distance[0])
    assert d == pytest.approx(1000, abs=0.05)  # the raised point leans 1.6 cm further
    drop = (1 - REFRACTION_K) * d**2 / (2 * EARTH_RADIUS_M)  # 6.8 cm: curvature − refraction
    f = focal_px(60, W)
    assert p.y[0] == pytest.approx(H / 2 - f * (100 - drop) / d, abs=0.02)


def test_distant_points_sink_by_curvature_less_refraction() -> None:
    lat = LAT + 50_000 / M_PER_DEG_LAT
    bent = project(pose(), [lat], [LON], [ALT], W, H)
    straight = project(pose(), [lat], [LON], [ALT], W, H, refraction=0.0)
    d = float(bent.distance[0])
    f = focal_px(60, W)
    # 50 km: the earth hides 196 m; refraction lifts 13 % of it back (25 m)
    assert straight.y[0] == pytest.approx(H / 2 + f * (d / (2 * EARTH_RADIUS_M)), abs=0.6)
    expected = H / 2 + f * ((1 - REFRACTION_K) * d / (2 * EARTH_RADIUS_M))
    assert bent.y[0] == pytest.approx(expected, abs=0.6)
    assert straight.y[0] > bent.y[0] > H / 2


def test_points_behind_the_camera_are_culled() -> None:
    p = project(pose(), [LAT - 0.01, LAT + 0.01], [LON, LON], [ALT, ALT], W, H)
    assert p.status == ["behind", "visible"]
    assert np.isnan(p.x[0]) and p.depth[0] < 0
    assert list(p.visible) == [False, True]


def test_pitch_and_roll_move_the_horizon() -> None:
    lat = [LAT + 1000 / M_PER_DEG_LAT]
    level = project(pose(), lat, [LON], [ALT], W, H)
    up = project(pose(pitch=10), lat, [LON], [ALT], W, H)
    f = focal_px(60, W)
    # looking 10° up puts the horizon f·tan(10°) lower
    assert up.y[0] - level.y[0] == pytest.approx(f * math.tan(math.radians(10)), abs=0.05)
    # a clockwise roll: a point straight ahead and up appears left of the centre column
    high = project(pose(roll=10), lat, [LON], [ALT + 300], W, H)
    assert high.x[0] < W / 2
    east = project(pose(roll=10), [LAT + 0.009], [LON + 0.004], [ALT], W, H)
    west = project(pose(roll=10), [LAT + 0.009], [LON - 0.004], [ALT], W, H)
    assert east.y[0] < west.y[0]  # the horizon runs down to the left


def test_points_outside_the_frame_are_culled_with_the_reason() -> None:
    p = project(pose(), [LAT + 0.01, LAT + 0.01], [LON + 0.05, LON], [ALT, ALT + 5000], W, H)
    assert p.status == ["outside", "outside"]
