"""Finding the dominant quadrilateral of a picture (the blank surface a design goes on).

Needs OpenCV (``pip install 'factframe[cv]'``), imported on first use.

1. Candidates: convex four-cornered outlines of the regions above several brightness
   thresholds and of the closed edges (Canny), on a copy at most 1600 px wide.
2. Score: area × how much of the outline lies on a strong edge, divided by how busy the
   inside is: a blank surface is plain, and a frame around it (a laptop's lid, a
   billboard's frame) holds the surface *and* its border, so it scores lower. Outlines
   that run along the picture's border are not surfaces.
3. Refine at full size: along each side the edge is found to a fraction of a pixel (the
   centroid of the brightness gradient across it), a line is fitted through those
   points with a robust loss (tape, rounded screen corners), and the corners are where
   neighbouring lines meet.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import skia

from factframe.errors import MissingDependencyError, SpecError
from factframe.generator.mockup.homography import Quad, as_quad

__all__ = ["detect_quad"]

_WORK_SIDE = 1600
_MIN_AREA = 0.01  # of the picture
_MAX_AREA = 0.90
_SIDE_TRIM = 0.15  # of each side at both ends, left out of the line fit (corners)


def _cv2() -> Any:
    try:
        import cv2
    except ImportError:
        raise MissingDependencyError(
            "finding the surface in a photo needs OpenCV: pip install 'factframe[cv]' "
            "(or pass the quad's four corners)"
        ) from None
    return cv2


def _gray(image: skia.Image | np.ndarray) -> np.ndarray:
    """Luminance, float32 0…255, (h, w)."""
    rgba: np.ndarray = (
        image.toarray(colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kPremul_AlphaType)
        if isinstance(image, skia.Image)
        else image
    )
    if rgba.ndim == 2:
        return rgba.astype(np.float32)
    weights = np.array([0.2126, 0.7152, 0.0722], np.float32)
    gray: np.ndarray = rgba[..., :3].astype(np.float32) @ weights
    return gray


def detect_quad(image: skia.Image | np.ndarray) -> Quad:
    """The corners of the picture's dominant quadrilateral, clockwise from top-left, in
    continuous pixel coordinates (the top-left pixel spans 0…1).

    Args:
        image: a skia image or an (h, w[, 3|4]) uint8 array.

    Raises:
        MissingDependencyError: OpenCV is not installed.
        SpecError: no quadrilateral was found (names ``quad``: pass the corners).
    """
    cv2 = _cv2()
    gray = _gray(image)
    height, width = gray.shape
    k = min(1.0, _WORK_SIDE / max(width, height))
    small = gray if k == 1.0 else cv2.resize(gray, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
    small8 = np.clip(small, 0, 255).astype(np.uint8)
    blurred = cv2.GaussianBlur(small8, (5, 5), 0)
    gx = cv2.Sobel(blurred, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(blurred, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = cv2.magnitude(gx, gy)
    best: tuple[float, np.ndarray] | None = None
    for outline in _candidates(cv2, blurred):
        score = _score(cv2, magnitude, outline)
        if score > 0 and (best is None or score > best[0]):
            best = (score, outline)
    if best is None:
        raise SpecError(
            "no quadrilateral surface found in the picture; pass its four corners", "quad"
        )
    rough = best[1] / k  # pixel-centre coordinates at full size
    corners = _refine(cv2, gray, _clockwise(rough), step=max(1.0, 1 / k))
    try:
        return as_quad([(x + 0.5, y + 0.5) for x, y in corners])
    except SpecError:
        return as_quad([(x + 0.5, y + 0.5) for x, y in _clockwise(rough)])


def _candidates(cv2: Any, blurred: np.ndarray) -> list[np.ndarray]:
    h, w = blurred.shape
    area = float(h * w)
    masks = []
    otsu, _ = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    for t in {int(otsu), *(int(v) for v in np.percentile(blurred, [50, 70, 85, 93]))}:
        masks.append((blurred > t).astype(np.uint8))
    edges = cv2.Canny(blurred, 30, 90)
    masks.append(cv2.dilate(edges, np.ones((3, 3), np.uint8)))
    out: list[np.ndarray] = []
    for mask in masks:
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
        for contour in contours:
            if cv2.contourArea(contour) < _MIN_AREA * area:
                continue
            hull = cv2.convexHull(contour)
            hull_area = cv2.contourArea(hull)
            if not _MIN_AREA * area <= hull_area <= _MAX_AREA * area:
                continue
            if cv2.contourArea(contour) < 0.85 * hull_area:  # a ragged region, no surface
                continue
            peri = cv2.arcLength(hull, True)
            for eps in (0.01, 0.02, 0.04):
                approx = cv2.approxPolyDP(hull, eps * peri, True)
                if len(approx) == 4:
                    break
            if len(approx) == 4 and cv2.isContourConvex(approx):
                fitted = _fit_sides(cv2, contour.reshape(-1, 2), approx.reshape(4, 2))
                out.append(approx.reshape(4, 2).astype(np.float64))
                if fitted is not None:
                    out.append(fitted)
    return out


def _fit_sides(cv2: Any, outline: np.ndarray, approx: np.ndarray) -> np.ndarray | None:
    """The quad whose sides are lines fitted to the outline's points along each side of
    ``approx``, away from its corners: rounded or covered corners (a phone's screen, tape
    on a poster) cut the corners of ``approx``; the fitted sides reach the true ones."""
    pts = outline.astype(np.float64)
    corners = _clockwise(approx.astype(np.float64))
    lines = []
    for i in range(4):
        a, b = corners[i], corners[(i + 1) % 4]
        length = float(np.hypot(*(b - a)))
        if length < 8:
            return None
        u = (b - a) / length
        rel = pts - a
        along = rel @ u
        across = rel @ np.array([-u[1], u[0]])
        near = (
            (along > _SIDE_TRIM * length)
            & (along < (1 - _SIDE_TRIM) * length)
            & (np.abs(across) < max(3.0, 0.05 * length))
        )
        if near.sum() < 2:
            return None
        chosen = pts[near]
        fit = cv2.fitLine(chosen.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).reshape(-1)
        lines.append(
            (np.array([fit[2], fit[3]], np.float64), np.array([fit[0], fit[1]], np.float64))
        )
    return _intersections(lines)


def _score(cv2: Any, magnitude: np.ndarray, outline: np.ndarray) -> float:
    h, w = magnitude.shape
    if np.any(outline[:, 0] < 3) or np.any(outline[:, 1] < 3):
        return 0.0
    if np.any(outline[:, 0] > w - 4) or np.any(outline[:, 1] > h - 4):
        return 0.0
    hits = total = 0
    for i in range(4):
        a, b = outline[i], outline[(i + 1) % 4]
        for t in np.linspace(0.1, 0.9, 24):
            x, y = a + t * (b - a)
            x0, x1 = int(max(0, x - 2)), int(min(w, x + 3))
            y0, y1 = int(max(0, y - 2)), int(min(h, y + 3))
            total += 1
            hits += bool(magnitude[y0:y1, x0:x1].max(initial=0.0) > 60)
    support = hits / max(total, 1)
    if support < 0.6:
        return 0.0
    mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask, np.round(outline).astype(np.int32), 1)
    mask = cv2.erode(mask, np.ones((7, 7), np.uint8))
    if mask.sum() < 16:
        return 0.0
    # texture and edges inside (not smooth light fall-off, which a lit surface has)
    busy = float(np.mean(magnitude[mask > 0]))
    area = float(cv2.contourArea(outline.astype(np.float32)))
    return area * support**2 / (1.0 + busy / 4.0) ** 2


def _clockwise(points: np.ndarray) -> np.ndarray:
    """The four points clockwise on screen, starting at the top-left one."""
    center = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - center[1], points[:, 0] - center[0])
    ordered = points[np.argsort(angles)]  # ascending angle is clockwise when y points down
    start = int(np.argmin(ordered[:, 0] + ordered[:, 1]))
    return np.roll(ordered, -start, axis=0)


def _refine(cv2: Any, gray: np.ndarray, rough: np.ndarray, step: float) -> np.ndarray:
    """Corners where lines fitted to each side's sub-pixel edge points meet."""
    lines = []
    reach = 3.0 * step + 3.0
    for i in range(4):
        a, b = rough[i], rough[(i + 1) % 4]
        lines.append(_side_line(cv2, gray, a, b, reach))
        if lines[-1] is None:
            return rough
    # a second pass, close around the first lines, sharpens the edge positions
    first = _intersections(lines)  # type: ignore[arg-type]
    for i in range(4):
        lines[i] = _side_line(cv2, gray, first[i], first[(i + 1) % 4], 3.0)
        if lines[i] is None:
            return first
    return _intersections(lines)  # type: ignore[arg-type]


def _side_line(
    cv2: Any, gray: np.ndarray, a: np.ndarray, b: np.ndarray, reach: float
) -> tuple[np.ndarray, np.ndarray] | None:
    """A point and direction of the line through the strongest edge along side ab."""
    length = float(np.hypot(*(b - a)))
    if length < 8:
        return None
    direction = (b - a) / length
    normal = np.array([-direction[1], direction[0]])
    count = int(min(400, max(16, length / 2)))
    ts = np.linspace(_SIDE_TRIM, 1 - _SIDE_TRIM, count)
    offsets = np.arange(-reach, reach + 0.01, 0.5)
    centers = a[None, :] + ts[:, None] * (b - a)[None, :]
    pts = centers[:, None, :] + offsets[None, :, None] * normal[None, None, :]
    map_x = pts[..., 0].astype(np.float32)
    map_y = pts[..., 1].astype(np.float32)
    profile = cv2.remap(gray, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    deriv = np.diff(profile, axis=1)  # between samples: at offsets + 0.25
    mids = offsets[:-1] + 0.25
    found = []
    for row in range(count):
        d = deriv[row]
        peak = int(np.argmax(np.abs(d)))
        if abs(d[peak]) < 4.0:  # no edge here (occluded, or too faint)
            continue
        sign = math.copysign(1.0, d[peak])
        lo, hi = max(0, peak - 6), min(len(d), peak + 7)
        weights = np.clip(d[lo:hi] * sign, 0.0, None)
        offset = float(np.sum(weights * mids[lo:hi]) / np.sum(weights))
        found.append(centers[row] + offset * normal)
    if len(found) < 6:
        return None
    fit = cv2.fitLine(np.array(found, np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).reshape(-1)
    return np.array([fit[2], fit[3]], np.float64), np.array([fit[0], fit[1]], np.float64)


def _intersections(lines: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Corner i is where side i−1 (into it) meets side i (out of it)."""
    corners = []
    for i in range(4):
        (p, u), (q, v) = lines[i - 1], lines[i]
        matrix = np.array([[u[0], -v[0]], [u[1], -v[1]]])
        try:
            s = np.linalg.solve(matrix, q - p)
        except np.linalg.LinAlgError:
            return np.array([line[0] for line in lines])
        corners.append(p + s[0] * u)
    return np.array(corners)
