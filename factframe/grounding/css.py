"""Reading CSS as brands publish it: colour values, font-family lists and root custom properties.

This is not a CSS engine: it reads what sites declare about themselves, leniently, and says
None for what it does not understand rather than guess.

- **Colours** (:func:`parse_css_color`): hex (``#rgb``, ``#rgba``, ``#rrggbb``,
  ``#rrggbbaa``), the CSS named colours and ``transparent``, and ``rgb()``/``rgba()``,
  ``hsl()``/``hsla()`` and ``hwb()`` in comma and space syntax with an optional alpha.
  Other functions (``oklch()``, ``color()``, ``var()``…) and keywords (``currentColor``)
  are not read.
- **Font lists** (:func:`first_family`): the first real family of a ``font-family`` list:
  quotes stripped, generic families such as ``sans-serif``/``system-ui`` and
  ``-apple-system`` dropped, as are functions such as ``var()``.
- **Stylesheets** (:func:`read_page_styles`): custom properties count only in rules for
  ``:root``, ``html`` or ``:host`` outside ``@media`` print or dark blocks (the light screen
  theme is the brand's base); ``var()`` references among them are resolved
  (:func:`substitute_vars`). Sheets are read in the order given; a later declaration wins.
  Comments are dropped; ``!important`` is ignored; at-rules other than ``@media`` blocks
  are skipped.

Docs: https://www.w3.org/TR/css-color-4/, https://www.w3.org/TR/css-variables-1/
"""

from __future__ import annotations

import colorsys
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "NAMED_COLORS",
    "PageStyles",
    "css_rules",
    "declarations",
    "first_family",
    "hsl_to_rgb",
    "hwb_to_rgb",
    "parse_css_color",
    "parse_number",
    "read_page_styles",
    "rgb_to_hex",
    "substitute_vars",
]

# --- colours ------------------------------------------------------------------------------

_NAMED_TABLE = """
aliceblue:f0f8ff antiquewhite:faebd7 aqua:00ffff aquamarine:7fffd4 azure:f0ffff
beige:f5f5dc bisque:ffe4c4 black:000000 blanchedalmond:ffebcd blue:0000ff
blueviolet:8a2be2 brown:a52a2a burlywood:deb887 cadetblue:5f9ea0 chartreuse:7fff00
chocolate:d2691e coral:ff7f50 cornflowerblue:6495ed cornsilk:fff8dc crimson:dc143c
cyan:00ffff darkblue:00008b darkcyan:008b8b darkgoldenrod:b8860b darkgray:a9a9a9
darkgreen:006400 darkgrey:a9a9a9 darkkhaki:bdb76b darkmagenta:8b008b
darkolivegreen:556b2f darkorange:ff8c00 darkorchid:9932cc darkred:8b0000
darksalmon:e9967a darkseagreen:8fbc8f darkslateblue:483d8b darkslategray:2f4f4f
darkslategrey:2f4f4f darkturquoise:00ced1 darkviolet:9400d3 deeppink:ff1493
deepskyblue:00bfff dimgray:696969 dimgrey:696969 dodgerblue:1e90ff firebrick:b22222
floralwhite:fffaf0 forestgreen:228b22 fuchsia:ff00ff gainsboro:dcdcdc ghostwhite:f8f8ff
gold:ffd700 goldenrod:daa520 gray:808080 green:008000 greenyellow:adff2f grey:808080
honeydew:f0fff0 hotpink:ff69b4 indianred:cd5c5c indigo:4b0082 ivory:fffff0 khaki:f0e68c
lavender:e6e6fa lavenderblush:fff0f5 lawngreen:7cfc00 lemonchiffon:fffacd
lightblue:add8e6 lightcoral:f08080 lightcyan:e0ffff lightgoldenrodyellow:fafad2
lightgray:d3d3d3 lightgreen:90ee90 lightgrey:d3d3d3 lightpink:ffb6c1 lightsalmon:ffa07a
lightseagreen:20b2aa lightskyblue:87cefa lightslategray:778899 lightslategrey:778899
lightsteelblue:b0c4de lightyellow:ffffe0 lime:00ff00 limegreen:32cd32 linen:faf0e6
magenta:ff00ff maroon:800000 mediumaquamarine:66cdaa mediumblue:0000cd
mediumorchid:ba55d3 mediumpurple:9370db mediumseagreen:3cb371 mediumslateblue:7b68ee
mediumspringgreen:00fa9a mediumturquoise:48d1cc mediumvioletred:c71585
midnightblue:191970 mintcream:f5fffa mistyrose:ffe4e1 moccasin:ffe4b5 navajowhite:ffdead
navy:000080 oldlace:fdf5e6 olive:808000 olivedrab:6b8e23 orange:ffa500 orangered:ff4500
orchid:da70d6 palegoldenrod:eee8aa palegreen:98fb98 paleturquoise:afeeee
palevioletred:db7093 papayawhip:ffefd5 peachpuff:ffdab9 peru:cd853f pink:ffc0cb
plum:dda0dd powderblue:b0e0e6 purple:800080 rebeccapurple:663399 red:ff0000
rosybrown:bc8f8f royalblue:4169e1 saddlebrown:8b4513 salmon:fa8072 sandybrown:f4a460
seagreen:2e8b57 seashell:fff5ee sienna:a0522d silver:c0c0c0 skyblue:87ceeb
slateblue:6a5acd slategray:708090 slategrey:708090 snow:fffafa springgreen:00ff7f
steelblue:4682b4 tan:d2b48c teal:008080 thistle:d8bfd8 tomato:ff6347 turquoise:40e0d0
violet:ee82ee wheat:f5deb3 white:ffffff whitesmoke:f5f5f5 yellow:ffff00
yellowgreen:9acd32 transparent:00000000
"""
#: The CSS named colours (and ``transparent``) → hex digits, without ``#``.
NAMED_COLORS: dict[str, str] = dict(pair.split(":") for pair in _NAMED_TABLE.split())
_HEX = re.compile(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})")
_FUNCTION = re.compile(r"(rgba?|hsla?|hwb)\(([^()]*)\)")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?")
_ANGLE = {"deg": 1.0, "grad": 0.9, "rad": 180 / math.pi, "turn": 360.0}


def rgb_to_hex(r: float, g: float, b: float, a: float = 1.0) -> str:
    """``#rrggbb`` (or ``#rrggbbaa`` when translucent) from channels in 0–1 (clamped)."""
    channels = [round(min(1.0, max(0.0, c)) * 255) for c in (r, g, b, a)]
    text = "#" + "".join(f"{c:02x}" for c in channels[:3])
    return text if channels[3] == 255 else text + f"{channels[3]:02x}"


def parse_number(text: str) -> float | None:
    """A CSS number (``12``, ``-.5``, ``1e3``; no units), or None."""
    return float(text) if _NUMBER.fullmatch(text) else None


def _ratio(text: str, full: float) -> float | None:
    """``50%`` → 0.5, ``127.5`` → 127.5 / full; ``none`` → 0."""
    if text == "none":
        return 0.0
    if text.endswith("%"):
        value = parse_number(text[:-1])
        return None if value is None else value / 100
    value = parse_number(text)
    return None if value is None else value / full


def _hue(text: str) -> float | None:
    if text == "none":
        return 0.0
    for unit, scale in _ANGLE.items():
        if text.endswith(unit):
            value = parse_number(text.removesuffix(unit))
            return None if value is None else (value * scale) % 360
    value = parse_number(text)
    return None if value is None else value % 360


def hsl_to_rgb(h: float, s: float, lightness: float) -> tuple[float, float, float]:
    """sRGB channels in 0–1 from a hue in degrees and saturation and lightness in 0–1."""
    return colorsys.hls_to_rgb(h / 360, lightness, s)


def hwb_to_rgb(h: float, w: float, b: float) -> tuple[float, float, float]:
    """sRGB channels in 0–1 from a hue in degrees and whiteness and blackness in 0–1."""
    if w + b >= 1:
        grey = w / (w + b)
        return grey, grey, grey
    r, g, b_ = hsl_to_rgb(h, 1.0, 0.5)
    keep = 1 - w - b
    return r * keep + w, g * keep + w, b_ * keep + w


def parse_css_color(value: str) -> str | None:
    """A CSS colour as ``#rrggbb`` or ``#rrggbbaa``, or None when it is none we read.

    Reads hex (``#rgb``, ``#rgba``, ``#rrggbb``, ``#rrggbbaa``), the CSS named colours,
    ``transparent``, and ``rgb()``/``rgba()``, ``hsl()``/``hsla()`` and ``hwb()`` in comma
    and space syntax with an optional alpha. Other functions (``oklch()``, ``color()``,
    ``var()``…) and keywords (``currentColor``) give None.

    >>> parse_css_color("rgb(11 61 145 / 50%)")
    '#0b3d9180'
    """
    text = value.strip().lower()
    if text in NAMED_COLORS:
        return "#" + NAMED_COLORS[text]
    if (m := _HEX.fullmatch(text)) is not None:
        digits = m.group(1)
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        return "#" + (digits.removesuffix("ff") if len(digits) == 8 else digits)
    m = _FUNCTION.fullmatch(text)
    if m is None:
        return None
    kind, args = m.group(1), m.group(2)
    parts = args.replace(",", " ").replace("/", " / ").split()
    alpha_text = "1"
    if "/" in parts:
        slash = parts.index("/")
        parts, rest = parts[:slash], parts[slash + 1 :]
        if len(rest) != 1:
            return None
        alpha_text = rest[0]
    elif len(parts) == 4:
        parts, alpha_text = parts[:3], parts[3]
    alpha = _ratio(alpha_text, 1.0)
    if len(parts) != 3 or alpha is None:
        return None
    if kind.startswith("rgb"):
        channels = [_ratio(p, 255.0) for p in parts]
        if any(c is None for c in channels):
            return None
        r, g, b = (c or 0.0 for c in channels)
        return rgb_to_hex(r, g, b, alpha)
    hue = _hue(parts[0])
    first, second = _ratio(parts[1], 100.0), _ratio(parts[2], 100.0)
    if hue is None or first is None or second is None:
        return None
    convert = hsl_to_rgb if kind.startswith("hsl") else hwb_to_rgb
    r, g, b = convert(hue, min(1.0, max(0.0, first)), min(1.0, max(0.0, second)))
    return rgb_to_hex(r, g, b, alpha)


# --- font lists ---------------------------------------------------------------------------

_GENERIC_FONTS = frozenset(
    {
        "serif",
        "sans-serif",
        "monospace",
        "cursive",
        "fantasy",
        "system-ui",
        "ui-serif",
        "ui-sans-serif",
        "ui-monospace",
        "ui-rounded",
        "emoji",
        "math",
        "fangsong",
        "-apple-system",
        "blinkmacsystemfont",
        "inherit",
        "initial",
        "unset",
        "revert",
        "revert-layer",
    }
)
_FAMILY = re.compile(r"\s*(?:\"([^\"]*)\"|'([^']*)'|([^,]+))\s*(?:,|$)")


def first_family(value: Any) -> str | None:
    """The first real family of a font list (a CSS string or a list), or None.

    >>> first_family('-apple-system, "Segoe UI", sans-serif')
    'Segoe UI'
    """
    items: list[str] = []
    if isinstance(value, list):
        items = [v for v in value if isinstance(v, str)]
    elif isinstance(value, str):
        items = [m.group(1) or m.group(2) or m.group(3) for m in _FAMILY.finditer(value)]
    for item in items:
        name = " ".join(item.strip().strip("\"'").split())
        if name and name.lower() not in _GENERIC_FONTS and "(" not in name:
            return name
    return None


# --- stylesheets --------------------------------------------------------------------------


def css_rules(css: str) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(prelude, declarations, enclosing preludes) of every innermost rule.

    >>> list(css_rules("@media screen { a { color: red } }"))
    [('a', ' color: red ', ('@media screen',))]
    """
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    stack: list[tuple[str, int]] = []
    start, quote, i = 0, "", 0
    while i < len(css):
        c = css[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "{":
            stack.append((css[start:i].strip(), i + 1))
            start = i + 1
        elif c == "}":
            if stack:
                prelude, body_start = stack.pop()
                body = css[body_start:i]
                if "{" not in body:
                    yield prelude, body, tuple(p for p, _ in stack)
            start = i + 1
        elif c == ";":
            start = i + 1
        i += 1


def declarations(body: str) -> Iterator[tuple[str, str]]:
    """(property, value) of a rule's declarations, ``!important`` dropped, in order."""
    depth, quote, start = 0, "", 0
    for i, c in enumerate(body + ";"):
        if quote:
            quote = "" if c == quote else quote
        elif c in "\"'":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c == ";" and depth == 0:
            name, colon, value = body[start:i].partition(":")
            value = re.sub(r"!\s*important\s*$", "", value.strip(), flags=re.IGNORECASE)
            if colon and name.strip() and value.strip():
                yield name.strip(), value.strip()
            start = i + 1


def substitute_vars(value: str, props: dict[str, str], depth: int = 0) -> str | None:
    """``value`` with ``var(--x, fallback)`` replaced; None when one cannot be resolved.

    Args:
        value: a declared value.
        props: custom properties by lower-case name (``--brand``).
        depth: how deep the substitution already is; past 10 (a cycle) gives None.

    >>> substitute_vars("var(--a, red)", {})
    'red'
    """
    at = value.find("var(")
    if at < 0:
        return value
    if depth > 10:
        return None
    level, end = 0, -1
    for j in range(at + 3, len(value)):
        level += {"(": 1, ")": -1}.get(value[j], 0)
        if level == 0:
            end = j
            break
    if end < 0:
        return None
    name, _, fallback = value[at + 4 : end].partition(",")
    found = props.get(name.strip().lower())
    replacement = found if found is not None else (fallback.strip() or None)
    if replacement is None:
        return None
    inner = substitute_vars(replacement, props, depth + 1)
    if inner is None:
        return None
    return substitute_vars(value[:at] + inner + value[end + 1 :], props, depth + 1)


_ROOTS = frozenset({":root", "html", ":host"})


def _skipped_context(context: tuple[str, ...]) -> bool:
    for prelude in context:
        text = prelude.lower()
        if text.startswith("@media") and (
            re.search(r"prefers-color-scheme\s*:\s*dark", text) or re.search(r"\bprint\b", text)
        ):
            return True
    return False


@dataclass
class PageStyles:
    """What a page's stylesheets declare at the root and on a few elements (light screen).

    Attributes:
        custom_properties: root custom properties by lower-case name, as declared (later
            declarations win; the order is that of first declaration).
        elements: by element name, its declarations by lower-case property, as declared.
    """

    custom_properties: dict[str, str] = field(default_factory=dict)
    elements: dict[str, dict[str, str]] = field(default_factory=dict)

    def resolve(self, value: str) -> str | None:
        """``value`` with its ``var()`` references resolved, or None."""
        return substitute_vars(value, self.custom_properties)

    def value(self, element: str, prop: str) -> str | None:
        """The resolved value of ``prop`` declared for ``element``, or None."""
        declared = self.elements.get(element, {}).get(prop)
        return None if declared is None else self.resolve(declared)


def read_page_styles(sheets: Iterable[str], elements: Iterable[str]) -> PageStyles:
    """Root custom properties and the declarations of ``elements``' rules, in sheet order.

    Rules inside ``@media`` print or dark-scheme blocks and other at-rules are skipped; a
    rule counts for an element when one of its selectors is exactly that element's name.

    >>> read_page_styles([":root { --Brand: red } body { color: var(--brand) }"], ["body"])
    PageStyles(custom_properties={'--brand': 'red'}, elements={'body': {'color': 'var(--brand)'}})
    """
    wanted = frozenset(elements)
    styles = PageStyles()
    for css in sheets:
        for prelude, body, context in css_rules(css):
            if prelude.startswith("@") or _skipped_context(context):
                continue
            selectors = {" ".join(s.split()).lower() for s in prelude.split(",")}
            declared = list(declarations(body))
            if selectors & _ROOTS:
                styles.custom_properties.update(
                    (k.lower(), v) for k, v in declared if k.startswith("--")
                )
            for element in selectors & wanted:
                styles.elements.setdefault(element, {}).update((k.lower(), v) for k, v in declared)
    return styles
