"""``brand``: a brand's colours, fonts, logo, name and corner radius, from what it publishes.

Parameters: exactly one of ``tokens`` (a W3C Design Tokens Community Group JSON file),
``file`` (a YAML/JSON file in factframe's own :class:`~factframe.spec.Brand` shape, plus an
optional top-level ``name``) or ``url`` (a website); and an optional ``name`` that is the
brand's name whatever the source says.

The fact is a record of what was actually found, never a default: ``primary``,
``secondary``, ``accent``, ``background``, ``surface``, ``text``, ``muted`` (colours),
``heading_font``, ``body_font`` (the first real family of a font list), ``logo`` (an image
reference), ``logo_url`` (websites: where the logo was found), ``name`` and ``radius``
(px). Files are ``user`` facts that never expire; websites are ``fetched`` facts valid for
7 days.

How names become colour roles, fonts and the radius, and how DTCG token files are read
(groups, inherited ``$type``, aliases, colour objects): :mod:`factframe.grounding.design_tokens`.
How CSS colours, font lists and custom properties are read: :mod:`factframe.grounding.css`.

**Websites**, in at most 6 requests (the page, its manifest, 3 stylesheets, the logo):

- ``primary``: a custom property role, else ``<meta name="theme-color">`` (the one without
  ``media``, else a light one, else the first), else the manifest's ``theme_color``;
  ``background``: a custom property, else ``body``'s background colour, else the manifest's
  ``background_color``; ``text``: a custom property, else ``body``'s ``color``.
- Fonts: ``font-family`` on ``h1``, ``h2``, ``h3`` (in that order) → heading, on ``body``
  then ``html`` → body, then custom properties with font, family or typeface in their
  names, by the words of the font rules.
- CSS is read in document order (inline ``<style>`` and up to 3 same-origin ``<link
  rel=stylesheet>``; print, alternate and cross-origin sheets and ``@import`` are not
  fetched); a later declaration wins.
- The logo: the manifest's largest icon (``purpose`` any before maskable-only; monochrome
  skipped), else the largest ``apple-touch-icon``, else an SVG icon, else the largest icon.
  Only http(s) URLs; ``og:image`` is a share picture, not a logo, and is not used. Its URL
  is ``logo_url``; the image is then fetched (from any origin, through the guard) and,
  when it is a PNG, JPEG, WebP, GIF or SVG by its first bytes (the ``Content-Type`` is not
  trusted) of at most 2 MB, becomes ``logo``: a ``data:`` URI with its pixel size (none for
  SVG), which a spec's brand can use. A logo that fails (HTTP error, not such an image,
  too large) leaves ``logo`` out and keeps ``logo_url``.
- ``name``: the manifest's ``name`` or ``short_name``, else ``og:site_name``, else
  ``application-name``, else ``<title>``.
- Relative URLs resolve against ``<base href>`` or the page URL as given (the client does
  not report a redirect's target); manifest icons against the manifest's URL.
- A manifest, stylesheet or logo that fails (HTTP error, timeout, too large, not JSON) is
  skipped: sites often link stale files. A URL the guard refuses (a private address,
  directly or by redirect) aborts the fetch with :class:`~factframe.errors.UnsafeURLError`:
  a public site pointing into a private network is hostile or broken, and we say so.

Docs: https://developer.mozilla.org/en-US/docs/Web/Manifest
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
import warnings
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from PIL import Image
from pydantic import Field, ValidationError

from factframe.errors import ProviderError, UnsafeURLError
from factframe.grounding.css import first_family, parse_css_color, read_page_styles
from factframe.grounding.design_tokens import (
    COLOR_ROLES,
    RankedPicks,
    color_rank,
    color_role,
    fields_from_tokens,
    font_role,
    name_words,
    offer_radius,
)
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
WEBSITE_TTL = timedelta(days=7)
MAX_REQUESTS = 6  # the page, its manifest, 3 stylesheets, the logo
MAX_STYLESHEETS = 3
MAX_FILE_BYTES = 5_000_000
MAX_LOGO_BYTES = 2_000_000
MAX_NODES = 200_000  # YAML aliases can make a small file a huge tree

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


# --- logos --------------------------------------------------------------------------------

_IMAGE_ACCEPT = "image/png,image/webp,image/jpeg,image/gif,image/svg+xml"
#: Raster logo formats: the magic number that opens the file, MIME type, Pillow format.
_RASTER_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
    (b"GIF87a", "image/gif", "GIF"),
    (b"GIF89a", "image/gif", "GIF"),
)


def _image_type(body: bytes) -> tuple[str, str | None] | None:
    """(MIME type, Pillow format or None for SVG) of a logo file by its first bytes."""
    for magic, mime, pillow in _RASTER_MAGIC:
        if body.startswith(magic):
            return mime, pillow
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "image/webp", "WEBP"
    text = body.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "image/svg+xml", None
    return None


def _raster_size(body: bytes, pillow_format: str) -> tuple[int, int] | None:
    """The pixel size of a raster image Pillow reads as ``pillow_format``, or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(body), formats=[pillow_format]) as img:
                size = img.size
                img.verify()  # chunk checksums (PNG) without decoding the pixels
    except Exception:  # malformed files raise many kinds of error inside Pillow
        return None
    return size


def _inline_logo(body: bytes | None) -> ImageRef | None:
    """The logo as a ``data:`` URI with its pixel size, or None when it is no image we take."""
    if body is None or len(body) > MAX_LOGO_BYTES or (kind := _image_type(body)) is None:
        return None
    mime, pillow_format = kind
    width = height = None
    if pillow_format is not None:
        if (size := _raster_size(body, pillow_format)) is None:
            return None
        width, height = size
    data = base64.b64encode(body).decode("ascii")
    return ImageRef(url=f"data:{mime};base64,{data}", width=width, height=height)


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


#: Elements whose ``font-family`` names a font role, best first.
_ELEMENT_FONTS = (
    ("h1", "heading_font"),
    ("h2", "heading_font"),
    ("h3", "heading_font"),
    ("body", "body_font"),
    ("html", "body_font"),
)


def _from_css(sheets: list[str]) -> tuple[RankedPicks, dict[str, str]]:
    """Roles from custom properties and fonts; also ``body``'s colours for fallbacks."""
    styles = read_page_styles(sheets, [element for element, _ in _ELEMENT_FONTS])
    picks = RankedPicks()
    for order, (prop, raw) in enumerate(styles.custom_properties.items()):
        value = styles.resolve(raw)
        if value is None:
            continue
        words = name_words(prop)
        color = parse_css_color(value)
        if color is not None and (role := color_role(words)) is not None:
            picks.offer(role, color_rank(role, words, order), ColorValue(color=color))
        elif set(words) & {"font", "family", "typeface"} and (font := font_role(words)):
            if (family := first_family(value)) is not None:
                picks.offer(font, (1, len(words), order), TextValue(text=family))
        else:
            offer_radius(picks, words, value, order)
    for rank, (element, font) in enumerate(_ELEMENT_FONTS):
        value = styles.value(element, "font-family")
        if value and (family := first_family(value)) is not None:
            picks.offer(font, (0, rank), TextValue(text=family))
    fallbacks: dict[str, str] = {}
    for prop in ("background-color", "background"):
        value = styles.value("body", prop)
        if value and (color := parse_css_color(value)) and "background" not in fallbacks:
            fallbacks["background"] = color
    value = styles.value("body", "color")
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


def _largest_side(sizes: str) -> float:
    """The largest side an icon's ``sizes`` attribute gives; ``any`` is infinite."""
    best = 0.0
    for size in sizes.lower().split():
        if size == "any":
            best = math.inf
        elif m := re.fullmatch(r"(\d+)x(\d+)", size):
            best = max(best, float(max(int(m.group(1)), int(m.group(2)))))
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


def _manifest_fields(body: bytes | None, url: str) -> tuple[dict[str, Any], str | None]:
    """The manifest's fields and the URL of its best logo icon."""
    try:
        data = json.loads(body) if body is not None else None
    except (json.JSONDecodeError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        return {}, None
    best: tuple[tuple[int, float], str] | None = None
    icons = data.get("icons")
    for icon in icons if isinstance(icons, list) else []:
        if not isinstance(icon, dict) or not isinstance(icon.get("src"), str):
            continue
        purposes = set(str(icon.get("purpose", "any")).lower().split())
        src = _absolute(icon["src"], url)
        if src is None or not purposes & {"any", "maskable"}:
            continue
        rank = (0 if "any" in purposes else 1, -_largest_side(str(icon.get("sizes", ""))))
        if best is None or rank < best[0]:
            best = (rank, src)
    return data, best[1] if best else None


def _link_logo(parser: _PageParser, base: str) -> str | None:
    """The URL of the page's best icon link: apple-touch-icon, SVG, other; largest first."""
    for kind in ("apple", "svg", "icon"):
        best: tuple[float, str] | None = None
        for found, attrs in parser.icons:
            url = _absolute(attrs["href"], base) if found == kind else None
            if url is None:
                continue
            side = _largest_side(attrs.get("sizes", ""))
            if best is None or side > best[0]:
                best = (side, url)
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
    manifest_logo: str | None = None
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
    logo_url = manifest_logo or _link_logo(parser, base)
    if logo_url is not None:
        fields["logo_url"] = TextValue(text=logo_url)
        logo = _inline_logo(await fetcher.get(logo_url, _IMAGE_ACCEPT))
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
            fields = fields_from_tokens(_load(source, "design tokens file", yaml_unless_json=False))
        else:
            source = params.file or ""
            fields = _from_brand_file(_load(source, "brand file", yaml_unless_json=True), source)
        if not fields:
            raise ProviderError(
                f"found no brand colours, fonts, logo, radius or name in {source!r}", self.name
            )
        if params.name is not None:
            fields["name"] = TextValue(text=params.name)
        order = [*COLOR_ROLES, "heading_font", "body_font", "logo", "logo_url", "name", "radius"]
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
