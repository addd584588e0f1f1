"""Data tables for charts: DataFrames, column mappings, row lists and CSV files.

A chart's ``data`` names a table handed to ``factframe.render(spec, data={name: table})``,
or a ``.csv`` file (a path relative to the spec file when the spec came from one). A table
may be

- a pandas (or polars-like) DataFrame: anything with ``.columns`` whose columns have
  ``.tolist()`` — pandas is not a dependency, it is only duck-typed;
- a mapping of column name → list of values;
- a list of row mappings (``[{"month": "Jan", "sales": 12}, …]``; a key missing from a row
  is a missing value);
- for CSV: a header row, then values, read with the standard library (UTF-8, a BOM is
  ignored).

Numbers: ints and floats as they are; text is parsed as a plain decimal (``1234.5``); an
empty cell, ``NA``, ``N/A``, ``NaN``, ``null``, ``None`` or ``-`` is a missing value (a
gap), and so is a float NaN (pandas' own marker of a missing value). Infinity and any
other text are a :class:`~factframe.errors.SpecError` naming the column and row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from factframe.errors import SpecError
from factframe.spec_charts import MAX_VALUES

__all__ = ["MAX_CSV_BYTES", "as_columns", "load_table", "number_column", "text_column"]

#: The largest CSV file a chart reads.
MAX_CSV_BYTES = 32 * 1024 * 1024
_MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "-"})


def load_table(source: str, tables: Mapping[str, Any] | None, where: str) -> dict[str, list[Any]]:
    """The columns of the table ``source`` names: one of ``tables``, else a ``.csv`` file.

    Raises:
        SpecError: naming ``where``: no such table, an unreadable file, a ragged table.
    """
    if tables is not None and source in tables:
        return as_columns(tables[source], where)
    if source.lower().endswith(".csv"):
        return read_csv(source, where)
    given = ", ".join(repr(k) for k in (tables or {})) or "none"
    raise SpecError(
        f"no table named {source!r}; pass it as render(spec, data={{{source!r}: table}}) or "
        f"name a .csv file (tables given: {given})",
        where,
    )


def as_columns(table: Any, where: str) -> dict[str, list[Any]]:
    """A table as column name → values, all columns of one length.

    Raises:
        SpecError: not a table, or columns of different lengths.
    """
    if isinstance(table, Mapping):
        columns = {str(k): _as_list(v, str(k), where) for k, v in table.items()}
    elif hasattr(table, "columns") and hasattr(table, "__getitem__"):
        columns = {str(c): _as_list(table[c], str(c), where) for c in list(table.columns)}
    elif isinstance(table, Sequence) and not isinstance(table, str | bytes):
        columns = _rows_to_columns(table, where)
    else:
        raise SpecError(
            f"a table must be a DataFrame, a mapping of columns or a list of rows, "
            f"not {type(table).__name__}",
            where,
        )
    lengths = {name: len(values) for name, values in columns.items()}
    if len(set(lengths.values())) > 1:
        raise SpecError(f"the table's columns differ in length: {lengths}", where)
    return columns


def _as_list(column: Any, name: str, where: str) -> list[Any]:
    if hasattr(column, "tolist"):
        column = column.tolist()
    if isinstance(column, str | bytes) or not isinstance(column, Sequence):
        raise SpecError(f"column {name!r} is not a list of values", where)
    return list(column)


def _rows_to_columns(rows: Sequence[Any], where: str) -> dict[str, list[Any]]:
    names: dict[str, None] = {}
    for k, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise SpecError(f"row {k} is a {type(row).__name__}, not a mapping", where)
        names.update(dict.fromkeys(str(key) for key in row))
    return {name: [row.get(name) for row in rows] for name in names}


def read_csv(path: str, where: str) -> dict[str, list[Any]]:
    """The columns of a CSV file with a header row.

    Raises:
        SpecError: missing, too large, not UTF-8, empty, or a row longer than the header.
    """
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_CSV_BYTES:
            raise SpecError(f"{path!r} has {size:,} bytes, over {MAX_CSV_BYTES:,}", where)
        text = file.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise SpecError(f"cannot read {path!r}: {exc.strerror}", where) from None
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path!r} is not UTF-8 (bad byte at {exc.start})", where) from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise SpecError(f"{path!r} is empty; it needs a header row", where)
    header, body = [h.strip() for h in rows[0]], [r for r in rows[1:] if any(c.strip() for c in r)]
    if len(body) > MAX_VALUES:
        raise SpecError(f"{path!r} has {len(body):,} rows, over {MAX_VALUES:,}", where)
    for k, row in enumerate(body, start=2):
        if len(row) > len(header):
            raise SpecError(f"{path!r} line {k} has more cells than the header", where)
    return {name: [row[c] if c < len(row) else "" for row in body] for c, name in enumerate(header)}


def number_column(values: Sequence[Any], name: str, where: str) -> list[float | None]:
    """A column as numbers, missing values as None.

    Raises:
        SpecError: a cell that is not a number (naming the column and row) or is infinite.
    """
    out: list[float | None] = []
    for k, v in enumerate(values):
        if v is None or (isinstance(v, str) and v.strip().lower() in _MISSING):
            out.append(None)
            continue
        try:
            if isinstance(v, bool):
                raise ValueError
            number = float(v.strip() if isinstance(v, str) else v)
        except (TypeError, ValueError):
            raise SpecError(f"column {name!r} row {k}: {v!r} is not a number", where) from None
        if math.isnan(number):
            out.append(None)
        elif math.isinf(number):
            raise SpecError(f"column {name!r} row {k}: {v!r} is not a finite number", where)
        else:
            out.append(number)
    return out


def text_column(values: Sequence[Any]) -> list[str]:
    """A column as label text: whole floats without ``.0``, dates as ISO, missing as ""."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append("")
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        elif isinstance(v, dt.date):
            out.append(v.isoformat())
        elif hasattr(v, "isoformat"):  # pandas Timestamp and friends
            out.append(str(v.isoformat()))
        else:
            out.append(str(v).strip())
    return out
