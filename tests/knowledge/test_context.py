"""The interleaved context: order kept, accessors, immutability, JSON and neutral parts."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from factframe.knowledge import (
    BrandItem,
    Context,
    Fact,
    FactItem,
    ImageItem,
    LocaleItem,
    Provenance,
    Quantity,
    TextItem,
)
from factframe.spec import Brand, Palette

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def temperature(value: float) -> Fact:
    return Fact(
        key=f"weather:{value}",
        label="Lisbon: temperature now",
        value=Quantity(value=value, unit="temperature-celsius"),
        provenance=Provenance(
            provider="weather", source="https://api.open-meteo.com/v1/forecast", retrieved_at=NOW
        ),
    )


def sample(tmp_path: Path) -> Context:
    photo = tmp_path / "tram.png"
    photo.write_bytes(PNG)
    return (
        Context()
        .add(LocaleItem(locale="pt-PT"), "Um cartaz sobre Lisboa")
        .add(ImageItem(source=str(photo), alt="tram 28"))
        .add_facts({"now": temperature(18.4)}, stale=frozenset({"now"}))
        .add(BrandItem(brand=Brand(palette=Palette(primary="#c8102e")), name="Carris"))
        .turn("user", "Make it warmer", ImageItem.from_bytes(PNG))
        .turn("assistant", "Warmer palette applied.")
    )


def test_order_and_accessors(tmp_path: Path) -> None:
    ctx = sample(tmp_path)
    assert [i.kind for i in ctx.items] == [
        "locale", "text", "image", "fact", "brand", "turn", "turn"
    ]  # fmt: skip
    assert ctx.locale == "pt-PT" and ctx.brand is not None
    assert ctx.brand.palette.primary == "#c8102eff"
    assert list(ctx.facts) == ["now"] and ctx.facts["now"].value.value == 18.4  # type: ignore[union-attr]
    assert [i.media_type for i in ctx.images] == ["image/png", "image/png"]  # turns included
    assert ctx.texts == ["Um cartaz sobre Lisboa", "Make it warmer", "Warmer palette applied."]
    assert [t.role for t in ctx.turns] == ["user", "assistant"]


def test_immutable_edits_keep_the_old_context(tmp_path: Path) -> None:
    before = sample(tmp_path)
    after = before.add_facts({"now": temperature(21.0)})
    assert before.facts["now"].value.value == 18.4  # type: ignore[union-attr]
    assert after.facts["now"].value.value == 21.0  # type: ignore[union-attr]  # the later one wins
    with pytest.raises(ValidationError):
        before.items = ()  # type: ignore[misc]


def test_json_round_trip_is_exact(tmp_path: Path) -> None:
    ctx = sample(tmp_path)
    again = Context.from_json(ctx.to_json())
    assert again == ctx and again.parts() == ctx.parts()


def test_neutral_parts(tmp_path: Path) -> None:
    parts = sample(tmp_path).parts()
    assert parts[0] == {"type": "text", "text": "Locale: pt-PT"}
    assert parts[2]["type"] == "image" and base64.b64decode(parts[2]["data"]) == PNG
    assert parts[2]["alt"] == "tram 28"
    fact = parts[3]
    assert fact["fact"] == "now" and "18.4°C" in fact["text"]
    assert "source: weather, https://api.open-meteo.com" in fact["text"] and "stale" in fact["text"]
    assert "primary #c8102eff" in parts[4]["text"]
    turn = parts[5]
    assert turn["role"] == "user" and turn["parts"][0] == {"type": "text", "text": "Make it warmer"}
    assert base64.b64decode(turn["parts"][1]["data"]) == PNG
    url = Context().add(ImageItem(source="https://example.org/a.jpg")).parts()[0]
    assert url == {"type": "image", "url": "https://example.org/a.jpg", "mime": "image/jpeg"}
    lazy = sample(tmp_path).parts(inline_files=False)[2]
    assert lazy["url"].endswith("tram.png") and "data" not in lazy


def test_percent_encoded_data_uri_and_bad_items() -> None:
    svg = Context().add(ImageItem(source="data:image/svg+xml,%3Csvg%2F%3E")).parts()[0]
    assert svg["mime"] == "image/svg+xml" and base64.b64decode(svg["data"]) == b"<svg/>"
    with pytest.raises(ValidationError):
        Context.model_validate({"items": [{"kind": "video", "source": "x"}]})
    with pytest.raises(ValidationError):
        TextItem(text="x", colour="red")  # type: ignore[call-arg]
    assert FactItem(name="n", fact=temperature(1.0)).stale is False
