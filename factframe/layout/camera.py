"""Camera geometry: where a point on the earth appears in a photo.

:func:`project` takes points (WGS84 latitude, longitude, metres above sea level) through
four exact steps, vectorised with numpy:

1. **WGS84 → ECEF**: geodetic coordinates to earth-centred Cartesian metres on the WGS84
   ellipsoid (``a = 6,378,137 m``, ``f = 1/298.257223563``).
2. **ECEF → ENU**: the offsets rotated into the camera's local East-North-Up frame. This
   keeps the earth's curvature: a point at distance ``d`` on the camera's level lies
   ``≈ d²/2R`` below its horizon plane (78 m at 30 km).
3. **Refraction**: the air bends light down along the earth, so distant points look
   higher than they are; with the standard coefficient ``k = 0.13``
   (:data:`REFRACTION_K`) the apparent lift is ``k·d²/2R``, leaving ``(1 − k)·d²/2R`` of
   the drop (the surveyors' correction).
4. **ENU → camera → pixels**: rotated by heading (clockwise from north), pitch (up) and
   roll (clockwise about the lens axis), then a pinhole with the horizontal field of view:
   ``f = (W/2) / tan(hfov/2)``, ``x = W/2 + f·X/Z``, ``y = H/2 − f·Y/Z``, square pixels.
   A point at ``±hfov/2`` lands on the left or right edge (x = 0 or W).

Points behind the camera (``Z ≤ 0``) and outside the frame are culled, with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from factframe.spec_annotation import CameraPose

__all__ = [
    "EARTH_RADIUS_M",
    "REFRACTION_K",
    "WGS84_A",
    "WGS84_F",
    "Projection",
    "ecef",
    "enu",
    "focal_px",
    "project",
]

WGS84_A = 6_378_137.0
WGS84_F = 1 / 298.257223563
_E2 = WGS84_F * (2 - WGS84_F)
#: mean earth radius (m), for the refraction term
EARTH_RADIUS_M = 6_371_008.8
#: the standard coefficient of terrestrial refraction (the ray's curvature / the earth's)
REFRACTION_K = 0.13

Status = Literal["visible", "behind", "outside"]
_STATUS: tuple[Status, ...] = ("visible", "behind", "outside")


def ecef(lat: np.ndarray, lon: np.ndarray, alt: np.ndarray) -> np.ndarray:
    """WGS84 geodetic degrees and metres → earth-centred, earth-fixed metres, shape (n, 3)."""
    phi, lam = np.radians(lat), np.radians(lon)
    sin_phi = np.sin(phi)
    n = WGS84_A / np.sqrt(1 - _E2 * sin_phi**2)  # prime vertical radius of curvature
    return np.stack(
        [
            (n + alt) * np.cos(phi) * np.cos(lam),
            (n + alt) * np.cos(phi) * np.sin(lam),
            (n * (1 - _E2) + alt) * sin_phi,
        ],
        axis=-1,
    )


def enu(pose: CameraPose, lat: np.ndarray, lon: np.ndarray, alt: np.ndarray) -> np.ndarray:
    """Points in the camera's East-North-Up frame (metres from the camera), shape (n, 3)."""
    origin = ecef(np.array([pose.lat]), np.array([pose.lon]), np.array([pose.alt]))[0]
    d = ecef(lat, lon, alt) - origin
    phi, lam = math.radians(pose.lat), math.radians(pose.lon)
    sp, cp, sl, cl = math.sin(phi), math.cos(phi), math.sin(lam), math.cos(lam)
    rot = np.array(
        [
            [-sl, cl, 0.0],
            [-sp * cl, -sp * sl, cp],
            [cp * cl, cp * sl, sp],
        ]
    )
    result: np.ndarray = d @ rot.T
    return result


def focal_px(hfov: float, width: float) -> float:
    """The pinhole's focal length in px for a horizontal field of view (degrees)."""
    return (width / 2) / math.tan(math.radians(hfov) / 2)


def _axes(pose: CameraPose) -> np.ndarray:
    """The camera's right, up and forward unit vectors in ENU, as rows."""
    h, p, r = (math.radians(a) for a in (pose.heading, pose.pitch, pose.roll))
    forward = np.array([math.sin(h) * math.cos(p), math.cos(h) * math.cos(p), math.sin(p)])
    right0 = np.array([math.cos(h), -math.sin(h), 0.0])
    up0 = np.array([-math.sin(h) * math.sin(p), -math.cos(h) * math.sin(p), math.cos(p)])
    # a clockwise roll turns the camera's right side down
    right = right0 * math.cos(r) - up0 * math.sin(r)
    up = up0 * math.cos(r) + right0 * math.sin(r)
    return np.stack([right, up, forward])


@dataclass(frozen=True)
class Projection:
    """Where points land in the photo, one entry per point.

    Attributes:
        x, y: pixel coordinates (float; NaN behind the camera).
        depth: metres along the lens axis (≤ 0 behind the camera).
        distance: metres over the ground from the camera (horizontal).
        height: metres the point appears above the camera's level, curvature and
            refraction included.
        status: ``visible``, ``behind`` (the camera's back) or ``outside`` (the frame).
    """

    x: np.ndarray
    y: np.ndarray
    depth: np.ndarray
    distance: np.ndarray
    height: np.ndarray
    codes: np.ndarray

    @property
    def status(self) -> list[Status]:
        return [_STATUS[c] for c in self.codes]

    @property
    def visible(self) -> np.ndarray:
        """Boolean mask of the points inside the frame."""
        result: np.ndarray = self.codes == 0
        return result


def project(
    pose: CameraPose,
    lat: np.ndarray | list[float],
    lon: np.ndarray | list[float],
    alt: np.ndarray | list[float],
    width: int,
    height: int,
    *,
    refraction: float = REFRACTION_K,
) -> Projection:
    """Projects WGS84 points into a ``width`` × ``height`` photo taken from ``pose``.

    Args:
        lat, lon: degrees.
        alt: metres above sea level (the datum of ``pose.alt``).
        refraction: the refraction coefficient (0 for none).

    Example:
        >>> pose = CameraPose(lat=0, lon=0, alt=0, heading=0, hfov=90)
        >>> p = project(pose, [0.01], [0.0], [0.0], 1000, 800)
        >>> round(float(p.x[0]), 3), p.status
        (500.0, ['visible'])
    """
    lat_a, lon_a, alt_a = (np.asarray(v, dtype=np.float64).reshape(-1) for v in (lat, lon, alt))
    local = enu(pose, lat_a, lon_a, alt_a)
    ground = np.hypot(local[:, 0], local[:, 1])
    local[:, 2] += refraction * ground**2 / (2 * EARTH_RADIUS_M)
    cam = local @ _axes(pose).T  # (n, 3): right, up, forward
    depth = cam[:, 2]
    f = focal_px(pose.hfov, width)
    behind = depth <= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(behind, np.nan, width / 2 + f * cam[:, 0] / depth)
        y = np.where(behind, np.nan, height / 2 - f * cam[:, 1] / depth)
    eps = 1e-6
    outside = ~behind & ((x < -eps) | (x > width + eps) | (y < -eps) | (y > height + eps))
    codes = np.where(behind, 1, np.where(outside, 2, 0)).astype(np.int8)
    return Projection(x, y, depth, ground, local[:, 2], codes)
