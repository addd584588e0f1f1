"""Batch data rows (reading, checking) and batch files (names, manifest, crash-safe writes)."""

from __future__ import annotations

import builtins
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from factframe.errors import MissingDependencyError, SpecError
from factframe.templates import outputs
from factframe.templates.outputs import Manifest, check_key, slug
from factframe.templates.rows import DataRow, RowError, Variable, coerce_row, read_rows


def test_rows_are_read_from_csv_jsonl_and_json(tmp_path: Path) -> None:
    csv_file = tmp_path / "rows.csv"
    csv_file.write_text('\ufeffcity,note\nLisbon,"two\nlines"\n\nTokyo\n', encoding="utf-8")
    rows, base = read_rows(csv_file)
    assert base == tmp_path and [r.values for r in rows] == [
        {"city": "Lisbon", "note": "two\nlines"},
        {"city": "Tokyo"},  # a short row lacks its last columns: checked against the template
    ]
    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_text('{"city": "Lisbon"}\n\nnot json\n[1, 2]\n', encoding="utf-8")
    rows, _ = read_rows(jsonl)
    assert [r.number for r in rows] == [1, 2, 3] and rows[0].error is None
    assert "not valid JSON" in (rows[1].error or "") and "object" in (rows[2].error or "")
    json_file = tmp_path / "rows.json"
    json_file.write_text('{"rows": [{"city": "Lisbon"}]}', encoding="utf-8")
    assert read_rows(json_file)[0][0].values == {"city": "Lisbon"}


class FakeFrame:
    """Duck-types a pandas DataFrame: ``columns`` and ``to_dict(orient="records")``."""

    columns = ("city", "population")

    def to_dict(self, orient: str) -> list[dict[str, Any]]:
        assert orient == "records"
        return [{"city": "Lisbon", "population": float("nan")}]


def test_dataframes_are_duck_typed_and_nan_is_missing() -> None:
    rows, base = read_rows(FakeFrame())
    assert base is None and rows[0].values == {"city": "Lisbon", "population": None}
    with pytest.raises(SpecError, match="DataFrame"):
        read_rows({"city": "Lisbon"})


def test_parquet_without_pyarrow_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(MissingDependencyError, match="pip install pyarrow"):
        read_rows(tmp_path / "rows.parquet")


def test_unknown_data_formats_and_missing_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"rows\.xlsx"):
        read_rows(tmp_path / "rows.xlsx")
    with pytest.raises(SpecError, match="cannot read data file"):
        read_rows(tmp_path / "missing.csv")


VARIABLES = {
    "name": Variable("name", max_length=10),
    "price": Variable("price", "number"),
    "count": Variable("count", "integer", required=False, default=1),
    "on": Variable("on", "boolean", required=False),
    "day": Variable("day", "date", required=False),
    "at": Variable("at", "datetime", required=False),
    "tags": Variable("tags", "list", required=False),
    "picture": Variable("picture", "image", required=False),
}


def coerce(values: dict[str, Any], base: Path | None = None) -> dict[str, Any]:
    return coerce_row(VARIABLES, DataRow(7, values), base)


def test_values_are_converted_to_the_declared_types(tmp_path: Path) -> None:
    (tmp_path / "mug.png").write_bytes(b"png")
    row = coerce(
        {
            "name": "Mug",
            "price": "24.5",
            "on": "yes",
            "day": "2026-06-21",
            "at": "2026-06-21T19:30",
            "tags": "a; b",
            "picture": "mug.png",
            "extra": "kept",
        },
        tmp_path,
    )
    assert row["price"] == 24.5 and row["count"] == 1 and row["on"] is True
    assert row["day"] == date(2026, 6, 21) and row["at"] == datetime(2026, 6, 21, 19, 30)
    assert row["tags"] == ["a", "b"] and row["picture"] == str(tmp_path / "mug.png")
    assert row["extra"] == "kept"
    assert coerce({"name": "Mug", "price": 3, "tags": '["x", "y"]'})["tags"] == ["x", "y"]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"price": 1}, "name", "missing"),
        ({"name": " ", "price": 1}, "name", "empty"),
        ({"name": "A much longer name", "price": 1}, "name", "over the 10 allowed"),
        ({"name": "Mug", "price": "abc"}, "price", "expected a number"),
        ({"name": "Mug", "price": "1_000"}, "price", "expected a number"),
        ({"name": "Mug", "price": "nan"}, "price", "finite"),
        ({"name": "Mug", "price": 1, "count": 1.5}, "count", "whole number"),
        ({"name": "Mug", "price": 1, "on": "maybe"}, "on", "yes/no"),
        ({"name": "Mug", "price": 1, "day": "21/06/2026"}, "day", "ISO date"),
        ({"name": "Mug", "price": 1, "picture": "../secret.png"}, "picture", "outside"),
        ({"name": "Mug", "price": 1, "picture": "/etc/passwd"}, "picture", "relative"),
        ({"name": "Mug", "price": 1, "picture": "nope.png"}, "picture", "not found"),
    ],
)
def test_bad_values_name_the_row_and_the_field(
    values: dict[str, Any], field: str, message: str, tmp_path: Path
) -> None:
    with pytest.raises(RowError, match=message) as info:
        coerce(values, tmp_path)
    assert info.value.row == 7 and info.value.field == field
    assert str(info.value).startswith(f"row 7, field {field!r}: ")


def test_slugs_are_readable_and_safe() -> None:
    assert slug("São Paulo") == "são-paulo" and slug("東京") == "東京"
    assert slug("नमस्ते दुनिया") == "नमस्ते-दुनिया" and slug("Café!") == "café"
    assert slug("...") == "item" and slug("CON") == "con_" and slug(".hidden") == "hidden"
    assert len(slug("é" * 500).encode()) <= outputs.MAX_SLUG_BYTES
    for key in ("../../x", "a/b", "a\\b", "..", "x\ny"):
        assert check_key(key) is not None, key
    assert check_key("Rio de Janeiro") is None


def test_the_manifest_skips_and_cuts_a_torn_last_line(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    manifest.append({"id": "a", "status": "ok", "outputs": ["a.png"]})
    manifest.append({"id": "a", "status": "failed", "outputs": []})  # wrote no file
    manifest.close()
    with open(manifest.path, "ab") as fh:
        fh.write(b'{"id": "b", "stat')  # a crash in the middle of a line
    assert manifest.read()["a"]["status"] == "ok" and "b" not in manifest.read()
    manifest.open()
    manifest.append({"id": "c", "status": "ok"})
    manifest.close()
    lines = manifest.path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "a", "c"]


def test_a_partial_file_the_manifest_vouches_for_is_adopted(tmp_path: Path) -> None:
    final = tmp_path / "card.png"
    partial, digest = outputs.write_partial(final, b"picture", tag="123")
    assert partial.name == ".card.png.123.partial" and not final.exists()
    assert not outputs.adopt(final, "0" * 64)
    assert outputs.adopt(final, digest) and final.read_bytes() == b"picture"
    assert not partial.exists()
    outputs.write_partial(final, b"stray", tag="9")
    assert outputs.remove_partials(tmp_path) == 1 and sorted(tmp_path.iterdir()) == [final]


def test_real_pandas_and_parquet_rows(tmp_path: Path) -> None:
    import pandas  # the dev extra installs pandas and pyarrow

    frame = pandas.DataFrame({"city": ["Lisbon", "東京"], "population": [517802, None]})
    rows, _ = read_rows(frame)
    assert [r.values for r in rows] == [
        {"city": "Lisbon", "population": 517802},
        {"city": "東京", "population": None},  # NaN is missing, never a number
    ]
    frame.to_parquet(tmp_path / "rows.parquet")
    again, _ = read_rows(tmp_path / "rows.parquet")
    assert [r.values for r in again] == [r.values for r in rows]
