"""Charts bound to data: tables (DataFrame-like, columns, rows, CSV files) and facts (series
bound as values, with their unit and usage recorded for the sources line)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import factframe
from factframe import SpecError, TemplateError
from factframe.knowledge import KnowledgeStore
from factframe.spec import ChartBlock
from tests.grounding.mock import WEATHER_CARD, mock_client

NOW = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)
ROWS = [
    {"month": "Jan", "north": 12, "south": 8},
    {"month": "Feb", "north": 15},
    {"month": "Mar", "north": 9.5, "south": 11},
]


class Column:
    def __init__(self, values: list[Any]) -> None:
        self.values = values

    def tolist(self) -> list[Any]:
        return list(self.values)


class FakeFrame:
    """What factframe needs of a pandas DataFrame: ``.columns`` and ``frame[c].tolist()``."""

    def __init__(self, data: dict[str, list[Any]]) -> None:
        self.data = data
        self.columns = list(data)

    def __getitem__(self, name: str) -> Column:
        return Column(self.data[name])


def chart(**fields: Any) -> dict[str, Any]:
    return {"blocks": [{"type": "title", "text": "Sales"}, {"type": "chart", "id": "c", **fields}]}


def bound(rendered: factframe.Rendered) -> ChartBlock:
    block = rendered.spec.blocks[1]
    assert isinstance(block, ChartBlock)
    return block


@pytest.mark.parametrize(
    "table",
    [
        ROWS,
        {"month": ["Jan", "Feb", "Mar"], "north": [12, 15, 9.5], "south": [8, None, 11]},
        FakeFrame(
            {"month": ["Jan", "Feb", "Mar"], "north": [12, 15, 9.5], "south": [8, float("nan"), 11]}
        ),
    ],
    ids=["rows", "columns", "dataframe"],
)
def test_tables_give_labels_and_named_series(table: Any) -> None:
    rendered = factframe.render(chart(kind="bar", data="sales", x="month"), data={"sales": table})
    block = bound(rendered)
    assert block.labels == ["Jan", "Feb", "Mar"]
    assert [(s.name, s.values) for s in block.series] == [
        ("north", [12.0, 15.0, 9.5]),
        ("south", [8.0, None, 11.0]),  # a missing cell (or pandas' NaN) is a gap
    ]
    assert block.data is None and block.is_bound
    assert {t.text.text for t in rendered.layout.texts if t.role == "chart.legend"} == {
        "north",
        "south",
    }
    assert rendered.facts is None  # no facts, no sources line


def test_a_csv_file_is_found_next_to_its_spec(tmp_path: Path) -> None:
    (tmp_path / "temps.csv").write_text(
        "day,max\n2026-11-24,18.5\n2026-11-25,\n2026-11-26,21\n", encoding="utf-8"
    )
    (tmp_path / "card.yaml").write_text(
        "locale: de\nblocks:\n"
        "  - {type: chart, kind: line, data: temps.csv, x: day, y: max, label_format: EEE}\n",
        encoding="utf-8",
    )
    block = factframe.render(tmp_path / "card.yaml").spec.blocks[0]
    assert isinstance(block, ChartBlock)
    assert block.labels == ["Di.", "Mi.", "Do."]
    assert block.all_series[0].values == [18.5, None, 21.0]


@pytest.mark.parametrize(
    ("fields", "data", "path", "words"),
    [
        ({"data": "sales", "x": "month", "y": "west"}, {"sales": ROWS}, "blocks[1].y", "'north'"),
        ({"data": "sales", "x": "day"}, {"sales": ROWS}, "blocks[1].x", "'month'"),
        ({"data": "sale"}, {"sales": ROWS}, "blocks[1].data", "tables given: 'sales'"),
        ({"data": "missing.csv"}, None, "blocks[1].data", "cannot read"),
        ({"data": "t", "y": "v"}, {"t": {"v": [1, "many"]}}, "blocks[1].y", "row 1"),
        ({"data": "t", "y": "v"}, {"t": {"v": [1, float("inf")]}}, "blocks[1].y", "finite"),
        ({"data": "t", "y": "v"}, {"t": {"v": [1, 2], "w": [1]}}, "blocks[1].data", "length"),
        ({"data": "t", "x": "d", "label_format": "EEE"}, {"t": {"d": ["soon"], "v": [1]}},
         "blocks[1].labels[0]", "ISO"),
        ({"data": "t", "y": "v"}, {"t": {"v": []}}, "blocks[1].series[0].values", "empty"),
    ],
)  # fmt: skip
def test_bad_tables_name_the_field(
    fields: dict[str, Any], data: dict[str, Any] | None, path: str, words: str
) -> None:
    with pytest.raises(SpecError) as info:
        factframe.render(chart(kind="bar", **fields), data=data)
    assert info.value.path == path, str(info.value)
    assert words in str(info.value)


WEEK = {
    "city": {"provider": "geocode", "name": "Lisbon"},
    "week": {
        "provider": "weather",
        "place": "{{ city }}",
        "daily": ["temperature_max", "temperature_min"],
        "days": 4,
    },
}


def render_week(blocks: list[dict[str, Any]], locale: str = "en-GB") -> factframe.Rendered:
    spec = {"canvas": "square", "locale": locale, "facts": WEEK, "blocks": blocks}
    return factframe.render(
        spec, http=mock_client(WEATHER_CARD), now=NOW, store=KnowledgeStore(":memory:")
    )


def test_fact_series_bind_as_values_with_their_unit_and_credit() -> None:
    rendered = render_week(
        [
            {"type": "title", "text": "{{ city.name }}"},
            {
                "type": "chart",
                "id": "temps",
                "kind": "bar",
                "values": "{{ week.temperature_max }}",
                "labels": "{{ week.days | date('EEE') }}",
            },
        ]
    )
    block = bound(rendered)
    assert block.labels == ["Tue", "Wed", "Thu", "Fri"]
    assert block.unit == "temperature-celsius"
    values = block.all_series[0].values
    assert isinstance(values, list) and len(values) == 4
    assert all(isinstance(v, float) for v in values)
    report = rendered.facts
    assert report is not None and report.used_by["week"] == ("temps",)
    footer = next(t for t in rendered.layout.texts if t.role == "footer")
    assert "Open-Meteo" in footer.text.text
    assert any(t.text.text.endswith("°C") for t in rendered.layout.texts if t.role == "chart.value")


def test_series_index_becomes_the_labels_and_label_format_writes_them() -> None:
    rendered = render_week(
        [
            {
                "type": "chart",
                "kind": "line",
                "label_format": "EEEE",
                "series": [
                    {"name": "Max", "values": "{{ week.temperature_max }}"},
                    {"name": "Min", "values": "{{ week.temperature_min }}"},
                ],
            }
        ],
        locale="de",
    )
    block = rendered.spec.blocks[0]
    assert isinstance(block, ChartBlock)
    assert block.labels == ["Dienstag", "Mittwoch", "Donnerstag", "Freitag"]
    assert [s.name for s in block.series] == ["Max", "Min"]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"values": "{{ week.temperature_maxx }}"}, "undefined"),
        ({"values": "{{ city.population }}"}, "not a series"),
        ({"values": "max: {{ week.temperature_max }}"}, "one {{ expression }}"),
        ({"values": "{{ week.days }}"}, "not a series"),
    ],
)
def test_bad_fact_bindings_name_the_field(fields: dict[str, Any], words: str) -> None:
    with pytest.raises(TemplateError) as info:
        render_week([{"type": "chart", **fields}])
    assert info.value.path == "blocks[0].values"
    assert words in str(info.value)


def test_a_real_pandas_dataframe_feeds_a_chart() -> None:
    import pandas  # the dev extra installs it; factframe itself only duck-types it

    import factframe
    from factframe.layout.model import ShapeItem

    frame = pandas.DataFrame({"month": ["Jan", "Feb", "Mar"], "north": [10.0, 20.0, None]})
    spec = {
        "canvas": "square",
        "blocks": [{"type": "chart", "id": "c", "kind": "bar", "data": "sales", "x": "month",
                    "y": "north"}],
    }  # fmt: skip
    rendered = factframe.render(spec, data={"sales": frame})
    labels = [t.text.text for t in rendered.layout.texts if t.block_id == "c"]
    assert {"Jan", "Feb", "Mar"} <= set(labels)
    (chart,) = [s for s in rendered.layout.items if isinstance(s, ShapeItem)]
    bars = [r.box for r in chart.shapes if getattr(r, "color", (0, 0, 0, 0))[3] == 255 and
            getattr(r, "box", None) is not None and r.box.h > 4]  # fmt: skip
    assert len(bars) == 2  # the missing March value is a gap, not a zero-height bar
    assert abs(bars[1].h / bars[0].h - 2.0) < 0.01  # 20 is twice 10
