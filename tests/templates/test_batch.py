"""Batches end to end: items, names, failures isolated, resume and overwrite, executors."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import factframe
from factframe.templates.batch import Batch, ItemResult

NOW = datetime(2026, 6, 21, 12, 0, tzinfo=UTC)
EXAMPLES = Path(__file__).parents[2] / "examples"
CARD = """{#
key: id
variables:
  id: {type: text, required: false}
  name: {type: text}
  price: {type: number}
  note: {type: text, required: false}
#}
canvas: {width: 400, height: 400, background: "#ffffff"}
blocks:
  - {type: title, text: "{{ name }}"}
  - {type: stat, value: "{{ price | currency('EUR') }}", label: Price}
{% if note %}
  - {type: text, text: "{{ note }}"}
{% endif %}
"""


@pytest.fixture
def card(tmp_path: Path) -> Path:
    path = tmp_path / "card.yaml.j2"
    path.write_text(CARD, encoding="utf-8")
    return path


def run(template: Any, rows: Any, out: Path, **options: Any) -> list[ItemResult]:
    options = {"offline": True, "now": NOW, "workers": 0, **options}
    return list(factframe.batch(template, rows, output=out, **options))


def manifest(out: Path) -> list[dict[str, Any]]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_every_row_is_rendered_at_every_size_and_locale(tmp_path: Path) -> None:
    rows = [{"city": "Lisbon", "date": "2026-06-21"}, {"city": "東京", "date": "2026-06-21"}]
    results = run("weather-card", rows, tmp_path, sizes=["square", "story"], locales=["en", "ar"])
    assert [r.status for r in results] == ["ok"] * 8
    assert {r.id for r in results} >= {"lisbon-square-en", "東京-story-ar"}
    first = results[0]
    names = [p.name for p in first.outputs]
    assert names == ["lisbon-square-en.png", "lisbon-square-en.facts.json"]
    sidecar = json.loads(first.outputs[1].read_text(encoding="utf-8"))
    assert {f["name"] for f in sidecar["facts"]} == {"place", "sun"}
    records = manifest(tmp_path)
    assert len(records) == 8 and records[0]["sha256"] == list(first.sha256)
    assert set(records[0]) >= {
        "id",
        "input_hash",
        "outputs",
        "sha256",
        "duration_ms",
        "status",
        "error",
    }
    assert not list(tmp_path.glob(".*"))  # no partial or temporary file is left


def test_a_pool_gives_the_same_bytes_as_one_process(tmp_path: Path, card: Path) -> None:
    rows = [{"name": f"Item {i}", "price": i} for i in range(6)]
    inline = run(card, rows, tmp_path / "inline")
    pool = run(card, rows, tmp_path / "pool", workers=2)
    # item by item (sorted lists alone would not see two items' pictures swapped)
    assert {r.id: r.sha256 for r in inline} == {r.id: r.sha256 for r in pool}
    assert len({r.sha256 for r in pool}) == len(rows)  # and each item is its own picture
    assert all(r.status == "ok" and r.timings["draw"] > 0 for r in pool)


def test_bad_rows_fail_alone_naming_the_row_and_the_field(tmp_path: Path, card: Path) -> None:
    data = tmp_path / "rows.csv"
    with data.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "price", "note"])
        writer.writerow(["ok-1", "Mug", "24", ""])
        writer.writerow(["short", "Mug"])  # missing column
        writer.writerow(["typed", "Mug", "twenty", ""])  # wrong type
        writer.writerow(["long", "Mug", "24", "far too much text " * 300])  # cannot fit
        writer.writerow(["glyph", "Mug \ue000", "24", ""])  # a character no font has
        writer.writerow(["../../x", "Mug", "24", ""])  # path traversal
        writer.writerow(["ok-2", "Bottle", "35", "Fits."])
    results = run(card, data, tmp_path / "out", workers=2)
    by_row = {r.row: r for r in results}
    assert {r.row for r in results if r.ok} == {1, 7}
    expected = {
        2: ("price", "missing"),
        3: ("price", "expected a number"),
        4: ("note", "text needs"),
        5: ("name", "no font covers"),
        6: ("id", "path separator"),
    }
    for row, (field, words) in expected.items():
        failed = by_row[row]
        assert failed.status == "failed" and failed.field == field, failed
        assert failed.error is not None and words in failed.error
        assert failed.error.startswith(f"row {row}, field {field!r}: "), failed.error
    assert not (tmp_path / "x-en.png").exists()
    written = sorted(p.name for p in (tmp_path / "out").glob("*.png"))
    assert written == ["ok-1-en.png", "ok-2-en.png"]


def test_names_stay_readable_unique_and_inside_the_folder(tmp_path: Path, card: Path) -> None:
    rows = [
        {"id": "Café!", "name": "A", "price": 1},
        {"id": "café?", "name": "B", "price": 2},
        {"id": "Café!", "name": "A", "price": 1},  # the same values as row 1
        {"id": "São Paulo", "name": "C", "price": 3},
    ]
    results = sorted(run(card, rows, tmp_path), key=lambda r: r.row)
    ids = [r.id for r in results]
    assert ids[0] != ids[1] and ids[0].startswith("café-") and ids[1].startswith("café-")
    assert results[2].status == "failed" and "the same values as row 1" in (results[2].error or "")
    assert ids[3] == "são-paulo-en" and results[3].outputs[0].name == "são-paulo-en.png"
    assert all(p.parent == tmp_path for r in results for p in r.outputs)


def test_an_unknown_place_fails_its_row_naming_the_column(tmp_path: Path) -> None:
    rows = [{"city": "Xyzzyville", "date": "2026-06-21"}, {"city": "Lisbon", "date": "2026-06-21"}]
    failed, ok = sorted(run("weather-card", rows, tmp_path, sizes=["square"]), key=lambda r: r.row)
    assert ok.status == "ok" and failed.status == "failed" and failed.field == "city"
    assert "fact 'place'" in (failed.error or "") and "Xyzzyville" in (failed.error or "")


def test_resume_skips_what_is_done_and_nothing_is_overwritten_unasked(
    tmp_path: Path, card: Path
) -> None:
    rows = [{"id": f"item-{i}", "name": f"Item {i}", "price": i} for i in range(3)]
    first = run(card, rows, tmp_path)
    assert [r.status for r in first] == ["ok"] * 3

    again = run(card, rows, tmp_path)  # the same batch, without --resume
    assert [r.status for r in again] == ["failed"] * 3
    assert "--resume skips it" in (again[0].error or "")

    assert [r.status for r in run(card, rows, tmp_path, resume=True)] == ["skipped"] * 3

    first[0].outputs[0].write_bytes(b"edited by hand")
    changed = [dict(rows[0]), dict(rows[1], price=99), dict(rows[2])]
    resumed = sorted(run(card, changed, tmp_path, resume=True), key=lambda r: r.row)
    assert [r.status for r in resumed] == ["failed", "failed", "skipped"]
    assert "changed after this batch wrote it" in (resumed[0].error or "")
    assert "made from other input" in (resumed[1].error or "")
    assert first[0].outputs[0].read_bytes() == b"edited by hand"

    forced = sorted(run(card, changed, tmp_path, resume=True, overwrite=True), key=lambda r: r.row)
    assert [r.status for r in forced] == ["ok", "ok", "skipped"]
    (tmp_path / "stranger-en.png").write_bytes(b"not ours")
    stranger = run(card, [{"id": "stranger", "name": "S", "price": 1}], tmp_path, resume=True)
    assert "did not write it" in (stranger[0].error or "")
    ok_lines = [r for r in manifest(tmp_path) if r["status"] == "ok"]
    assert len(ok_lines) == 5  # 3 first, then 2 forced: nothing was rendered twice otherwise


def test_bad_options_fail_before_anything_runs(tmp_path: Path, card: Path) -> None:
    rows = [{"name": "A", "price": 1}]
    with pytest.raises(factframe.SpecError, match="unknown canvas"):
        Batch(card, rows, output=tmp_path, sizes=["huge"])
    with pytest.raises(factframe.SpecError, match="unknown locale"):
        Batch(card, rows, output=tmp_path, locales=["xx-nope"])
    with pytest.raises(factframe.SpecError, match="no template"):
        Batch("no-such-template", rows, output=tmp_path)
    with pytest.raises(factframe.FactframeError, match="executor"):
        Batch(card, rows, output=tmp_path, executor="cloud")


def test_the_examples_render_with_every_builtin_template(tmp_path: Path) -> None:
    data = {
        "weather-card": "weather-card.csv",
        "city-fact-sheet": "city-fact-sheet.csv",
        "product-promo": "product-promo.csv",
        "event-poster": "event-poster.jsonl",
        "comparison-card": "comparison-card.json",
        "data-report": "data-report.jsonl",
    }
    for name, file in data.items():
        job = Batch(
            name,
            EXAMPLES / file,
            output=tmp_path / name,
            offline=True,
            now=NOW,
            workers=0,
            locales=["en", "ar"],
        )
        results = list(job)
        assert results and all(r.status == "ok" for r in results), [r.error for r in results]


def test_row_lists_and_series_facts_become_chart_data(tmp_path: Path) -> None:
    from factframe.knowledge import (
        Fact,
        FactRequest,
        KnowledgeStore,
        Provenance,
        RecordValue,
        SeriesValue,
    )

    row = {"title": "Units", "labels": ["a", "b", "c"], "values": [1, 2, 4],
           "stats": [{"value": "7", "label": "units"}] * 3, "source": "test"}  # fmt: skip
    (result,) = run("data-report", [row], tmp_path, sizes=["square"])
    assert result.status == "ok", result.error
    # a series fact printed whole into a chart is its list of values, credited to the chart
    request = {"provider": "weather", "lat": 38.7, "lon": -9.1, "daily": ["temperature_max"]}
    store = KnowledgeStore(tmp_path / "facts.sqlite")
    store.put(
        Fact(
            key=FactRequest.parse(request).key(),
            label="forecast",
            value=RecordValue(
                fields={
                    "temperature_max": SeriesValue(values=[18.0, 19.5], unit="temperature-celsius")
                }
            ),
            provenance=Provenance(
                provider="weather", source="https://api.open-meteo.com", retrieved_at=NOW
            ),
        )
    )
    template = tmp_path / "series.yaml.j2"
    template.write_text(
        "facts:\n  week: {provider: weather, lat: 38.7, lon: -9.1, daily: [temperature_max]}\n"
        "blocks:\n  - {type: title, text: '{{ title }}'}\n"
        "  - {type: chart, id: week-chart, kind: bar, labels: [a, b],"
        " values: {{ week.temperature_max }}}\n",
        encoding="utf-8",
    )
    (ok,) = run(template, [{"title": "Two days"}], tmp_path / "own", sizes=["square"], store=store)
    assert ok.status == "ok", ok.error
    sidecar = next((tmp_path / "own").glob("*.facts.json"))
    facts = json.loads(sidecar.read_text(encoding="utf-8"))["facts"]
    assert facts[0]["name"] == "week" and "week-chart" in facts[0]["used_by"]
