"""Font discovery, chains, coverage and the text preparation rules."""

from __future__ import annotations

from pathlib import Path

import pytest

import factframe
from factframe import MissingGlyphError
from factframe.typography import (
    FontLibrary,
    TextRequest,
    default_library,
    family_chain,
    itemize,
    locale_info,
    measure,
    prepare_text,
    text_block,
)


@pytest.mark.parametrize(
    ("tag", "script", "direction", "han", "shaping"),
    [
        ("en", "Latn", "ltr", "SC", "en"),
        ("ar", "Arab", "rtl", "SC", "ar"),
        ("he", "Hebr", "rtl", "SC", "he"),
        ("ja-JP", "Jpan", "ltr", "JP", "ja"),
        ("ko", "Kore", "ltr", "KR", "ko"),
        ("zh-TW", "Hant", "ltr", "TC", "zh-Hant"),
        ("zh-Hans", "Hans", "ltr", "SC", "zh-Hans"),
        ("zh-HK", "Hant", "ltr", "TC", "zh-Hant"),
        ("hi", "Deva", "ltr", "SC", "hi"),
    ],
)
def test_locale_info(tag: str, script: str, direction: str, han: str, shaping: str) -> None:
    info = locale_info(tag)
    assert (info.script, info.direction, info.han, info.shaping_locale) == (
        script,
        direction,
        han,
        shaping,
    )


def test_chains_put_the_language_first_and_pick_han_faces() -> None:
    assert family_chain(locale_info("ar"))[0] == "Noto Sans Arabic"
    assert family_chain(locale_info("ja"))[0] == "Noto Sans CJK JP"
    tw = family_chain(locale_info("zh-TW"))
    assert tw.index("Noto Sans CJK TC") < tw.index("Noto Sans CJK SC")
    assert family_chain(locale_info("en"), ["Brand Sans"])[:2] == ["Brand Sans", "Noto Sans"]


def test_every_main_script_has_a_font() -> None:
    lib = default_library()
    for family in (
        "Noto Sans",
        "Noto Sans Arabic",
        "Noto Sans Hebrew",
        "Noto Sans Devanagari",
        "Noto Sans Thai",
        "Noto Sans CJK SC",
        "Noto Sans CJK JP",
        "Noto Sans CJK KR",
    ):
        assert lib.source(family) is not None, family


def test_itemize_joins_common_characters() -> None:
    runs = itemize("Hello, мир! 世界")
    assert [r.script for r in runs] == ["Latn", "Cyrl", "Hani"]
    assert runs[0].start == 0 and runs[-1].end == len("Hello, мир! 世界")


def test_prepare_text_isolates_rtl_and_keeps_korean_words() -> None:
    assert prepare_text("שלום\nעולם", "rtl") == "\u2067שלום\u2069\n\u2067עולם\u2069"
    assert prepare_text("증가했습니다 a", "ltr") == "증\u2060가\u2060했\u2060습\u2060니\u2060다 a"


def test_korean_keeps_words_whole() -> None:
    text = "매출이 크게 증가했습니다"
    block = text_block(TextRequest(text, "k", locale="ko"), 40, 10_000)
    # the narrowest the paragraph can get is its longest word, not one syllable
    assert measure(block).min_width > 4 * 40


def test_missing_glyph_names_chars_block_and_fonts() -> None:
    with pytest.raises(MissingGlyphError) as info:
        text_block(TextRequest("ok \U0010fffd", "note-1"), 20, 400)
    err = info.value
    assert err.chars == ["\U0010fffd"] and err.block == "note-1"
    assert "Noto Sans" in err.fonts_tried
    assert "U+10FFFD" in str(err)


def test_render_refuses_tofu_and_writes_nothing(tmp_path: Path) -> None:
    spec = {"blocks": [{"type": "title", "id": "t", "text": "Egyptian \U00013000 hieroglyph"}]}
    out = tmp_path / "x.png"
    with pytest.raises(MissingGlyphError, match="U\\+13000"):
        factframe.render(spec).save(out)
    assert not out.exists()


def test_brand_font_files_lead_the_chain(tmp_path: Path) -> None:
    import shutil

    lib = FontLibrary(pip=True, system=False)
    brand_font = tmp_path / "BrandHebrew.ttf"
    shutil.copy(lib._faces["noto sans hebrew"][0].path, brand_font)
    spec = {
        "brand": {"fonts": {"heading": "Noto Sans Hebrew", "files": [str(brand_font)]}},
        "blocks": [{"type": "title", "text": "Hello"}, {"type": "text", "text": "body"}],
    }
    rendered = factframe.render(spec, library=lib)
    title, body = rendered.layout.texts
    assert title.text.families[0].startswith("Noto Sans Hebrew#700")
    assert body.text.families[0].startswith("Noto Sans#")  # body keeps the default chain
    assert lib.source("Noto Sans Hebrew") == "user"
    with pytest.raises(FileNotFoundError):
        lib.add_file(tmp_path / "missing.ttf")
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font")
    with pytest.raises(ValueError, match="not a font"):
        lib.add_file(bogus)


def test_kinsoku_no_line_starts_with_closing_punctuation() -> None:
    # If "。" or "」" could start a line, the narrowest wrap would be one character wide.
    for text in ("あいう。", "えお」", "かき、"):
        block = text_block(TextRequest(text, "ja", locale="ja"), 40, 10_000)
        assert measure(block).min_width >= 2 * 40 * 0.95, text


def test_thai_breaks_between_words_not_characters() -> None:
    words = ["การ", "แสดง", "ข้อมูล", "ช่วย", "ให้", "เข้าใจ", "ง่าย", "ขึ้น"]  # ICU's dictionary words

    def width(text: str) -> float:
        return measure(text_block(TextRequest(text, "th", locale="th"), 40, 10_000)).max_width

    block = text_block(TextRequest("".join(words), "th", locale="th"), 40, 153)
    lines, used = 1, 0.0
    for w in map(width, words):  # greedy filling, breaking only between words
        if used and used + w > block.line_width:
            lines, used = lines + 1, w
        else:
            used += w
    line_box = 40 * block.line_height
    assert measure(block).height == pytest.approx(lines * line_box, abs=1)
    # breaking between characters would have needed fewer lines
    assert lines > -(-width("".join(words)) // block.line_width)


def test_a_font_file_is_parsed_once_per_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from factframe.typography import fonts

    lib = FontLibrary(pip=True, system=False)
    source = lib._faces["noto sans hebrew"][0].path
    copy = tmp_path / "Brand.ttf"
    shutil.copy(source, copy)
    calls: list[Path] = []
    real = fonts._faces_in_file
    monkeypatch.setattr(fonts, "_faces_in_file", lambda f, s: calls.append(f) or real(f, s))
    assert lib.add_file(copy) == lib.add_file(copy) == ["Noto Sans Hebrew"]
    assert len(calls) == 1
