"""Prompts for model backends: the subject, what the picture is for, the brand's colours by
name, a few words from the facts, and negatives that keep text out.

Models paint pictures, never an infographic's text, so every prompt carries the negative
:data:`NEGATIVE` ("text, letters, words, watermark, logo, caption"); numbers from the facts
are left out of prompts on purpose, because a number in a prompt invites the model to paint
digits.

>>> from factframe.generator.backends.base import art_palette
>>> p = build_prompt("a lighthouse", role="photo", palette=art_palette({"palette": {
...     "primary": "#0b3d91", "secondary": "#3a6ea5", "accent": "#ffb300"}}))
>>> p.positive
'a lighthouse, photograph, natural light, colour palette of navy, steel blue and amber'
>>> p.negative
'text, letters, words, watermark, logo, caption'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from factframe.generator.backends.base import ArtPalette, Options, art_palette, to_oklab
from factframe.knowledge import Fact, RecordValue, TextValue
from factframe.spec import parse_color

__all__ = [
    "NEGATIVE",
    "ROLE_PHRASES",
    "Prompt",
    "build_prompt",
    "color_name",
    "fact_phrases",
    "prompt_from_options",
]

#: What every model prompt keeps out of the picture.
NEGATIVE = "text, letters, words, watermark, logo, caption"

#: How a picture's role reads in a prompt; other roles are used as written.
ROLE_PHRASES = {
    "illustration": "editorial illustration, clean composition",
    "hero": "hero image, wide composition, strong focal point",
    "background": "background image, calm, soft detail, large quiet areas",
    "photo": "photograph, natural light",
}

# Colour names a reader would use (CSS names and a few common ones), by sRGB value.
_NAMES = {
    "black": "#000000", "charcoal": "#36454f", "dark grey": "#555555", "grey": "#8a8a8a",
    "silver": "#c0c0c0", "light grey": "#e0e0e0", "white": "#ffffff", "cream": "#fffdd0",
    "beige": "#e8dcc4", "tan": "#d2b48c", "brown": "#8b5a2b", "chocolate": "#5c3317",
    "maroon": "#800000", "crimson": "#dc143c", "red": "#e53935", "coral": "#ff7f50",
    "salmon": "#fa8072", "orange": "#ff8c00", "amber": "#ffb300", "gold": "#ffd700",
    "mustard": "#e1ad01", "yellow": "#ffeb3b", "olive": "#808000", "lime": "#9ccc65",
    "green": "#2e7d32", "forest green": "#228b22", "mint": "#98ff98", "sage": "#9caf88",
    "emerald": "#50c878", "teal": "#008080", "turquoise": "#40e0d0", "cyan": "#00bcd4",
    "sky blue": "#87ceeb", "light blue": "#add8e6", "steel blue": "#4682b4",
    "blue": "#1e63d6", "royal blue": "#4169e1", "navy": "#0b2a6b", "midnight blue": "#191970",
    "indigo": "#4b0082", "violet": "#8f5bd6", "purple": "#6a1b9a", "lavender": "#c8b6e2",
    "magenta": "#d81b60", "pink": "#f48fb1", "hot pink": "#ff69b4", "plum": "#8e4585",
}  # fmt: skip
_NAME_LIST = list(_NAMES)
_NAME_LAB = to_oklab(np.array([parse_color(c)[:3] for c in _NAMES.values()], dtype=np.float32))


def color_name(color: str | tuple[int, int, int]) -> str:
    """The nearest everyday name of a colour (``#0b3d91`` → ``navy``), by OKLab distance."""
    rgb = parse_color(color)[:3] if isinstance(color, str) else color
    lab = to_oklab(np.array(rgb, dtype=np.float32))
    return _NAME_LIST[int(np.argmin(((_NAME_LAB - lab) ** 2).sum(axis=1)))]


def fact_phrases(facts: Mapping[str, Fact] | Iterable[str], limit: int = 3) -> list[str]:
    """Short words about the subject from facts: texts and the names of things, never
    numbers (a number in a prompt invites painted digits)."""
    out: list[str] = []
    items = facts.values() if isinstance(facts, Mapping) else facts
    for item in items:
        if isinstance(item, str):
            candidates = [item]
        elif isinstance(item.value, TextValue):
            candidates = [item.value.text]
        elif isinstance(item.value, RecordValue):
            fields = item.value.fields
            candidates = [
                v.text for k in ("name", "description") if isinstance(v := fields.get(k), TextValue)
            ]
        else:
            candidates = []
        for text in candidates:
            text = " ".join(text.split())
            if 0 < len(text) <= 60 and not any(ch.isdigit() for ch in text) and text not in out:
                out.append(text)
    return out[:limit]


@dataclass(frozen=True)
class Prompt:
    """A prompt for a model: what to paint and what to keep out."""

    positive: str
    negative: str


def build_prompt(
    subject: str,
    *,
    role: str = "illustration",
    palette: ArtPalette | None = None,
    facts: Sequence[str] = (),
    negative: str | None = None,
) -> Prompt:
    """The prompt a model backend sends.

    Args:
        subject: what to paint (the block's ``prompt``).
        role: what the picture is for (a key of :data:`ROLE_PHRASES`, or a phrase).
        palette: the brand's colours; the inks are named (``navy, steel blue and amber``).
        facts: short phrases about the subject (:func:`fact_phrases`).
        negative: more to keep out, after :data:`NEGATIVE`.
    """
    parts = [" ".join(subject.split())]
    if facts:
        parts.append("about " + ", ".join(facts))
    parts.append(ROLE_PHRASES.get(role, role))
    if palette is not None and palette.inks:
        names = list(dict.fromkeys(color_name(ink) for ink in palette.inks))
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"colour palette of {listed}")
    extra = negative.strip(" ,") if negative else ""
    return Prompt(", ".join(p for p in parts if p), NEGATIVE + (f", {extra}" if extra else ""))


def prompt_from_options(subject: str, options: Options) -> Prompt:
    """:func:`build_prompt` for ``subject`` with a backend's per-call options: ``role``
    (``illustration`` when unset), ``palette`` (only when given), ``facts`` and ``negative``.

    Raises:
        SpecError: a colour of the palette is not a colour (``path`` ``palette``).
    """
    palette = art_palette(options) if "palette" in options else None
    facts = [str(f) for f in options.get("facts", ())]
    negative = options.get("negative")
    return build_prompt(
        subject,
        role=str(options.get("role", "illustration")),
        palette=palette,
        facts=facts,
        negative=negative and str(negative),
    )
