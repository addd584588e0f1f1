"""OCR helpers for round-trip tests: render text, read it back with tesseract, compare.

Tesseract and its language packs are system packages (``make system-deps-tests``); tests that
need them are skipped, with the missing piece named, when they are not installed.
"""

from __future__ import annotations

import functools
import shutil
import unicodedata

import pytest
from PIL import Image

try:
    import pytesseract
except ImportError:  # pragma: no cover - pytesseract is a dev dependency
    pytesseract = None


def _normalise(text: str) -> str:
    """NFKC, without whitespace or format characters (tesseract emits LRM/RLM/ZWNJ)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions) between two strings."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(expected: str, got: str) -> float:
    """Character error rate: edit distance / length of ``expected``, both normalised."""
    want, have = _normalise(expected), _normalise(got)
    if not want:
        raise ValueError("expected text is empty after normalisation")
    return levenshtein(want, have) / len(want)


def ocr(image: Image.Image, lang: str) -> str:
    """Read a single line of text from ``image`` with tesseract language pack(s) ``lang``."""
    if pytesseract is None:  # pragma: no cover
        raise RuntimeError("pytesseract is not installed")
    return str(pytesseract.image_to_string(image, lang=lang, config="--psm 7"))


@functools.cache
def _installed_languages() -> frozenset[str] | str:
    """Tesseract's language packs, or a string saying why tesseract cannot be used."""
    if pytesseract is None:
        return "pytesseract is not installed (pip install -e '.[dev]')"
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return "tesseract binary not found (make system-deps-tests)"
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as exc:  # pragma: no cover
        return f"tesseract is not usable: {exc}"


def missing_tesseract(*langs: str) -> str | None:
    """Why OCR in ``langs`` cannot run here, or ``None`` when it can."""
    installed = _installed_languages()
    if isinstance(installed, str):
        return installed
    needed = {part for lang in langs for part in lang.split("+")}
    missing = sorted(needed - installed)
    if missing:
        return f"tesseract language pack(s) missing: {', '.join(missing)} (make system-deps-tests)"
    return None


def requires_tesseract(*langs: str) -> pytest.MarkDecorator:
    """Skip marker: skips only when the tesseract binary or one of ``langs`` is missing."""
    reason = missing_tesseract(*langs)
    return pytest.mark.skipif(reason is not None, reason=reason or "")
