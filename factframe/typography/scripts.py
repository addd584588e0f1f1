"""Locales, scripts and directions: what a text needs before it is shaped.

``locale_info("zh-TW")`` tells the script, direction and Han forms of a BCP 47 tag;
``itemize`` splits text into script runs; ``prepare_text`` applies the rules skia's
paragraph cannot be told directly: RTL isolates and Korean keep-all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import babel
from fontTools import unicodedata as fontunicode

__all__ = [
    "LocaleInfo",
    "ScriptRun",
    "base_direction",
    "itemize",
    "locale_info",
    "prepare_text",
]

Direction = Literal["ltr", "rtl"]

# Han glyph forms differ by region; skia picks them through the family order and setLocale.
_HAN_BY_SCRIPT = {"Hans": "SC", "Hant": "TC"}
_HAN_BY_LANGUAGE = {"ja": "JP", "ko": "KR"}
_HAN_BY_TERRITORY = {"TW": "TC", "HK": "HK", "MO": "HK", "CN": "SC", "SG": "SC"}
_SKIA_LOCALE = {"SC": "zh-Hans", "TC": "zh-Hant", "HK": "zh-HK", "JP": "ja", "KR": "ko"}

# Scripts of the language itself, for languages whose locale does not say it.
_LANGUAGE_SCRIPT = {
    "ar": "Arab", "fa": "Arab", "ur": "Arab", "ps": "Arab", "he": "Hebr", "yi": "Hebr",
    "hi": "Deva", "mr": "Deva", "ne": "Deva", "th": "Thai", "ja": "Jpan", "ko": "Kore",
    "zh": "Hani", "ru": "Cyrl", "uk": "Cyrl", "bg": "Cyrl", "sr": "Cyrl", "el": "Grek",
    "bn": "Beng", "ta": "Taml", "te": "Telu", "kn": "Knda", "ml": "Mlym", "gu": "Gujr",
    "pa": "Guru", "si": "Sinh", "km": "Khmr", "lo": "Laoo", "my": "Mymr", "am": "Ethi",
    "hy": "Armn", "ka": "Geor",
}  # fmt: skip


@dataclass(frozen=True)
class LocaleInfo:
    """What a locale means for typesetting.

    Attributes:
        tag: the tag as given (``"ja-JP"``).
        language: ISO 639 language (``"ja"``).
        script: ISO 15924 script of the language (``"Jpan"``, ``"Arab"``, ``"Latn"``).
        direction: ``"ltr"`` or ``"rtl"``.
        han: which regional Han face to prefer: ``"SC"``, ``"TC"``, ``"HK"``, ``"JP"``, ``"KR"``.
        shaping_locale: the locale handed to skia (selects Han forms, line-break tailoring).
    """

    tag: str
    language: str
    script: str
    direction: Direction
    han: str
    shaping_locale: str

    @property
    def babel(self) -> babel.Locale:
        return babel.Locale.parse(self.tag, sep="-")


@lru_cache(maxsize=256)
def locale_info(tag: str) -> LocaleInfo:
    """Returns the typesetting facts of a BCP 47 tag (``"ar"``, ``"zh-Hant-TW"``, ``"en-US"``).

    Raises:
        ValueError: the tag is not a locale Babel knows.
    """
    try:
        loc = babel.Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, babel.UnknownLocaleError) as exc:
        raise ValueError(f"unknown locale {tag!r}") from exc
    han = (
        _HAN_BY_LANGUAGE.get(loc.language)
        or _HAN_BY_SCRIPT.get(loc.script or "")
        or _HAN_BY_TERRITORY.get(loc.territory or "")
        or "SC"
    )
    script = loc.script or _LANGUAGE_SCRIPT.get(loc.language, "Latn")
    direction: Direction = "rtl" if loc.character_order == "right-to-left" else "ltr"
    shaping = _SKIA_LOCALE[han] if loc.language in ("zh", "ja", "ko") else loc.language
    return LocaleInfo(tag, loc.language, script, direction, han, shaping)


@dataclass(frozen=True)
class ScriptRun:
    """A run of text in one script; Common and Inherited characters join their neighbours."""

    script: str
    start: int
    end: int


def itemize(text: str) -> list[ScriptRun]:
    """Splits ``text`` into runs of one ISO 15924 script each.

    Common (``Zyyy``: spaces, digits, punctuation) and Inherited (``Zinh``: combining marks)
    characters belong to the run before them, or to the first real script at the start.
    """
    runs: list[ScriptRun] = []
    current: str | None = None
    start = 0
    for i, ch in enumerate(text):
        script = fontunicode.script(ch)
        if script in ("Zyyy", "Zinh", "Zzzz"):
            continue
        if script in ("Hira", "Kana"):
            script = "Jpan"
        if current is None:
            current = script
        elif script != current:
            runs.append(ScriptRun(current, start, i))
            current, start = script, i
    runs.append(ScriptRun(current or "Zyyy", start, len(text)))
    return runs


def base_direction(text: str, default: Direction = "ltr") -> Direction:
    """The direction of the first strong character (UAX #9 rules P2–P3), else ``default``."""
    for ch in text:
        bidi = unicodedata.bidirectional(ch)
        if bidi == "L":
            return "ltr"
        if bidi in ("R", "AL"):
            return "rtl"
    return default


_HANGUL_PAIR = re.compile(r"(?<=[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3])(?=[\uac00-\ud7a3])")
_WORD_JOINER = "\u2060"
_RLI, _PDI = "\u2067", "\u2069"


def prepare_text(text: str, direction: Direction) -> str:
    """Returns the string handed to the shaper.

    - Korean keeps words whole (CSS ``word-break: keep-all``): ICU would break between any
      two Hangul syllables, so a WORD JOINER (invisible, no glyph) is put between them.
    - RTL lines are wrapped in RIGHT-TO-LEFT ISOLATE … POP DIRECTIONAL ISOLATE, since the
      skia binding has no paragraph-direction setter.
    """
    text = _HANGUL_PAIR.sub(_WORD_JOINER, text)
    if direction == "rtl":
        text = "\n".join(f"{_RLI}{line}{_PDI}" for line in text.split("\n"))
    return text
