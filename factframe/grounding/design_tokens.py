"""Design tokens → brand roles: reading DTCG token files, and the naming rules that map a
token's (or a CSS custom property's) name to a palette role, a font role or the radius.

**DTCG** (Design Tokens Format Module, :class:`TokenTree`): an object with ``$value`` is a
token, any other object a group; ``$``-keys are properties (a group's ``$root`` token is a
token); a token's type is its ``$type``, else its alias target's type, else the closest
group ``$type``; ``"{group.token}"`` aliases are resolved, also inside composite values,
and a cycle or an unknown target is an error. Colours (:func:`token_color`): a CSS colour
string (hex per the older drafts), or ``{colorSpace, components, alpha, hex}`` — srgb,
srgb-linear, hsl and hwb are converted, other spaces use their ``hex`` fallback or fail.
``$extends`` and ``$ref`` are not supported. Tokens Studio's ``fontFamilies`` and
``borderRadius`` types read as ``fontFamily`` and ``dimension``.

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

**Radius.** A dimension token (or Tokens Studio ``borderRadius``) or custom property whose
name has radius, radii, rounded or corner, in px (``8``, ``"8px"``, ``{value: 8, unit:
px}``; rem and em are not converted: their base is unknown). Preferred: a name ending in
default, base, md, medium or m; then the fewest words; then the first.

The rules serve :func:`fields_from_tokens` here and the ``brand`` provider's reading of
website CSS (:mod:`factframe.grounding.brand`), which ranks candidates the same way with
:class:`RankedPicks`.

Docs: https://www.designtokens.org/tr/drafts/format/
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from factframe.errors import ProviderError
from factframe.grounding.css import (
    first_family,
    hsl_to_rgb,
    hwb_to_rgb,
    parse_css_color,
    parse_number,
    rgb_to_hex,
)
from factframe.knowledge import ColorValue, FactValue, NumberValue, TextValue

__all__ = [
    "COLOR_ROLES",
    "RankedPicks",
    "Token",
    "TokenTree",
    "color_rank",
    "color_role",
    "fields_from_tokens",
    "font_role",
    "name_words",
    "offer_radius",
    "token_color",
]

#: The colour fields, in the order they are reported.
COLOR_ROLES = ("primary", "secondary", "accent", "background", "surface", "text", "muted")
_PROVIDER = "brand"  # the provider these files are read for, named in its errors

# --- colours ------------------------------------------------------------------------------


def _srgb_encode(c: float) -> float:
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def token_color(value: Any, where: str) -> str:
    """A DTCG colour value (a CSS colour string or a colour object) as hex.

    Args:
        value: the token's resolved ``$value``.
        where: the token's path, for error messages.

    Raises:
        ProviderError: not a colour, or a colour space that is not converted and has no
            ``hex`` fallback.

    >>> token_color({"colorSpace": "hsl", "components": [300, 100, 50]}, "brand")
    '#ff00ff'
    """
    if isinstance(value, str):
        color = parse_css_color(value)
        if color is None:
            raise ProviderError(f"token {where}: {value!r} is not a colour", _PROVIDER)
        return color
    if not isinstance(value, dict):
        raise ProviderError(f"token {where}: a colour must be a string or an object", _PROVIDER)
    space = value.get("colorSpace")
    alpha = value.get("alpha", 1)
    if not isinstance(alpha, int | float) or not 0 <= alpha <= 1:
        raise ProviderError(f"token {where}: alpha must be a number from 0 to 1", _PROVIDER)
    raw = value.get("components")
    comps = (
        [0.0 if c == "none" else c for c in raw]
        if isinstance(raw, list) and len(raw) == 3
        else None
    )
    if comps is None or not all(isinstance(c, int | float) for c in comps):
        raise ProviderError(f"token {where}: components must be 3 numbers (or 'none')", _PROVIDER)
    c1, c2, c3 = (float(c) for c in comps)
    rgb: tuple[float, float, float] | None = None
    if space in ("srgb", "srgb-linear"):
        if not all(-1e-9 <= c <= 1 + 1e-9 for c in (c1, c2, c3)):
            raise ProviderError(f"token {where}: {space} components must be 0–1", _PROVIDER)
        rgb = (c1, c2, c3)
        if space == "srgb-linear":
            rgb = (_srgb_encode(c1), _srgb_encode(c2), _srgb_encode(c3))
    elif space in ("hsl", "hwb"):
        if not (0 <= c2 <= 100 and 0 <= c3 <= 100):
            raise ProviderError(
                f"token {where}: {space} components 2 and 3 must be 0–100", _PROVIDER
            )
        rgb = (hsl_to_rgb if space == "hsl" else hwb_to_rgb)(c1 % 360, c2 / 100, c3 / 100)
    elif isinstance(fallback := value.get("hex"), str) and re.fullmatch(
        r"#[0-9a-fA-F]{6}", fallback
    ):
        r, g, b = (int(fallback[i : i + 2], 16) / 255 for i in (1, 3, 5))
        rgb = (r, g, b)
    if rgb is None:
        raise ProviderError(
            f"token {where}: colour space {space!r} is not converted here; give the token a "
            "'hex' fallback (#rrggbb)",
            _PROVIDER,
        )
    return rgb_to_hex(*rgb, a=float(alpha))


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


def name_words(name: str) -> list[str]:
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


def font_role(words: list[str]) -> str | None:
    """``heading_font`` or ``body_font`` by a font name's words (heading words win), or None."""
    found = set(words)
    if found & _HEADING:
        return "heading_font"
    if found & _BODY:
        return "body_font"
    return None


def color_rank(role: str, words: list[str], order: int) -> tuple[int, int, int, int]:
    """The rank of a name among those of one colour role (lower is better; module docs).

    Args:
        role: the role the name gives.
        words: the name's words.
        order: the name's place in its file, breaking the last tie.
    """
    texty = 0 if role != "muted" or set(words) & _TEXTS else 1
    last = words[-1] if words else ""
    step = abs(int(last) - 500) if last.isdigit() else -1
    return texty, step, len(words), order


def _px(value: Any) -> float | None:
    if isinstance(value, dict):
        if value.get("unit") == "px" and isinstance(value.get("value"), int | float):
            return float(value["value"])
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        text = value.strip().lower().removesuffix("px")
        number = parse_number(text)
        return number
    return None


@dataclass
class RankedPicks:
    """Candidates per field, each with a rank; the lowest rank wins."""

    ranked: dict[str, list[tuple[tuple[int, ...], FactValue]]] = field(default_factory=dict)

    def offer(self, key: str, rank: tuple[int, ...], value: FactValue) -> None:
        """Adds a candidate for field ``key``."""
        self.ranked.setdefault(key, []).append((rank, value))

    def best(self) -> dict[str, FactValue]:
        """The best candidate of each field offered (the first of equal ranks)."""
        return {k: min(v, key=lambda item: item[0])[1] for k, v in self.ranked.items()}


def offer_radius(picks: RankedPicks, words: list[str], value: Any, order: int) -> None:
    """Offers ``value`` as the radius when the name is a radius' and the value px."""
    px = _px(value)
    if set(words) & _RADIUS and px is not None and 0 <= px <= 10_000:
        rank = (0 if words[-1] in _DEFAULT_SIZE else 1, len(words), order)
        picks.offer("radius", rank, NumberValue(value=px))


# --- DTCG files ---------------------------------------------------------------------------

_ALIAS = re.compile(r"\{([^{}]+)\}")
_TYPE_ALIASES = {"fontFamilies": "fontFamily", "borderRadius": "dimension"}


@dataclass
class Token:
    """A token as written: its raw ``$value``, own and inherited group ``$type``, place."""

    raw: Any
    own_type: str | None
    group_type: str | None
    order: int


class TokenTree:
    """The tokens of a DTCG file by dotted path, with aliases resolved on demand."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.tokens: dict[str, Token] = {}
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
                self.tokens[".".join([*path, key])] = Token(
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
            raise ProviderError(f"token alias cycle: {loop}", _PROVIDER)
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
            raise ProviderError(f"token {path} refers to {{{ref}}}, which is no token", _PROVIDER)
        return ref

    def _deep(self, value: Any, path: str, chain: tuple[str, ...]) -> Any:
        if isinstance(value, str) and (m := _ALIAS.fullmatch(value.strip())):
            return self.resolve(self._target(m.group(1), path), chain)[0]
        if isinstance(value, dict):
            return {k: self._deep(v, path, chain) for k, v in value.items()}
        if isinstance(value, list):
            return [self._deep(v, path, chain) for v in value]
        return value


def fields_from_tokens(data: dict[str, Any]) -> dict[str, FactValue]:
    """The brand fields a DTCG file's tokens give, by the naming rules of the module docs.

    Args:
        data: the parsed token file.

    Returns:
        The colour roles, ``heading_font``, ``body_font`` and ``radius`` found, none
        invented; tokens whose names match no rule are not reported.

    Raises:
        ProviderError: an alias cycle or an alias to no token (anywhere in the file), or a
            colour a role needs that cannot be read.
    """
    tree = TokenTree(data)
    resolved = {path: tree.resolve(path) for path in tree.tokens}  # every cycle is an error
    colors: dict[str, list[tuple[tuple[int, ...], str, Any]]] = {}
    picks = RankedPicks()
    families: list[tuple[str, Any]] = []
    for path, (value, kind) in resolved.items():
        words = name_words(path)
        order = tree.tokens[path].order
        if kind == "color" and (role := color_role(words)) is not None:
            colors.setdefault(role, []).append((color_rank(role, words, order), path, value))
        elif kind == "fontFamily" and (family := first_family(value)) is not None:
            families.append((path, family))
            if (font := font_role(words)) is not None:
                picks.offer(font, (0, len(words), order), TextValue(text=family))
        elif kind == "typography" and isinstance(value, dict):
            family = first_family(value.get("fontFamily"))
            if family is not None and (font := font_role(words)) is not None:
                picks.offer(font, (1, len(words), order), TextValue(text=family))
        elif kind == "dimension":
            offer_radius(picks, words, value, order)
    if len(families) == 1:
        for font in ("heading_font", "body_font"):
            picks.offer(font, (2,), TextValue(text=families[0][1]))
    fields: dict[str, FactValue] = {}
    for role in COLOR_ROLES:
        if role in colors:
            _, path, value = min(colors[role], key=lambda c: c[0])
            fields[role] = ColorValue(color=token_color(value, path))
    fields.update(picks.best())
    return fields
