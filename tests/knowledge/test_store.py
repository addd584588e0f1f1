"""The fact store: types round-trip, expiry and stale reads, search, persistence, processes."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from factframe import SpecError
from factframe.knowledge import (
    Fact,
    FactRequest,
    GeoPoint,
    KnowledgeStore,
    Provenance,
    Quantity,
    RecordValue,
    SeriesValue,
    TextValue,
)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def provenance(hours_valid: float | None = 1.0) -> Provenance:
    return Provenance(
        provider="weather",
        source="https://api.open-meteo.com/v1/forecast?latitude=38.72&longitude=-9.14",
        retrieved_at=NOW,
        valid_until=NOW + timedelta(hours=hours_valid) if hours_valid is not None else None,
        attribution="Weather data by Open-Meteo.com",
        license="CC BY 4.0",
    )


def temperature(key: str = "weather:lisbon:now", value: float = 18.5) -> Fact:
    return Fact(
        key=key,
        label="Lisbon temperature now",
        value=Quantity(value=value, unit="temperature-celsius"),
        provenance=provenance(),
    )


def test_every_value_kind_round_trips() -> None:
    city = Fact(
        key="geocode:lisbon",
        label="Lisbon",
        value=RecordValue(
            fields={
                "name": TextValue(text="Lisboa", lang="pt"),
                "location": GeoPoint(lat=38.72, lon=-9.14),
                "week": SeriesValue(
                    values=[18.0, None, 21.5],
                    unit="temperature-celsius",
                    index=["2026-11-24", "2026-11-25", "2026-11-26"],
                ),
            }
        ),
        provenance=provenance(None),
    )
    with KnowledgeStore(":memory:") as store:
        store.put([city, temperature()])
        assert store.get("geocode:lisbon").fact == city  # type: ignore[union-attr]
        assert len(store) == 2


def test_no_value_without_provenance_and_no_nan() -> None:
    with pytest.raises(ValidationError, match="provenance"):
        Fact(key="x", label="x", value=Quantity(value=1, unit="meter"))  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="finite"):
        Quantity(value=float("nan"), unit="meter")
    with pytest.raises(ValidationError, match="finite"):
        SeriesValue(values=[1.0, float("inf")])


def test_expiry_and_stale_reads() -> None:
    with KnowledgeStore(":memory:") as store:
        store.put(temperature())
        fresh = store.get("weather:lisbon:now", now=NOW + timedelta(minutes=30))
        assert fresh is not None and not fresh.stale and fresh.age == timedelta(minutes=30)
        later = NOW + timedelta(hours=3)  # expired 2 h ago
        assert store.get("weather:lisbon:now", now=later) is None
        assert store.get("weather:lisbon:now", now=later, max_stale=timedelta(hours=1)) is None
        stale = store.get("weather:lisbon:now", now=later, max_stale=timedelta(hours=6))
        assert stale is not None and stale.stale and stale.age == timedelta(hours=3)


def test_search_labels_and_text() -> None:
    with KnowledgeStore(":memory:") as store:
        store.put(temperature())
        store.put(
            Fact(
                key="wiki:tower",
                label="Belém Tower",
                value=TextValue(text="A fortified tower on the Tagus estuary", lang="en"),
                provenance=provenance(None),
            )
        )
        assert [f.key for f in store.search("tagus")] == ["wiki:tower"]
        assert [f.key for f in store.search("lisbon temperature")] == ["weather:lisbon:now"]
        assert store.search('" OR 1=1 --') == []
        assert store.search("what is the temperature at the tower") == []  # every word
        found = store.search("what is the temperature at the tower", match="any")
        assert {f.key for f in found} == {"weather:lisbon:now", "wiki:tower"}
        with pytest.raises(ValueError, match="match must be"):
            store.search("tower", match="some")


def test_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "facts.sqlite"
    with KnowledgeStore(path) as store:
        store.put(temperature())
    with KnowledgeStore(path) as store:
        hit = store.get("weather:lisbon:now", now=NOW)
        assert hit is not None and hit.fact == temperature()


def _writer(path: str, start: int) -> None:
    with KnowledgeStore(path) as store:
        for i in range(start, start + 100):
            store.put(temperature(key=f"weather:city{i}", value=float(i)))


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite")
    KnowledgeStore(path).close()
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_writer, args=(path, start)) for start in (0, 100)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    with KnowledgeStore(path) as store:
        assert len(store) == 200
        assert store.get("weather:city150", now=NOW).fact.value.value == 150.0  # type: ignore[union-attr]


def test_json_export_import(tmp_path: Path) -> None:
    with KnowledgeStore(":memory:") as store:
        store.put(temperature())
        assert store.export_json(tmp_path / "facts.json") == 1
    with KnowledgeStore(":memory:") as other:
        assert other.import_json(tmp_path / "facts.json") == 1
        assert other.get("weather:lisbon:now", now=NOW).fact == temperature()  # type: ignore[union-attr]
    (tmp_path / "bad.json").write_text('[{"key": "k", "label": "l"}]', encoding="utf-8")
    with KnowledgeStore(":memory:") as other, pytest.raises(SpecError, match=r"bad\.json\[0\]"):
        other.import_json(tmp_path / "bad.json")


def test_csv_import_types_values_and_names_bad_rows(tmp_path: Path) -> None:
    good = tmp_path / "facts.csv"
    good.write_text(
        "key,label,value,unit,source\n"
        'acme:revenue,ACME revenue 2025,"1,234.5",million-euro,annual report\n'
        "acme:staff,ACME staff,420,,\n"
        "acme:hq,ACME headquarters,Porto,,\n"
        'acme:ratio,A European decimal,"1,5",,\n',
        encoding="utf-8",
    )
    with KnowledgeStore(":memory:") as store:
        assert store.import_csv(good) == 4
        facts = {f.key: f for f in store}
        assert facts["acme:revenue"].value == Quantity(value=1234.5, unit="million-euro")
        assert facts["acme:staff"].value.kind == "number"
        assert facts["acme:hq"].value == TextValue(text="Porto")
        assert facts["acme:ratio"].value == TextValue(text="1,5")  # never guessed at
        assert facts["acme:hq"].provenance.method == "user"
    bad = tmp_path / "bad.csv"
    bad.write_text("key,label,value,unit\nok,OK,1,meter\n,Empty key,2,meter\n", encoding="utf-8")
    with KnowledgeStore(":memory:") as store, pytest.raises(SpecError, match="row 3, key"):
        store.import_csv(bad)
    (tmp_path / "cols.csv").write_text("name,value\nx,1\n", encoding="utf-8")
    with KnowledgeStore(":memory:") as store, pytest.raises(SpecError, match="missing column"):
        store.import_csv(tmp_path / "cols.csv")


def test_request_keys_are_stable_and_distinct() -> None:
    a = FactRequest.parse({"provider": "weather", "place": "Lisbon", "days": 5})
    b = FactRequest.parse({"days": 5, "place": "Lisbon", "provider": "weather"})
    c = FactRequest.parse({"provider": "weather", "place": "Porto", "days": 5})
    assert a.key() == b.key() != c.key()
    assert (
        FactRequest.parse({"provider": "weather", "field": "temperature"})
        .key()
        .endswith(":temperature")
    )
