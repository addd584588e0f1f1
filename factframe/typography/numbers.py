"""Numbers in the locale's own form: CLDR patterns, grouping and digits (via Babel).

Babel formats with the locale's symbols and grouping (``de`` → ``1.234,5``, ``hi-IN`` →
``12,34,567``) but always writes ASCII digits; :func:`format_number` then swaps them for the
digits of the locale's default numbering system (``ar-EG`` → ``١٬٢٣٤٫٥``, ``fa`` → ``۱٬۲۳۴٫۵``,
``mr`` → ``१,२३४.५``). Locales whose default system is Latin keep ASCII digits (``ar``,
``hi-IN``, ``th``: CLDR's choice, which this follows)::

    >>> format_number(1234.5, "de", digits=1)
    '1.234,5'
    >>> format_number(50, "en", "percent", digits=0)
    '50%'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import babel
import babel.numbers
import babel.units

__all__ = ["NumberStyle", "decimals_of", "format_number", "native_digits"]

NumberKind = Literal["number", "percent", "compact", "unit"]

# The zero of each CLDR numbering system with decimal digits in one Unicode block.
_ZEROS = {
    "arab": 0x0660, "arabext": 0x06F0, "beng": 0x09E6, "deva": 0x0966, "gujr": 0x0AE6,
    "guru": 0x0A66, "khmr": 0x17E0, "knda": 0x0CE6, "laoo": 0x0ED0, "mlym": 0x0D66,
    "mymr": 0x1040, "orya": 0x0B66, "tamldec": 0x0BE6, "telu": 0x0C66, "thai": 0x0E50,
    "tibt": 0x0F20, "olck": 0x1C50, "nkoo": 0x07C0, "adlm": 0x1E950, "fullwide": 0xFF10,
}  # fmt: skip
_MAX_DIGITS = 6


@dataclass(frozen=True)
class NumberStyle:
    """How numbers of one set (an axis, value labels) are written.

    Attributes:
        kind: ``number`` (grouped decimal), ``percent`` (the values are percentages: 45 →
            45 %), ``compact`` (1.2K, 3,4 Mio.), ``unit`` (a CLDR unit, short form: 18 °C).
        digits: fraction digits, fixed (ticks 0.5, 1.0, 1.5 all show one).
        unit: the CLDR unit id for ``unit`` (``temperature-celsius``, ``kilometer``).
    """

    kind: NumberKind = "number"
    digits: int = 0
    unit: str | None = None


@lru_cache(maxsize=256)
def _locale(tag: str) -> babel.Locale:
    return babel.Locale.parse(tag.replace("_", "-"), sep="-")


@lru_cache(maxsize=256)
def native_digits(tag: str) -> str:
    """The ten digits of the locale's default numbering system (``0123456789`` for Latin)."""
    system = _locale(tag).default_numbering_system
    zero = _ZEROS.get(system)
    return "0123456789" if zero is None else "".join(chr(zero + d) for d in range(10))


@lru_cache(maxsize=1024)
def _pattern(tag: str, kind: Literal["decimal", "percent"], digits: int) -> str:
    """The locale's standard pattern with exactly ``digits`` fraction digits."""
    loc = _locale(tag)
    formats = loc.decimal_formats if kind == "decimal" else loc.percent_formats
    pattern = str(formats[None].pattern).split(";")[0]
    pattern = re.sub(r"\.[0#]+", "", pattern, count=1)  # drop the locale's own fraction
    integer = re.search(r"[#0,]*0", pattern)
    if integer is None:  # not seen in CLDR; fall back to a plain grouped number
        return "#,##0" + ("." + "0" * digits if digits else "")
    end = integer.end()
    return pattern[:end] + ("." + "0" * digits if digits else "") + pattern[end:]


def format_number(
    value: float,
    locale: str,
    kind: NumberKind = "number",
    digits: int = 0,
    unit: str | None = None,
) -> str:
    """Formats ``value`` in ``locale`` with the locale's symbols, grouping and digits.

    Args:
        value: a finite number (for ``percent``: a percentage, 45 → 45 %).
        locale: BCP 47 tag.
        kind: see :class:`NumberStyle`.
        digits: fraction digits, 0–6.
        unit: the CLDR unit of ``kind="unit"``; ``percent`` is written as a percentage;
            an id CLDR does not know is appended after the number.

    Raises:
        ValueError: ``value`` is not finite, or ``kind="unit"`` without a unit.
    """
    if not math.isfinite(value):
        raise ValueError(f"cannot format {value!r}")
    digits = max(0, min(_MAX_DIGITS, digits))
    loc = _locale(locale)
    if kind == "unit" and unit in ("percent", "concentr-percent"):
        kind = "percent"
    value = _no_negative_zero(value, digits)
    if kind == "percent":
        text = babel.numbers.format_percent(
            value / 100, _pattern(locale, "percent", digits), loc, numbering_system="default"
        )
    elif kind == "compact":
        text = babel.numbers.format_compact_decimal(
            value, locale=loc, fraction_digits=digits, numbering_system="default"
        )
    elif kind == "unit":
        if not unit:
            raise ValueError("a unit format needs a unit")
        pattern = _pattern(locale, "decimal", digits)
        try:
            text = str(
                babel.units.format_unit(
                    value, unit, "short", pattern, loc, numbering_system="default"
                )
            )
        except babel.units.UnknownUnitError:
            number = babel.numbers.format_decimal(value, pattern, loc, numbering_system="default")
            text = f"{number}\u00a0{unit}"
    else:
        text = babel.numbers.format_decimal(
            value, _pattern(locale, "decimal", digits), loc, numbering_system="default"
        )
    return _transliterate(_symbols(text, loc, value < 0), locale)


def _symbols(text: str, loc: babel.Locale, negative: bool) -> str:
    """Babel writes ASCII ``-`` and ``%`` whatever the numbering system; CLDR's own signs
    carry bidi marks (``ar-EG``: U+061C before the minus) that keep them in place in RTL."""
    if negative:
        text = text.replace(
            "-", babel.numbers.get_minus_sign_symbol(loc, numbering_system="default"), 1
        )
    if "%" in text:
        sign = loc.number_symbols[loc.default_numbering_system].get("percentSign", "%")
        text = text.replace("%", sign)
    return text


def _no_negative_zero(value: float, digits: int) -> float:
    """-0.04 at one digit is "0.0", not "-0.0"."""
    return 0.0 if round(value, digits) == 0 else value


def _transliterate(text: str, locale: str) -> str:
    digits = native_digits(locale)
    if digits == "0123456789":
        return text
    return text.translate(str.maketrans("0123456789", digits))


def decimals_of(values: list[float], limit: int = 4) -> int:
    """The fewest fraction digits (≤ ``limit``) that write every value exactly, so value
    labels show numbers as given (``[18.5, 20]`` → 1, ``[0.0042]`` → 4)."""
    for digits in range(limit + 1):
        if all(abs(round(v, digits) - v) <= 1e-9 * max(1.0, abs(v)) for v in values):
            return digits
    return limit
