"""Icons: the Lucide set, drawn by skia's SVG renderer in any colour, as vectors.

The SVGs come from the ``lucide`` package on PyPI (the icons are ISC-licensed, with
the parts from Feather under MIT; the licence text ships in the wheel's LICENSE). Every
Lucide icon is a 24×24 ``viewBox`` of strokes (and a few fills) painted with
``currentColor`` and no other colour, so recolouring is a text substitution of
``currentColor`` by the ``#rrggbb`` we want before skia parses the SVG: exact, and it
keeps the icon a vector in PDF and SVG output. Transparency (``#rrggbbaa``) is applied
to the whole icon as one layer, so where strokes cross they do not darken. The names and
the weather table live in :mod:`factframe.spec_icons` (no skia), so that a spec checks
its icon names when it is validated.

Example::

    surface = skia.Surface(64, 64)
    draw_icon(surface.getCanvas(), "cloud-sun", (8, 8, 48, 48), "#0b3d91")
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import skia

from factframe.errors import SpecError
from factframe.spec import parse_color
from factframe.spec_icons import (
    ICON_SET,
    WEATHER_ICONS,
    WEATHER_ICONS_NIGHT,
    icon_names,
    icon_source,
    weather_icon,
)

__all__ = [
    "ICON_SET",
    "WEATHER_ICONS",
    "WEATHER_ICONS_NIGHT",
    "draw_icon",
    "icon_names",
    "icon_picture",
    "icon_svg",
    "weather_icon",
]

_NUMBER = rb"([-+\d.eE]+)"
_VIEWBOX = re.compile(
    rb"<svg\b[^>]*?\bviewBox\s*=\s*[\"']\s*" + rb"[\s,]+".join([_NUMBER] * 4), re.S
)
_STROKE_WIDTH = re.compile(rb'(<svg\b[^>]*?\bstroke-width\s*=\s*")[^"]*(")', re.S)


@lru_cache(maxsize=1024)
def icon_svg(name: str) -> bytes:
    """The icon's SVG source, as shipped (strokes in ``currentColor``); cached per name.

    Raises:
        UnknownIconError: no icon has this name; the message suggests close names.
    """
    return icon_source(name)


def _rgba(color: str) -> tuple[int, int, int, int]:
    try:
        return parse_color(color)
    except ValueError as exc:
        raise SpecError(str(exc)) from None


@lru_cache(maxsize=512)
def _base_picture(name: str, rgb: str, stroke_width: float | None) -> tuple[skia.Picture, float]:
    """The icon recoloured to ``rgb`` (``#rrggbb``), in its own units, and its side length."""
    svg = icon_svg(name).replace(b"currentColor", rgb.encode())
    if stroke_width is not None:
        if not 0 < stroke_width <= 24:
            raise SpecError(f"icon stroke width {stroke_width} is not within (0, 24]")
        svg = _STROKE_WIDTH.sub(rb"\g<1>" + f"{stroke_width:g}".encode() + rb"\g<2>", svg, 1)
    dom = skia.SVGDOM.MakeFromStream(skia.MemoryStream(svg))
    box = _VIEWBOX.search(svg)
    if dom is None or box is None:  # never for Lucide; guards a changed package
        raise SpecError(f"icon {name!r} is not an SVG skia can draw")
    width, height = float(box.group(3)), float(box.group(4))
    dom.setContainerSize(skia.Size(width, height))
    recorder = skia.PictureRecorder()
    dom.render(recorder.beginRecording(skia.Rect.MakeWH(width, height)))
    return recorder.finishRecordingAsPicture(), max(width, height)


def _draw(
    canvas: skia.Canvas,
    name: str,
    box: Sequence[float],
    color: str,
    stroke_width: float | None,
) -> None:
    x, y, w, h = (float(v) for v in box)
    r, g, b, a = _rgba(color)
    picture, side = _base_picture(name, f"#{r:02x}{g:02x}{b:02x}", stroke_width)
    if w <= 0 or h <= 0 or a == 0:
        return
    scale = min(w, h) / side
    matrix = skia.Matrix.Translate(x + (w - side * scale) / 2, y + (h - side * scale) / 2)
    matrix.preScale(scale, scale)
    # With a paint, skia plays the picture into one layer and applies the alpha to it.
    paint = skia.Paint(Alphaf=a / 255) if a < 255 else None
    canvas.drawPicture(picture, matrix, paint)


def draw_icon(
    canvas: skia.Canvas,
    name: str,
    box: Sequence[float],
    color: str,
    *,
    stroke_width: float | None = None,
) -> None:
    """Draws an icon in ``color``, as large as fits ``box`` with its aspect kept, centred.

    Args:
        canvas: any skia canvas (raster, PDF, SVG, a picture recorder).
        name: an icon name from :func:`icon_names` (``"thermometer"``).
        box: ``(x, y, w, h)`` in canvas units.
        color: ``#rrggbb`` or ``#rrggbbaa`` (``#rgb`` works too).
        stroke_width: line width in the icon's 24-unit grid (Lucide draws with 2).

    Raises:
        UnknownIconError: no icon has this name.
        SpecError: the colour cannot be read.
    """
    _draw(canvas, name, box, color, stroke_width)


@lru_cache(maxsize=256)
def icon_picture(
    name: str, size: float, color: str, *, stroke_width: float | None = None
) -> skia.Picture:
    """The icon as a ``size``×``size`` vector picture in ``color``, for PDF/SVG export.

    Pictures are immutable and cached; draw one with ``canvas.drawPicture(picture, matrix)``.

    Raises:
        UnknownIconError: no icon has this name.
        SpecError: the colour cannot be read.
    """
    recorder = skia.PictureRecorder()
    canvas = recorder.beginRecording(skia.Rect.MakeWH(size, size))
    _draw(canvas, name, (0.0, 0.0, size, size), color, stroke_width)
    return recorder.finishRecordingAsPicture()
