"""Measuring is exact: the strips the measure rasterises (ink beyond the line boxes only)
give what a raster of the whole paragraph gives, in every script, alignment and size;
and fitting with the largest size tried first finds what the binary search finds."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import skia
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factframe.typography import TextBlock, TextRequest, default_library, fit_text, measure
from factframe.typography import fit as fit_module
from factframe.typography import paragraph as paragraph_module
from factframe.typography.fit import text_block

SAMPLES = {
    "en": "Data tells a story; jumpy quick fox, Ætna",
    "vi": "Thời tiết tuần này: Ở Huế, ngưỡng mộ",
    "hi": "क्षत्रिय श्रद्धा द्वितीय हिन्दी",
    "th": "น้ำใจ ผู้ใหญ่ ที่นี่ กี่ปี เรื่องนี้",
    "ar": "الطقس في القاهرة مشمس",
    "he": "מזג האוויר השבוע",
    "ja": "富士山のデータ「日本の最高峰」",
    "ko": "숫자로 보는 우리 도시",
    "ru": "Погода на этой неделе",
    "el": "Γειά σου, κόσμε",
}


def reference(block: TextBlock) -> tuple[float, float, float, float]:
    """The measure as it was: the whole paragraph on one raster, one em of margin."""
    lib = default_library()
    p = paragraph_module.typeset(block, lib)
    margin = math.ceil(block.size) + 2
    w, h = math.ceil(block.width) + 2 * margin, math.ceil(p.Height) + 2 * margin
    surface = skia.Surface.MakeRaster(skia.ImageInfo.MakeA8(w, h))
    shift = paragraph_module._shift(block, p)
    p.paint(surface.getCanvas(), margin + block.inset + shift, margin)
    ink = surface.makeImageSnapshot().toarray().reshape(h, w) >= 24
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size:
        top, bottom = rows[0] - margin, rows[-1] + 1 - margin
        left, right = cols[0] - margin, cols[-1] + 1 - margin
    else:
        top = bottom = left = right = 0
    pad_top = float(max(0, -top))
    # only what reaches past the box's sides is reported (see TextMeasure)
    return pad_top + max(p.Height, float(bottom)), pad_top, min(left, 0.0), max(right, block.width)


def block_for(lang: str, size: float, width: float, align: str, balanced: bool) -> TextBlock:
    text = SAMPLES[lang]
    req = TextRequest(text, "t", lang, align=align, balanced=balanced)  # type: ignore[arg-type]
    return text_block(req, size, width)


CASES = list(
    itertools.product(SAMPLES, (13.0, 31.5, 76.0), (90.0, 333.3, 900.0), ("start", "center", "end"))
)


@pytest.mark.parametrize(("lang", "size", "width", "align"), CASES)
def test_the_strips_measure_what_the_whole_raster_measures(
    lang: str, size: float, width: float, align: str
) -> None:
    block = block_for(lang, size, width, align, balanced=size > 50)
    m = measure(block)
    assert (m.height, m.pad_top, m.ink_left, m.ink_right) == reference(block)


def test_overhangs_are_measured() -> None:
    """A paragraph that does stick out: a narrow box with no inset for a wide word."""
    lib = default_library()
    base = block_for("en", 60.0, 40.0, "start", balanced=False)
    m = measure(base, lib)
    assert m.ink_right > base.width  # the unbreakable word overflows to the right
    assert (m.height, m.pad_top, m.ink_left, m.ink_right) == reference(base)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lang=st.sampled_from(sorted(SAMPLES)),
    size=st.floats(10, 120),
    width=st.floats(20, 1200),
    align=st.sampled_from(["start", "center", "end"]),
)
def test_the_strips_are_exact_for_any_size_and_width(
    lang: str, size: float, width: float, align: str
) -> None:
    block = block_for(lang, size, width, align, balanced=False)
    m = measure(block)
    assert (m.height, m.pad_top, m.ink_left, m.ink_right) == reference(block)


@pytest.mark.parametrize("lang", sorted(SAMPLES))
@pytest.mark.parametrize("height", [1e9, 120.0, 60.0])
def test_largest_first_finds_what_the_binary_search_finds(
    lang: str, height: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    req = TextRequest(SAMPLES[lang], "t", lang)
    fit_module._fit_text.cache_clear()  # a search with the same arguments is cached
    fit_module._known.cache_clear()  # and so is what earlier searches learned
    fast = fit_text(req, 260, height, 64, 12)
    searches = []

    def binary_only(n: int, ok):  # type: ignore[no-untyped-def]
        searches.append(n)
        if n == 0 or not ok(0):
            return None
        low, high = 0, n - 1
        while low < high:
            mid = (low + high + 1) // 2
            low, high = (mid, high) if ok(mid) else (low, mid - 1)
        return low

    monkeypatch.setattr(fit_module, "_largest", binary_only)
    fit_module._fit_text.cache_clear()  # else the same call is answered without a search
    fit_module._known.cache_clear()
    assert fit_text(req, 260, height, 64, 12).size == fast.size
    assert searches  # the binary search ran


def test_a_font_file_added_later_reaches_new_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The chains' aliases are cached per library revision: a brand font added after a
    first render is in the chain of the text set after it."""
    import shutil

    from factframe.typography import FontLibrary

    lib = FontLibrary(pip=True, system=False)
    request = TextRequest("Shalom", "t", "en", families=("Noto Sans Hebrew",))
    before = text_block(request, 20, 200, lib).families
    copy = tmp_path / "Brand.ttf"
    shutil.copy(lib._faces["noto sans hebrew"][0].path, copy)
    revision = lib.revision
    lib.add_file(copy)
    lib.add_file(copy)  # the same version again: no new revision
    assert lib.revision == revision + 1
    after = text_block(
        TextRequest("Shalom!", "t", "en", families=("Noto Sans Hebrew",)), 20, 200, lib
    )
    assert after.families[0] != before[0]  # the user file's face, under a fresh alias
    assert after.families[0].startswith("Noto Sans Hebrew#")
