"""Fitting: text fits its region (checked on pixels) or raises; it is never clipped."""

from __future__ import annotations

import numpy as np
import pytest
import skia
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from factframe import TextOverflowError
from factframe.typography import TextRequest, fit_text, measure, paint_text

PIECES = [
    "Data tells a story",
    "مرحبا بالعالم",
    "שלום עולם",
    "नमस्ते दुनिया",
    "สวัสดีชาวโลก",
    "こんにちは世界。",
    "你好，世界",
    "안녕하세요 세계",
    "Привет мир",
    "Γειά σου",
    "👋🏽🇯🇵👨‍👩‍👧",
    "\n",
]
LONG_WORD = st.integers(5, 120).map(lambda n: "x" * n)
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), LONG_WORD), min_size=1, max_size=80).map(
    lambda parts: " ".join(parts)[:2000]
)
PAD = 12


def ink_outside(block_text, width: int, height: int) -> int:  # type: ignore[no-untyped-def]
    surface = skia.Surface(width + 2 * PAD, height + 2 * PAD)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorWHITE)
    paint_text(canvas, block_text, PAD, PAD)
    pixels = surface.makeImageSnapshot().toarray()[..., :3]
    ink = pixels.min(axis=2) < 200
    ink[PAD : PAD + height, PAD : PAD + width] = False
    return int(ink.sum())


@pytest.mark.slow
@settings(
    max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    text=TEXT,
    width=st.integers(60, 900),
    height=st.integers(20, 900),
    max_size=st.integers(14, 90),
    locale=st.sampled_from(["en", "ar", "ja", "th", "hi"]),
)
def test_text_fits_or_raises(
    text: str, width: int, height: int, max_size: int, locale: str
) -> None:
    request = TextRequest(text, "prop", locale=locale, color=(0, 0, 0, 255))
    try:
        block = fit_text(request, width, height, max_size, 12)
    except TextOverflowError as err:
        assert err.block == "prop" and err.needed > err.available
        event("overflow")
        return
    event("fitted")
    assert 12 <= block.size <= max_size
    assert measure(block).height <= height + 0.01
    assert ink_outside(block, width, height) == 0


def test_largest_size_is_taken() -> None:
    request = TextRequest("Weather in Lisbon", "t")
    block = fit_text(request, 400, 200, 120, 10)
    bigger = block.at(block.size + 1)
    m = measure(bigger)
    assert m.min_width > 400 or m.height > 200


def test_overflow_says_by_how_much() -> None:
    with pytest.raises(TextOverflowError) as info:
        fit_text(TextRequest("word " * 400, "body"), 200, 50, 30, 14)
    assert info.value.needed > 50 and info.value.available == 50
    assert "body" in str(info.value)


def test_long_words_shrink_before_they_break() -> None:
    word = "Donaudampfschifffahrtsgesellschaft"
    block = fit_text(TextRequest(word, "w"), 400, 500, 80, 10)
    assert measure(block).max_width <= 400  # smaller size, word kept whole on one line
    assert np.isclose(measure(block).height, measure(block.at(block.size)).height)


@pytest.mark.parametrize("balanced", [False, True])
@pytest.mark.parametrize(
    ("word", "width", "largest"),
    [("Matterhorn", 552, 200), ("Donaudampfschifffahrtsgesellschaftskapitän", 950, 76)],
)
def test_a_single_word_is_never_broken_while_a_smaller_size_fits(
    word: str, width: float, largest: float, balanced: bool
) -> None:
    """skia reports the pieces of a word it had to break as the narrowest the text can
    wrap to; fitting must not take that for a word kept whole."""
    request = TextRequest(word, "w", weight=700, balanced=balanced)
    block = fit_text(request, width, 1000, largest, 14)
    one_line = measure(block.at(block.size, 1e6)).height
    assert measure(block).height == pytest.approx(one_line)  # one line: the word whole
    assert measure(block).max_width <= width


def test_balanced_wrap_keeps_the_lines_and_evens_them() -> None:
    from dataclasses import replace

    from factframe.typography import text_block, typeset

    request = TextRequest("Hello, world — in eleven scripts", "t", balanced=True)
    balanced = text_block(request, 60, 700)  # 881 px on one line: it wraps in two
    plain = text_block(replace(request, balanced=False), 60, 700)
    assert measure(balanced).height == measure(plain).height  # same number of lines
    assert typeset(balanced).LongestLine < typeset(plain).LongestLine - 100  # no orphan


def test_fitting_again_finds_what_a_fresh_search_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The planner fits a text at a new largest size for every text scale it tries; what
    one search learned about its line boxes answers the next, which finds the size a
    fresh search finds."""
    from factframe.typography import fit

    tested: list[float] = []
    lines_fit = fit._lines_fit

    def counted(block, *args):  # type: ignore[no-untyped-def]
        tested.append(block.size)
        return lines_fit(block, *args)

    monkeypatch.setattr(fit, "_lines_fit", counted)
    request = TextRequest("Donaudampfschifffahrtsgesellschaft und Kapitän", "w")
    tops = [80.0, 61.3, 47.9, 33.25, 30.5, 90.0, 12.4, 29.99]
    fit._known.cache_clear()
    fit._fit_text.cache_clear()
    learned = [fit_text(request, 400, 1e9, top, 10).size for top in tops]
    searched = len(tested)
    fresh = []
    for top in tops:
        fit._known.cache_clear()
        fit._fit_text.cache_clear()
        fresh.append(fit_text(request, 400, 1e9, top, 10).size)
    assert learned == fresh
    assert searched < len(tested) - searched  # fewer sizes shaped and tested
