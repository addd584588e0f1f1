"""Explicit font family chains per script and locale.

Left to fontconfig, skia set Arabic and Hebrew in DejaVu Sans and Chinese in Japanese Han
forms. So every paragraph gets an explicit, ordered family list: the brand's families, then
the families of the text's own language, then every script's Noto family. The shaper takes,
for each character, the first family in the list that has it.
"""

from __future__ import annotations

from collections.abc import Sequence

from factframe.typography.scripts import LocaleInfo

__all__ = ["DEFAULT_CHAIN", "family_chain"]

_HAN_FACES = ("SC", "TC", "HK", "JP", "KR")

_SCRIPT_FAMILIES: dict[str, tuple[str, ...]] = {
    "Arab": ("Noto Sans Arabic",),
    "Hebr": ("Noto Sans Hebrew",),
    "Deva": ("Noto Sans Devanagari",),
    "Thai": ("Noto Sans Thai",),
    "Beng": ("Noto Sans Bengali",),
    "Taml": ("Noto Sans Tamil",),
    "Telu": ("Noto Sans Telugu",),
    "Knda": ("Noto Sans Kannada",),
    "Mlym": ("Noto Sans Malayalam",),
    "Gujr": ("Noto Sans Gujarati",),
    "Guru": ("Noto Sans Gurmukhi",),
    "Sinh": ("Noto Sans Sinhala",),
    "Khmr": ("Noto Sans Khmer",),
    "Laoo": ("Noto Sans Lao",),
    "Mymr": ("Noto Sans Myanmar",),
    "Ethi": ("Noto Sans Ethiopic",),
    "Armn": ("Noto Sans Armenian",),
    "Geor": ("Noto Sans Georgian",),
}

#: Every script's family, in the order they are tried after the language's own.
DEFAULT_CHAIN: tuple[str, ...] = (
    "Noto Sans",
    *(family for families in _SCRIPT_FAMILIES.values() for family in families),
    "Noto Sans CJK {han}",
    *(f"Noto Sans CJK {face}" for face in _HAN_FACES),
    "Noto Sans Symbols",
    "Noto Sans Symbols 2",
    "Noto Sans Math",
    "Noto Color Emoji",
    "Noto Emoji",
)


def family_chain(info: LocaleInfo, preferred: Sequence[str] = ()) -> list[str]:
    """Returns the ordered family names for text in ``info``'s language.

    Args:
        info: the locale of the text (its script decides which families come first, its Han
            face which CJK face leads).
        preferred: families asked for by the brand or the block; they lead the chain.
    """
    own: tuple[str, ...] = ()
    if info.script in ("Hani", "Hans", "Hant", "Jpan", "Kore"):
        own = (f"Noto Sans CJK {info.han}",)
    elif info.script in _SCRIPT_FAMILIES:
        own = _SCRIPT_FAMILIES[info.script]
    chain: list[str] = []
    for family in (*preferred, *own, *DEFAULT_CHAIN):
        family = family.format(han=info.han)
        if family not in chain:
            chain.append(family)
    return chain
