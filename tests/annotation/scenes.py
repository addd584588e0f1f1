"""Shared scenes for the annotation tests: a camera, a procedural photo, points around it."""

from __future__ import annotations

import io
import math

import numpy as np

from factframe.spec_annotation import CameraPose
from tests.annotation.photos import landscape

LAT, LON, ALT = 46.0, 7.7, 1500.0
POSE = CameraPose(lat=LAT, lon=LON, alt=ALT, heading=0, hfov=60)


def jpeg(width: int = 1600, height: int = 1000, seed: int = 0) -> bytes:
    out = io.BytesIO()
    landscape(width, height, seed).save(out, "JPEG", quality=90)
    return out.getvalue()


def offset(north_m: float, east_m: float) -> tuple[float, float]:
    """The point ``north_m`` north and ``east_m`` east of the camera (small offsets)."""
    lat = LAT + north_m / 111_132.0
    lon = LON + east_m / (111_320.0 * math.cos(math.radians(LAT)))
    return lat, lon


def crowded(n: int = 40, seed: int = 7) -> list[dict[str, object]]:
    """``n`` peaks 2–15 km ahead within ±25° of the heading, 1–10° above the horizon: all
    inside a 60° frame 1.6 times as wide as high."""
    rng = np.random.default_rng(seed)
    points: list[dict[str, object]] = []
    for i in range(n):
        d = rng.uniform(2000, 15000)
        b = math.radians(rng.uniform(-25, 25))
        lat, lon = offset(d * math.cos(b), d * math.sin(b))
        points.append(
            {
                "name": f"Peak {chr(65 + i % 26)}{i}",
                "lat": lat,
                "lon": lon,
                "alt": ALT + d * math.tan(math.radians(float(rng.uniform(1, 10)))),
                "importance": float(rng.uniform(0.5, 2.0)),
            }
        )
    return points
