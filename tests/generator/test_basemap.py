"""The world basemap: the data, Equal Earth, fitting, and markers landing on the map."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import skia

from factframe.errors import SpecError
from factframe.generator.basemap import (
    EQUAL_EARTH,
    MapTransform,
    country_at,
    draw_basemap,
    equirectangular,
    fit,
    place_marker,
    project,
    world_countries,
)

LISBON, TOKYO, SYDNEY = (-9.14, 38.72), (139.69, 35.68), (151.21, -33.87)
# Inland capitals, so that at world scale the pixel under them is surely their country.
INLAND = {
    "ES": (-3.70, 40.42),  # Madrid
    "BR": (-47.88, -15.79),  # Brasília
    "KE": (36.82, -1.29),  # Nairobi
    "MN": (106.92, 47.92),  # Ulaanbaatar
    "US": (-104.99, 39.74),  # Denver
}
RED, LAND, OCEAN = (255, 0, 0), (200, 200, 200), (180, 210, 240)


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Šavrič, Patterson & Jenny (2018), eq. 1–2, written out again for the test."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    theta = math.asin(math.sqrt(3) / 2 * math.sin(math.radians(lat)))
    x = (2 * math.sqrt(3) * math.radians(lon) * math.cos(theta)) / (
        3 * (9 * a4 * theta**8 + 7 * a3 * theta**6 + 3 * a2 * theta**2 + a1)
    )
    y = a4 * theta**9 + a3 * theta**7 + a2 * theta**3 + a1 * theta
    return x, y


def rgb(surface: skia.Surface) -> np.ndarray:
    return surface.makeImageSnapshot().toarray(
        colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType
    )[:, :, :3]


def hexa(color: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*color)


def world_map(
    width: int = 1080, height: int = 540, **kwargs: object
) -> tuple[np.ndarray, MapTransform]:
    surface = skia.Surface(width, height)
    surface.getCanvas().clear(skia.ColorWHITE)
    transform = draw_basemap(
        surface.getCanvas(),
        (0, 0, width, height),
        land_color=hexa(LAND),
        border_color="#00000000",
        **kwargs,  # type: ignore[arg-type]
    )
    return rgb(surface), transform


# --- data ----------------------------------------------------------------------------------


def test_countries_have_unique_iso_codes_and_lon_lat_rings() -> None:
    countries = world_countries()
    assert 240 <= len(countries) <= 260
    codes = [c.code for c in countries]
    assert len(set(codes)) == len(codes)
    by_code = {c.code: c for c in countries}
    # Natural Earth writes -99 as ISO code for France and Norway; we use the real codes,
    # and never give a sovereign's code to a distant territory (Clipperton → not FR).
    assert by_code["FR"].name == "France" and by_code["FR"].iso3 == "FRA"
    assert by_code["NO"].name == "Norway" and by_code["PT"].iso3 == "PRT"
    assert by_code["TW"].name == "Taiwan"
    assert sum(c.code == "FR" or c.iso3 == "FRA" for c in countries) == 1
    for country in countries:
        for ring in country.rings:
            assert ring.ndim == 2 and ring.shape[1] == 2 and len(ring) >= 3
            assert not ring.flags.writeable
            assert (np.abs(ring[:, 0]) <= 180).all() and (np.abs(ring[:, 1]) <= 90).all()
    x0, y0, x1, y1 = by_code["PT"].main_bbox  # mainland Portugal, not the Azores
    assert -9.6 < x0 < -9.4 and -6.3 < x1 < -6.1 and 36.8 < y0 < 37.0 and 42.0 < y1 < 42.2


def test_country_at_finds_the_country_under_a_point() -> None:
    assert country_at(*LISBON).code == "PT"  # type: ignore[union-attr]
    assert country_at(*TOKYO).code == "JP"  # type: ignore[union-attr]
    assert country_at(*SYDNEY).code == "AU"  # type: ignore[union-attr]
    for code, (lon, lat) in INLAND.items():
        assert country_at(lon, lat).code == code  # type: ignore[union-attr]
    assert country_at(0.0, 0.0) is None  # Gulf of Guinea
    assert country_at(-30.0, 40.0) is None  # mid-Atlantic


# --- projections ---------------------------------------------------------------------------


def test_equal_earth_known_values_and_symmetry() -> None:
    assert project(0.0, 0.0) == (0.0, 0.0)
    # x at ±180° on the equator is 2√3·π / (3·A1) = 2.70663; the pole line is at 1.31736.
    assert project(180.0, 0.0)[0] == pytest.approx(2 * math.sqrt(3) * math.pi / (3 * 1.340264))
    assert project(180.0, 0.0)[0] == pytest.approx(2.70663, abs=1e-5)
    assert project(0.0, 90.0)[1] == pytest.approx(1.31736, abs=1e-5)
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(-180, 180, 500), rng.uniform(-90, 90, 500)
    x, y = project(lon, lat)
    assert np.allclose(project(-lon, lat), (-x, y))
    assert np.allclose(project(lon, -lat), (x, -y))
    expected = np.array([equal_earth(a, b) for a, b in zip(lon, lat, strict=True)])
    assert np.allclose(np.column_stack([x, y]), expected, atol=1e-12)


def test_equal_earth_is_equal_area() -> None:
    # The whole globe (R = 1) maps onto an outline of area 4π; a 10°×10° cell at the
    # equator and one at 60°N keep their true area ratio, sin 10° : (sin 70° − sin 60°).
    lats = np.linspace(-90, 90, 2001)
    x, y = project(np.r_[np.full(2001, -180.0), np.full(2001, 180.0)], np.r_[lats, lats[::-1]])
    shoelace = abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2
    assert shoelace == pytest.approx(4 * math.pi, rel=1e-4)

    def cell(lat0: float) -> float:
        t = np.linspace(0, 1, 200)
        lo = np.r_[10 * t, np.full(200, 10.0), 10 - 10 * t, np.zeros(200)]
        la = lat0 + np.r_[np.zeros(200), 10 * t, np.full(200, 10.0), 10 - 10 * t]
        cx, cy = project(lo, la)
        return abs(np.dot(cx, np.roll(cy, -1)) - np.dot(cy, np.roll(cx, -1))) / 2

    true_ratio = math.sin(math.radians(10)) / (
        math.sin(math.radians(70)) - math.sin(math.radians(60))
    )
    assert cell(0) / cell(60) == pytest.approx(true_ratio, rel=1e-3)


def test_equirectangular_and_unknown_projections() -> None:
    x, y = project(90.0, 45.0, equirectangular(60.0))
    assert x == pytest.approx(math.pi / 2 * 0.5) and y == pytest.approx(math.pi / 4)
    assert project(90.0, 45.0, "equirectangular") == pytest.approx((math.pi / 2, math.pi / 4))
    with pytest.raises(SpecError, match="unknown projection"):
        project(0.0, 0.0, "mercator")


def test_fit_keeps_aspect_and_centres() -> None:
    t = fit((-1.0, -1.0, 1.0, 1.0), (10, 20, 200, 100))
    assert t.scale == 50 and t.x0 == 110 and t.y0 == 70  # y0: equator in the middle
    assert place_marker(t, 0.0, 0.0) == (110.0, 70.0)
    with pytest.raises(SpecError):
        fit((0.0, 0.0, 0.0, 1.0), (0, 0, 10, 10))


# --- drawing -------------------------------------------------------------------------------


def test_markers_land_within_2px_of_the_analytic_position() -> None:
    _, transform = world_map()
    half_w, half_h = equal_earth(180, 0)[0], equal_earth(0, 90)[1]
    scale = min(1080 / (2 * half_w), 540 / (2 * half_h))
    for lon, lat in (LISBON, TOKYO, SYDNEY):
        ex, ey = equal_earth(lon, lat)
        expected = (540 + scale * ex, 270 - scale * ey)
        got = place_marker(transform, lon, lat)
        assert math.dist(got, expected) < 2, (lon, lat, got, expected)


def test_markers_fall_on_their_country_as_drawn() -> None:
    # Each inland capital's country filled red: the pixel under its marker is red, and a
    # pixel 40 px away is not (the fill is that country, not everything).
    for code, (lon, lat) in INLAND.items():
        image, transform = world_map(fills={code: hexa(RED)})
        x, y = place_marker(transform, lon, lat)
        assert tuple(image[round(y), round(x)]) == RED, code
    # Coastal cities need a closer view: Lisbon on a map of Portugal, Tokyo of Japan.
    for code, city in (("PT", LISBON), ("JP", TOKYO)):
        image, transform = world_map(600, 700, region=[code], fills={code: hexa(RED)})
        x, y = place_marker(transform, *city)
        assert tuple(image[round(y), round(x)]) == RED, code
        assert 0 < x < 600 and 0 < y < 700


def test_marker_is_inside_the_projected_ring() -> None:
    _, transform = world_map(600, 700, region=["PT"])
    px, py = place_marker(transform, *LISBON)
    portugal = next(c for c in world_countries() if c.code == "PT")
    crossings = 0
    for ring in portugal.rings:
        x, y = transform.to_pixels(*project(ring[:, 0], ring[:, 1], transform.projection))
        x1, y1, x2, y2 = x[:-1], y[:-1], x[1:], y[1:]
        spans = (y1 > py) != (y2 > py)
        at = x1[spans] + (py - y1[spans]) * (x2[spans] - x1[spans]) / (y2[spans] - y1[spans])
        crossings += int((px < at).sum())
    assert crossings % 2 == 1


def test_ocean_follows_the_equal_earth_outline_and_the_box_clips() -> None:
    image, transform = world_map(ocean_color=hexa(OCEAN))
    x, y = place_marker(transform, -150.0, 0.0)  # mid-Pacific
    assert tuple(image[round(y), round(x)]) == OCEAN
    x, y = place_marker(transform, *INLAND["BR"])
    assert tuple(image[round(y), round(x)]) == LAND
    assert tuple(image[2, 2]) == (255, 255, 255)  # outside the rounded outline
    # Drawn into a box, nothing lands outside it.
    surface = skia.Surface(300, 200)
    surface.getCanvas().clear(skia.ColorWHITE)
    draw_basemap(surface.getCanvas(), (50, 40, 200, 120), ocean_color=hexa(OCEAN))
    pixels = rgb(surface)
    inked = (pixels != 255).any(axis=2)
    assert inked[40:160, 50:250].sum() > 10_000
    inked[40:160, 50:250] = False
    assert not inked.any()


def test_region_by_bbox_zooms_and_bad_regions_are_spec_errors() -> None:
    image, transform = world_map(800, 600, region=(-10.0, 35.0, 4.0, 44.0))
    assert transform.projection.name == "equirectangular"
    assert transform.projection.standard_parallel == pytest.approx(39.5)
    x, y = place_marker(transform, *INLAND["ES"])
    assert tuple(image[round(y), round(x)]) == LAND
    # 14° × 9° at 39.5°N is 10.8 × 9 true degrees: the height fills the 800×600 box and
    # the width is 600 · 10.8 / 9 = 720 px, centred (aspect kept).
    x0, y0 = place_marker(transform, -10.0, 44.0)
    x1, y1 = place_marker(transform, 4.0, 35.0)
    assert y1 - y0 == pytest.approx(600, abs=0.5) and y0 == pytest.approx(0, abs=0.5)
    assert x1 - x0 == pytest.approx(600 * 14 * math.cos(math.radians(39.5)) / 9, abs=0.5)
    assert (x0 + x1) / 2 == pytest.approx(400, abs=0.5)
    with pytest.raises(SpecError, match="did you mean"):
        draw_basemap(skia.Surface(10, 10).getCanvas(), (0, 0, 10, 10), region=["PTT"])
    with pytest.raises(SpecError, match="lon_min"):
        draw_basemap(skia.Surface(10, 10).getCanvas(), (0, 0, 10, 10), region=(10, 0, 5, 1))


def test_world_map_timing() -> None:
    surface = skia.Surface(1080, 540)
    canvas = surface.getCanvas()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        draw_basemap(canvas, (0, 0, 1080, 540), EQUAL_EARTH, ocean_color="#e3f2fd")
        times.append((time.perf_counter() - start) * 1000)
    print(f"1080×540 world map: first {times[0]:.1f} ms, then {min(times[1:]):.1f} ms")
