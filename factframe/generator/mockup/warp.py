"""Putting a design onto a surface in a picture: perspective warp, shading, gloss, occlusion.

Every step draws only inside the quad's bounding box, so a design placed into a 4K scene
costs about what it would in a small one:

1. the design, pre-scaled (mipmaps) to about the size it takes on screen, is drawn through
   the homography with cubic resampling and anti-aliased edges onto a transparent layer;
2. the layer is multiplied by the scene's *shading*: the low-frequency luminance of the
   surface where it is seen (inside the quad, not behind what stands in front of it),
   normalised to its bright end, so shadows and light fall-off of the surface show on the
   design and an occluder casts no dark halo onto it;
3. an optional *gloss*, a soft specular gradient in the surface's own coordinates, lightens
   it (drawn after the shading: a reflection is not darkened by the surface's shadows);
4. the layer goes over the scene, then the scene's *overlay* (reflections on glass in front
   of the surface) is screened over the quad, then its *foreground* (whatever stands in
   front: a thumb, a lamp post, an occlusion mask's pixels) is drawn on top.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import skia

from factframe.generator.mockup.homography import Quad, homography, rect_corners, skia_matrix

__all__ = ["DEFAULT_GLOSS", "Composite", "MockupScene", "composite", "quad_box", "shading_map"]

#: Gloss strength that ``gloss=True`` (and ``--gloss``) stands for.
DEFAULT_GLOSS = 0.35
# The shading map is computed at a scale where the quad's short side is this many px and
# blurred with this sigma there: detail smaller than ~3 % of the surface is texture or
# content, not light.
_SHADING_SIDE = 96
_SHADING_SIGMA = 2.5
# Luminance percentile inside the quad taken as "fully lit".
_SHADING_REFERENCE = 95.0
# A shading-map pixel this much covered by what stands in front is left out entirely, a
# fainter one in part: one straddling an occluder's edge holds some of the occluder's
# light (weighing it by its uncovered share alone still leaves a halo of ~15 levels),
# while a mask's faint noise (a JPEG's) must not hide the surface.
_HIDDEN_FROM = 1 / 16
# skia's native pixel order (BGRA here; skia-python's kN32_ColorType name reads RGBA)
_N32 = skia.ImageInfo.MakeN32Premul(1, 1).colorType()


@dataclass(frozen=True)
class MockupScene:
    """A picture to put designs into.

    Attributes:
        name: a built-in scene's name, or ``"photo"``.
        image: the picture, opaque.
        quad: the surface's corners (clockwise from top-left), when known.
        foreground: what stands in front of the surface (RGBA, transparent elsewhere), the
            same size as ``image``; drawn over the design.
        overlay: light in front of the surface (reflections on glass), screened over the
            design inside the quad.
        lighting: the picture the shading is read from, when it differs from ``image``
            (a scene whose overlay or foreground is baked into its image): the lit surface
            with nothing in front of it. Without one the shading is read from ``image``,
            leaving out the pixels ``foreground`` covers (they are not the surface).
        gloss: the gloss a design gets here unless told otherwise.
        shading: how strongly the scene's shading darkens the design unless told
            otherwise (0 = not at all; screens that give their own light take little).
        aspect: width / height of a design made for this surface, when known.
    """

    name: str
    image: skia.Image = field(compare=False)
    quad: Quad | None = None
    foreground: skia.Image | None = field(default=None, compare=False)
    overlay: skia.Image | None = field(default=None, compare=False)
    lighting: skia.Image | None = field(default=None, compare=False)
    gloss: float = 0.0
    shading: float = 1.0
    aspect: float | None = None

    @property
    def size(self) -> tuple[int, int]:
        return self.image.width(), self.image.height()


@dataclass(frozen=True)
class Composite:
    """The composited picture as a skia image and as (height, width, 4) RGBA pixels."""

    image: skia.Image = field(compare=False)
    pixels: np.ndarray = field(compare=False)


def composite(
    scene: MockupScene,
    design: skia.Image,
    quad: Quad,
    *,
    gloss: float,
    shading: float,
) -> Composite:
    """Draws ``design`` onto ``quad`` of ``scene`` (the quad is checked by the caller).

    Args:
        gloss: 0…1, the strength of the specular sheen.
        shading: 0…1, how much of the scene's shading to multiply in.
    """
    width, height = scene.size
    box = quad_box(quad, width, height)
    # drawn in place into a copy of the scene's pixels: outside the box nothing is drawn
    drawn = _scene_pixels(scene.image)  # kept alive while the surface draws into it
    surface = skia.Surface(drawn, _N32, skia.kPremul_AlphaType)
    canvas = surface.getCanvas()
    if box is not None:
        x0, y0, x1, y1 = box
        layer = _warped_layer(design, quad, box, gloss, shading, scene)
        canvas.drawImage(layer, x0, y0)
        dst = skia.Rect.MakeLTRB(x0, y0, x1, y1)
        if scene.overlay is not None:
            canvas.save()
            canvas.clipPath(_quad_path(quad), skia.ClipOp.kIntersect, True)
            screen = skia.Paint(BlendMode=skia.BlendMode.kScreen)
            canvas.drawImageRect(scene.overlay, dst, dst, skia.SamplingOptions(), screen)
            canvas.restore()
        if scene.foreground is not None:
            canvas.drawImageRect(scene.foreground, dst, dst, skia.SamplingOptions(), None)
    image = surface.makeImageSnapshot()
    pixels: np.ndarray = image.toarray(
        colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kPremul_AlphaType
    )
    return Composite(image, pixels)


def _scene_pixels(image: skia.Image) -> np.ndarray:
    """The scene as premultiplied pixels in skia's native order (N32: drawing into RGBA
    rounds some blends differently), a new array to draw the mockup into.

    An opaque or premultiplied picture is copied (a swizzle at most: ~2 ms at 4K, where
    drawing it took ~70 ms); a straight-alpha one is drawn, so its premultiplied pixels
    are rounded as skia's drawing rounds them.
    """
    if image.alphaType() != skia.kUnpremul_AlphaType:
        copied: np.ndarray = image.toarray(colorType=_N32, alphaType=skia.kPremul_AlphaType)
        return copied
    pixels = np.empty((image.height(), image.width(), 4), np.uint8)
    surface = skia.Surface(pixels, _N32, skia.kPremul_AlphaType)
    paint = skia.Paint(BlendMode=skia.kSrc)
    surface.getCanvas().drawImage(image, 0, 0, skia.SamplingOptions(), paint)
    return pixels


def quad_box(quad: Quad, width: int, height: int) -> tuple[int, int, int, int] | None:
    """The quad's pixel bounding box (left, top, right, bottom; 1 px of anti-aliasing
    around), clipped to a ``width`` × ``height`` picture: all of it a mockup draws into.
    None when the quad lies wholly outside the picture."""
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    x0, y0 = max(0, math.floor(min(xs)) - 1), max(0, math.floor(min(ys)) - 1)
    x1, y1 = min(width, math.ceil(max(xs)) + 1), min(height, math.ceil(max(ys)) + 1)
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


def _quad_path(quad: Quad) -> skia.Path:
    path = skia.Path()
    path.moveTo(*quad[0])
    for point in quad[1:]:
        path.lineTo(*point)
    path.close()
    return path


def _prescaled(design: skia.Image, quad: Quad) -> skia.Image:
    """The design scaled down to the largest size any part of it takes on screen.

    Cubic resampling alone aliases where the perspective shrinks the design a lot;
    drawing it first at about its on-screen size (area-averaged through mipmaps) leaves
    the warp a scale near 1 everywhere, where cubic is sharp and clean.
    """
    w, h = design.width(), design.height()
    scale = max(
        math.dist(quad[0], quad[1]) / w,
        math.dist(quad[3], quad[2]) / w,
        math.dist(quad[0], quad[3]) / h,
        math.dist(quad[1], quad[2]) / h,
    )
    if scale >= 0.8:
        return design
    sw, sh = max(1, round(w * scale)), max(1, round(h * scale))
    surface = skia.Surface.MakeRaster(skia.ImageInfo.MakeN32Premul(sw, sh))
    sampling = skia.SamplingOptions(skia.FilterMode.kLinear, skia.MipmapMode.kLinear)
    mipmapped = design.withDefaultMipmaps()
    surface.getCanvas().drawImageRect(mipmapped, skia.Rect.MakeWH(sw, sh), sampling)
    return surface.makeImageSnapshot()


def _warped_layer(
    design: skia.Image,
    quad: Quad,
    box: tuple[int, int, int, int],
    gloss: float,
    shading: float,
    scene: MockupScene,
) -> skia.Image:
    """The design warped onto the quad, shaded and glossed, over the box, in one pass.

    The design, the shading map and the sheen are combined as shaders and the design's
    rectangle is drawn once through the homography, anti-aliased: a third of the time of
    drawing the design and then blending the shading and the sheen over it.
    """
    x0, y0, x1, y1 = box
    source = _prescaled(design, quad)
    w, h = source.width(), source.height()
    matrix = skia.Matrix.Translate(-x0, -y0)
    matrix.preConcat(skia_matrix(homography(rect_corners(w, h), quad)))
    cubic = skia.SamplingOptions(skia.CubicResampler.CatmullRom())
    shader = source.makeShader(skia.TileMode.kClamp, skia.TileMode.kClamp, cubic)
    if shading > 0:
        # a separate lighting picture has nothing in front of the surface; the image has
        front = scene.foreground if scene.lighting is None else None
        shade = shading_map(scene.lighting or scene.image, quad, box, shading, front)
        # the map lives in the layer's pixels: undo the warp, then stretch it over the box
        local = skia.Matrix()
        if matrix.invert(local):
            local.preScale((x1 - x0) / shade.width(), (y1 - y0) / shade.height())
            linear = skia.SamplingOptions(skia.FilterMode.kLinear)
            light = shade.makeShader(skia.TileMode.kClamp, skia.TileMode.kClamp, linear, local)
            shader = skia.Shaders.Blend(skia.BlendMode.kModulate, shader, light)
    if gloss > 0:
        # src-atop: the sheen lightens the design and never spills past its edge
        shader = skia.Shaders.Blend(skia.BlendMode.kSrcATop, shader, _gloss_shader(w, h, gloss))
    layer = skia.Surface.MakeRaster(skia.ImageInfo.MakeN32Premul(x1 - x0, y1 - y0))
    canvas = layer.getCanvas()
    canvas.clear(skia.ColorTRANSPARENT)
    canvas.concat(matrix)
    canvas.drawRect(skia.Rect.MakeWH(w, h), skia.Paint(AntiAlias=True, Shader=shader))
    return layer.makeImageSnapshot()


def _gloss_shader(w: float, h: float, strength: float) -> skia.Shader:
    """A soft diagonal sheen, brightest near the top-left, as light on glass or gloss paper."""
    a = min(1.0, strength)

    def white(alpha: float) -> int:
        return int(skia.Color(255, 255, 255, round(255 * a * alpha)))

    colors = [white(0.55), white(0.30), white(0.12), white(0.0), white(0.0), white(0.08)]
    positions = [0.0, 0.28, 0.42, 0.46, 0.85, 1.0]
    return skia.GradientShader.MakeLinear([(0, 0), (w * 0.55, h)], colors, positions)


def shading_map(
    lighting: skia.Image,
    quad: Quad,
    box: tuple[int, int, int, int],
    strength: float,
    front: skia.Image | None = None,
) -> skia.Image:
    """The scene's shading over ``box``: a small opaque grey image, 1 (white) where the
    surface is fully lit, darker where it is shaded; to be stretched over the box.

    The luminance is averaged down so the quad's short side is ~96 px, then blurred by a
    normalised convolution that sees only the surface: pixels inside the quad (the frame
    around a surface must not bleed into its edges) and not covered by ``front`` (a post
    in front of a board must not darken the board beside it), and divided by its 95th
    percentile there.

    Args:
        lighting: the picture to read the light from.
        quad: the surface's corners in ``lighting``.
        box: the quad's pixel bounding box (left, top, right, bottom).
        strength: 0…1, how much of the shading the map holds (0: all white).
        front: what stands in front of the surface in ``lighting`` (same size; its alpha
            is used), left out of the estimate; None: nothing does. Where it hides the
            whole surface the map is white (no light to read).
    """
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    short = min(
        math.dist(quad[0], quad[3]),
        math.dist(quad[1], quad[2]),
        math.dist(quad[0], quad[1]),
        math.dist(quad[3], quad[2]),
    )
    k = min(1.0, _SHADING_SIDE / max(short, 1.0))
    sw, sh = max(2, round(bw * k)), max(2, round(bh * k))
    small = skia.Surface.MakeRaster(skia.ImageInfo.MakeN32Premul(sw, sh))
    sampling = skia.SamplingOptions(skia.FilterMode.kLinear, skia.MipmapMode.kLinear)
    # mipmaps of the box only (area averages), not of the whole 4K picture
    region = lighting.makeSubset(skia.IRect.MakeLTRB(x0, y0, x1, y1)).withDefaultMipmaps()
    small.getCanvas().drawImageRect(region, skia.Rect.MakeWH(sw, sh), sampling)
    rgb = small.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType)[..., :3]
    lum = rgb.astype(np.float32) @ np.array([0.2126, 0.7152, 0.0722], np.float32)
    inside = _inside_mask(quad, box, (sw, sh), inset=1.5)
    seen = inside
    if front is not None:
        # averaged down the same way, the occluder's share of each small pixel's light
        hidden = _area_alpha(front, box, (sw, sh))
        seen = inside * np.clip(1.0 - hidden / _HIDDEN_FROM, 0.0, 1.0)
    if seen.sum() < 4:  # a sliver, or hidden: no reliable light; leave the design as it is
        return _grey(np.ones((sh, sw), np.float32))
    num = _blur(lum * seen, _SHADING_SIGMA)
    den = _blur(seen, _SHADING_SIGMA)
    known = den > 1e-3
    light = num / np.maximum(den, 1e-3)
    reference = float(np.percentile(light[known & (inside > 0)], _SHADING_REFERENCE))
    if reference <= 1.0:  # a black surface: nothing to read light from
        return _grey(np.ones((sh, sw), np.float32))
    # where no seen pixel is near (outside the quad, deep behind a wide occluder) the
    # design is not visible; neutral there
    ratio = np.where(known, np.clip(light / reference, 0.0, 1.0), 1.0)
    return _grey(1.0 - strength + strength * ratio)


def _area_alpha(
    image: skia.Image, box: tuple[int, int, int, int], size: tuple[int, int]
) -> np.ndarray:
    """``image``'s alpha over ``box`` averaged down to ``size`` (0…1), as the light is."""
    x0, y0, x1, y1 = box
    small = skia.Surface.MakeRaster(skia.ImageInfo.MakeA8(*size))
    sampling = skia.SamplingOptions(skia.FilterMode.kLinear, skia.MipmapMode.kLinear)
    region = image.makeSubset(skia.IRect.MakeLTRB(x0, y0, x1, y1)).withDefaultMipmaps()
    small.getCanvas().drawImageRect(region, skia.Rect.MakeWH(*size), sampling)
    alpha: np.ndarray = small.makeImageSnapshot().toarray(colorType=skia.kAlpha_8_ColorType)
    return alpha.reshape(size[1], size[0]).astype(np.float32) / 255


def _inside_mask(
    quad: Quad, box: tuple[int, int, int, int], size: tuple[int, int], inset: float
) -> np.ndarray:
    """1 where a small-map pixel's centre lies inside the quad shrunk by ``inset`` small px."""
    x0, y0, x1, y1 = box
    sw, sh = size
    kx, ky = sw / (x1 - x0), sh / (y1 - y0)
    pts = [((x - x0) * kx, (y - y0) * ky) for x, y in quad]
    ys, xs = np.mgrid[0:sh, 0:sw].astype(np.float32) + 0.5
    mask = np.ones((sh, sw), np.float32)
    for i in range(4):
        (ax, ay), (bx, by) = pts[i], pts[(i + 1) % 4]
        length = math.hypot(bx - ax, by - ay) or 1.0
        # signed distance to the edge's line; > 0 inside a clockwise (screen) quad
        dist = ((bx - ax) * (ys - ay) - (by - ay) * (xs - ax)) / length
        mask *= dist > inset
    return mask


def _blur(values: np.ndarray, sigma: float) -> np.ndarray:
    """A Gaussian blur (separable, edges clamped) of a small 2-D array."""
    radius = max(1, math.ceil(3 * sigma))
    t = np.arange(-radius, radius + 1, dtype=np.float32)
    kernel = np.exp(-0.5 * (t / sigma) ** 2)
    kernel /= kernel.sum()
    out = values.astype(np.float32)
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (radius, radius)
        padded = np.pad(out, pad, mode="edge")
        out = sum(
            kernel[i] * np.take(padded, range(i, i + out.shape[axis]), axis=axis)
            for i in range(len(kernel))
        )
    return out


def _grey(values: np.ndarray) -> skia.Image:
    v = np.clip(np.round(values * 255), 0, 255).astype(np.uint8)
    rgba = np.empty((*v.shape, 4), np.uint8)
    rgba[..., 0] = rgba[..., 1] = rgba[..., 2] = v
    rgba[..., 3] = 255
    return skia.Image.fromarray(rgba, colorType=skia.kRGBA_8888_ColorType)
