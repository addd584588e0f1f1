"""A brand fact completes the spec's brand; what the spec sets itself wins."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from factframe.errors import SpecError
from factframe.knowledge import (
    ColorValue,
    Fact,
    ImageRef,
    NumberValue,
    Provenance,
    RecordValue,
    TextValue,
)
from factframe.spec import parse_spec
from factframe.templates.bind import apply_brand

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
LOGO = "data:image/png;base64," + base64.b64encode(PNG).decode()


def brand_fact(**fields: object) -> Fact:
    return Fact(
        key="brand:acme",
        label="Acme",
        value=RecordValue(fields=fields),  # type: ignore[arg-type]
        provenance=Provenance(
            provider="brand",
            source="tokens.json",
            retrieved_at=datetime(2026, 11, 24, tzinfo=UTC),
            method="user",
        ),
    )


ACME = brand_fact(
    primary=ColorValue(color="#ff5500"),
    text=ColorValue(color="#101010"),
    heading_font=TextValue(text="Noto Serif"),
    radius=NumberValue(value=8),
    logo=ImageRef(url=LOGO),
    name=TextValue(text="Acme"),
)


def spec(**brand: object) -> dict[str, object]:
    return {
        "facts": {"acme": {"provider": "brand", "tokens": "tokens.json"}},
        "brand": {"fact": "acme", **brand},
        "blocks": [{"type": "title", "text": "Hi"}],
    }


def test_the_fact_fills_what_the_spec_leaves_unset() -> None:
    brand = apply_brand(parse_spec(spec()), {"acme": ACME}).brand
    assert brand.palette.primary == "#ff5500ff" and brand.palette.text == "#101010ff"
    assert brand.palette.accent == "#ffb300ff"  # neither sets it: the default
    assert brand.fonts.heading == ["Noto Serif"] and brand.fonts.body == []
    assert brand.radius == 8 and brand.logo == PNG


def test_what_the_spec_sets_wins() -> None:
    own = spec(palette={"primary": "#0000ff"}, fonts={"heading": "Noto Sans"}, radius=0)
    brand = apply_brand(parse_spec(own), {"acme": ACME}).brand
    assert brand.palette.primary == "#0000ffff" and brand.palette.text == "#101010ff"
    assert brand.fonts.heading == ["Noto Sans"] and brand.radius == 0
    # still true after a locale change (which re-validates the spec)
    again = apply_brand(parse_spec(own).with_locale("de"), {"acme": ACME}).brand
    assert again.palette.primary == "#0000ffff" and again.palette.text == "#101010ff"


def test_web_logos_not_fetched_are_left_out() -> None:
    web = brand_fact(logo=ImageRef(url="https://acme.example/logo.png"))
    assert apply_brand(parse_spec(spec()), {"acme": web}).brand.logo is None


def test_errors_name_brand_fact() -> None:
    with pytest.raises(SpecError, match="'ghost' is not one of the spec's facts") as info:
        parse_spec({**spec(), "brand": {"fact": "ghost"}})
    assert info.value.path == "brand.fact"
    not_a_brand = Fact(**{**ACME.model_dump(), "value": {"kind": "number", "value": 3}})
    with pytest.raises(SpecError, match="is a number, not a brand"):
        apply_brand(parse_spec(spec()), {"acme": not_a_brand})
    bad_radius = brand_fact(radius=NumberValue(value=-5), primary=ColorValue(color="#fff"))
    assert apply_brand(parse_spec(spec()), {"acme": bad_radius}).brand.radius == 0  # clamped
