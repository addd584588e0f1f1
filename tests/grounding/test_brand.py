"""The brand provider: DTCG tokens, brand files and websites, against hand-written fixtures."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

import factframe.grounding.brand as brand
from factframe.errors import GroundingError, ProviderError, UnsafeURLError
from factframe.grounding import PROVIDERS, HttpClient, HttpPolicy, ProviderContext, resolve_sync
from factframe.knowledge import Fact, FactRequest, ImageRef
from tests.grounding.mock import FIXTURES, NOW, PUBLIC_DNS, Routes, run_provider

TOKENS = str(FIXTURES / "brand_tokens.json")
SITE = "https://www.northwind.example/about/"
HOST = "www.northwind.example"
#: the fixture site: the page, and what its <base href="/static/"> makes of its links
SITE_ROUTES: Routes = {
    f"{HOST}/about/": "brand_site.html",
    f"{HOST}/static/site.webmanifest": "brand_manifest.json",
    f"{HOST}/static/css/main.css": "brand_site.css",
    f"{HOST}/static/icons/icon-512.png": "brand_logo.png",
}
#: a 3×2 PNG, and how the provider inlines it
LOGO_PNG = (FIXTURES / "brand_logo.png").read_bytes()
LOGO_URI = "data:image/png;base64," + base64.b64encode(LOGO_PNG).decode()


def fields(fact: Fact) -> dict[str, Any]:
    """The record's fields as plain JSON values, for exact comparisons."""
    record = fact.value.model_dump(mode="json")
    assert record["kind"] == "record"
    plain: dict[str, Any] = {}
    for name, value in record["fields"].items():
        kind = value["kind"]
        plain[name] = value[{"color": "color", "text": "text", "image": "url"}.get(kind, "value")]
    return plain


def offline(params: dict[str, Any], ctx: ProviderContext | None = None) -> Fact:
    request = FactRequest(provider="brand", params=params)
    fact = asyncio.run(PROVIDERS.get("brand").fetch(request, ctx or ProviderContext(now=NOW)))
    assert fact.key == request.key()
    return fact


def write(tmp_path: Path, name: str, content: str | dict[str, Any]) -> str:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, encoding="utf-8")
    return str(path)


def page(html: str) -> tuple[int, bytes]:
    return 200, html.encode()


def run_site(
    handler: Callable[[httpx.Request], httpx.Response], url: str, seen: list[httpx.Request]
) -> Fact:
    """Like ``run_provider`` but with a hand-written handler (for redirects); every request
    that reaches the transport is appended to ``seen``."""

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    async def go() -> Fact:
        http = HttpClient(
            guard=PUBLIC_DNS,
            transport=httpx.MockTransport(record),
            policy=HttpPolicy(retries=0),
            rate_limits={},
        )
        async with http:
            ctx = ProviderContext(http=http, now=NOW)
            request = FactRequest(provider="brand", params={"url": url})
            return await PROVIDERS.get("brand").fetch(request, ctx)

    return asyncio.run(go())


# --- DTCG tokens --------------------------------------------------------------------------


def test_design_tokens_become_roles_with_aliases_and_inherited_types() -> None:
    fact = offline({"tokens": TOKENS})
    assert fields(fact) == {
        "primary": "#0b3d91ff",  # alias → a token typed only by its grand-parent group
        "secondary": "#3a6ea5ff",
        "accent": "#ffb300ff",  # srgb object [1, 0.702, 0]; the untyped legacy.accent is ignored
        "background": "#f5f7fbff",
        "surface": "#fdfcf8ff",  # theme.card: no $type anywhere, typed by its alias target
        "text": "#14213dff",  # srgb object without hex
        "muted": "#4d576aff",  # text.secondary = hsl(220 16% 36%)
        "heading_font": "Playfair Display",
        "body_font": "Inter",  # font.family.body → {font.family.sans}, generics dropped
        "radius": 12.0,  # radius.md among sm/md/lg
    }
    p = fact.provenance
    assert (p.provider, p.source, p.method) == ("brand", TOKENS, "user")
    assert p.retrieved_at == NOW and p.valid_until is None


def test_an_alias_cycle_is_an_error_naming_the_chain() -> None:
    with pytest.raises(ProviderError, match=r"alias cycle: color\.primary → color\.link → "):
        offline({"tokens": str(FIXTURES / "brand_tokens_cycle.json")})


def test_an_alias_to_no_token_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "t.json", {"color": {"$type": "color", "primary": {"$value": "{x.y}"}}})
    with pytest.raises(ProviderError, match=r"token color\.primary refers to \{x\.y\}"):
        offline({"tokens": path})


def test_one_font_family_serves_both_roles_and_root_tokens(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "t.json",
        {
            "typeface": {"$type": "fontFamily", "brand": {"$value": "'Work Sans', sans-serif"}},
            "color": {"accent": {"$root": {"$type": "color", "$value": "#dd0000"}}},
            # vendor data, not tokens
            "$extensions": {"com.example": {"surface": {"$type": "color", "$value": "#00ff00"}}},
        },
    )
    assert fields(offline({"tokens": path, "name": "Acme"})) == {
        "accent": "#dd0000ff",
        "heading_font": "Work Sans",
        "body_font": "Work Sans",
        "name": "Acme",
    }


def test_a_colour_the_role_needs_but_cannot_be_read_is_an_error(tmp_path: Path) -> None:
    oklch = {"colorSpace": "oklch", "components": [0.6, 0.2, 250]}
    path = write(tmp_path, "t.json", {"primary": {"$type": "color", "$value": oklch}})
    with pytest.raises(ProviderError, match=r"token primary: colour space 'oklch'.*'hex'"):
        offline({"tokens": path})


# --- brand files --------------------------------------------------------------------------


def test_a_brand_file_reports_only_what_it_gives() -> None:
    path = str(FIXTURES / "brand.yaml")
    fact = offline({"file": path})
    assert fields(fact) == {
        "primary": "#6f4e37ff",
        "accent": "#e0a458ff",
        "background": "#fff8f0ff",  # no secondary, surface, text, muted: Palette's defaults
        "heading_font": "Fraunces",
        "body_font": "Inter",
        "logo": str(FIXTURES / "logos" / "harbour.svg"),  # relative to the brand file
        "name": "Harbour Coffee",
        "radius": 16.0,
    }
    assert (fact.provenance.method, fact.provenance.source) == ("user", path)
    assert fact.provenance.valid_until is None
    assert fact.label == "brand of Harbour Coffee"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("palette:\n  primary: bluish\n", r"palette\.primary: 'bluish' is not a colour"),
        ("pallete:\n  primary: '#000000'\n", r"pallete: unknown field"),
        ("radius: -4\n", r"radius: Input should be greater than or equal to 0"),
        ("fonts:\n  heading: 12\n", r"fonts\.heading"),
        ("name: ''\n", r"name must be a non-empty string"),
        ("- a list\n", r"must hold a mapping"),
        ("palette: {primary: [\n", r"not valid YAML: .* at line"),
    ],
)
def test_a_bad_brand_file_names_the_field(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(ProviderError, match=message) as info:
        offline({"file": write(tmp_path, "brand.yaml", content)})
    assert "brand.yaml" in str(info.value)


def test_an_empty_brand_file_finds_nothing(tmp_path: Path) -> None:
    with pytest.raises(ProviderError, match="found no brand colours"):
        offline({"file": write(tmp_path, "brand.json", "{}")})


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere" / "tokens.json")
    with pytest.raises(ProviderError, match=r"cannot read design tokens file '.*nowhere/tokens"):
        offline({"tokens": missing})
    with pytest.raises(ProviderError, match=r"cannot read brand file '.*nowhere/tokens\.json'"):
        offline({"file": missing})


def test_yaml_alias_bombs_are_refused(tmp_path: Path) -> None:
    # 7 levels of 10 aliases each: a 1 kB file that expands to 10 million values
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 8)]
    with pytest.raises(ProviderError, match="more than 200,000 values"):
        offline({"file": write(tmp_path, "bomb.yaml", "\n".join(lines))})


@pytest.mark.parametrize(
    "params",
    [{}, {"tokens": TOKENS, "file": TOKENS}, {"name": "Acme"}],
)
def test_exactly_one_source(params: dict[str, Any]) -> None:
    with pytest.raises(ProviderError, match="exactly one of the parameters 'tokens', 'file'"):
        offline(params)


def test_unknown_parameters_are_refused() -> None:
    with pytest.raises(ProviderError, match="parameter 'colour': unknown parameter"):
        offline({"tokens": TOKENS, "colour": "red"})


def test_files_resolve_offline_through_the_resolver() -> None:
    resolution = resolve_sync({"kit": {"provider": "brand", "tokens": TOKENS}}, offline=True)
    assert resolution.facts["kit"].value.fields["primary"].color == "#0b3d91ff"  # type: ignore[union-attr]
    assert PROVIDERS.get("brand").offline_capable


# --- websites -----------------------------------------------------------------------------


def test_a_website_gives_css_roles_manifest_logo_and_name() -> None:
    fact, seen = run_provider("brand", {"url": SITE}, SITE_ROUTES)
    assert fields(fact) == {
        "primary": "#1f6f5cff",  # --nw-primary: rgb(31 111 92); not the hover variant
        "secondary": "#2a586fff",  # var(--nw-teal-800, …) → hsl(200, 45%, 30%)
        "accent": "#f2a541ff",  # inline <style>
        "background": "#fbfaf7ff",  # the light value, not the dark @media or [data-theme]
        "surface": "#ffffffff",  # named colour
        "text": "#1b1f23ff",  # var(--nw-gray-900) resolved
        "muted": "#5c6670ff",
        "heading_font": "Fraunces",  # h1 → var(--font-display)
        "body_font": "Source Sans 3",  # -apple-system, BlinkMacSystemFont dropped
        "logo": LOGO_URI,  # the manifest's largest icon, fetched and inlined
        "logo_url": "https://www.northwind.example/static/icons/icon-512.png",
        "name": "Northwind Outfitters",
        "radius": 10.0,
    }
    logo = fact.value.fields["logo"]  # type: ignore[union-attr]
    assert (logo.width, logo.height) == (3, 2)  # type: ignore[union-attr]  # the real size
    # the page, its manifest, its one same-origin screen stylesheet and the logo: the
    # cross-origin, print and alternate sheets are not fetched
    paths = [r.url.path for r in seen]
    assert paths == [
        "/about/",
        "/static/site.webmanifest",
        "/static/css/main.css",
        "/static/icons/icon-512.png",
    ]
    assert {r.headers["Host"] for r in seen} == {HOST}
    assert seen[2].url.query == b"v=42"
    assert seen[0].headers["Accept"] == "text/html,application/xhtml+xml"
    assert seen[3].headers["Accept"].startswith("image/")
    p = fact.provenance
    assert (p.provider, p.source, p.method) == ("brand", SITE, "fetched")
    assert p.valid_until == NOW + brand.WEBSITE_TTL and brand.WEBSITE_TTL.days == 7


def test_meta_theme_color_link_icons_and_title_when_that_is_all() -> None:
    html = """<html><head><title>  Acme
      Rockets </title>
      <meta name="theme-color" content="#000000" media="(prefers-color-scheme: dark)">
      <meta name="theme-color" content="hsl(210 80% 40%)" media="(prefers-color-scheme: light)">
      <link rel="icon" href="/favicon-16.png" sizes="16x16">
      <link rel="icon" href="/favicon-48.png" sizes="48x48">
      <link rel="shortcut icon" href="/icon.svg" type="image/svg+xml">
      <link rel="apple-touch-icon" href="touch/apple-152.png" sizes="152x152">
      <link rel="apple-touch-icon" href="touch/apple-180.png" sizes="180x180">
      <style media="print">:root { --primary: #ff0000; }</style>
    </head><body style="color: red"></body></html>"""
    routes: Routes = {"acme.example/en/home": page(html)}
    fact, seen = run_provider("brand", {"url": "https://acme.example/en/home"}, routes)
    assert fields(fact) == {
        "primary": "#1466b8ff",  # the light theme-color; print CSS ignored
        "logo_url": "https://acme.example/en/touch/apple-180.png",  # relative to the page
        "name": "Acme Rockets",
    }
    assert len(seen) == 2  # the page, and the logo (unrouted here, so left out)


def test_icon_preference_without_apple_touch_icons() -> None:
    html = """<link rel="icon" href="/favicon-48.png" sizes="48x48">
      <link rel="icon" href="/logo.svg"><link rel="icon" href="data:image/png;base64,AA==">
      <meta property="og:site_name" content="Acme">"""
    fact, _ = run_provider("brand", {"url": "https://acme.example/"}, {"acme.example/": page(html)})
    assert fields(fact) == {"logo_url": "https://acme.example/logo.svg", "name": "Acme"}


def test_manifest_colours_are_fallbacks_and_failed_resources_are_skipped() -> None:
    html = """<title>Acme home</title><link rel="manifest" href="/app.webmanifest">
      <link rel="stylesheet" href="/gone.css"><link rel="stylesheet" href="/broken.css">"""
    manifest = {
        "name": "Acme",
        "theme_color": "teal",
        "background_color": "#fafafa",
        "icons": [{"src": "/i.png", "sizes": "64x64 128x128"}],
    }
    routes: Routes = {
        "acme.example/": page(html),
        "acme.example/app.webmanifest": (200, json.dumps(manifest).encode()),
        "acme.example/gone.css": (404, b"not found"),
        "acme.example/broken.css": (503, b"unavailable"),
    }
    fact, seen = run_provider("brand", {"url": "https://acme.example/"}, routes)
    assert fields(fact) == {
        "primary": "#008080ff",
        "background": "#fafafaff",
        "logo_url": "https://acme.example/i.png",  # unrouted: a failed logo is skipped too
        "name": "Acme",
    }
    assert len(seen) == 5
    bad_manifest = {**routes, "acme.example/app.webmanifest": (200, b"{not json")}
    fact, _ = run_provider("brand", {"url": "https://acme.example/"}, bad_manifest)
    assert fields(fact) == {"name": "Acme home"}
    with pytest.raises(ProviderError, match="found no brand colours"):
        run_provider("brand", {"url": "https://acme.example/"}, {"acme.example/": page("<p>")})


def test_manifest_icons_skip_monochrome_ones() -> None:
    manifest = {
        "icons": [
            {"src": "mono.svg", "sizes": "any", "purpose": "monochrome"},
            {"src": "mask.png", "sizes": "512x512", "purpose": "maskable"},
            {"src": "small.png", "sizes": "96x96", "purpose": "monochrome maskable"},
        ]
    }
    routes: Routes = {
        "acme.example/": page('<link rel="manifest" href="/app/m.json">'),
        "acme.example/app/m.json": (200, json.dumps(manifest).encode()),
    }
    fact, _ = run_provider("brand", {"url": "https://acme.example/"}, routes)
    assert fields(fact) == {
        "logo_url": "https://acme.example/app/mask.png"
    }  # by the manifest's URL


def test_ranking_among_names_of_one_role() -> None:
    css = """:root {
        --primary-100: #eef2ff; --primary-900: #1e1b4b; --primary-500: #6366f1;
        --muted: #f1f5f9; --muted-foreground: #64748b;
        --radius-sm: 2px; --radius-md: 6px; --radius-xl: 12px;
        --font-heading: Lora, serif; --font-sans: Arial, sans-serif;
    }
    h2 { font-family: "Archivo Black", sans-serif }
    body { font-family: Karla, var(--font-sans) }"""
    routes: Routes = {"acme.example/": page(f"<style>{css}</style>")}
    fact, _ = run_provider("brand", {"url": "https://acme.example/"}, routes)
    # the step nearest 500; muted as text, not shadcn's muted background; the md radius;
    # fonts the elements use before fonts custom properties name
    assert fields(fact) == {
        "primary": "#6366f1ff",
        "muted": "#64748bff",
        "heading_font": "Archivo Black",
        "body_font": "Karla",
        "radius": 6.0,
    }


def test_at_most_three_stylesheets_and_six_requests() -> None:
    links = "".join(f'<link rel="stylesheet" href="/s{i}.css">' for i in range(6))
    html = f'<link rel="manifest" href="/m.json">{links}'
    routes: dict[str, str | tuple[int, str | bytes]] = {
        "acme.example/": page(html),
        "acme.example/m.json": (200, b'{"name": "A"}'),
    }
    for i in range(6):
        routes[f"acme.example/s{i}.css"] = (200, f":root {{ --accent-{i}: red }}".encode())
    _, seen = run_provider("brand", {"url": "https://acme.example/"}, routes)
    assert [r.url.path for r in seen] == ["/", "/m.json", "/s0.css", "/s1.css", "/s2.css"]
    assert len(seen) <= brand.MAX_REQUESTS
    routes["acme.example/"] = page(links)  # no manifest: still only 3 stylesheets
    _, seen = run_provider("brand", {"url": "https://acme.example/"}, routes)
    assert [r.url.path for r in seen] == ["/", "/s0.css", "/s1.css", "/s2.css"]


def test_a_link_to_a_private_address_is_refused_and_never_sent() -> None:
    html = '<link rel="manifest" href="http://10.0.0.1/manifest.json"><title>A</title>'
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=html.encode(), headers={"Content-Type": "text/html"})

    with pytest.raises(UnsafeURLError, match=r"10\.0\.0\.1.*private"):
        run_site(handler, "https://acme.example/", seen)
    assert [str(r.url) for r in seen] == ["https://151.101.1.1/"]  # only the page went out


def test_a_stylesheet_redirected_to_a_private_address_aborts_the_fetch() -> None:
    html = b'<link rel="stylesheet" href="/main.css"><title>Acme</title>'

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/main.css":
            return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/"})
        return httpx.Response(200, content=html, headers={"Content-Type": "text/html"})

    seen: list[httpx.Request] = []
    with pytest.raises(UnsafeURLError, match=r"169\.254\.169\.254.*link-local"):
        run_site(handler, "https://acme.example/", seen)
    assert [r.url.path for r in seen] == ["/", "/main.css"]  # the private hop was never sent


def test_a_refused_redirect_of_the_page_itself_is_refused_too() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "http://[::1]/admin"})

    seen: list[httpx.Request] = []
    with pytest.raises(UnsafeURLError, match="loopback"):
        run_site(handler, "https://acme.example/", seen)
    assert len(seen) == 1


def test_a_cross_origin_stylesheet_is_not_fetched_even_if_private() -> None:
    html = '<link rel="stylesheet" href="http://127.0.0.1:8080/x.css"><title>Acme</title>'
    routes: Routes = {"acme.example/": page(html)}
    fact, seen = run_provider("brand", {"url": "https://acme.example/"}, routes)
    assert fields(fact) == {"name": "Acme"} and len(seen) == 1


def test_websites_need_the_network_and_http() -> None:
    def never(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"offline, yet {request.url} was asked")

    client = HttpClient(guard=PUBLIC_DNS, transport=httpx.MockTransport(never))
    for ctx in (ProviderContext(now=NOW), ProviderContext(http=client, offline=True, now=NOW)):
        with pytest.raises(ProviderError, match="needs the network") as info:
            offline({"url": SITE}, ctx)
        assert info.value.url == SITE
    asyncio.run(client.aclose())
    with pytest.raises(GroundingError, match="needs the network"):
        resolve_sync({"kit": {"provider": "brand", "url": SITE}}, offline=True)
    with pytest.raises(UnsafeURLError, match="http"):
        run_provider("brand", {"url": "file:///etc/passwd"}, {})
    with pytest.raises(ProviderError, match="HTTP 404"):
        run_provider("brand", {"url": SITE}, {f"{HOST}/about/": (404, b"gone")})


# --- website logos ------------------------------------------------------------------------


def logo_site(body: bytes, status: int = 200) -> tuple[Fact, list[httpx.Request]]:
    """A page whose only brand mark is a logo link, the logo answering ``body``."""
    html = '<title>Acme</title><link rel="apple-touch-icon" href="/logo">'
    routes: Routes = {"acme.example/": page(html), "acme.example/logo": (status, body)}
    return run_provider("brand", {"url": "https://acme.example/"}, routes)


def encoded(fmt: str, size: tuple[int, int] = (5, 4)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("body", "mime"),
    [
        (LOGO_PNG, "image/png"),
        (encoded("JPEG"), "image/jpeg"),
        (encoded("GIF"), "image/gif"),
        (encoded("WEBP"), "image/webp"),
    ],
)
def test_a_raster_logo_is_inlined_with_its_type_and_size(body: bytes, mime: str) -> None:
    fact, seen = logo_site(body)  # served as application/json: the bytes decide
    logo = fact.value.fields["logo"]  # type: ignore[union-attr]
    assert isinstance(logo, ImageRef)
    assert logo.url == f"data:{mime};base64," + base64.b64encode(body).decode()
    assert (logo.width, logo.height) == ((3, 2) if body is LOGO_PNG else (5, 4))
    assert fields(fact)["logo_url"] == "https://acme.example/logo"
    assert [r.url.path for r in seen] == ["/", "/logo"]


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg viewBox="0 0 8 8" xmlns="http://www.w3.org/2000/svg"><rect width="8"/></svg>',
        b'\xef\xbb\xbf\n<?xml version="1.0"?>\n<!-- a logo -->\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
)
def test_an_svg_logo_is_inlined_without_a_size(svg: bytes) -> None:
    fact, _ = logo_site(svg)
    logo = fact.value.fields["logo"]  # type: ignore[union-attr]
    assert isinstance(logo, ImageRef)
    assert logo.url == "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    assert (logo.width, logo.height) == (None, None)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"<!doctype html><title>Not found</title>", 200),  # a soft 404
        (b'<?xml version="1.0"?><rss version="2.0"/>', 200),  # XML, but no SVG
        (LOGO_PNG[:40], 200),  # PNG magic, truncated: Pillow cannot read it
        (b"GIF89a" + b"\0" * 20, 200),
        (b"\0\0\1\0\1\0", 200),  # an ICO: not a format we take
        (LOGO_PNG + b"\0" * brand.MAX_LOGO_BYTES, 200),  # over 2 MB
        (LOGO_PNG, 404),
    ],
)
def test_a_logo_that_fails_is_left_out_and_its_url_kept(body: bytes, status: int) -> None:
    fact, seen = logo_site(body, status)
    assert fields(fact) == {"logo_url": "https://acme.example/logo", "name": "Acme"}
    assert len(seen) == 2


def test_the_content_type_alone_does_not_make_an_image() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/logo.png":
            return httpx.Response(200, content=b"<html>", headers={"Content-Type": "image/png"})
        html = b'<link rel="icon" href="/logo.png"><title>Acme</title>'
        return httpx.Response(200, content=html, headers={"Content-Type": "text/html"})

    seen: list[httpx.Request] = []
    fact = run_site(handler, "https://acme.example/", seen)
    assert fields(fact) == {"logo_url": "https://acme.example/logo.png", "name": "Acme"}


def test_the_logo_is_the_sixth_request_at_most() -> None:
    links = "".join(f'<link rel="stylesheet" href="/s{i}.css">' for i in range(6))
    manifest = {"icons": [{"src": "/brand/logo.png", "sizes": "192x192"}]}
    routes: dict[str, str | tuple[int, str | bytes]] = {
        "acme.example/": page(f'<link rel="manifest" href="/m.json">{links}'),
        "acme.example/m.json": (200, json.dumps(manifest).encode()),
        "acme.example/brand/logo.png": "brand_logo.png",
    }
    for i in range(6):
        routes[f"acme.example/s{i}.css"] = (200, f":root {{ --accent-{i}: red }}".encode())
    fact, seen = run_provider("brand", {"url": "https://acme.example/"}, routes)
    paths = [r.url.path for r in seen]
    assert paths == ["/", "/m.json", "/s0.css", "/s1.css", "/s2.css", "/brand/logo.png"]
    assert len(seen) == brand.MAX_REQUESTS == 6
    assert fields(fact)["logo"] == LOGO_URI


def test_a_logo_at_a_private_address_aborts_the_fetch_like_any_resource() -> None:
    html = '<link rel="icon" href="http://192.168.1.1/logo.png"><title>Acme</title>'

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=html.encode(), headers={"Content-Type": "text/html"})

    seen: list[httpx.Request] = []
    with pytest.raises(UnsafeURLError, match=r"192\.168\.1\.1.*private"):
        run_site(handler, "https://acme.example/", seen)
    assert len(seen) == 1  # only the page went out
