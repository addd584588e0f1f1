"""OCR round trip: what factframe draws reads back, in every script, as the text it was given.

Each sample is one short natural line rendered through :func:`factframe.render` with its
locale, read back with tesseract and compared by character error rate (CER). A negative
control draws the Arabic and Devanagari lines without shaping or bidi (skia's ``drawString``)
and shows that the same check then fails, so a passing round trip means something.
"""

from __future__ import annotations

import pytest
import skia
from PIL import Image

import factframe
from factframe.typography import default_library
from tests.ocr import cer, ocr, requires_tesseract

pytestmark = pytest.mark.slow

# A shaped line must read back almost exactly (at most 1 character in 50 wrong).
MAX_CER = 0.02
# Unshaped text must read back far worse: ten times the pass threshold.
UNSHAPED_MIN_CER = 10 * MAX_CER

WIDTH, HEIGHT, SIZE = 1400, 220, 40

# locale -> (tesseract language, one short natural line exercising the script)
SAMPLES: dict[str, tuple[str, str]] = {
    "en": ("eng", "The quick brown fox jumps over the lazy dog"),
    "de": ("deu", "Schöne Grüße aus Österreich und München"),
    "vi": ("vie", "Người Việt ở Hà Nội ăn phở mỗi sáng"),  # stacked marks: ệ ộ ỗ ờ
    "ru": ("rus", "Съешь же ещё этих мягких французских булок"),
    "el": ("ell", "Η Ελλάδα είναι μια όμορφη χώρα"),
    "zh-Hans": ("chi_sim", "我们今天去北京看长城"),
    "zh-Hant": ("chi_tra", "我們今天去臺北看風景"),
    "ja": ("jpn", "東京タワーは日本の有名な観光地です"),
    "ko": ("kor", "한국어는 아름다운 언어입니다"),
    "ar": ("ara", "السلام عليكم ومرحبا بكم في المدينة"),  # joining forms, lam-alef, RTL
    "he": ("heb", "שלום עולם, ברוכים הבאים לירושלים"),  # final forms, RTL
    "hi": ("hin", "शिक्षक विद्यार्थियों को हिन्दी सिखाते हैं"),  # conjuncts, reph, i-matra
    "th": ("tha", "เมืองไทยมีวัดที่สวยงาม"),  # tone mark stacked on an upper vowel
}

UNSHAPED_FAMILIES = {"ar": "Noto Sans Arabic", "hi": "Noto Sans Devanagari"}


def render_line(text: str, locale: str) -> Image.Image:
    """One line of body text through the full pipeline, black on white."""
    rendered = factframe.render(
        {
            "canvas": {"width": WIDTH, "height": HEIGHT, "background": "#ffffff"},
            "locale": locale,
            "blocks": [{"type": "text", "text": text, "style": {"size": SIZE, "color": "#000000"}}],
        }
    )
    return rendered.image


def draw_unshaped(text: str, family: str) -> Image.Image:
    """The same line drawn code point by code point: no shaping, no bidi, left to right."""
    library = default_library()
    alias = library.alias(family, 400)
    assert alias is not None, f"font family {family!r} is not installed"
    surface = skia.Surface(WIDTH, HEIGHT)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorWHITE)
    font = skia.Font(library.typeface(alias), SIZE)
    canvas.drawString(text, 24, 110, font, skia.Paint(AntiAlias=True, Color=skia.ColorBLACK))
    pixels = surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType)
    return Image.fromarray(pixels[..., :3])


def test_cer_ignores_whitespace_and_format_characters() -> None:
    assert cer("abcd", "a b\u200fc\u200cd\n") == 0.0
    assert cer("abcd", "abxd") == 0.25
    assert cer("μ", "\u00b5") == 0.0  # NFKC: micro sign is Greek mu
    assert cer("ab", "") == 1.0


@pytest.mark.parametrize(
    ("locale", "lang", "text"),
    [
        pytest.param(locale, lang, text, id=locale, marks=requires_tesseract(lang))
        for locale, (lang, text) in SAMPLES.items()
    ],
)
def test_rendered_text_reads_back(locale: str, lang: str, text: str) -> None:
    got = ocr(render_line(text, locale), lang)
    error = cer(text, got)
    print(f"{locale}: CER {error:.3f}")
    assert error <= MAX_CER, f"{locale}: CER {error:.3f}; expected {text!r}, got {got!r}"


@pytest.mark.parametrize(
    "locale",
    [
        pytest.param(locale, id=locale, marks=requires_tesseract(SAMPLES[locale][0]))
        for locale in UNSHAPED_FAMILIES
    ],
)
def test_unshaped_text_fails_the_check(locale: str) -> None:
    lang, text = SAMPLES[locale]
    shaped = cer(text, ocr(render_line(text, locale), lang))
    got = ocr(draw_unshaped(text, UNSHAPED_FAMILIES[locale]), lang)
    unshaped = cer(text, got)
    print(f"{locale}: CER shaped {shaped:.3f}, unshaped {unshaped:.3f}")
    assert shaped <= MAX_CER
    assert unshaped > UNSHAPED_MIN_CER, f"unshaped {locale} read back too well: {got!r}"
