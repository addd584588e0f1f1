"""CSS reading: colour values, font-family lists and root custom properties."""

from __future__ import annotations

from typing import Any

import pytest
from PIL import ImageColor

from factframe.grounding.css import (
    NAMED_COLORS,
    PageStyles,
    first_family,
    parse_css_color,
    read_page_styles,
    substitute_vars,
)


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ("#0B3D91", "#0b3d91"),
        ("#abc", "#aabbcc"),
        ("#abcd", "#aabbccdd"),
        ("#0b3d91ff", "#0b3d91"),
        ("rgb(11, 61, 145)", "#0b3d91"),
        ("rgba(11,61,145,.5)", "#0b3d9180"),
        ("rgb(11 61 145 / 50%)", "#0b3d9180"),
        ("rgb(100%, 0%, 0%)", "#ff0000"),
        ("hsl(120, 100%, 25%)", "#008000"),
        ("hsl(210deg 50% 40% / 0.25)", "#33669940"),
        ("hsla(0.5turn, 100%, 50%, 1)", "#00ffff"),
        ("hwb(0 50% 50%)", "#808080"),
        ("RebeccaPurple", "#663399"),
        ("transparent", "#00000000"),
        ("currentColor", None),
        ("oklch(0.6 0.2 250)", None),
        ("rgb(1, 2)", None),
        ("var(--x)", None),
        ("#12345", None),
    ],
)
def test_css_colours(css: str, expected: str | None) -> None:
    assert parse_css_color(css) == expected


def test_named_colours_match_pillows_table() -> None:
    # Pillow replaces a name's "#rrggbb" in colormap by its RGB tuple once getrgb has read
    # it (other tests do), so compare through getrgb, not the table's values
    for name in ImageColor.colormap:
        r, g, b = ImageColor.getrgb(name)[:3]
        assert parse_css_color(name) == f"#{r:02x}{g:02x}{b:02x}", name
    assert len(NAMED_COLORS) == len(ImageColor.colormap) + 1  # and transparent


@pytest.mark.parametrize(
    ("value", "family"),
    [
        ('-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif', "Segoe UI"),
        ("'Foo, Bar', serif", "Foo, Bar"),
        (["Inter", "system-ui"], "Inter"),
        ("system-ui, sans-serif", None),
        ("Inter  Tight", "Inter Tight"),
        ("var(--font)", None),
    ],
)
def test_first_family(value: Any, family: str | None) -> None:
    assert first_family(value) == family


def test_page_styles_keep_the_light_screen_root_and_the_elements_asked_for() -> None:
    css = """/* :root { --gone: red } */
    :root, .theme { --Brand: #111111; --size: 4px !important }
    @media (prefers-color-scheme: dark) { :root { --brand: #eeeeee } }
    @media print { html { --brand: #000000 } body { color: black } }
    @media screen and (min-width: 40em) { body { color: var(--brand) } }
    @font-face { font-family: X }
    h1 > span { font-family: Nope }"""
    styles = read_page_styles([css, "html { --brand: #222222 }"], ["body", "h1"])
    assert styles == PageStyles(
        custom_properties={"--brand": "#222222", "--size": "4px"},  # a later sheet wins
        elements={"body": {"color": "var(--brand)"}},
    )
    assert styles.value("body", "color") == "#222222"
    assert styles.value("h1", "font-family") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("var(--a)", "#123456"),
        ("var(--missing, var(--a))", "#123456"),
        ("1px solid var(--b)", "1px solid #123456"),
        ("var(--missing)", None),
        ("var(--loop)", None),
        ("var(--a", None),
    ],
)
def test_var_references(value: str, expected: str | None) -> None:
    props = {"--a": "#123456", "--b": "var(--a)", "--loop": "var(--loop)"}
    assert substitute_vars(value, props) == expected
