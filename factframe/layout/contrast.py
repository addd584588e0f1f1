"""Text contrast measured on the pixels, by the WCAG 2.x rules.

The audit (:func:`~factframe.layout.audit_layout`) uses this module to ask whether each text
of a rendered picture can be read against what is really behind it, not against the colours
the planner assumed. It never guesses the text from colours:

coverage
    The text is painted again, alone, onto an 8-bit coverage mask (:func:`ink_coverage`) with
    the exact glyphs the picture has (same fonts, size, line breaks, position), so its ink
    is known pixel by pixel.

background pixels
    The pixels within ``r = max(4, round(0.25 · size))`` px (a square neighbourhood) of the
    text's ink that are more than 2 px away from any text's ink and fully opaque. Any
    coverage at all counts as ink, so antialiased edges, which blend text and background,
    and neighbouring texts are left out; the 2 px spare the raster's own rounding.

ratio
    Each background pixel is compared with the text colour (composited over that pixel when
    the colour is translucent) by the WCAG 2.x contrast ratio (:func:`pixel_contrasts`, the
    vector form of :func:`~factframe.layout.styles.contrast_ratio`). The text passes when
    the **5th percentile** of those ratios (:data:`CONTRAST_PERCENTILE`) — its worst 5 % of
    background, not the mean — reaches :data:`AA_NORMAL` (4.5:1), or :data:`AA_LARGE` (3:1)
    for large text.

large text
    WCAG's 18 pt / 14 pt bold, i.e. ≥ 24 px, or ≥ 18.7 px at weight ≥ 700, at the 1080 px
    reference canvas, scaled with the short side as the planner scales sizes
    (:func:`is_large_text`).

Example:
    >>> w, h = layout.width, layout.height  # doctest: +SKIP
    >>> ink = ink_coverage(layout.texts, 0, 0, w, h, library)  # doctest: +SKIP
    >>> worst, mean = text_contrast(layout.texts[0], pixels, ink, library)  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import skia

from factframe.layout.styles import REFERENCE_SIDE, ROLES, relative_luminance
from factframe.typography import FontLibrary, TextBlock, paint_text

if TYPE_CHECKING:
    from factframe.layout.model import TextItem

__all__ = [
    "AA_LARGE",
    "AA_NORMAL",
    "CONTRAST_PERCENTILE",
    "Surround",
    "ink_coverage",
    "is_large_text",
    "pixel_contrasts",
    "required_contrast",
    "surround",
    "text_contrast",
]

#: WCAG 2.x level AA minimum contrast for normal text.
AA_NORMAL = 4.5
#: WCAG 2.x level AA minimum contrast for large text.
AA_LARGE = 3.0
#: The percentile of a text's background contrasts that must reach the minimum.
CONTRAST_PERCENTILE = 5.0
# WCAG's 18 pt and 14 pt in CSS px, on the reference canvas.
_LARGE_PX = 24.0
_LARGE_BOLD_PX = 18.7
_BOLD = 700
# Background pixels keep this far (px) from any ink, beyond its antialiased edge.
_EDGE = 2


# --- large text --------------------------------------------------------------------------


def is_large_text(size: float, weight: int, short_side: int) -> bool:
    """WCAG's large text (18 pt, or 14 pt bold) in px of the 1080 px reference canvas,
    scaled with the canvas' short side like every size the planner sets."""
    scale = short_side / REFERENCE_SIDE
    return size >= _LARGE_PX * scale or (weight >= _BOLD and size >= _LARGE_BOLD_PX * scale)


def _weight(text: TextBlock, role: str, library: FontLibrary) -> int:
    """The weight of the face the text is set in (its first family)."""
    try:
        return int(library.typeface(text.families[0]).fontStyle().weight())
    except (IndexError, KeyError):
        style = ROLES.get(role)
        return style.weight if style else 400


def required_contrast(item: TextItem, short_side: int, library: FontLibrary) -> float:
    """The contrast a text item must reach: :data:`AA_LARGE` for large text (by the weight
    of the face it is set in), else :data:`AA_NORMAL`."""
    weight = _weight(item.text, item.role, library)
    return AA_LARGE if is_large_text(item.text.size, weight, short_side) else AA_NORMAL


# --- contrast ratios ---------------------------------------------------------------------


@cache
def _luminance_table() -> np.ndarray:
    """(3, 256): each sRGB channel value's share of WCAG relative luminance (the formula is
    a sum over channels, so one table per channel gives it exactly)."""
    table = np.zeros((3, 256))
    for v in range(256):
        table[0, v] = relative_luminance((v, 0, 0, 255))
        table[1, v] = relative_luminance((0, v, 0, 255))
        table[2, v] = relative_luminance((0, 0, v, 255))
    return table


def _luminance(rgb: np.ndarray) -> np.ndarray:
    table = _luminance_table()
    return np.asarray(table[0][rgb[..., 0]] + table[1][rgb[..., 1]] + table[2][rgb[..., 2]])


def pixel_contrasts(color: tuple[int, int, int, int], background: np.ndarray) -> np.ndarray:
    """WCAG 2.x contrast ratios of a text colour against background pixels ((n, 3) uint8
    sRGB); a translucent colour is first composited over each pixel, as it is drawn.

    The vector form of :func:`~factframe.layout.styles.contrast_ratio`, built on its
    :func:`~factframe.layout.styles.relative_luminance`."""
    alpha = color[3] / 255
    bg = _luminance(background)
    if alpha >= 1.0:
        fg: np.ndarray | float = relative_luminance(color)
    else:
        mixed = alpha * np.array(color[:3], dtype=float) + (1 - alpha) * background
        fg = _luminance(np.rint(mixed).astype(np.uint8))
    high, low = np.maximum(fg, bg), np.minimum(fg, bg)
    return np.asarray((high + 0.05) / (low + 0.05))


# --- ink and background ------------------------------------------------------------------


def _dilate(mask: np.ndarray, r: int) -> np.ndarray:
    """Binary dilation by a (2r + 1)² square: along each axis, OR with shifted copies of
    doubling stride (van Herk's trick; ~15× faster than running sums here, no SciPy)."""
    out = mask.astype(bool, copy=True)
    for axis in (0, 1):
        line = np.moveaxis(out, axis, 0)  # a view: ORs below write into ``out``
        for forward in (True, False):
            span = 1  # each cell now holds the OR of ``span`` cells ending (starting) at it
            while span < r + 1:
                step = min(span, r + 1 - span)
                if forward:
                    line[step:] |= line[:-step]
                else:
                    line[:-step] |= line[step:]
                span += step
    return out


def ink_coverage(
    texts: Sequence[TextItem], x0: int, y0: int, w: int, h: int, library: FontLibrary
) -> np.ndarray:
    """The texts' 8-bit coverage on a w × h window whose top-left is (x0, y0) on the canvas,
    painted exactly as the generator paints them.

    Args:
        texts: the text items to paint.
        x0, y0: the window's top-left corner on the canvas, in px.
        w, h: the window's size in px.
        library: the fonts the texts were set with.

    Returns:
        an (h, w) uint8 array; 0 where no text has ink.
    """
    surface = skia.Surface.MakeRaster(skia.ImageInfo.MakeA8(w, h))
    canvas = surface.getCanvas()
    for t in texts:
        paint_text(canvas, t.text, t.box.x - x0, t.box.y - y0, library)
    return np.asarray(surface.makeImageSnapshot().toarray()).reshape(h, w)


@dataclass(frozen=True)
class Surround:
    """The background pixels around a text's glyphs: ``mask`` over the canvas window
    ``[y0:y1, x0:x1]``. It depends on the glyphs and on which pixels are opaque, not on
    colours, so one text can be measured in many colours or over many backdrops."""

    y0: int
    y1: int
    x0: int
    x1: int
    mask: np.ndarray = field(compare=False)

    def contrasts(self, color: tuple[int, int, int, int], pixels: np.ndarray) -> np.ndarray:
        """The WCAG contrast of ``color`` with each background pixel of ``pixels``."""
        window = pixels[self.y0 : self.y1, self.x0 : self.x1]
        return pixel_contrasts(color, window[self.mask][:, :3])

    def contrast(self, color: tuple[int, int, int, int], pixels: np.ndarray) -> tuple[float, float]:
        """(5th percentile, mean) of :meth:`contrasts`."""
        ratios = self.contrasts(color, pixels)
        return float(np.percentile(ratios, CONTRAST_PERCENTILE)), float(ratios.mean())


def surround(
    item: TextItem, pixels: np.ndarray, all_ink: np.ndarray, library: FontLibrary
) -> Surround | None:
    """The background pixels around a text's ink (see the module's documentation): within
    ``r`` of its glyphs, clear of every text's ink, fully opaque. None when there are none.

    Args:
        item: the text item.
        pixels: the picture, (height, width, 4) RGBA uint8.
        all_ink: the coverage of every text of the picture (:func:`ink_coverage` over the
            whole canvas), so that neighbouring texts are not taken for background.
        library: the fonts the text was set with.
    """
    height, width = pixels.shape[:2]
    r = max(_EDGE + 2, round(0.25 * item.text.size))
    reach = r + _EDGE + 2
    box = item.box
    x0, y0 = max(0, math.floor(box.x) - reach), max(0, math.floor(box.y) - reach)
    x1 = min(width, math.ceil(box.right) + reach)
    y1 = min(height, math.ceil(box.bottom) + reach)
    if x1 <= x0 or y1 <= y0:
        return None
    own = ink_coverage([item], x0, y0, x1 - x0, y1 - y0, library) > 0
    if not own.any():
        return None
    near = _dilate(own, r)
    inked = _dilate(all_ink[y0:y1, x0:x1] > 0, _EDGE)
    background = near & ~inked & (pixels[y0:y1, x0:x1, 3] == 255)
    return Surround(y0, y1, x0, x1, background) if background.any() else None


def text_contrast(
    item: TextItem, pixels: np.ndarray, all_ink: np.ndarray, library: FontLibrary
) -> tuple[float, float] | None:
    """The contrast between a text's colour and the background pixels around its glyphs.

    Args: as :func:`surround`.

    Returns:
        (5th percentile, mean) of the WCAG contrast ratios; None when there is nothing to
        measure (no ink on the canvas, or no opaque background pixel near it).
    """
    found = surround(item, pixels, all_ink, library)
    return None if found is None else found.contrast(item.text.color, pixels)
