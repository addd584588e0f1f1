"""The stray-text check: does a picture a model painted contain letters?

Diffusion models like to paint pseudo-text (signs, captions, watermarks) even when told
not to. factframe sets every word itself, so a painted one is a defect: after a model paints
a region, :func:`find_stray_text` reads it with tesseract, and the generation step tries the
next seed when it finds any (:mod:`factframe.generator.backends.generation`).

Tesseract is optional at run time: it is a system program (Debian ``tesseract-ocr``) driven
through ``pytesseract``. Without either, :func:`ocr_unavailable` says why, the check is
skipped, and the skip is recorded with the picture.
"""

from __future__ import annotations

import functools
import shutil
from typing import Any

from PIL import Image

__all__ = [
    "MIN_CHARS",
    "MIN_CONFIDENCE",
    "OCR_MAX_SIDE",
    "find_stray_text",
    "ocr_unavailable",
]

#: Letters and digits a word read with confidence ≥ :data:`MIN_CONFIDENCE` needs to count
#: as text. Counted per word: on dotted and striped textures tesseract reads fragments of
#: one or two letters ("On", "ll") with high confidence; painted text has longer words.
MIN_CHARS = 3
#: Tesseract's word confidence (0–100) below which a word is taken for texture.
MIN_CONFIDENCE = 60.0
#: Pictures are read at most this many px on their long side (tesseract's time grows with
#: the area; painted text big enough to notice survives the downscale).
OCR_MAX_SIDE = 1600


@functools.cache
def _tesseract() -> Any:
    """The pytesseract module when it and the tesseract program are usable, else a string
    saying why not."""
    try:
        import pytesseract
    except ImportError:
        return "pytesseract is not installed (pip install pytesseract)"
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return "the tesseract program is not installed (Debian: apt-get install tesseract-ocr)"
    return pytesseract


def ocr_unavailable() -> str | None:
    """Why the stray-text check cannot run here, or None when it can."""
    found = _tesseract()
    return found if isinstance(found, str) else None


def find_stray_text(
    image: Image.Image,
    *,
    lang: str = "eng",
    min_chars: int = MIN_CHARS,
    min_confidence: float = MIN_CONFIDENCE,
) -> tuple[str, ...] | None:
    """The words tesseract reads confidently in ``image``.

    Args:
        image: the painted picture.
        lang: tesseract language pack(s), ``+``-joined.
        min_chars: words with fewer letters and digits than this are not text.
        min_confidence: words below this confidence (0–100) are ignored.

    Returns:
        the words of at least ``min_chars`` letters and digits read with at least
        ``min_confidence`` (empty: no text), or None when tesseract is not available
        (:func:`ocr_unavailable`).
    """
    tesseract = _tesseract()
    if isinstance(tesseract, str):
        return None
    picture = image.convert("RGB")
    scale = OCR_MAX_SIDE / max(picture.size)
    if scale < 1:
        size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    # --psm 11: sparse text, in no particular order (a sign in a corner, a caption)
    data = tesseract.image_to_data(
        picture, lang=lang, config="--psm 11", output_type=tesseract.Output.DICT
    )
    return tuple(
        word.strip()
        for word, conf in zip(data["text"], data["conf"], strict=True)
        if float(conf) >= min_confidence and sum(ch.isalnum() for ch in word) >= min_chars
    )
