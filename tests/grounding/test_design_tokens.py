"""Design tokens: DTCG colour values, and the names that give palette roles."""

from __future__ import annotations

from typing import Any

import pytest

from factframe.errors import ProviderError
from factframe.grounding.design_tokens import color_role, name_words, token_color


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#FF00FF", "#ff00ff"),
        ({"colorSpace": "srgb", "components": [1, 0, 1], "alpha": 0.5}, "#ff00ff80"),
        ({"colorSpace": "srgb", "components": [0, "none", 1]}, "#0000ff"),
        ({"colorSpace": "srgb-linear", "components": [0.2159, 0.2159, 0.2159]}, "#808080"),
        ({"colorSpace": "hsl", "components": [300, 100, 50]}, "#ff00ff"),
        ({"colorSpace": "hwb", "components": [120, 0, 50]}, "#008000"),
        ({"colorSpace": "oklch", "components": [0.7, 0.3, 328], "hex": "#ff00ff"}, "#ff00ff"),
    ],
)
def test_colour_values(value: Any, expected: str) -> None:
    assert token_color(value, "t") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"colorSpace": "srgb", "components": [255, 0, 0]}, "components must be 0–1"),
        ({"colorSpace": "srgb", "components": [1, 0]}, "3 numbers"),
        ({"colorSpace": "srgb", "components": [1, 0, 0], "alpha": 2}, "alpha"),
        ("blue-ish", "not a colour"),
    ],
)
def test_bad_colour_values(value: Any, message: str) -> None:
    with pytest.raises(ProviderError, match=message):
        token_color(value, "t")


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("color.brand.primary", "primary"),
        ("--color-brand", "primary"),
        ("color-brand-500", "primary"),
        ("brand.blue", None),
        ("--bs-secondary", "secondary"),
        ("accent", "accent"),
        ("--highlight", "accent"),
        ("--bg", "background"),
        ("color.background.primary", "background"),
        ("--bs-primary-bg-subtle", "background"),
        ("surface.raised", "surface"),
        ("--card", "surface"),
        ("color.text.primary", "text"),
        ("--foreground", "text"),
        ("onBackground", "text"),
        ("text.secondary", "muted"),
        ("--secondary-text", "muted"),
        ("--muted-foreground", "muted"),
        ("color.subtle", "muted"),
        ("on-primary", None),
        ("--primary-hover", None),
        ("--bs-primary-rgb", None),
        ("color.dark.background", None),
        ("border.default", None),
    ],
)
def test_colour_roles_by_name(name: str, role: str | None) -> None:
    assert color_role(name_words(name)) == role
