"""Binding a spec's facts (and data tables) into its blocks, and the sources line that
credits the facts.

Text fields are rendered as templates (:func:`~factframe.templates.sandbox.render_text`).
A chart's numbers and labels are bound as values, not as text: ``values: "{{ week.
temperature_max }}"`` takes the series itself (its unit becomes the chart's unit when the
chart has none, its index the labels when there are none), ``labels: "{{ week.days }}"``
the texts; a ``data`` table's ``x`` column gives the labels and each ``y`` column a series
named after it (:mod:`~factframe.templates.tables`); ``label_format`` then writes ISO-date
labels in the locale. Every fact a chart used is recorded like a text's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from factframe.errors import SpecError, TemplateError
from factframe.knowledge import Fact, FactReport, SeriesValue, TextSeriesValue
from factframe.spec import (
    Block,
    Brand,
    ChartBlock,
    Footer,
    IconBlock,
    ListBlock,
    MapBlock,
    Palette,
    PictogramBlock,
    ProcessBlock,
    ProgressBlock,
    Spec,
    TableBlock,
    TimelineBlock,
    parse_block,
)
from factframe.templates.bind_infographics import bind_infographic
from factframe.templates.sandbox import FactBinding, format_date, render_text
from factframe.templates.tables import load_table, number_column, text_column

__all__ = ["SOURCES_ID", "apply_brand", "bind_spec", "sources_line", "with_sources"]

#: Block id of the automatic sources line.
SOURCES_ID = "sources"
# ``prompt``: a generated image's prompt binds facts like text ("watercolour of {{ city.name
# }}"); the fact is credited like a text's
_TEXT_FIELDS = ("text", "value", "label", "unit", "caption", "prompt")
_SOURCES_WORD = {
    "en": "Sources", "de": "Quellen", "fr": "Sources", "es": "Fuentes", "pt": "Fontes",
    "it": "Fonti", "nl": "Bronnen", "ja": "出典", "zh": "来源", "ko": "출처", "ar": "المصادر",
    "he": "מקורות", "hi": "स्रोत", "ru": "Источники", "th": "แหล่งที่มา", "el": "Πηγές",
    "vi": "Nguồn", "tr": "Kaynaklar", "pl": "Źródła",
}  # fmt: skip


def bind_spec(
    spec: Spec, facts: Mapping[str, Fact], data: Mapping[str, Any] | None = None
) -> tuple[Spec, dict[str, tuple[str, ...]]]:
    """Renders every text field of every block with the facts, and binds every chart's
    facts and data table (``data``: name → table, see :mod:`~factframe.templates.tables`).

    Returns:
        the spec with plain text and concrete charts, and fact name → ids of the blocks
        that used it.

    Raises:
        TemplateError: naming the block field (``blocks[2].value``).
        SpecError: a table or column is missing, or the bound chart is invalid (naming
            the field, e.g. ``blocks[2].y`` or ``blocks[2].labels``).
    """
    used_by: dict[str, list[str]] = {}
    blocks: list[Block] = []
    for i, block in enumerate(spec.blocks):
        locale = block.lang or spec.locale
        used: set[str]
        if isinstance(block, ChartBlock):
            block, used = bind_chart(block, i, facts, data, locale)
        elif isinstance(block, IconBlock | PictogramBlock | ProgressBlock | TableBlock):
            block, used = bind_infographic(block, i, facts, locale)
        elif isinstance(block, TimelineBlock | ProcessBlock | MapBlock):
            from factframe.templates.bind_diagrams import bind_diagram

            block, used = bind_diagram(block, i, facts, locale)
        else:
            block, used = _bind_text(block, i, facts, locale)
        for name in used:
            used_by.setdefault(name, []).append(block.id or "")
        blocks.append(block)
    bound = spec.model_copy(update={"blocks": blocks})
    return bound, {name: tuple(ids) for name, ids in used_by.items()}


def _bind_text(
    block: Block, index: int, facts: Mapping[str, Fact], locale: str
) -> tuple[Block, set[str]]:
    """Any other block with its text fields (and a list's items) rendered."""
    update: dict[str, object] = {}
    used: set[str] = set()
    for name in _TEXT_FIELDS:
        source = getattr(block, name, None)
        if isinstance(source, str):
            text, names = render_text(source, facts, locale=locale, where=f"blocks[{index}].{name}")
            update[name], used = text, used | names
    if isinstance(block, ListBlock):
        items = []
        for j, item in enumerate(block.items):
            text, names = render_text(
                item, facts, locale=locale, where=f"blocks[{index}].items[{j}]"
            )
            items.append(text)
            used |= names
        update["items"] = items
    return (block.model_copy(update=update) if update else block), used


def bind_chart(
    block: ChartBlock,
    index: int,
    facts: Mapping[str, Fact],
    data: Mapping[str, Any] | None,
    locale: str,
) -> tuple[ChartBlock, set[str]]:
    """A chart with its table, facts and label format bound (see the module docstring).

    Returns:
        the bound chart (validated again as ``blocks[index]``) and the facts it used.
    """
    where = f"blocks[{index}]"
    fields = block.model_dump()
    binding = FactBinding(facts, locale)
    unit, index_labels = None, None
    if block.data is not None:
        fields.update(_table(block, data, where))
    for j, series in enumerate(fields.get("series", [])):
        if isinstance(series.get("values"), str):
            values, found_unit, found_labels = binding.value(
                series["values"], f"{where}.series[{j}].values", _as_series
            )
            series["values"] = values
            unit, index_labels = unit or found_unit, index_labels or found_labels
        if isinstance(series.get("name"), str):
            series["name"] = binding.text(series["name"], f"{where}.series[{j}].name")
    if isinstance(block.values, str):
        fields["values"], unit, index_labels = binding.value(
            block.values, f"{where}.values", _as_series
        )
    if isinstance(block.labels, str):
        fields["labels"] = binding.value(block.labels, f"{where}.labels", _as_labels)
    elif block.labels is None and index_labels:
        fields["labels"] = index_labels
    if block.caption:
        fields["caption"] = binding.text(block.caption, f"{where}.caption")
    if block.unit is None and unit:
        fields["unit"] = unit
    if block.label_format and isinstance(fields.get("labels"), list):
        fields["labels"] = [
            _date(label, block.label_format, locale, f"{where}.labels[{k}]")
            for k, label in enumerate(fields["labels"])
        ]
    bound = parse_block(fields, index)
    assert isinstance(bound, ChartBlock)
    return bound, binding.used


def _table(block: ChartBlock, data: Mapping[str, Any] | None, where: str) -> dict[str, Any]:
    assert block.data is not None
    columns = load_table(block.data, data, f"{where}.data")
    names = ", ".join(repr(c) for c in columns)
    if block.x is not None and block.x not in columns:
        raise SpecError(f"the table has no column {block.x!r}; its columns: {names}", f"{where}.x")
    ys = [block.y] if isinstance(block.y, str) else block.y
    if ys is None:
        ys = [c for c in columns if c != block.x]
    for y in ys:
        if y not in columns:
            raise SpecError(f"the table has no column {y!r}; its columns: {names}", f"{where}.y")
    if not ys:
        raise SpecError(f"no column is left for the values; its columns: {names}", f"{where}.y")
    series = [{"name": y, "values": number_column(columns[y], y, f"{where}.y")} for y in ys]
    out: dict[str, Any] = {"data": None, "x": None, "y": None, "values": None, "series": series}
    if block.x is not None:
        out["labels"] = text_column(columns[block.x])
    return out


def _as_series(value: Any, where: str) -> tuple[list[float | None], str | None, list[str] | None]:
    """A template's value as numbers: (values, unit, index labels)."""
    if isinstance(value, SeriesValue):
        return list(value.values), value.unit, list(value.index) or None
    if isinstance(value, list | tuple) and all(
        v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in value
    ):
        return [None if v is None else float(v) for v in value], None, None
    kind = getattr(value, "kind", type(value).__name__)
    raise TemplateError(f"gives a {kind}, not a series of numbers", where)


def _as_labels(value: Any, where: str) -> list[str]:
    """A template's value as labels."""
    if isinstance(value, TextSeriesValue | SeriesValue):
        value = value.values
    if isinstance(value, list | tuple):
        return text_column(list(value))
    kind = getattr(value, "kind", type(value).__name__)
    raise TemplateError(f"gives a {kind}, not a list of labels", where)


def _date(label: str, pattern: str, locale: str, where: str) -> str:
    try:
        return format_date(label, pattern, locale)
    except TemplateError as exc:
        raise SpecError(f"{exc}; label_format needs ISO dates like 2026-11-24", where) from None


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
