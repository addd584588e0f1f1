"""A design put into a scene, as a :class:`~factframe.generator.Rendered`.

The inputs are turned into skia images here (a rendered design, a picture file or bytes,
a Pillow image, an array), the quad is checked, a design of another shape than its
surface is fitted to it (cropped, letterboxed or stretched: :func:`fit_image`), the scene
composited, and the result is wrapped as a ``Rendered`` whose scene is that one image and
whose pixels are the ones composited (no second drawing, no re-encoding).
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import skia
from PIL import Image

from factframe.errors import ImageError, SpecError
from factframe.generator.images import load_image
from factframe.generator.mockup.homography import Quad, as_quad, surface_aspect
from factframe.generator.mockup.warp import DEFAULT_GLOSS, MockupScene, composite, quad_box
from factframe.generator.rendered import Rendered
from factframe.generator.scene import ImageOp, Scene
from factframe.knowledge import Context, FactReport
from factframe.layout import Box, Layout
from factframe.typography import FontLibrary, default_library

__all__ = [
    "FITS",
    "SAME_SHAPE",
    "ImageSource",
    "check_fit",
    "compose",
    "design_image",
    "edge_colour",
    "fit_image",
    "occlusion_foreground",
    "photo_scene",
    "strength",
    "surface_shape",
]

#: A picture given by path, encoded bytes, Pillow image or (h, w, 3|4) uint8 array.
ImageSource = str | Path | bytes | Image.Image | np.ndarray

#: How a design meets a surface of another shape: ``auto`` (a spec is re-rendered at the
#: surface's shape by :func:`factframe.mockup`; a picture is cropped as ``cover``),
#: ``cover`` (cropped, centred), ``contain`` (letterboxed), ``stretch`` (distorted).
FITS = ("auto", "cover", "contain", "stretch")
#: Shapes closer than this ratio are the same shape: the design goes on as it is (a 1 %
#: stretch is below what anyone sees, and rounding a canvas to whole px costs that much).
SAME_SHAPE = 1.01


def check_fit(fit: object) -> str:
    """``fit`` checked against :data:`FITS`.

    Raises:
        SpecError: another value (named ``fit``).
    """
    if not isinstance(fit, str) or fit not in FITS:
        raise SpecError(f"must be one of {', '.join(FITS)}, got {fit!r}", "fit")
    return fit


def surface_shape(scene: MockupScene, quad: Quad) -> tuple[float, str]:
    """The width / height of a design made for ``quad`` of ``scene``, and where it comes
    from (words for the layout's notes).

    A built-in scene's own quad has the aspect the scene was drawn for (a 48×14 billboard);
    any other quad's is estimated from its perspective
    (:func:`~factframe.generator.mockup.homography.surface_aspect`).
    """
    if scene.aspect is not None and scene.quad is not None and quad == scene.quad:
        return scene.aspect, f"the {scene.name} scene's surface"
    aspect, how = surface_aspect(quad, scene.size)
    lens = "its focal length solved from it" if how == "solved" else "a 28 mm lens assumed"
    return aspect, f"estimated from the quad's perspective, {lens}"


def fit_image(
    design: skia.Image, aspect: float, fit: str, surface: str = "the surface"
) -> tuple[skia.Image, str | None]:
    """``design`` made ``aspect`` (width / height) wide by ``fit``; ``auto`` is ``cover``.

    - ``cover``: the centre of the design, cropped to the aspect (nothing distorted, the
      edges of the longer side lost);
    - ``contain``: the whole design, centred on a pad of its :func:`edge_colour` (where its
      edges are transparent the surface itself shows through);
    - ``stretch``: the design as it is; the warp distorts it to the surface's shape.

    A design within 1 % of the aspect is returned as it is, whatever ``fit``.

    Returns:
        the picture to warp, and a note saying what was done (None when nothing was).
    """
    w, h = design.width(), design.height()
    made = w / h
    if abs(math.log(made / aspect)) <= math.log(SAME_SHAPE):
        return design, None
    shape = f"{aspect:.2f}:1 ({surface})"
    if fit == "stretch":
        return design, (
            f"the design is {made:.2f}:1 and the surface {shape}, so it is stretched "
            "(fit='stretch'); fit='auto' re-renders a spec at the surface's shape"
        )
    if fit == "contain":
        pw, ph = (w, max(1, round(w / aspect))) if made > aspect else (max(1, round(h * aspect)), h)
        colour = edge_colour(design)
        surface_px = skia.Surface.MakeRaster(skia.ImageInfo.MakeN32Premul(pw, ph))
        canvas = surface_px.getCanvas()
        canvas.clear(skia.Color(*colour))
        canvas.drawImage(design, (pw - w) // 2, (ph - h) // 2)
        pad = "transparent (the surface shows)" if colour[3] == 0 else _hex(colour)
        note = f"letterboxed the design ({w}×{h}) into {pw}×{ph} for {shape}, padded with {pad}"
        return surface_px.makeImageSnapshot(), note
    cw, ch = (max(1, round(h * aspect)), h) if made > aspect else (w, max(1, round(w / aspect)))
    x0, y0 = (w - cw) // 2, (h - ch) // 2
    cropped = design.makeSubset(skia.IRect.MakeXYWH(x0, y0, cw, ch))
    note = (
        f"cropped the design ({w}×{h}) to its centre {cw}×{ch} "
        f"(x {x0}…{x0 + cw}, y {y0}…{y0 + ch}) for {shape}"
    )
    return cropped, note


def edge_colour(design: skia.Image) -> tuple[int, int, int, int]:
    """The commonest colour of the design's outermost pixels (RGBA, straight alpha).

    The border is binned at 4 bits a channel, alpha included, and the pixels of the
    fullest bin averaged: a card's background colour, a photo's dominant edge tone, or
    transparent for a design with a transparent margin.
    """
    rgba = design.toarray(colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType)
    border = np.concatenate([rgba[0], rgba[-1], rgba[1:-1, 0], rgba[1:-1, -1]]).astype(np.int64)
    bins = border >> 4
    keys = ((bins[:, 0] * 16 + bins[:, 1]) * 16 + bins[:, 2]) * 16 + bins[:, 3]
    values, counts = np.unique(keys, return_counts=True)
    chosen = border[keys == values[np.argmax(counts)]].mean(axis=0).round().astype(int)
    r, g, b, a = (int(v) for v in chosen)
    return (r, g, b, a) if a > 0 else (0, 0, 0, 0)


def _hex(colour: tuple[int, int, int, int]) -> str:
    r, g, b, a = colour
    return f"#{r:02x}{g:02x}{b:02x}" + (f"{a:02x}" if a < 255 else "")


def design_image(design: Rendered | ImageSource, where: str = "design") -> skia.Image:
    """The design as a skia image: a rendered picture's pixels, or a decoded picture.

    Raises:
        ImageError: the picture is missing, unreadable or too large (names ``where``).
    """
    if isinstance(design, Rendered):
        alpha = skia.kOpaque_AlphaType if design.scene.opaque else skia.kUnpremul_AlphaType
        pixels = np.ascontiguousarray(design.pixels)
        return skia.Image.fromarray(pixels, colorType=skia.kRGBA_8888_ColorType, alphaType=alpha)
    if isinstance(design, np.ndarray):
        return load_image(_array_image(design, where), where)
    return load_image(design, where)


def _array_image(array: np.ndarray, where: str) -> Image.Image:
    return Image.fromarray(np.ascontiguousarray(_checked_array(array, where)))


def _checked_array(array: np.ndarray, where: str) -> np.ndarray:
    if array.dtype != np.uint8 or array.ndim not in (2, 3):
        raise ImageError("expected a uint8 array of (h, w), (h, w, 3) or (h, w, 4)", "array", where)
    if array.ndim == 3 and array.shape[2] not in (3, 4):
        raise ImageError(f"expected 3 or 4 channels, got {array.shape[2]}", "array", where)
    return array


def photo_scene(photo: ImageSource, where: str = "scene") -> MockupScene:
    """A photo as a scene (no known quad: pass one, or let it be detected)."""
    if isinstance(photo, np.ndarray) and photo.ndim == 3:
        # straight in: a scene is drawn 1:1 and needs no mipmaps (34 MB at 4K); marked
        # opaque when it is, so it is copied, not premultiplied, under the design
        if _checked_array(photo, where).shape[2] == 4:
            pixels = np.ascontiguousarray(photo)
            opaque = bool(pixels[..., 3].min() == 255)
        else:
            pixels = np.empty((*photo.shape[:2], 4), np.uint8)
            pixels[..., :3] = photo
            pixels[..., 3] = 255
            opaque = True
        alpha = skia.kOpaque_AlphaType if opaque else skia.kUnpremul_AlphaType
        image = skia.Image.fromarray(pixels, colorType=skia.kRGBA_8888_ColorType, alphaType=alpha)
        return MockupScene("photo", image)
    if isinstance(photo, np.ndarray):
        return MockupScene("photo", load_image(_array_image(photo, where), where))
    return MockupScene("photo", load_image(photo, where))


def occlusion_foreground(
    scene: MockupScene,
    mask: ImageSource,
    where: str = "occlusion",
    *,
    box: tuple[int, int, int, int] | None = None,
) -> skia.Image:
    """The scene's own pixels where ``mask`` says they stand in front of the surface.

    The mask is the scene's size; its alpha channel is used when it has one that is not
    fully opaque, else its luminance (white = in front). Soft masks give soft edges.

    Args:
        box: (left, top, right, bottom): only there is the foreground made, transparent
            elsewhere (a mockup draws only over its quad's :func:`~factframe.generator.
            mockup.warp.quad_box`: at 4K the whole frame took ~10× as long); None: the
            whole scene.

    Raises:
        ImageError: unreadable, or not the scene's size.
    """
    width, height = scene.size
    x0, y0, x1, y1 = box if box is not None else (0, 0, width, height)
    weight = _mask_weight(mask, (width, height), (x0, y0, x1, y1), where)
    # straight alpha as before (premultiplied here it would be rounded twice), in a bitmap:
    # its pixels are calloc'd, so only the box's pages are ever touched, and the image
    # shares them (a zeroed 4K array copied into an image took ~15 ms)
    bitmap = skia.Bitmap()
    info = skia.ImageInfo.Make(width, height, skia.kRGBA_8888_ColorType, skia.kUnpremul_AlphaType)
    bitmap.allocPixels(info)
    if weight is not None:
        region = skia.IRect.MakeLTRB(x0, y0, x1, y1)
        inside = scene.image.makeSubset(region).toarray(
            colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType
        )
        inside[..., 3] = np.round(inside[..., 3] * weight).astype(np.uint8)
        np.asarray(bitmap)[y0:y1, x0:x1] = inside
    bitmap.setImmutable()
    front = skia.Image.MakeFromBitmap(bitmap)
    if scene.foreground is None or weight is None:
        return front
    surface = skia.Surface.MakeRaster(skia.ImageInfo.MakeN32Premul(width, height))  # zeroed
    canvas = surface.getCanvas()
    dst = skia.Rect.MakeLTRB(x0, y0, x1, y1)
    canvas.drawImageRect(scene.foreground, dst, dst, skia.SamplingOptions(), None)
    canvas.drawImageRect(front, dst, dst, skia.SamplingOptions(), None)
    return surface.makeImageSnapshot()


def _mask_weight(
    mask: ImageSource, size: tuple[int, int], box: tuple[int, int, int, int], where: str
) -> np.ndarray | None:
    """How much of each pixel of ``box`` stands in front, 0…1 (float32); None for an
    empty box. The mask is checked whole (its size; whether its alpha is all opaque) but
    read only over the box; an array is read as it is, not converted to a picture."""
    x0, y0, x1, y1 = box
    if isinstance(mask, np.ndarray):
        array = _checked_array(mask, where)
        got = (array.shape[1], array.shape[0])
    else:
        image = load_image(mask, where)
        got = (image.width(), image.height())
    if got != size:
        raise ImageError(
            f"the mask is {got[0]}×{got[1]} px; it must be the scene's {size[0]}×{size[1]}",
            "occlusion mask",
            where,
        )
    if x1 <= x0 or y1 <= y0:
        return None
    if isinstance(mask, np.ndarray):
        translucent = array.ndim == 3 and array.shape[2] == 4 and array[..., 3].min() < 255
        rgba = array[y0:y1, x0:x1]
        rgb = rgba[..., None].repeat(3, axis=2) if array.ndim == 2 else rgba[..., :3]
    else:
        translucent = not image.isOpaque() and _alpha(image).min() < 255
        region = skia.IRect.MakeLTRB(x0, y0, x1, y1)
        rgba = image.makeSubset(region).toarray(
            colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType
        )
        rgb = rgba[..., :3]
    if translucent:
        weight: np.ndarray = rgba[..., 3].astype(np.float32) / 255
        return weight
    lum: np.ndarray = rgb.astype(np.float32) @ np.array([0.2126, 0.7152, 0.0722], np.float32)
    return lum / 255


def _alpha(image: skia.Image) -> np.ndarray:
    alpha: np.ndarray = image.toarray(colorType=skia.kAlpha_8_ColorType)
    return alpha


def strength(value: float | bool | None, default: float, where: str) -> float:
    """A 0…1 strength: None → the scene's default; True → :data:`DEFAULT_GLOSS` for gloss,
    1 for shading; False → 0.

    Raises:
        SpecError: not a number in 0…1 (named ``where``).
    """
    if value is None:
        return default
    if value is True:
        return DEFAULT_GLOSS if where == "gloss" else 1.0
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise SpecError(f"must be between 0 and 1, got {value}", where)
    return number


def compose(
    design: skia.Image,
    scene: MockupScene,
    quad: Any = None,
    *,
    fit: str = "auto",
    gloss: float | bool | None = None,
    shading: float | bool | None = None,
    occlusion: ImageSource | None = None,
    facts: FactReport | None = None,
    context: Context | None = None,
    library: FontLibrary | None = None,
    notes: tuple[str, ...] = (),
) -> Rendered:
    """Puts ``design`` onto ``quad`` (or the scene's own quad) of ``scene``.

    Args:
        quad: four (x, y) corners clockwise from the one the design's top-left goes to,
            or eight numbers; None: the scene's quad (a built-in scene, a detected one).
        fit: how a design of another shape than the surface's is fitted to it (see
            :func:`fit_image`): ``auto`` or ``cover`` (cropped, centred), ``contain``
            (letterboxed), ``stretch``. What was done goes into the layout's notes.
        gloss: 0…1 specular sheen; True for :data:`DEFAULT_GLOSS`; None: the scene's.
        shading: 0…1, how much of the scene's light to multiply in; None: the scene's.
        occlusion: a mask the scene's size; where it is white (or opaque) the scene's
            pixels stay in front of the design.
        facts, context: carried over from a rendered design (its sources and context).
        notes: more notes for the layout (how the design was made for this surface).

    Raises:
        SpecError: a bad quad (degenerate, crossing, not convex, counter-clockwise), no
            quad for a photo, a strength out of range, or an unknown ``fit``.
        ImageError: an unreadable or wrongly sized occlusion mask.
    """
    if quad is None:
        if scene.quad is None:
            raise SpecError("the scene has no known surface; pass its four corners", "quad")
        corners: Quad = scene.quad
    else:
        corners = as_quad(quad)
    aspect, surface = surface_shape(scene, corners)
    design, fitted = fit_image(design, aspect, check_fit(fit), surface)
    if occlusion is not None:  # made only where the design goes
        box = quad_box(corners, *scene.size) or (0, 0, 0, 0)
        scene = _with_foreground(scene, occlusion_foreground(scene, occlusion, box=box))
    result = composite(
        scene,
        design,
        corners,
        gloss=strength(gloss, scene.gloss, "gloss"),
        shading=strength(shading, scene.shading, "shading"),
    )
    width, height = scene.size
    pixels = result.pixels
    opaque = bool(pixels[..., 3].min() == 255)
    if not opaque:  # a photo with transparency: hand out straight (unpremultiplied) alpha
        pixels = result.image.toarray(
            colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType
        )
    canvas = Box(0, 0, width, height)
    drawn = Scene(width, height, (ImageOp(result.image, canvas, "cover"),), opaque)
    notes = (_where(scene, corners), *notes, *([fitted] if fitted else []))
    layout = Layout(width, height, canvas, "ltr", (), strategy="mockup", notes=notes)
    lib = library or default_library()
    return Rendered(None, layout, drawn, lib, facts=facts, context=context, pixels=pixels)


def _with_foreground(scene: MockupScene, foreground: skia.Image) -> MockupScene:
    return replace(scene, foreground=foreground)


def _where(scene: MockupScene, quad: Quad) -> str:
    where = f"the {scene.name} scene" if scene.name != "photo" else "a photo"
    corners = ", ".join(f"({x:.1f}, {y:.1f})" for x, y in quad)
    return f"mockup into {where}, onto the quad {corners}"
