"""Paragraph shaping with skia.textlayout: one ``TextBlock`` object measures and draws.

A :class:`TextBlock` is plain, hashable data (text, family aliases, size, colour, alignment,
locale, width). :func:`typeset` turns it into a laid-out skia paragraph, cached, so the
paragraph the layout measured is the very one the generator paints.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import skia

from factframe.errors import MissingGlyphError
from factframe.typography.fonts import FontLibrary, default_library

__all__ = ["TextBlock", "TextMeasure", "check_coverage", "measure", "typeset"]

Align = Literal["left", "center", "right"]
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
        width: the line width in px the paragraph is broken to.
        color: RGBA, 0–255 each.
        align: horizontal alignment of the lines inside ``width``.
        shaping_locale: BCP 47 tag for skia (Han forms, line-break tailoring).
        line_height: line height as a multiple of the size.
        letter_spacing: extra px between letters.
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

    def at(self, size: float) -> TextBlock:
        """The same block at another font size."""
        return TextBlock(
            self.text,
            self.families,
            size,
            self.width,
            self.color,
            self.align,
            self.shaping_locale,
            self.line_height,
            self.letter_spacing,
        )


@dataclass(frozen=True)
class TextMeasure:
    """A laid-out paragraph's size: height, widest line, and its longest unbreakable piece."""

    height: float
    longest_line: float
    min_width: float
    max_width: float


@lru_cache(maxsize=4096)
def _paragraph(block: TextBlock, library: FontLibrary) -> skia.textlayout.Paragraph:
    style = skia.textlayout.TextStyle()
    style.setFontFamilies(list(block.families))
    style.setFontSize(block.size)
    style.setColor(skia.Color(*block.color[:3], block.color[3]))
    style.setLocale(block.shaping_locale)
    style.setHeight(block.line_height)
    style.setHeightOverride(True)
    style.setHalfLeading(True)
    if block.letter_spacing:
        style.setLetterSpacing(block.letter_spacing)
    para_style = skia.textlayout.ParagraphStyle()
    para_style.setTextStyle(style)
    para_style.setTextAlign(_ALIGN[block.align])
    builder = skia.textlayout.ParagraphBuilder(para_style, library.collection, skia.Unicode())
    builder.addText(block.text)
    paragraph = builder.Build()
    paragraph.layout(block.width)
    return paragraph


def typeset(block: TextBlock, library: FontLibrary | None = None) -> skia.textlayout.Paragraph:
    """Returns the shaped paragraph of ``block``, laid out at ``block.width``.

    Paint it with ``paragraph.paint(canvas, x, y)``; do not lay it out again (it is shared).
    """
    return _paragraph(block, library or default_library())


def measure(block: TextBlock, library: FontLibrary | None = None) -> TextMeasure:
    """Measures ``block`` as it will be drawn."""
    p = typeset(block, library)
    return TextMeasure(p.Height, p.LongestLine, p.MinIntrinsicWidth, p.MaxIntrinsicWidth)


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
