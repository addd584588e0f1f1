"""Paragraph shaping with skia.textlayout: one ``TextBlock`` object measures and draws.

A :class:`TextBlock` is plain, hashable data (text, family aliases, size, colour, alignment,
locale, width). :func:`typeset` turns it into a laid-out skia paragraph, cached, so the
paragraph the layout measured is the very one the generator paints.
"""

from __future__ import annotations

import math
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import skia

from factframe.errors import MissingGlyphError
from factframe.typography.fonts import FontLibrary, default_library

__all__ = [
    "Align",
    "TextBlock",
    "TextMeasure",
    "check_coverage",
    "measure",
    "paint_text",
    "side_ink",
    "typeset",
]

Align = Literal["left", "center", "right"]
# Side inset of every paragraph, in em: the largest side-bearing overhang seen in the Noto
# faces was ~0.06 em ("j"), which must not push ink outside the box.
_INSET_EM = 0.08
_ALIGN = {
    "left": skia.textlayout.TextAlign.kLeft,
    "center": skia.textlayout.TextAlign.kCenter,
    "right": skia.textlayout.TextAlign.kRight,
}


@dataclass(frozen=True)
class TextBlock:
    """Everything the shaper needs for one paragraph, at one size and width.

    Attributes:
        text: the prepared string (see :func:`factframe.typography.prepare_text`).
        families: font aliases from :meth:`FontLibrary.alias`, in fallback order.
        size: font size in px.
        width: the width of the text's box in px. Lines are broken to ``line_width``, a
            little narrower, and drawn ``inset`` from the box's sides, so glyphs that hang
            past their origin (a "j", the Devanagari i-matra) keep their ink in the box.
        color: RGBA, 0–255 each.
        align: horizontal alignment of the lines inside ``width``.
        shaping_locale: BCP 47 tag for skia (Han forms, line-break tailoring).
        line_height: line height as a multiple of the size.
        letter_spacing: extra px between letters.
        balanced: wrap to the narrowest width that keeps the same number of lines, so the
            last line is no orphan (CSS ``text-wrap: balance``); for headings and labels.
    """

    text: str
    families: tuple[str, ...]
    size: float
    width: float
    color: tuple[int, int, int, int] = (0, 0, 0, 255)
    align: Align = "left"
    shaping_locale: str = "en"
    line_height: float = 1.25
    letter_spacing: float = 0.0
    balanced: bool = False

    @property
    def inset(self) -> float:
        return math.ceil(self.size * _INSET_EM) + 1  # + 1 px for the antialiased edge

    @property
    def line_width(self) -> float:
        return max(1.0, self.width - 2 * self.inset)

    def at(self, size: float, width: float | None = None) -> TextBlock:
        """The same block at another font size (and width)."""
        # a copy of the fields, not __init__: fitting asks for thousands of sizes a plan
        block = object.__new__(TextBlock)
        fields = block.__dict__
        fields.update(self.__dict__)
        fields["size"] = size
        if width is not None:
            fields["width"] = width
        return block


@dataclass(frozen=True)
class TextMeasure:
    """A laid-out paragraph's size as drawn by :func:`paint_text`.

    Attributes:
        height: from the top of the ink or the first line box, whichever is higher, to the
            bottom of the ink or the last line box, whichever is lower.
        pad_top: how far the paragraph is moved down so that marks above the first line
            (Devanagari, Thai, stacked Vietnamese diacritics) stay inside ``height``.
        longest_line: width of the widest line.
        min_width: width of the longest unbreakable piece (the narrowest it can wrap to).
        max_width: width of the text on one line.
        ink_left, ink_right: how far the ink reaches past the box's sides, relative to its
            left edge: ``ink_left < 0`` when ink sticks out on the left, else 0;
            ``ink_right > width`` when it sticks out on the right, else ``width``. (Ink
            inside the box is not measured: only what overflows matters.)
    """

    height: float
    pad_top: float
    longest_line: float
    min_width: float
    max_width: float
    ink_left: float
    ink_right: float


# Text styles by everything but the size, per thread: handing skia a long family chain
# costs as much as a short paragraph's layout, and a plan asks for the same text at many
# sizes. (The paragraph style copies the text style, so setting the size is safe.)
_STYLES = threading.local()
_STYLES_KEPT = 256


def _text_style(block: TextBlock) -> skia.textlayout.TextStyle:
    """A text style for ``block``, its size not yet set."""
    styles: dict[tuple[object, ...], skia.textlayout.TextStyle] | None = getattr(
        _STYLES, "styles", None
    )
    if styles is None:
        styles = _STYLES.styles = {}
    key = (
        block.families,
        block.color,
        block.shaping_locale,
        block.line_height,
        block.letter_spacing,
    )
    style = styles.get(key)
    if style is None:
        if len(styles) >= _STYLES_KEPT:
            styles.clear()
        style = styles[key] = skia.textlayout.TextStyle()
        style.setFontFamilies(list(block.families))
        style.setColor(skia.Color(*block.color[:3], block.color[3]))
        style.setLocale(block.shaping_locale)
        style.setHeight(block.line_height)
        style.setHeightOverride(True)
        style.setHalfLeading(True)
        if block.letter_spacing:
            style.setLetterSpacing(block.letter_spacing)
    return style


@lru_cache(maxsize=4096)
def _paragraph(block: TextBlock, library: FontLibrary) -> skia.textlayout.Paragraph:
    style = _text_style(block)
    style.setFontSize(block.size)
    para_style = skia.textlayout.ParagraphStyle()
    para_style.setTextStyle(style)
    para_style.setTextAlign(_ALIGN[block.align])
    builder = skia.textlayout.ParagraphBuilder(para_style, library.collection, skia.Unicode())
    builder.addText(block.text)
    paragraph = builder.Build()
    paragraph.layout(block.line_width)
    if block.balanced:
        _balance(paragraph, block.line_width)
    return paragraph


def _balance(paragraph: skia.textlayout.Paragraph, width: float) -> None:
    """Re-lays ``paragraph`` out at the narrowest width that keeps its number of lines."""
    height = paragraph.Height
    low, high = paragraph.MinIntrinsicWidth, width
    if paragraph.MaxIntrinsicWidth <= width or low >= high:
        return  # one line, or nothing to gain
    for _ in range(12):
        mid = (low + high) / 2
        paragraph.layout(mid)
        if paragraph.Height > height + 0.5:
            low = mid
        else:
            high = mid
    paragraph.layout(math.ceil(high))


def _shift(block: TextBlock, paragraph: skia.textlayout.Paragraph) -> float:
    """How far a balanced paragraph, narrower than its line width, moves to stay aligned."""
    spare: float = block.line_width - paragraph.Width
    return {"left": 0.0, "center": spare / 2, "right": spare}[block.align]


def typeset(block: TextBlock, library: FontLibrary | None = None) -> skia.textlayout.Paragraph:
    """Returns the shaped paragraph of ``block``, laid out at ``block.line_width``.

    Paint it with ``paragraph.paint(canvas, x, y)``; do not lay it out again (it is shared).
    """
    return _paragraph(block, library or default_library())


# Coverage (0–255) from which a pixel counts as ink: faint antialiasing does not.
_INK_THRESHOLD = 24


def _ink_mask(
    paragraph: skia.textlayout.Paragraph, origin: float, x: int, y: int, w: int, h: int
) -> np.ndarray:
    """Which pixels of the box-relative rectangle ``(x, y, w, h)`` hold ink, the paragraph
    drawn with its first line's left end at ``(origin, 0)``. Only whole-px offsets move the
    paragraph, so every pixel is antialiased exactly as on a raster of the whole box."""
    alpha = np.zeros((h, w), np.uint8)
    surface = skia.Surface.MakeRasterDirect(skia.ImageInfo.MakeA8(w, h), alpha, w)
    paragraph.paint(surface.getCanvas(), origin - x, -y)
    del surface  # the pixels are in ``alpha``
    return alpha >= _INK_THRESHOLD


def _margin(block: TextBlock) -> int:
    return math.ceil(block.size) + 2  # ink is looked for up to one em beyond the line boxes


@lru_cache(maxsize=4096)
def _side_ink(block: TextBlock, library: FontLibrary) -> tuple[float, float]:
    """(ink_left, ink_right) of :class:`TextMeasure`: the ink beyond the box's sides."""
    p = _paragraph(block, library)
    margin, origin = _margin(block), block.inset + _shift(block, p)
    rows = math.ceil(p.Height) + 2 * margin
    left = _ink_mask(p, origin, -margin, -margin, margin, rows)
    cols = np.flatnonzero(left.any(axis=0))
    ink_left = float(cols[0] - margin) if cols.size else 0.0
    start = math.floor(block.width)  # a pixel column from here on ends past the width
    right = _ink_mask(p, origin, start, -margin, math.ceil(block.width) + margin - start, rows)
    cols = np.flatnonzero(right.any(axis=0))
    ink_right = float(start + cols[-1] + 1) if cols.size else block.width
    return ink_left, ink_right


# Up to this many pixels, the box and the strips around it are rasterised at once: one
# paint of a small paragraph costs less than four of the strips. Only whole-px offsets
# move the paragraph, so the pixels are the same either way.
_ONE_RASTER = 1 << 15


def _at_once(block: TextBlock, p: skia.textlayout.Paragraph) -> bool:
    """Whether the box and its strips are small enough to rasterise at once."""
    margin = _margin(block)
    rows: int = math.ceil(p.Height) + 2 * margin
    return (math.ceil(block.width) + 2 * margin) * rows <= _ONE_RASTER


@lru_cache(maxsize=4096)
def _measure(block: TextBlock, library: FontLibrary) -> TextMeasure:
    p = _paragraph(block, library)
    # The paragraph's line boxes come from font metrics; glyph ink can reach beyond them:
    # marks above the first line (Devanagari, Thai, stacked Vietnamese diacritics), a
    # descender under the last, an overhang at a side. Only ink beyond the line boxes
    # changes the measure, so only the four strips around them (one em wide) are
    # rasterised, at 8 bits of coverage; ink inside them is never looked at.
    margin, origin = _margin(block), block.inset + _shift(block, p)
    width = math.ceil(block.width) + 2 * margin
    rows = math.ceil(p.Height) + 2 * margin
    if _at_once(block, p):
        return _measure_at_once(block, p, margin, origin, width, rows)
    above = _ink_mask(p, origin, -margin, -margin, width, margin)
    inked = np.flatnonzero(above.any(axis=1))
    top = float(inked[0] - margin) if inked.size else 0.0
    start = math.floor(p.Height)  # a pixel row from here on ends below the line boxes
    below = _ink_mask(p, origin, -margin, start, width, math.ceil(p.Height) + margin - start)
    inked = np.flatnonzero(below.any(axis=1))
    bottom = float(start + inked[-1] + 1) if inked.size else p.Height
    pad_top = max(0.0, -top)
    ink_left, ink_right = _side_ink(block, library)
    return TextMeasure(
        pad_top + max(p.Height, bottom),
        pad_top,
        p.LongestLine,
        p.MinIntrinsicWidth,
        p.MaxIntrinsicWidth,
        ink_left,
        ink_right,
    )


def _measure_at_once(
    block: TextBlock,
    p: skia.textlayout.Paragraph,
    margin: int,
    origin: float,
    width: int,
    rows: int,
) -> TextMeasure:
    """:func:`_measure` from one raster of the box and its strips (see there)."""
    ink = _ink_mask(p, origin, -margin, -margin, width, rows)
    lines = np.flatnonzero(ink.any(axis=1)) - margin  # rows with ink, box-relative
    cols = np.flatnonzero(ink.any(axis=0)) - margin
    # the first row above the box / the last from the box's bottom row on
    top = float(lines[0]) if lines.size and lines[0] < 0 else 0.0
    start = math.floor(p.Height)
    bottom = float(lines[-1] + 1) if lines.size and lines[-1] >= start else p.Height
    ink_left = float(cols[0]) if cols.size and cols[0] < 0 else 0.0
    right = math.floor(block.width)
    ink_right = float(cols[-1] + 1) if cols.size and cols[-1] >= right else block.width
    pad_top = max(0.0, -top)
    return TextMeasure(
        pad_top + max(p.Height, bottom),
        pad_top,
        p.LongestLine,
        p.MinIntrinsicWidth,
        p.MaxIntrinsicWidth,
        ink_left,
        ink_right,
    )


def measure(block: TextBlock, library: FontLibrary | None = None) -> TextMeasure:
    """Measures ``block`` as :func:`paint_text` draws it (line boxes and ink)."""
    return _measure(block, library or default_library())


def side_ink(block: TextBlock, library: FontLibrary | None = None) -> tuple[float, float]:
    """``(ink_left, ink_right)`` of :func:`measure` alone (cheaper: the sides' strips only),
    for fitting a width before the height matters."""
    lib = library or default_library()
    if _at_once(block, _paragraph(block, lib)):  # one raster answers the height too
        m = _measure(block, lib)
        return m.ink_left, m.ink_right
    return _side_ink(block, lib)


def paint_text(
    canvas: skia.Canvas, block: TextBlock, x: float, y: float, library: FontLibrary | None = None
) -> None:
    """Draws ``block`` with the top-left of its measured box at ``(x, y)``."""
    lib = library or default_library()
    p = typeset(block, lib)
    p.paint(canvas, x + block.inset + _shift(block, p), y + measure(block, lib).pad_top)


def _ignorable(ch: str) -> bool:
    cp = ord(ch)
    return (
        unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
    )


def check_coverage(
    text: str,
    aliases: Sequence[str],
    block_id: str,
    library: FontLibrary | None = None,
    families: Sequence[str] = (),
) -> None:
    """Checks that some font of the chain has a glyph for every character of ``text``.

    Format characters (joiners, isolates, variation selectors) need no glyph.

    Raises:
        MissingGlyphError: naming the uncovered characters, the block and the families tried.
    """
    lib = library or default_library()
    missing: list[str] = []
    for ch in dict.fromkeys(text):
        if _ignorable(ch) or any(lib.covers(a, ord(ch)) for a in aliases):
            continue
        missing.append(ch)
    if missing:
        tried = list(families) or [a.split("#")[0] for a in aliases]
        raise MissingGlyphError(missing, block_id, tried)
