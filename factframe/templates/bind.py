"""Binding a spec's facts into its blocks, and the sources line that credits them."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from factframe.errors import SpecError
from factframe.knowledge import Fact, FactReport
from factframe.spec import Block, Brand, Footer, ListBlock, Palette, Spec
from factframe.templates.sandbox import render_text

__all__ = ["SOURCES_ID", "apply_brand", "bind_spec", "sources_line", "with_sources"]

#: Block id of the automatic sources line.
SOURCES_ID = "sources"
_TEXT_FIELDS = ("text", "value", "label", "unit", "caption")
_SOURCES_WORD = {
    "en": "Sources", "de": "Quellen", "fr": "Sources", "es": "Fuentes", "pt": "Fontes",
    "it": "Fonti", "nl": "Bronnen", "ja": "出典", "zh": "来源", "ko": "출처", "ar": "المصادر",
    "he": "מקורות", "hi": "स्रोत", "ru": "Источники", "th": "แหล่งที่มา", "el": "Πηγές",
    "vi": "Nguồn", "tr": "Kaynaklar", "pl": "Źródła",
}  # fmt: skip


def bind_spec(spec: Spec, facts: Mapping[str, Fact]) -> tuple[Spec, dict[str, tuple[str, ...]]]:
    """Renders every text field of every block with the facts.

    Returns:
        the spec with plain text, and fact name → ids of the blocks that used it.

    Raises:
        TemplateError: naming the block field (``blocks[2].value``).
    """
    used_by: dict[str, list[str]] = {}
    blocks: list[Block] = []
    for i, block in enumerate(spec.blocks):
        locale = block.lang or spec.locale
        update: dict[str, object] = {}
        used: set[str] = set()
        for name in _TEXT_FIELDS:
            source = getattr(block, name, None)
            if isinstance(source, str):
                text, names = render_text(source, facts, locale=locale, where=f"blocks[{i}].{name}")
                update[name], used = text, used | names
        if isinstance(block, ListBlock):
            items = []
            for j, item in enumerate(block.items):
                text, names = render_text(
                    item, facts, locale=locale, where=f"blocks[{i}].items[{j}]"
                )
                items.append(text)
                used |= names
            update["items"] = items
        for name in used:
            used_by.setdefault(name, []).append(block.id or "")
        blocks.append(block.model_copy(update=update) if update else block)
    bound = spec.model_copy(update={"blocks": blocks})
    return bound, {name: tuple(ids) for name, ids in used_by.items()}


def apply_brand(spec: Spec, facts: Mapping[str, Fact]) -> Spec:
    """The spec with its brand completed from its brand fact (``brand.fact``).

    Palette roles, heading and body fonts, the corner radius and the logo that the spec's
    own brand does not set come from the fact; what the spec sets always wins. A logo
    that is still a web address (not fetched into the fact) is left out.

    Raises:
        SpecError: ``brand.fact`` names a fact that is not a brand record.
    """
    brand = spec.brand
    if brand.fact is None:
        return spec
    value = facts[brand.fact].value
    if value.kind != "record":
        raise SpecError(f"fact {brand.fact!r} is a {value.kind}, not a brand", "brand.fact")
    found = value.fields
    data = brand.model_dump(exclude_unset=True)  # what the spec itself sets
    palette = data.setdefault("palette", {})
    for role in Palette.model_fields:
        color = found.get(role)
        if color is not None and color.kind == "color":
            palette.setdefault(role, color.color)
    fonts = data.setdefault("fonts", {})
    for role in ("heading", "body"):
        font = found.get(f"{role}_font")
        if font is not None and font.kind == "text" and not fonts.get(role):
            fonts[role] = [font.text]
    radius = found.get("radius")
    if radius is not None and radius.kind == "number":
        data.setdefault("radius", min(max(radius.value, 0.0), 540.0))
    logo = found.get("logo")
    local = logo is not None and logo.kind == "image" and not logo.url.startswith("http")
    if local and data.get("logo") is None:
        data["logo"] = logo.url  # type: ignore[union-attr]
    try:
        completed = Brand.model_validate(data)
    except ValidationError as exc:
        reason = exc.errors(include_url=False)[0]["msg"]
        raise SpecError(f"brand fact {brand.fact!r}: {reason}", "brand.fact") from None
    return spec.model_copy(update={"brand": completed})


def _credit(fact: Fact) -> str:
    p = fact.provenance
    name = p.attribution or p.source.split(" (")[0]
    parts = [name]
    if p.license:  # kept on one line: "CC BY 4.0" split over two reads as two things
        parts.append(p.license.replace(" ", "\u00a0"))
    if p.method in ("offline", "computed"):
        parts.append(p.method)
    return ", ".join(parts)


def sources_line(report: FactReport, locale: str) -> str | None:
    """``Sources: GeoNames, CC BY 4.0, offline · astral 3.2, computed`` for the facts
    the blocks used; stale facts say so and how old they are. None when none was used."""
    used = [name for name in report.facts if report.used_by.get(name)]
    if not used:
        return None
    credits: dict[str, list[str]] = {}
    for name in used:
        fact = report.facts[name]
        notes = credits.setdefault(_credit(fact), [])
        if name in report.stale and report.rendered_at is not None:
            hours = fact.provenance.age(report.rendered_at).total_seconds() / 3600
            notes.append(f"{name} stale, {hours:.0f} h old")
    entries = [c + (f" ({'; '.join(n)})" if n else "") for c, n in credits.items()]
    language = locale.split("-")[0].lower()
    word = _SOURCES_WORD.get(language, "Sources")
    colon = "：" if language in ("ja", "zh") else ": "  # CJK text takes a full-width colon
    return f"{word}{colon}" + " · ".join(entries)


def with_sources(spec: Spec, report: FactReport) -> Spec:
    """The spec with a sources footer appended (unless ``spec.sources`` is False)."""
    line = sources_line(report, spec.locale) if spec.sources else None
    if line is None:
        return spec
    footer = Footer(id=SOURCES_ID, text=line)
    return spec.model_copy(update={"blocks": [*spec.blocks, footer]})
