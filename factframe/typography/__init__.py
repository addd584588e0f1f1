"""Fonts, scripts and paragraph shaping, shared by layout and generator."""

from factframe.typography.chains import DEFAULT_CHAIN, family_chain
from factframe.typography.fit import TextRequest, fit_text, text_block
from factframe.typography.fonts import FontFace, FontLibrary, default_library
from factframe.typography.paragraph import (
    Align,
    TextBlock,
    TextMeasure,
    check_coverage,
    measure,
    paint_text,
    typeset,
)
from factframe.typography.scripts import (
    LocaleInfo,
    ScriptRun,
    base_direction,
    itemize,
    locale_info,
    prepare_text,
)

__all__ = [
    "DEFAULT_CHAIN",
    "Align",
    "FontFace",
    "FontLibrary",
    "LocaleInfo",
    "ScriptRun",
    "TextBlock",
    "TextMeasure",
    "TextRequest",
    "base_direction",
    "check_coverage",
    "default_library",
    "family_chain",
    "fit_text",
    "itemize",
    "locale_info",
    "measure",
    "paint_text",
    "prepare_text",
    "text_block",
    "typeset",
]
