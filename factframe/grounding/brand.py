"""``brand``: a brand's colours, fonts, logo, name and corner radius, from what it publishes.

Parameters: exactly one of ``tokens`` (a W3C Design Tokens Community Group JSON file),
``file`` (a YAML/JSON file in factframe's own :class:`~factframe.spec.Brand` shape, plus an
optional top-level ``name``) or ``url`` (a website); and an optional ``name`` that is the
brand's name whatever the source says.

The fact is a record of what was actually found, never a default: ``primary``,
``secondary``, ``accent``, ``background``, ``surface``, ``text``, ``muted`` (colours),
``heading_font``, ``body_font`` (the first real family of a font list: quotes stripped,
generic families such as ``sans-serif``/``system-ui`` and ``-apple-system`` dropped),
``logo`` (an image reference), ``name`` and ``radius`` (px). Files are ``user`` facts that
never expire; websites are ``fetched`` facts valid for 7 days.

**Colour roles from names** (DTCG token paths, CSS custom properties). A name is split into
lower-case words at ``.``, ``-``, ``_``, spaces and camelCase humps (``color.textSecondary``
→ color, text, secondary). The first rule that applies gives the role:

1. no role if a word is one of rgb, rgba, hsl, hover, active, focus, pressed, disabled,
   visited, border, shadow, outline, dark, night, inverse, inverted, contrast (states,
   channel triplets and the dark theme are not the brand's base colours), or if ``on`` is
   followed by anything but background/bg/surface/canvas (``on-primary`` is a text colour
   for one fill only);
2. ``on-background``/``on-surface`` → text;
3. muted, subtle or subdued, without a background/surface word → muted;
4. text, foreground, fg or ink → text, but muted when secondary or tertiary is also there
   (``text.secondary``, ``secondary-text``);
5. surface, card or paper → surface;
6. background, bg or canvas → background;
7. accent or highlight → accent;
8. secondary → secondary;
9. primary, or brand as the last word before qualifiers (default, base, main, root, or a
   number) → primary.

When several names get one role, the best is: for muted, one with a text word; then one not
ending in a number (``primary`` before ``primary.500``), numbers closest to 500 first; then
the fewest words; then the first in the file. Groups carry no meaning in DTCG itself; using
their names is a heuristic, and tokens that do not match are simply not reported.

**Fonts.** A fontFamily token (also Tokens Studio's ``fontFamilies``) with heading, display,
title, headline, h1, h2 or h3 in its name → ``heading_font``; with body, text, base, sans,
copy or paragraph → ``body_font`` (heading words win); a file with a single fontFamily
token uses it for both. Typography tokens' ``fontFamily`` fill roles still empty.
Websites: ``font-family`` on ``h1``, ``h2``, ``h3`` (in that order) → heading, on ``body``
then ``html`` → body, then custom properties by the same words.

**Radius.** A dimension token (or Tokens Studio ``borderRadius``) or custom property whose
name has radius, radii, rounded or corner, in px (``8``, ``"8px"``, ``{value: 8, unit:
px}``; rem and em are not converted: their base is unknown). Preferred: a name ending in
default, base, md, medium or m; then the fewest words; then the first.

**DTCG** (Design Tokens Format Module): an object with ``$value`` is a token, any other
object a group; ``$``-keys are properties (a group's ``$root`` token is a token); a token's
type is its ``$type``, else its alias target's type, else the closest group ``$type``;
``"{group.token}"`` aliases are resolved, also inside composite values, and a cycle or an
unknown target is an error. Colours: a CSS colour string (hex per the older drafts), or
``{colorSpace, components, alpha, hex}`` — srgb, srgb-linear, hsl and hwb are converted,
other spaces use their ``hex`` fallback or fail. ``$extends`` and ``$ref`` are not
supported.

**Websites**, in at most 5 requests (the page, its manifest, 3 stylesheets):

- ``primary``: a custom property role, else ``<meta name="theme-color">`` (the one without
  ``media``, else a light one, else the first), else the manifest's ``theme_color``;
  ``background``: a custom property, else ``body``'s background colour, else the manifest's
  ``background_color``; ``text``: a custom property, else ``body``'s ``color``.
- Custom properties count only in rules for ``:root``, ``html`` or ``:host`` outside
  ``@media`` print or dark blocks; ``var()`` references among them are resolved. CSS is
  read in document order (inline ``<style>`` and up to 3 same-origin ``<link
  rel=stylesheet>``; print, alternate and cross-origin sheets and ``@import`` are not
  fetched); a later declaration wins.
- ``logo``: the manifest's largest icon (``purpose`` any before maskable-only; monochrome
  skipped), else the largest ``apple-touch-icon``, else an SVG icon, else the largest icon.
  Only http(s) URLs; ``og:image`` is a share picture, not a logo, and is not used.
- ``name``: the manifest's ``name`` or ``short_name``, else ``og:site_name``, else
  ``application-name``, else ``<title>``.
- Relative URLs resolve against ``<base href>`` or the page URL as given (the client does
  not report a redirect's target); manifest icons against the manifest's URL.
- A manifest or stylesheet that fails (HTTP error, timeout, too large, not JSON) is skipped:
  sites often link stale files. A URL the guard refuses (a private address, directly or
  by redirect) aborts the fetch with :class:`~factframe.errors.UnsafeURLError`: a public
  site pointing into a private network is hostile or broken, and we say so.

Docs: https://www.designtokens.org/tr/drafts/format/,
https://developer.mozilla.org/en-US/docs/Web/Manifest
"""

from __future__ import annotations

import colorsys
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from pydantic import Field, ValidationError

from factframe.errors import ProviderError, UnsafeURLError
from factframe.grounding.http import HttpClient
from factframe.grounding.provider import PROVIDERS, Params, ProviderContext, parse_params
from factframe.knowledge import (
    ColorValue,
    Fact,
    FactRequest,
    FactValue,
    ImageRef,
    NumberValue,
    Provenance,
    RecordValue,
    TextValue,
)
from factframe.spec import Brand

__all__ = ["COLOR_ROLES", "BrandParams", "BrandProvider", "color_role", "parse_css_color"]

NAME = "brand"
#: The colour fields, in the order they are reported.
COLOR_ROLES = ("primary", "secondary", "accent", "background", "surface", "text", "muted")
WEBSITE_TTL = timedelta(days=7)
MAX_REQUESTS = 5
MAX_STYLESHEETS = 3
MAX_FILE_BYTES = 5_000_000
MAX_NODES = 200_000  # YAML aliases can make a small file a huge tree

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
_NAMED = dict(pair.split(":") for pair in _NAMED_TABLE.split())
_HEX = re.compile(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})")
_FUNCTION = re.compile(r"(rgba?|hsla?|hwb)\(([^()]*)\)")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?")
_ANGLE = {"deg": 1.0, "grad": 0.9, "rad": 180 / math.pi, "turn": 360.0}


def _hex(r: float, g: float, b: float, a: float = 1.0) -> str:
    """``#rrggbb`` (or ``#rrggbbaa`` when translucent) from channels in 0–1."""
    channels = [round(min(1.0, max(0.0, c)) * 255) for c in (r, g, b, a)]
    text = "#" + "".join(f"{c:02x}" for c in channels[:3])
    return text if channels[3] == 255 else text + f"{channels[3]:02x}"


def _number(text: str) -> float | None:
    return float(text) if _NUMBER.fullmatch(text) else None


def _ratio(text: str, full: float) -> float | None:
    """``50%`` → 0.5, ``127.5`` → 127.5 / full; ``none`` → 0."""
    if text == "none":
        return 0.0
    if text.endswith("%"):
        value = _number(text[:-1])
        return None if value is None else value / 100
    value = _number(text)
    return None if value is None else value / full


def _hue(text: str) -> float | None:
    if text == "none":
        return 0.0
    for unit, scale in _ANGLE.items():
        if text.endswith(unit):
            value = _number(text.removesuffix(unit))
            return None if value is None else (value * scale) % 360
    value = _number(text)
    return None if value is None else value % 360


def _hsl(h: float, s: float, lightness: float) -> tuple[float, float, float]:
    return colorsys.hls_to_rgb(h / 360, lightness, s)


def _hwb(h: float, w: float, b: float) -> tuple[float, float, float]:
    if w + b >= 1:
        grey = w / (w + b)
        return grey, grey, grey
    r, g, b_ = _hsl(h, 1.0, 0.5)
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
    if text in _NAMED:
        return "#" + _NAMED[text]
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
        return _hex(r, g, b, alpha)
    hue = _hue(parts[0])
    first, second = _ratio(parts[1], 100.0), _ratio(parts[2], 100.0)
    if hue is None or first is None or second is None:
        return None
    convert = _hsl if kind.startswith("hsl") else _hwb
    r, g, b = convert(hue, min(1.0, max(0.0, first)), min(1.0, max(0.0, second)))
    return _hex(r, g, b, alpha)


def _srgb_encode(c: float) -> float:
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def _token_color(value: Any, where: str) -> str:
    """A DTCG colour value (a CSS colour string or a colour object) as hex."""
    if isinstance(value, str):
        color = parse_css_color(value)
        if color is None:
            raise ProviderError(f"token {where}: {value!r} is not a colour", NAME)
        return color
    if not isinstance(value, dict):
        raise ProviderError(f"token {where}: a colour must be a string or an object", NAME)
    space = value.get("colorSpace")
    alpha = value.get("alpha", 1)
    if not isinstance(alpha, int | float) or not 0 <= alpha <= 1:
        raise ProviderError(f"token {where}: alpha must be a number from 0 to 1", NAME)
    raw = value.get("components")
    comps = (
        [0.0 if c == "none" else c for c in raw]
        if isinstance(raw, list) and len(raw) == 3
        else None
    )
    if comps is None or not all(isinstance(c, int | float) for c in comps):
        raise ProviderError(f"token {where}: components must be 3 numbers (or 'none')", NAME)
    c1, c2, c3 = (float(c) for c in comps)
    rgb: tuple[float, float, float] | None = None
    if space in ("srgb", "srgb-linear"):
        if not all(-1e-9 <= c <= 1 + 1e-9 for c in (c1, c2, c3)):
            raise ProviderError(f"token {where}: {space} components must be 0–1", NAME)
        rgb = (c1, c2, c3)
        if space == "srgb-linear":
            rgb = (_srgb_encode(c1), _srgb_encode(c2), _srgb_encode(c3))
    elif space in ("hsl", "hwb"):
        if not (0 <= c2 <= 100 and 0 <= c3 <= 100):
            raise ProviderError(f"token {where}: {space} components 2 and 3 must be 0–100", NAME)
        rgb = (_hsl if space == "hsl" else _hwb)(c1 % 360, c2 / 100, c3 / 100)
    elif isinstance(fallback := value.get("hex"), str) and re.fullmatch(
        r"#[0-9a-fA-F]{6}", fallback
    ):
        r, g, b = (int(fallback[i : i + 2], 16) / 255 for i in (1, 3, 5))
        rgb = (r, g, b)
    if rgb is None:
        raise ProviderError(
            f"token {where}: colour space {space!r} is not converted here; give the token a "
            "'hex' fallback (#rrggbb)",
            NAME,
        )
    return _hex(*rgb, a=float(alpha))


# --- names → roles ------------------------------------------------------------------------

_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")
_NO_ROLE = frozenset(
    {
        "rgb",
        "rgba",
        "hsl",
        "hover",
        "active",
        "focus",
        "pressed",
        "disabled",
        "visited",
        "border",
        "shadow",
        "outline",
        "dark",
        "night",
        "inverse",
        "inverted",
        "contrast",
    }
)
_BOXES = frozenset({"background", "bg", "surface", "canvas", "card", "paper"})
_TEXTS = frozenset({"text", "foreground", "fg", "ink"})
_QUALIFIERS = frozenset({"default", "base", "main", "root"})
_HEADING = frozenset({"heading", "headings", "display", "title", "headline", "h1", "h2", "h3"})
_BODY = frozenset({"body", "text", "base", "sans", "copy", "paragraph"})
_RADIUS = frozenset({"radius", "radii", "rounded", "corner", "corners"})
_DEFAULT_SIZE = frozenset({"default", "base", "md", "medium", "m"})
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


def _words(name: str) -> list[str]:
    """``color.textSecondary`` → ``["color", "text", "secondary"]``."""
    return [w for w in _SPLIT.split(_HUMP.sub("-", name).lower()) if w]


def color_role(words: list[str]) -> str | None:
    """The colour role a name's words give (see the module docs), or None."""
    found = set(words)
    if found & _NO_ROLE:
        return None
    if "on" in found:
        after = words[words.index("on") + 1 : words.index("on") + 2]
        return "text" if after and after[0] in _BOXES - {"card", "paper"} else None
    if found & {"muted", "subtle", "subdued"} and not found & _BOXES:
        return "muted"
    if found & _TEXTS:
        return "muted" if found & {"secondary", "tertiary"} else "text"
    if found & {"surface", "card", "paper"}:
        return "surface"
    if found & {"background", "bg", "canvas"}:
        return "background"
    if found & {"accent", "highlight"}:
        return "accent"
    if "secondary" in found:
        return "secondary"
    core = list(words)
    while core and (core[-1].isdigit() or core[-1] in _QUALIFIERS):
        core.pop()
    if "primary" in found or (core and core[-1] == "brand"):
        return "primary"
    return None


def _font_role(words: list[str]) -> str | None:
    found = set(words)
    if found & _HEADING:
        return "heading_font"
    if found & _BODY:
        return "body_font"
    return None


def _color_rank(role: str, words: list[str], order: int) -> tuple[int, int, int, int]:
    texty = 0 if role != "muted" or set(words) & _TEXTS else 1
    last = words[-1] if words else ""
    step = abs(int(last) - 500) if last.isdigit() else -1
    return texty, step, len(words), order


_FAMILY = re.compile(r"\s*(?:\"([^\"]*)\"|'([^']*)'|([^,]+))\s*(?:,|$)")


def first_family(value: Any) -> str | None:
    """The first real family of a font list (a CSS string or a list), or None."""
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


def _px(value: Any) -> float | None:
    if isinstance(value, dict):
        if value.get("unit") == "px" and isinstance(value.get("value"), int | float):
            return float(value["value"])
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        text = value.strip().lower().removesuffix("px")
        number = _number(text)
        return number
    return None


@dataclass
class _Picks:
    """Candidates per field, each with a rank; the lowest rank wins."""

    ranked: dict[str, list[tuple[tuple[int, ...], FactValue]]] = field(default_factory=dict)

    def offer(self, key: str, rank: tuple[int, ...], value: FactValue) -> None:
        self.ranked.setdefault(key, []).append((rank, value))

    def best(self) -> dict[str, FactValue]:
        return {k: min(v, key=lambda item: item[0])[1] for k, v in self.ranked.items()}


def _offer_radius(picks: _Picks, words: list[str], value: Any, order: int) -> None:
    px = _px(value)
    if set(words) & _RADIUS and px is not None and 0 <= px <= 10_000:
        rank = (0 if words[-1] in _DEFAULT_SIZE else 1, len(words), order)
        picks.offer("radius", rank, NumberValue(value=px))


# --- files --------------------------------------------------------------------------------


def _check_size(data: Any) -> None:
    stack, seen = [data], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise ProviderError(f"the file has more than {MAX_NODES:,} values", NAME)
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _load(path: str, what: str, *, yaml_unless_json: bool) -> Any:
    file = Path(path)
    try:
        with file.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ProviderError(f"cannot read {what} {path!r}: {exc.strerror}", NAME) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ProviderError(f"{what} {path!r} is larger than {MAX_FILE_BYTES:,} bytes", NAME)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProviderError(f"{what} {path!r} is not UTF-8 (byte {exc.start})", NAME) from None
    try:
        suffix = file.suffix.lower()
        if suffix in (".yaml", ".yml") or (yaml_unless_json and suffix != ".json"):
            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProviderError(
            f"{what} {path!r} is not valid JSON: {exc.msg} at line {exc.lineno}", NAME
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise ProviderError(f"{what} {path!r} is not valid YAML: {problem}{where}", NAME) from None
    if not isinstance(data, dict):
        raise ProviderError(f"{what} {path!r} must hold a mapping at the top", NAME)
    _check_size(data)
    return data


_ALIAS = re.compile(r"\{([^{}]+)\}")
_TYPE_ALIASES = {"fontFamilies": "fontFamily", "borderRadius": "dimension"}


@dataclass
class _Token:
    raw: Any
    own_type: str | None
    group_type: str | None
    order: int


class _TokenTree:
    """The tokens of a DTCG file by dotted path, with aliases resolved on demand."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.tokens: dict[str, _Token] = {}
        self._done: dict[str, tuple[Any, str | None]] = {}
        self._walk(data, [], None)

    def _walk(self, node: dict[str, Any], path: list[str], group_type: str | None) -> None:
        own = node.get("$type")
        group_type = own if isinstance(own, str) else group_type
        for key, child in node.items():
            if not isinstance(child, dict) or (key.startswith("$") and key != "$root"):
                continue
            if "$value" in child:
                kind = child.get("$type")
                self.tokens[".".join([*path, key])] = _Token(
                    child["$value"],
                    kind if isinstance(kind, str) else None,
                    group_type,
                    len(self.tokens),
                )
            elif key != "$root":
                self._walk(child, [*path, key], group_type)

    def resolve(self, path: str, chain: tuple[str, ...] = ()) -> tuple[Any, str | None]:
        """(value with every alias resolved, type) of the token at ``path``.

        Raises:
            ProviderError: an alias cycle, or an alias to no token.
        """
        if path in self._done:
            return self._done[path]
        if path in chain:
            loop = " → ".join([*chain[chain.index(path) :], path])
            raise ProviderError(f"token alias cycle: {loop}", NAME)
        token = self.tokens[path]
        chain = (*chain, path)
        target_type: str | None = None
        if isinstance(token.raw, str) and (m := _ALIAS.fullmatch(token.raw.strip())):
            value, target_type = self.resolve(self._target(m.group(1), path), chain)
        else:
            value = self._deep(token.raw, path, chain)
        kind = token.own_type or target_type or token.group_type
        kind = _TYPE_ALIASES.get(kind or "", kind)
        self._done[path] = (value, kind)
        return value, kind

    def _target(self, ref: str, path: str) -> str:
        if ref not in self.tokens:
            raise ProviderError(f"token {path} refers to {{{ref}}}, which is no token", NAME)
        return ref

    def _deep(self, value: Any, path: str, chain: tuple[str, ...]) -> Any:
        if isinstance(value, str) and (m := _ALIAS.fullmatch(value.strip())):
            return self.resolve(self._target(m.group(1), path), chain)[0]
        if isinstance(value, dict):
            return {k: self._deep(v, path, chain) for k, v in value.items()}
        if isinstance(value, list):
            return [self._deep(v, path, chain) for v in value]
        return value


def _from_tokens(data: dict[str, Any]) -> dict[str, FactValue]:
    tree = _TokenTree(data)
    resolved = {path: tree.resolve(path) for path in tree.tokens}  # every cycle is an error
    colors: dict[str, list[tuple[tuple[int, ...], str, Any]]] = {}
    picks = _Picks()
    families: list[tuple[str, Any]] = []
    for path, (value, kind) in resolved.items():
        words = _words(path)
        order = tree.tokens[path].order
        if kind == "color" and (role := color_role(words)) is not None:
            colors.setdefault(role, []).append((_color_rank(role, words, order), path, value))
        elif kind == "fontFamily" and (family := first_family(value)) is not None:
            families.append((path, family))
            if (font := _font_role(words)) is not None:
                picks.offer(font, (0, len(words), order), TextValue(text=family))
        elif kind == "typography" and isinstance(value, dict):
            family = first_family(value.get("fontFamily"))
            if family is not None and (font := _font_role(words)) is not None:
                picks.offer(font, (1, len(words), order), TextValue(text=family))
        elif kind == "dimension":
            _offer_radius(picks, words, value, order)
    if len(families) == 1:
        for font in ("heading_font", "body_font"):
            picks.offer(font, (2,), TextValue(text=families[0][1]))
    fields: dict[str, FactValue] = {}
    for role in COLOR_ROLES:
        if role in colors:
            _, path, value = min(colors[role], key=lambda c: c[0])
            fields[role] = ColorValue(color=_token_color(value, path))
    fields.update(picks.best())
    return fields


def _from_brand_file(data: dict[str, Any], path: str) -> dict[str, FactValue]:
    data = dict(data)
    name = data.pop("name", None)
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ProviderError(f"brand file {path!r}: name must be a non-empty string", NAME)
    logo = data.get("logo")
    try:
        brand = Brand.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"] if not str(p).startswith("function-"))
        message = str(first["msg"]).removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown field"
        raise ProviderError(f"brand file {path!r}: {where or '(root)'}: {message}", NAME) from None
    fields: dict[str, FactValue] = {}
    palette = brand.palette
    for role in COLOR_ROLES:
        if role in palette.model_fields_set:
            fields[role] = ColorValue(color=getattr(palette, role))
    for font, families in (("heading_font", brand.fonts.heading), ("body_font", brand.fonts.body)):
        family = first_family(families)
        if family is not None:
            fields[font] = TextValue(text=family)
    if "radius" in brand.model_fields_set:
        fields["radius"] = NumberValue(value=brand.radius)
    if isinstance(logo, str) and logo.strip():
        logo = logo.strip()
        absolute = logo.startswith(("data:", "http://", "https://")) or Path(logo).is_absolute()
        fields["logo"] = ImageRef(url=logo if absolute else str(Path(path).parent / logo))
    if isinstance(name, str):
        fields["name"] = TextValue(text=name.strip())
    return fields


# --- websites -----------------------------------------------------------------------------


class _PageParser(HTMLParser):
    """Collects what a page says about its brand, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.theme_colors: list[tuple[str, str]] = []  # (content, media)
        self.meta: dict[str, str] = {}
        self.title: str | None = None
        self.manifest: str | None = None
        self.icons: list[tuple[str, dict[str, str]]] = []  # (kind, attributes)
        self.css: list[tuple[str, str]] = []  # ("inline", css) or ("link", href)
        self._text: list[str] | None = None
        self._svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "").strip() for k, v in attrs}
        if tag == "svg":
            self._svg += 1
        elif tag == "base" and self.base is None and a.get("href"):
            self.base = a["href"]
        elif tag == "meta":
            key = (a.get("name") or a.get("property") or "").lower()
            if key == "theme-color" and a.get("content"):
                self.theme_colors.append((a["content"], a.get("media", "").lower()))
            elif key in ("og:site_name", "application-name") and a.get("content"):
                self.meta.setdefault(key, a["content"])
        elif tag == "link" and a.get("href"):
            self._link(a)
        elif (tag == "title" and self.title is None and not self._svg) or (
            tag == "style" and not _print_only(a.get("media", ""))
        ):
            self._text = []

    def _link(self, a: dict[str, str]) -> None:
        rels = set(a.get("rel", "").lower().split())
        if "stylesheet" in rels:
            if (
                "alternate" not in rels
                and "disabled" not in a
                and not _print_only(a.get("media", ""))
            ):
                self.css.append(("link", a["href"]))
        elif "manifest" in rels:
            self.manifest = self.manifest or a["href"]
        elif rels & {"apple-touch-icon", "apple-touch-icon-precomposed"}:
            self.icons.append(("apple", a))
        elif "icon" in rels:
            svg = a.get("type", "").lower() == "image/svg+xml" or a["href"].lower().endswith(".svg")
            self.icons.append(("svg" if svg else "icon", a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg = max(0, self._svg - 1)
        elif tag in ("title", "style") and self._text is not None:
            text = "".join(self._text)
            if tag == "title":
                self.title = " ".join(text.split())
            else:
                self.css.append(("inline", text))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _print_only(media: str) -> bool:
    return media.strip().lower() == "print"


def _decode(body: bytes) -> str:
    head = body[:2048].decode("ascii", "ignore")
    m = re.search(r"charset=[\"']?([\w-]+)", head, re.IGNORECASE)
    for encoding in ([m.group(1)] if m else []) + ["utf-8-sig"]:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", "replace")


def _css_rules(css: str) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(prelude, declarations, enclosing preludes) of every innermost rule."""
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


def _declarations(body: str) -> Iterator[tuple[str, str]]:
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


def _substitute(value: str, props: dict[str, str], depth: int = 0) -> str | None:
    """``value`` with ``var(--x, fallback)`` replaced; None when one cannot be resolved."""
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
    inner = _substitute(replacement, props, depth + 1)
    if inner is None:
        return None
    return _substitute(value[:at] + inner + value[end + 1 :], props, depth + 1)


_ROOTS = frozenset({":root", "html", ":host"})


def _skipped_context(context: tuple[str, ...]) -> bool:
    for prelude in context:
        text = prelude.lower()
        if text.startswith("@media") and (
            re.search(r"prefers-color-scheme\s*:\s*dark", text) or re.search(r"\bprint\b", text)
        ):
            return True
    return False


def _from_css(sheets: list[str]) -> tuple[_Picks, dict[str, str]]:
    """Roles from custom properties and fonts; also ``body``'s colours for fallbacks."""
    props: dict[str, str] = {}
    elements: dict[str, dict[str, str]] = {}
    for css in sheets:
        for prelude, body, context in _css_rules(css):
            if prelude.startswith("@") or _skipped_context(context):
                continue
            selectors = {" ".join(s.split()).lower() for s in prelude.split(",")}
            declared = list(_declarations(body))
            if selectors & _ROOTS:
                props.update((k.lower(), v) for k, v in declared if k.startswith("--"))
            for element in selectors & {"body", "html", "h1", "h2", "h3"}:
                elements.setdefault(element, {}).update((k.lower(), v) for k, v in declared)
    picks = _Picks()
    for order, (prop, raw) in enumerate(props.items()):
        value = _substitute(raw, props)
        if value is None:
            continue
        words = _words(prop)
        color = parse_css_color(value)
        if color is not None and (role := color_role(words)) is not None:
            picks.offer(role, _color_rank(role, words, order), ColorValue(color=color))
        elif set(words) & {"font", "family", "typeface"} and (font := _font_role(words)):
            if (family := first_family(value)) is not None:
                picks.offer(font, (1, len(words), order), TextValue(text=family))
        else:
            _offer_radius(picks, words, value, order)
    element_fonts = [("h1", "heading_font"), ("h2", "heading_font"), ("h3", "heading_font")]
    element_fonts += [("body", "body_font"), ("html", "body_font")]
    for rank, (element, font) in enumerate(element_fonts):
        declared_font = elements.get(element, {}).get("font-family")
        value = _substitute(declared_font, props) if declared_font else None
        if value and (family := first_family(value)) is not None:
            picks.offer(font, (0, rank), TextValue(text=family))
    fallbacks: dict[str, str] = {}
    body_rule = elements.get("body", {})
    for prop, role in (("background-color", "background"), ("background", "background")):
        value = _substitute(body_rule[prop], props) if prop in body_rule else None
        if value and (color := parse_css_color(value)) and role not in fallbacks:
            fallbacks[role] = color
    value = _substitute(body_rule["color"], props) if "color" in body_rule else None
    if value and (color := parse_css_color(value)):
        fallbacks["text"] = color
    return picks, fallbacks


def _absolute(href: str, base: str) -> str | None:
    url = urljoin(base, href.strip()).split("#", 1)[0]
    return url if urlsplit(url).scheme in ("http", "https") else None


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, (parts.hostname or "").lower(), port


def _sizes(text: str) -> tuple[float, int | None, int | None]:
    """(largest side, width, height) from a ``sizes`` attribute; ``any`` is infinite."""
    best: tuple[float, int | None, int | None] = (0.0, None, None)
    for size in text.lower().split():
        if size == "any":
            best = max(best, (math.inf, None, None), key=lambda b: b[0])
        elif m := re.fullmatch(r"(\d+)x(\d+)", size):
            w, h = int(m.group(1)), int(m.group(2))
            best = max(best, (float(max(w, h)), w, h), key=lambda b: b[0])
    return best


@dataclass
class _Fetcher:
    http: HttpClient
    left: int = MAX_REQUESTS

    async def get(self, url: str, accept: str, *, optional: bool = True) -> bytes | None:
        """The body, or None for an optional resource that failed or is over the cap.

        Raises:
            UnsafeURLError: the guard refused the URL or a redirect (never skipped).
        """
        if self.left <= 0:
            return None
        self.left -= 1
        try:
            return await self.http.get_bytes(url, provider=NAME, headers={"Accept": accept})
        except UnsafeURLError:
            raise
        except ProviderError:
            if optional:
                return None
            raise


def _manifest_fields(body: bytes | None, url: str) -> tuple[dict[str, Any], ImageRef | None]:
    try:
        data = json.loads(body) if body is not None else None
    except (json.JSONDecodeError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        return {}, None
    best: tuple[tuple[int, float], ImageRef] | None = None
    icons = data.get("icons")
    for icon in icons if isinstance(icons, list) else []:
        if not isinstance(icon, dict) or not isinstance(icon.get("src"), str):
            continue
        purposes = set(str(icon.get("purpose", "any")).lower().split())
        src = _absolute(icon["src"], url)
        if src is None or not purposes & {"any", "maskable"}:
            continue
        side, width, height = _sizes(str(icon.get("sizes", "")))
        rank = (0 if "any" in purposes else 1, -side)
        if best is None or rank < best[0]:
            best = (rank, ImageRef(url=src, width=width, height=height))
    return data, best[1] if best else None


def _link_logo(parser: _PageParser, base: str) -> ImageRef | None:
    for kind in ("apple", "svg", "icon"):
        best: tuple[float, ImageRef] | None = None
        for found, attrs in parser.icons:
            url = _absolute(attrs["href"], base) if found == kind else None
            if url is None:
                continue
            side, width, height = _sizes(attrs.get("sizes", ""))
            if best is None or side > best[0]:
                best = (side, ImageRef(url=url, width=width, height=height))
        if best is not None:
            return best[1]
    return None


def _theme_color(parser: _PageParser) -> str | None:
    choices = sorted(
        parser.theme_colors,
        key=lambda c: 0 if not c[1] else (1 if "light" in c[1] else 2),
    )
    for content, _ in choices:
        if (color := parse_css_color(content)) is not None:
            return color
    return None


async def _from_website(url: str, http: HttpClient) -> dict[str, FactValue]:
    if urlsplit(url).scheme not in ("http", "https"):
        raise UnsafeURLError("a brand website must be an http(s) URL", url)
    fetcher = _Fetcher(http)
    page = await fetcher.get(url, "text/html,application/xhtml+xml", optional=False)
    parser = _PageParser()
    parser.feed(_decode(page or b""))
    parser.close()
    base = (_absolute(parser.base, url) if parser.base else None) or url

    manifest: dict[str, Any] = {}
    manifest_logo: ImageRef | None = None
    manifest_url = _absolute(parser.manifest, base) if parser.manifest else None
    if manifest_url is not None:
        body = await fetcher.get(manifest_url, "application/manifest+json,application/json")
        manifest, manifest_logo = _manifest_fields(body, manifest_url)

    sheets: list[str] = []
    linked = 0
    for kind, text in parser.css:
        if kind == "inline":
            sheets.append(text)
            continue
        href = _absolute(text, base)
        if href is None or _origin(href) != _origin(url) or linked >= MAX_STYLESHEETS:
            continue
        linked += 1
        css = await fetcher.get(href, "text/css,*/*;q=0.1")
        if css is not None:
            sheets.append(css.decode("utf-8", "replace"))
    picks, body_colors = _from_css(sheets)

    fields = picks.best()
    fallbacks: list[tuple[str, str | None]] = [
        ("primary", _theme_color(parser)),
        ("primary", _manifest_color(manifest, "theme_color")),
        ("background", body_colors.get("background")),
        ("background", _manifest_color(manifest, "background_color")),
        ("text", body_colors.get("text")),
    ]
    for role, color in fallbacks:
        if color is not None and role not in fields:
            fields[role] = ColorValue(color=color)
    logo = manifest_logo or _link_logo(parser, base)
    if logo is not None:
        fields["logo"] = logo
    names = [manifest.get("name"), manifest.get("short_name")]
    names += [parser.meta.get("og:site_name"), parser.meta.get("application-name"), parser.title]
    name = next((n.strip() for n in names if isinstance(n, str) and n.strip()), None)
    if name is not None:
        fields["name"] = TextValue(text=name)
    return fields


def _manifest_color(manifest: dict[str, Any], key: str) -> str | None:
    value = manifest.get(key)
    return parse_css_color(value) if isinstance(value, str) else None


# --- the provider -------------------------------------------------------------------------


class BrandParams(Params):
    tokens: str | None = Field(None, min_length=1, max_length=4096)
    file: str | None = Field(None, min_length=1, max_length=4096)
    url: str | None = Field(None, min_length=1, max_length=2048)
    name: str | None = Field(None, min_length=1, max_length=200)


class BrandProvider:
    """Brand kits: DTCG design tokens, factframe brand files, or a website."""

    name = NAME
    offline_capable = True  # files work offline; a website needs the network

    async def fetch(self, request: FactRequest, ctx: ProviderContext) -> Fact:
        params = parse_params(self.name, BrandParams, request)
        given = [k for k in ("tokens", "file", "url") if getattr(params, k) is not None]
        if len(given) != 1:
            got = ", ".join(given) or "none"
            raise ProviderError(
                f"give exactly one of the parameters 'tokens', 'file' or 'url' (got: {got})",
                self.name,
            )
        fields: dict[str, FactValue]
        if params.url is not None:
            source = params.url
            if ctx.http is None or ctx.offline:
                raise ProviderError(
                    "a brand website needs the network (offline)", self.name, source
                )
            fields = await _from_website(params.url, ctx.http)
        elif params.tokens is not None:
            source = params.tokens
            fields = _from_tokens(_load(source, "design tokens file", yaml_unless_json=False))
        else:
            source = params.file or ""
            fields = _from_brand_file(_load(source, "brand file", yaml_unless_json=True), source)
        if not fields:
            raise ProviderError(
                f"found no brand colours, fonts, logo, radius or name in {source!r}", self.name
            )
        if params.name is not None:
            fields["name"] = TextValue(text=params.name)
        order = [*COLOR_ROLES, "heading_font", "body_font", "logo", "name", "radius"]
        fields = {k: fields[k] for k in order if k in fields}
        is_web = params.url is not None
        named = fields.get("name")
        shown = named.text if isinstance(named, TextValue) else source
        return Fact(
            key=request.key(),
            label=f"brand of {shown}",
            value=RecordValue(fields=fields),
            provenance=Provenance(
                provider=self.name,
                source=source,
                retrieved_at=ctx.now,
                valid_until=ctx.now + WEBSITE_TTL if is_web else None,
                method="fetched" if is_web else "user",
            ),
        )


PROVIDERS.register("brand", BrandProvider())
