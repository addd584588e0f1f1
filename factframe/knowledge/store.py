"""The fact store: SQLite (stdlib) with expiry, stale reads, full-text search and import/export.

One table of facts keyed by :meth:`FactRequest.key`, values and provenance as JSON, and an
FTS5 index over labels and text values. WAL journalling and a busy timeout make it safe for
several processes at once (a batch's workers). The default file lives in the user's cache
folder; ``":memory:"`` gives a private store for tests.

>>> store = KnowledgeStore(":memory:")
>>> store.get("weather:abc") is None
True
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from factframe.errors import SpecError
from factframe.knowledge.facts import Fact, FactValue, Provenance, TextValue

__all__ = ["KnowledgeStore", "StoredFact", "default_store_path"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (
    key TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    label TEXT NOT NULL,
    value TEXT NOT NULL,
    provenance TEXT NOT NULL,
    retrieved_at REAL NOT NULL,
    valid_until REAL
);
CREATE VIRTUAL TABLE IF NOT EXISTS facts_fts USING fts5(key UNINDEXED, label, body);
"""
_VALUE = TypeAdapter(FactValue)


def default_store_path() -> Path:
    """``$FACTFRAME_STORE``, else ``facts.sqlite`` in the user's cache folder."""
    if env := os.environ.get("FACTFRAME_STORE"):
        return Path(env)
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home()))
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "factframe" / "facts.sqlite"


@dataclass(frozen=True)
class StoredFact:
    """A fact read from the store, with its age and whether it has expired."""

    fact: Fact
    age: timedelta
    stale: bool


def _text_of(fact: Fact) -> str:
    value = fact.value
    if isinstance(value, TextValue):
        return value.text
    if value.kind == "record":
        return " ".join(v.text for v in value.fields.values() if isinstance(v, TextValue))
    return ""


class KnowledgeStore:
    """Facts on SQLite.

    Args:
        path: a file path, or ``":memory:"``; the default is :func:`default_store_path`.
        busy_timeout: seconds a writer waits for another process's lock.
    """

    def __init__(self, path: str | Path | None = None, *, busy_timeout: float = 10.0) -> None:
        target = default_store_path() if path is None else path
        if str(target) != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(target)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> KnowledgeStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def put(self, facts: Fact | Iterable[Fact]) -> int:
        """Stores facts, replacing any with the same key; returns how many."""
        batch = [facts] if isinstance(facts, Fact) else list(facts)
        rows = [
            (
                f.key,
                f.provenance.provider,
                f.label,
                f.value.model_dump_json(),
                f.provenance.model_dump_json(),
                f.provenance.retrieved_at.timestamp(),
                f.provenance.valid_until.timestamp() if f.provenance.valid_until else None,
            )
            for f in batch
        ]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?, ?, ?)", rows
                )
                self._db.executemany(
                    "DELETE FROM facts_fts WHERE key = ?", [(f.key,) for f in batch]
                )
                self._db.executemany(
                    "INSERT INTO facts_fts (key, label, body) VALUES (?, ?, ?)",
                    [(f.key, f.label, _text_of(f)) for f in batch],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return len(batch)

    def get(
        self, key: str, *, max_stale: timedelta | None = None, now: datetime | None = None
    ) -> StoredFact | None:
        """Reads a fact. A fact past its ``valid_until`` comes back only within
        ``max_stale`` of expiring, and then marked ``stale``; otherwise None."""
        with self._lock:
            row = self._db.execute(
                "SELECT label, value, provenance FROM facts WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        fact = self._fact(key, *row)
        moment = now or datetime.now(UTC)
        until = fact.provenance.valid_until
        stale = until is not None and moment >= until
        if until is not None and stale and (max_stale is None or moment - until > max_stale):
            return None
        return StoredFact(fact, fact.provenance.age(moment), stale)

    def search(self, query: str, limit: int = 20, *, match: str = "all") -> list[Fact]:
        """Full-text search over labels and text values, best first.

        ``match="all"`` finds facts with every word of ``query``; ``"any"`` with at least
        one (ranked by BM25, so a question in plain words finds its facts).
        """
        if match not in ("all", "any"):
            raise ValueError(f"match must be 'all' or 'any', not {match!r}")
        joiner = " OR " if match == "any" else " "
        terms = joiner.join(f'"{w}"' for w in query.replace('"', " ").split())
        if not terms:
            return []
        with self._lock:
            keys = [
                r[0]
                for r in self._db.execute(
                    "SELECT key FROM facts_fts WHERE facts_fts MATCH ? ORDER BY rank LIMIT ?",
                    (terms, limit),
                )
            ]
        found = (self.get(k, max_stale=timedelta.max) for k in keys)
        return [s.fact for s in found if s is not None]

    def __iter__(self) -> Iterator[Fact]:
        with self._lock:
            rows = self._db.execute("SELECT key, label, value, provenance FROM facts").fetchall()
        return (self._fact(*row) for row in rows)

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM facts").fetchone()[0])

    def export_json(self, path: str | Path) -> int:
        """Writes every fact as a JSON list; returns how many."""
        facts = [json.loads(f.model_dump_json()) for f in self]
        Path(path).write_text(json.dumps(facts, ensure_ascii=False, indent=1), encoding="utf-8")
        return len(facts)

    def import_json(self, path: str | Path) -> int:
        """Reads facts written by :meth:`export_json` (or by hand, same shape).

        Raises:
            SpecError: naming the file and the first bad entry.
        """
        file = Path(path)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SpecError(f"cannot read facts from {str(file)!r}: {exc}") from None
        if not isinstance(data, list):
            raise SpecError(f"{str(file)!r} must hold a JSON list of facts")
        facts = []
        for i, item in enumerate(data):
            try:
                facts.append(Fact.model_validate(item))
            except ValidationError as exc:
                first = exc.errors(include_url=False)[0]
                where = ".".join(str(p) for p in first["loc"])
                raise SpecError(f"{file.name}[{i}].{where}: {first['msg']}") from None
        return self.put(facts)

    def import_csv(self, path: str | Path, *, provider: str = "user") -> int:
        """Imports user facts from CSV with columns ``key,label,value[,unit,source]``.

        Numbers become quantities (with a unit) or plain numbers; anything else is text.
        Each fact's provenance says ``method: user`` and names the file.

        Raises:
            SpecError: naming the file, row and column.
        """
        file = Path(path)
        now = datetime.now(UTC)
        facts = []
        try:
            with file.open(encoding="utf-8", newline="") as fh:
                reader = csv.DictReader(fh)
                missing = {"key", "label", "value"} - set(reader.fieldnames or ())
                if missing:
                    raise SpecError(f"{file.name}: missing column(s) {', '.join(sorted(missing))}")
                for row_no, row in enumerate(reader, start=2):
                    try:
                        facts.append(
                            Fact(
                                key=row["key"],
                                label=row["label"],
                                value=_csv_value(row.get("value") or "", row.get("unit") or ""),
                                provenance=Provenance(
                                    provider=provider,
                                    source=row.get("source") or str(file.name),
                                    retrieved_at=now,
                                    method="user",
                                ),
                            )
                        )
                    except ValidationError as exc:
                        first = exc.errors(include_url=False)[0]
                        column = str(first["loc"][0]) if first["loc"] else "value"
                        msg = f"{file.name} row {row_no}, {column}: {first['msg']}"
                        raise SpecError(msg) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecError(f"cannot read facts from {str(file)!r}: {exc}") from None
        return self.put(facts)

    @staticmethod
    def _fact(key: str, label: str, value: str, provenance: str) -> Fact:
        return Fact(
            key=key,
            label=label,
            value=_VALUE.validate_json(value),
            provenance=Provenance.model_validate_json(provenance),
        )


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def _csv_value(text: str, unit: str) -> FactValue:
    raw = text.strip()
    # "1,234.5" drops its thousands commas; "1,5" is not guessed at and stays text.
    plain = raw.replace(",", "") if _THOUSANDS.fullmatch(raw) else raw
    try:
        number = float(plain) if plain else None
    except ValueError:
        number = None
    if number is None:
        return _VALUE.validate_python({"kind": "text", "text": text})
    if unit:
        return _VALUE.validate_python({"kind": "quantity", "value": number, "unit": unit})
    return _VALUE.validate_python({"kind": "number", "value": number})
