"""Infographic blocks bound to facts: a weather icon from the provider's condition, a
humidity gauge from a quantity, table cells from facts; bad bindings name the field.
The weather answers are the fixtures of tests/grounding/mock.py (no network)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

import factframe
from factframe import SpecError, TemplateError
from factframe.knowledge import KnowledgeStore
from factframe.layout import IconItem
from factframe.spec import IconBlock, ProgressBlock, TableBlock, parse_spec
from factframe.spec_icons import WEATHER_ICONS
from tests.grounding.mock import WEATHER_CARD, mock_client

NOW = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)
FACTS = {
    "city": {"provider": "geocode", "name": "Lisbon"},
    "now": {
        "provider": "weather",
        "place": "{{ city }}",
        "current": ["temperature", "humidity", "weather_code"],
    },
}


def render(blocks: list[dict[str, Any]]) -> factframe.Rendered:
    spec = {"canvas": "square", "locale": "en", "facts": FACTS, "blocks": blocks}
    return factframe.render(
        spec, http=mock_client(WEATHER_CARD), now=NOW, store=KnowledgeStore(":memory:")
    )


def test_weather_icon_humidity_gauge_and_table_bind_their_facts() -> None:
    rendered = render(
        [
            {"type": "title", "text": "{{ city.name }}"},
            {"type": "icon", "id": "sky", "name": "weather:{{ now.icon }}", "label": "Now"},
            {
                "type": "progress",
                "id": "hum",
                "kind": "gauge",
                "value": "{{ now.humidity }}",
                "label": "Humidity in {{ city.name }}",
            },
            {
                "type": "table",
                "id": "tab",
                "header": ["City", "Temperature"],
                "rows": [["{{ city.name }}", "{{ now.temperature }}"]],
            },
        ]
    )
    assert rendered.spec is not None
    icon, gauge, table = rendered.spec.blocks[1:4]
    assert isinstance(icon, IconBlock) and isinstance(gauge, ProgressBlock)
    assert isinstance(table, TableBlock)
    condition = icon.name.removeprefix("weather:")
    assert condition in WEATHER_ICONS
    (drawn,) = [i for i in rendered.layout.items if isinstance(i, IconItem)]
    assert drawn.name == WEATHER_ICONS[condition]
    assert isinstance(gauge.value, float) and 0 <= gauge.value <= 100
    assert gauge.unit == "percent" and gauge.label == "Humidity in Lisbon"
    assert table.rows[0][0] == "Lisbon"
    assert isinstance(table.rows[0][1], str) and "°C" in table.rows[0][1]
    report = rendered.facts
    assert report is not None
    assert set(report.used_by["now"]) == {"sky", "hum", "tab"}
    assert rendered.audit.ok, str(rendered.audit)


@pytest.mark.parametrize(
    ("block", "error", "path"),
    [
        ({"type": "icon", "name": "{{ city.name }}"}, SpecError, "blocks[0].name"),
        ({"type": "progress", "value": "{{ city.name }}"}, TemplateError, "blocks[0].value"),
        ({"type": "pictogram", "value": "{{ no }}", "total": 9}, TemplateError, "blocks[0].value"),
        # a humidity (a percentage) is more than 9 icons
        (
            {"type": "pictogram", "value": "{{ now.humidity }}", "total": 9},
            SpecError,
            "blocks[0].value",
        ),
    ],
)
def test_bad_bindings_name_the_field(
    block: dict[str, Any], error: type[SpecError | TemplateError], path: str
) -> None:
    with pytest.raises(error) as caught:
        render([block])
    found = caught.value
    assert isinstance(found, SpecError | TemplateError) and found.path == path


def test_a_plain_string_value_must_be_a_template() -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec({"blocks": [{"type": "progress", "value": "lots"}]})
    assert caught.value.path == "blocks[0].value"
    assert "fact template" in str(caught.value)


def test_an_unbound_template_is_not_planned_silently() -> None:
    from factframe.layout import plan

    spec = parse_spec({"blocks": [{"type": "pictogram", "value": "{{ poll.yes }}", "total": 10}]})
    with pytest.raises(SpecError, match="not bound yet"):
        plan(spec)
