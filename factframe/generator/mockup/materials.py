"""Paints and materials for the built-in scenes: colours, gradients, blurred shapes, wood,
plaster speckle, and the lit blank surface a design goes on.

All of them draw in a scene's 1920×1080 reference frame; a surface's own detail is drawn
in its own units through :func:`surface_matrix`, so it sits in perspective.
"""

from __future__ import annotations

import math

import numpy as np
import skia

from factframe.generator.mockup.homography import (
    Quad,
    homography,
    map_points,
    rect_corners,
    skia_matrix,
)

__all__ = [
    "blurred",
    "c",
    "fill",
    "linear",
    "noise",
    "placeholder",
    "poly",
    "quad_of",
    "shaded",
    "surface_matrix",
    "wood",
]


def c(r: int, g: int, b: int, a: int = 255) -> int:
    """A skia colour from 0…255 components."""
    return int(skia.Color(r, g, b, a))


def fill(color: int, aa: bool = True) -> skia.Paint:
    """A solid paint, anti-aliased unless ``aa`` is False (tiles that must butt up)."""
    return skia.Paint(AntiAlias=aa, Color=color)


def shaded(shader: skia.Shader) -> skia.Paint:
    """An anti-aliased paint filled by ``shader``."""
    return skia.Paint(AntiAlias=True, Shader=shader)


def linear(p0: tuple[float, float], p1: tuple[float, float], *colors: int) -> skia.Shader:
    """A linear gradient from ``p0`` to ``p1`` through ``colors``, evenly spaced."""
    return skia.GradientShader.MakeLinear([p0, p1], list(colors))


def blurred(color: int, sigma: float) -> skia.Paint:
    """A solid paint with a Gaussian blur of ``sigma`` px: shadows, clouds, glare."""
    return skia.Paint(
        AntiAlias=True,
        Color=color,
        MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, sigma),
    )


def poly(*points: tuple[float, float]) -> skia.Path:
    """A closed polygon through ``points``."""
    path = skia.Path()
    path.moveTo(*points[0])
    for p in points[1:]:
        path.lineTo(*p)
    path.close()
    return path


def quad_of(quad: Quad, w: float, h: float, rect: tuple[float, float, float, float]) -> Quad:
    """The corners of ``rect`` (l, t, r, b in a w×h surface's own units) on screen."""
    hm = homography(rect_corners(w, h), quad)
    left, top, right, bottom = rect
    p = map_points(hm, [(left, top), (right, top), (right, bottom), (left, bottom)])
    return (
        (float(p[0, 0]), float(p[0, 1])),
        (float(p[1, 0]), float(p[1, 1])),
        (float(p[2, 0]), float(p[2, 1])),
        (float(p[3, 0]), float(p[3, 1])),
    )


def surface_matrix(quad: Quad, w: float, h: float) -> skia.Matrix:
    """Draws in a w×h surface's own units onto ``quad`` (perspective-correct detail)."""
    return skia_matrix(homography(rect_corners(w, h), quad))


def placeholder(canvas: skia.Canvas, quad: Quad, lit: int, shade: int, angle: float) -> None:
    """The blank surface: a light colour lit from one side (``angle`` in degrees, 0 = from
    the left), so the design's shading comes from the scene's light."""
    a = math.radians(angle)
    canvas.save()
    canvas.concat(surface_matrix(quad, 1000, 1000))
    p0 = (500 - 500 * math.cos(a), 500 - 500 * math.sin(a))
    p1 = (500 + 500 * math.cos(a), 500 + 500 * math.sin(a))
    canvas.drawRect(skia.Rect.MakeWH(1000, 1000), shaded(linear(p0, p1, lit, shade)))
    canvas.restore()


def noise(
    canvas: skia.Canvas, rng: np.random.Generator, box: skia.Rect, n: int, alpha: int
) -> None:
    """Fine speckle (plaster, concrete): ``n`` tiny translucent dots over ``box``."""
    xs = rng.uniform(box.left(), box.right(), n)
    ys = rng.uniform(box.top(), box.bottom(), n)
    tones = rng.integers(0, 2, n)
    for tone in (0, 1):
        v = 255 * tone
        dot = skia.Paint(AntiAlias=True, Color=c(v, v, v, alpha), StrokeWidth=2.4)
        dot.setStrokeCap(skia.Paint.kRound_Cap)
        points = [skia.Point(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
        chosen = [p for p, t in zip(points, tones, strict=True) if t == tone]
        canvas.drawPoints(skia.Canvas.kPoints_PointMode, chosen, dot)


def wood(
    canvas: skia.Canvas, rng: np.random.Generator, box: skia.Rect, base: tuple[int, int, int]
) -> None:
    """Planks with grain, running left to right across ``box``."""
    plank = 150.0
    y = box.top()
    while y < box.bottom():
        jitter = rng.integers(-14, 15)
        color = c(*(int(np.clip(v + jitter, 0, 255)) for v in base))
        canvas.drawRect(
            skia.Rect.MakeLTRB(box.left(), y, box.right(), y + plank), fill(color, False)
        )
        for _ in range(14):
            gy = y + rng.uniform(6, plank - 6)
            path = skia.Path()
            path.moveTo(box.left(), gy)
            x = box.left()
            while x < box.right():
                x += rng.uniform(160, 320)
                path.quadTo(x - 80, gy + rng.uniform(-5, 5), x, gy + rng.uniform(-3, 3))
            grain = skia.Paint(AntiAlias=True, Color=c(60, 35, 15, int(rng.integers(14, 40))))
            grain.setStyle(skia.Paint.kStroke_Style)
            grain.setStrokeWidth(float(rng.uniform(0.8, 2.4)))
            canvas.drawPath(path, grain)
        canvas.drawRect(
            skia.Rect.MakeLTRB(box.left(), y + plank - 2, box.right(), y + plank),
            fill(c(40, 22, 10, 90)),
        )
        y += plank
