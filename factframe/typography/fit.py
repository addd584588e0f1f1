"""From a text request to a fitted paragraph: chain, coverage, direction, size.

:class:`TextRequest` says what to set (text, language, families, weight, colour, alignment);
:func:`text_block` makes the :class:`TextBlock` at a given size and width, after checking
every character against the font chain; :func:`fit_text` finds the largest size that fits a
region, or raises :class:`TextOverflowError`. Text is never clipped or ellipsised.

The planner fits the same text into the same width again and again, at a new largest
size for every text scale it tries. Whether the line boxes fit (no word wider than the
region, no more lines than its height holds) is monotone in the size, so what one search
learned is kept: per text, width and height, the largest size whose line boxes are known
to fit and the smallest known not to (:func:`_known`); a size at or above the latter is
not shaped again. The ink test (glyphs overhanging the sides, which the whole-px inset
makes a step function of the size) is not monotone and is asked at every size the
search tries, as before. A search with the very same arguments is answered from a cache.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from factframe.errors import TextOverflowError
from factframe.typography.chains import family_chain
from factframe.typography.fonts import FontLibrary, default_library
from factframe.typography.paragraph import TextBlock, check_coverage, measure, side_ink, typeset
from factframe.typography.scripts import base_direction, locale_info, prepare_text

__all__ = ["TextRequest", "fit_text", "text_block"]

# Below this many px of slack the last line may still touch the region's edge.
_EPSILON = 0.01
# a word measured at 100 px and scaled may differ from its shaping at another size by a
# hair (advances round per size): less than this many px is not a broken word
_WORD_TOLERANCE = 0.5


@dataclass(frozen=True)
class TextRequest:
    """What to typeset, independent of size and width.

    Attributes:
        text: the text; ``\\n`` breaks lines.
        block_id: the block this text belongs to (named in errors).
        locale: BCP 47 language of the text (font order, Han forms, direction).
        families: preferred families, tried before the default chain.
        weight: 100–900.
        color: RGBA.
        align: ``start``/``end`` follow the text's direction; ``center``.
        line_height: multiple of the font size.
        balanced: wrap to even line lengths (headings, labels).
        direction: the layout's direction, which ``start``/``end`` refer to (an Arabic
            card right-aligns even a Latin-only line); None takes the text's own direction.
            The text's bidi base direction always comes from its first strong character.
    """

    text: str
    block_id: str
    locale: str = "en"
    families: tuple[str, ...] = ()
    weight: int = 400
    color: tuple[int, int, int, int] = (0, 0, 0, 255)
    align: Literal["start", "center", "end"] = "start"
    line_height: float = 1.25
    direction: Literal["ltr", "rtl"] | None = None
    balanced: bool = False


@lru_cache(maxsize=512)
def _fonts(
    locale: str, families: tuple[str, ...], weight: int, library: FontLibrary, revision: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The aliases of a request's chain and the families tried, per library revision."""
    chain = family_chain(locale_info(locale), families)
    aliases = tuple(a for f in chain if (a := library.alias(f, weight)) is not None)
    tried = tuple(f for f in chain if library.source(f) is not None) or tuple(chain)
    return aliases, tried


@lru_cache(maxsize=2048)
def _template(request: TextRequest, library: FontLibrary) -> TextBlock:
    info = locale_info(request.locale)
    aliases, tried = _fonts(
        request.locale, request.families, request.weight, library, library.revision
    )
    check_coverage(request.text, aliases, request.block_id, library, tried)
    text_direction = base_direction(request.text, info.direction)
    align = request.align
    side = "center" if align == "center" else ("left" if align == "start" else "right")
    if (request.direction or text_direction) == "rtl" and align != "center":
        side = "right" if side == "left" else "left"
    return TextBlock(
        text=prepare_text(request.text, text_direction),
        families=aliases,
        size=1.0,
        width=1.0,
        color=request.color,
        align=side,  # type: ignore[arg-type]
        shaping_locale=info.shaping_locale,
        line_height=request.line_height,
        balanced=request.balanced,
    )


def text_block(
    request: TextRequest, size: float, width: float, library: FontLibrary | None = None
) -> TextBlock:
    """Returns the block of ``request`` at ``size`` px, broken to ``width`` px.

    Raises:
        MissingGlyphError: a character is covered by no font of the chain.
    """
    return _template(request, library or default_library()).at(size, width)


_Mode = Literal["single", "words", "broken"]
_MODES: dict[str, int] = {"single": 0, "words": 2, "broken": 4}


@lru_cache(maxsize=2048)
def _known(template: TextBlock, width: float, height: float, library: FontLibrary) -> list[float]:
    """What fitting one text into one width and height has shown so far: per mode (at
    :data:`_MODES`), the largest size whose line boxes are known to fit and the smallest
    whose line boxes are known not to."""
    return [-1.0, math.inf] * 3


def fit_text(
    request: TextRequest,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    library: FontLibrary | None = None,
    *,
    wrap: bool = True,
) -> TextBlock:
    """Returns the block at the largest size in ``[min_size, max_size]`` that fits.

    It fits when its height is at most ``height`` and no word is wider than ``width``.
    When no size keeps every word whole, the largest size whose lines fit with over-long
    words broken between characters is taken. With ``wrap=False`` (big numbers, labels)
    a size that keeps each line unbroken is tried first.

    Raises:
        TextOverflowError: even ``min_size`` is too tall; says by how much.
        MissingGlyphError: a character is covered by no font of the chain.
    """
    lib = library or default_library()
    return _fit_text(request, width, height, max_size, min_size, lib, lib.revision, wrap)


@lru_cache(maxsize=2048)
def _fit_text(
    request: TextRequest,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    lib: FontLibrary,
    revision: int,
    wrap: bool,
) -> TextBlock:
    """:func:`fit_text`, per library revision (errors are raised, not kept)."""
    template = _template(request, lib)
    base = template.at(min_size, width)
    known = _known(template, width, height, lib)
    word = _widest_word(template, lib)
    low, high = int(min_size), int(max(max_size, min_size))
    sizes = [float(s) for s in range(low, high + 1) if s >= min_size] or [float(min_size)]
    if sizes[-1] < max_size:
        sizes.append(float(max_size))

    def fits(i: int, mode: _Mode) -> bool:
        size, at = sizes[i], _MODES[mode]
        if size >= known[at + 1]:
            return False  # the line boxes do not fit at a size this large
        block = base.at(size)
        if size > known[at]:
            if not _lines_fit(block, height, mode, lib, word * size):
                known[at + 1] = min(size, known[at + 1])
                return False
            known[at] = max(size, known[at])
        return _ink_fits(block, width, height, mode, lib)

    modes: tuple[_Mode, ...] = ("words", "broken") if wrap else ("single", "words", "broken")
    for mode in modes:
        best = _largest(len(sizes), functools.partial(fits, mode=mode))
        if best is not None:
            return base.at(sizes[best])
    smallest = measure(base.at(sizes[0]), lib)
    if smallest.height <= height:  # tall enough: it is the ink that is too wide
        raise TextOverflowError(
            request.block_id,
            max(smallest.ink_right, width) - min(smallest.ink_left, 0.0),
            width,
            hint="its ink is wider than the region; give the block more width",
        )
    needed = smallest.height
    raise TextOverflowError(
        request.block_id,
        needed,
        height,
        hint="shorten the text, give the block more room, or lower its min_size",
    )


def _widest_word(template: TextBlock, lib: FontLibrary) -> float:
    """The widest unbreakable piece of the template's text per px of font size, measured
    unwrapped. Wrapped narrower than one of its words, skia reports the pieces the word was
    broken into as the narrowest width it can take (a one-word "Matterhorn" at 552 px:
    66 px), so the ``words`` test cannot trust that figure alone."""
    return _widest_word_at(template, lib, lib.revision)


@lru_cache(maxsize=2048)
def _widest_word_at(template: TextBlock, lib: FontLibrary, revision: int) -> float:
    size = 100.0
    unwrapped = replace(template.at(size, 1e6), balanced=False)
    return float(typeset(unwrapped, lib).MinIntrinsicWidth) / size


def _lines_fit(
    block: TextBlock, height: float, mode: _Mode, lib: FontLibrary, word: float = 0.0
) -> bool:
    """Whether the line boxes of ``block`` fit: no taller than ``height`` and, by mode, its
    words whole (``words``: its widest word, ``word`` px at this size, within the line
    width too), its lines unbroken (``single``) or broken anywhere (``broken``) within the
    line width. Monotone in the size."""
    shaped = typeset(block, lib)  # line boxes first: the ink raster only when they fit
    widest = {
        "single": shaped.MaxIntrinsicWidth,
        "words": max(shaped.MinIntrinsicWidth, word - _WORD_TOLERANCE),
        "broken": 0.0,
    }[mode]
    return not (shaped.Height > height + _EPSILON or widest > block.line_width + _EPSILON)


def _ink_fits(block: TextBlock, width: float, height: float, mode: _Mode, lib: FontLibrary) -> bool:
    """Whether ``block``, its line boxes fitting, fits as drawn: unwrapped when ``single``,
    its ink inside the sides and, measured, no taller than ``height``."""
    shaped = typeset(block, lib)
    if mode == "single" and shaped.LongestLine < shaped.MaxIntrinsicWidth - 0.5:
        return False  # a hair too wide: the shaper wrapped it after all
    left, right = side_ink(block, lib)  # ink: overhangs at the sides, then marks above
    if left < 0 or right > width:
        return False
    # the measured height is at most one em (+ 3 px) more above, and below (+ 1 px)
    if height >= shaped.Height + 2 * block.size + 8:
        return True
    return bool(measure(block, lib).height <= height + _EPSILON)


def _largest(n: int, ok: Callable[[int], bool]) -> int | None:
    """Binary search for the largest index in [0, n) where ``ok`` holds (monotone); the
    largest is tried first, as most text fits at its size."""
    if n == 0:
        return None
    if ok(n - 1):
        return n - 1
    if not ok(0):
        return None
    low, high = 0, n - 1
    while low < high:
        mid = (low + high + 1) // 2
        if ok(mid):
            low = mid
        else:
            high = mid - 1
    return low
