"""The data rows of a batch: reading CSV, JSON Lines, JSON, Parquet or a DataFrame, and
checking each row against the variables a template declares.

Rows are untrusted input. A row that cannot be read (a JSON line that is not an object)
or whose values do not fit the template's variables (a missing value, a price that is not
a number, an image outside the data folder) gives a :class:`RowError` naming the row and
the field; the other rows go on.

DataFrames are duck-typed (pandas ``to_dict(orient="records")``, polars ``to_dicts()``,
pyarrow ``to_pylist()``), so none of those libraries is needed; Parquet files need
pyarrow.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from factframe.errors import MissingDependencyError, SpecError

__all__ = ["ROW_FORMATS", "DataRow", "RowError", "Variable", "coerce_row", "read_rows"]

#: Data file suffixes :func:`read_rows` reads.
ROW_FORMATS = (".csv", ".jsonl", ".ndjson", ".json", ".parquet")
VariableType = Literal[
    "text", "number", "integer", "boolean", "date", "datetime", "list", "image", "any"
]
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


class RowError(SpecError):
    """A data row that cannot be used.

    Attributes:
        row: the row's number, counting data rows from 1 (a CSV's header is not a row).
        field: the column at fault, or None for the whole row.
        reason: the message without the row and field.
    """

    def __init__(self, message: str, row: int, field: str | None = None) -> None:
        self.row = row
        self.field = field
        where = f"row {row}" + (f", field {field!r}" if field else "")
        super().__init__(f"{where}: {message}")
        self.reason = message


@dataclass(frozen=True)
class DataRow:
    """One row as read: its number and values, or the reason it could not be read."""

    number: int
    values: dict[str, Any]
    error: str | None = None


@dataclass(frozen=True)
class Variable:
    """A variable a template declares (in its header): its type, whether a row must give
    it, its default, and what it means."""

    name: str
    type: VariableType = "text"
    required: bool = True
    default: Any = None
    description: str = ""
    example: Any = None
    max_length: int | None = None


def read_rows(source: Any) -> tuple[list[DataRow], Path | None]:
    """Reads the rows of a data file or of rows/DataFrame given in memory.

    Args:
        source: a ``.csv``, ``.jsonl``/``.ndjson``, ``.json`` (a list of objects, or
            ``{"rows": [...]}``) or ``.parquet`` path; a DataFrame or Arrow table; or an
            iterable of mappings.

    Returns:
        the rows, and the folder relative image paths are read from (the data file's
        folder; None for rows in memory).

    Raises:
        SpecError: the file is missing, unreadable, or not in a known format.
        MissingDependencyError: a Parquet file without pyarrow installed.
    """
    if isinstance(source, str | Path):
        path = Path(source)
        return _read_file(path), path.resolve().parent
    records = _records_of_table(source)
    if records is None:
        if isinstance(source, Mapping) or not isinstance(source, Iterable):
            raise SpecError(
                f"rows must be a data file, a DataFrame or a list of mappings, not "
                f"{type(source).__name__}"
            )
        records = list(source)
    return [_row(i, r) for i, r in enumerate(records, start=1)], None


def _row(number: int, record: Any) -> DataRow:
    if not isinstance(record, Mapping):
        return DataRow(number, {}, f"a row must be an object of named values, not {_kind(record)}")
    return DataRow(number, {str(k): _plain(v) for k, v in record.items()})


def _kind(value: Any) -> str:
    return type(value).__name__


def _records_of_table(table: Any) -> list[Any] | None:
    """The records of a pandas/polars DataFrame or a pyarrow Table, duck-typed."""
    if hasattr(table, "to_pylist") and callable(table.to_pylist):  # pyarrow Table
        return list(table.to_pylist())
    if hasattr(table, "to_dicts") and callable(table.to_dicts):  # polars
        return list(table.to_dicts())
    if hasattr(table, "to_dict") and hasattr(table, "columns") and callable(table.to_dict):
        return list(table.to_dict(orient="records"))  # pandas
    return None


def _plain(value: Any) -> Any:
    """numpy and pandas scalars as Python values; NaN and NaT as missing."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime()
    if hasattr(value, "item") and hasattr(value, "dtype"):  # numpy scalar
        return _plain(value.item())
    if hasattr(value, "tolist") and hasattr(value, "dtype"):  # numpy array in a cell
        return value.tolist()
    return value


def _read_file(path: Path) -> list[DataRow]:
    suffix = path.suffix.lower()
    if suffix not in ROW_FORMATS:
        raise SpecError(f"cannot read rows from {path.name!r}: use one of {', '.join(ROW_FORMATS)}")
    if suffix == ".parquet":
        return _read_parquet(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SpecError(f"cannot read data file {str(path)!r}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise SpecError(f"data file {str(path)!r} is not UTF-8 (byte {exc.start})") from None
    if suffix == ".csv":
        return _read_csv(text)
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"data file {path.name!r} is not valid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list):
        raise SpecError(f"data file {path.name!r} must hold a JSON list of rows (objects)")
    return [_row(i, r) for i, r in enumerate(data, start=1)]


def _read_csv(text: str) -> list[DataRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        return []
    names = [h.strip() for h in header]
    rows = []
    for number, cells in enumerate((c for c in reader if any(x.strip() for x in c)), start=1):
        if len(cells) > len(names):
            rows.append(DataRow(number, {}, f"{len(cells)} values but only {len(names)} columns"))
            continue
        values = dict(zip(names, cells, strict=False))  # a short row lacks the last columns
        rows.append(DataRow(number, values))
    return rows


def _read_jsonl(text: str) -> list[DataRow]:
    rows = []
    lines = [line for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append(DataRow(number, {}, f"not valid JSON ({exc.msg}, column {exc.colno})"))
            continue
        rows.append(_row(number, record))
    return rows


def _read_parquet(path: Path) -> list[DataRow]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependencyError(
            "reading Parquet needs pyarrow: pip install pyarrow (or pass a DataFrame)"
        ) from None
    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise SpecError(f"cannot read Parquet file {str(path)!r}: {exc}") from None
    return [_row(i, r) for i, r in enumerate(table.to_pylist(), start=1)]


# --- checking a row against the template's variables -----------------------------------


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def coerce_row(
    variables: Mapping[str, Variable], row: DataRow, base: Path | None
) -> dict[str, Any]:
    """The row's values, converted to the declared types, with defaults filled in.

    Columns the template does not declare pass through unchanged.

    Raises:
        RowError: the row could not be read, or a value is missing or of the wrong type.
    """
    if row.error is not None:
        raise RowError(row.error, row.number)
    values = dict(row.values)
    for name, var in variables.items():
        raw = values.get(name)
        if _missing(raw):
            if var.default is not None:
                raw = var.default
            elif var.required:
                what = "missing" if name not in values else "empty"
                raise RowError(f"{what}; the template needs it ({var.description or var.type})",
                               row.number, name)  # fmt: skip
            else:
                values[name] = None
                continue
        try:
            values[name] = _convert(var, raw, base)
        except ValueError as exc:
            raise RowError(str(exc), row.number, name) from None
    return values


def _convert(var: Variable, raw: Any, base: Path | None) -> Any:
    kind = var.type
    if kind == "any":
        return raw
    if kind == "text":
        if isinstance(raw, list | dict | bool):
            raise ValueError(f"expected text, got {_kind(raw)}")
        text = str(raw)
        if var.max_length is not None and len(text) > var.max_length:
            raise ValueError(f"{len(text):,} characters, over the {var.max_length:,} allowed")
        return text
    if kind in ("number", "integer"):
        return _number(raw, kind == "integer")
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in _TRUE | _FALSE:
            return word in _TRUE
        raise ValueError(f"expected yes/no (true/false), got {raw!r}")
    if kind in ("date", "datetime"):
        return _when(raw, kind)
    if kind == "list":
        return _list(raw)
    return _image(raw, base)


def _number(raw: Any, integer: bool) -> float | int:
    if isinstance(raw, bool):
        raise ValueError(f"expected a number, got {raw!r}")
    if isinstance(raw, int | float):
        number: float = float(raw)
    else:
        text = str(raw).strip()
        try:
            if "_" in text:  # Python reads 1_000; a data file does not mean that
                raise ValueError(text)
            number = float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {raw!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {raw!r}")
    if integer:
        if not number.is_integer():
            raise ValueError(f"expected a whole number, got {raw!r}")
        return int(number)
    return int(number) if isinstance(raw, int) else number


def _when(raw: Any, kind: str) -> date | datetime:
    if isinstance(raw, datetime):
        return raw.date() if kind == "date" else raw
    if isinstance(raw, date):
        if kind == "datetime":
            raise ValueError(f"expected a date and time (2026-06-21T19:30), got {raw}")
        return raw
    text = str(raw).strip()
    try:
        if kind == "date":
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        example = "2026-06-21" if kind == "date" else "2026-06-21T19:30"
        raise ValueError(f"expected an ISO {kind.replace('time', ' and time')} like {example}, "
                         f"got {raw!r}") from None  # fmt: skip


def _list(raw: Any) -> list[Any]:
    if isinstance(raw, list | tuple):
        return list(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError:
                raise ValueError("starts with '[' but is not a JSON list") from None
            if isinstance(parsed, list):
                return parsed
        return [part.strip() for part in re.split(r"[;|\n]", text) if part.strip()]
    raise ValueError(f"expected a list (JSON, or items separated by ';'), got {_kind(raw)}")


def _image(raw: Any, base: Path | None) -> str:
    text = str(raw).strip()
    if text.startswith("data:"):
        return text
    folder = (base or Path.cwd()).resolve()
    candidate = Path(text)
    if candidate.is_absolute():
        raise ValueError(f"{text!r}: give an image path relative to the data file's folder")
    path = (folder / candidate).resolve()
    if not path.is_relative_to(folder):
        raise ValueError(f"{text!r} points outside the data file's folder")
    if not path.is_file():
        raise ValueError(f"image {text!r} not found next to the data file")
    return str(path)
