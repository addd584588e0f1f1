"""A batch's items as the parent process plans them: their file stems, and the fact
requests of all of them resolved together.

Resolving together is what makes a batch cheap to ground: the requests of every item (in
one locale) go to :func:`~factframe.grounding.resolve.resolve` at once, so equal requests
are fetched once and the store answers what it holds. Items are told apart by a prefix on
their fact names (``i3_place``), and items whose requests are equal share one prefix. When
some facts cannot be resolved, only the items that asked for them fail; the rest are
resolved again, from the store.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factframe.errors import GroundingError
from factframe.knowledge import Fact, KnowledgeStore
from factframe.templates.outputs import row_hash, slug
from factframe.templates.rows import DataRow

if TYPE_CHECKING:
    from factframe.grounding.resolve import Resolution

__all__ = ["PlannedItem", "field_in_message", "resolve_items", "stems"]

_REFERENCE = re.compile(r"^\s*\{\{\s*([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)?)\s*\}\}\s*$")


@dataclass
class PlannedItem:
    """An item as the batch plans it, in the parent process: its row, names, facts and
    outcome so far."""

    index: int
    row: int
    key: str
    id: str
    size: str
    locale: str
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    error: str | None = None
    field: str | None = None
    requests: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    facts: dict[str, Fact] = dataclasses.field(default_factory=dict)
    stale: frozenset[str] = frozenset()
    finals: tuple[Path, ...] = ()
    input_hash: str = ""

    def fail(self, message: str, field_name: str | None = None) -> None:
        if self.error is None:
            where = f"row {self.row}" + (f", field {field_name!r}" if field_name else "")
            self.error = message if message.startswith(f"row {self.row}") else f"{where}: {message}"
            self.field = field_name


def stems(rows: list[tuple[DataRow, str]]) -> dict[int, tuple[str, int | None]]:
    """Each row's file stem by row number: its key slugged, with a short hash of the row
    where keys slug alike; a row with the same values as an earlier one is marked as its
    duplicate (``"#rowN"``, and the earlier row's number)."""
    by_slug: dict[str, list[tuple[DataRow, str]]] = {}
    for row, key in rows:
        by_slug.setdefault(slug(key), []).append((row, key))
    stems: dict[int, tuple[str, int | None]] = {}
    for name, members in by_slug.items():
        if len(members) == 1:
            stems[members[0][0].number] = (name, None)
            continue
        seen: dict[str, int] = {}
        for row, _ in members:
            digest = row_hash(row.values)
            if digest in seen:
                stems[row.number] = (f"#row{row.number}", seen[digest])
            else:
                seen[digest] = row.number
                stems[row.number] = (f"{name}-{digest}", None)
    return stems


def field_in_message(message: str, values: Mapping[str, Any]) -> str | None:
    """The row column whose (non-trivial) value a message quotes."""
    for name, value in values.items():
        if isinstance(value, str) and len(value) > 1 and repr(value) in message:
            return name
    return None


def resolve_items(
    items: list[PlannedItem],
    store: KnowledgeStore,
    locale: str,
    **options: Any,
) -> None:
    """Resolves the fact requests of many items at once: items with equal requests share
    one set of names; the rest are told apart by a prefix (``i3_place``). A group whose
    facts cannot be resolved fails, and the others are resolved again (from the store)."""
    groups: dict[str, list[PlannedItem]] = {}
    for item in items:
        signature = json.dumps(item.requests, sort_keys=True, default=str)
        groups.setdefault(signature, []).append(item)
    named: dict[str, dict[str, Any]] = {}
    members: dict[str, list[PlannedItem]] = {}
    for n, group in enumerate(groups.values()):
        prefix = f"i{n}_"
        members[prefix] = group
        names = set(group[0].requests)
        for name, request in group[0].requests.items():
            named[prefix + name] = {k: _renamed(v, prefix, names) for k, v in request.items()}
    while named:
        try:
            resolution = _resolve_in_thread(named, store=store, locale=locale, **options)
        except GroundingError as exc:
            failed: dict[str, list[tuple[str, str]]] = {}
            for name, reason in exc.unresolved:
                prefix = name.split("_", 1)[0] + "_"
                failed.setdefault(prefix, []).append((name[len(prefix) :], reason))
            if not failed:
                raise
            for prefix, problems in failed.items():
                for item in members.pop(prefix, []):
                    name, reason = problems[0]
                    column = _feeding_column(item, name)
                    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                    item.fail(f"fact {name!r}: {reason.replace(prefix, '')}{more}", column)
                named = {k: v for k, v in named.items() if not k.startswith(prefix)}
            continue
        by_prefix: dict[str, dict[str, Fact]] = {}
        for name, fact in resolution.facts.items():
            prefix, short = name.split("_", 1)
            by_prefix.setdefault(prefix + "_", {})[short] = fact
        for prefix, group in members.items():
            stale = frozenset(k[len(prefix) :] for k in resolution.stale if k.startswith(prefix))
            for item in group:
                item.facts, item.stale = by_prefix.get(prefix, {}), stale
        return


def _resolve_in_thread(requests: dict[str, dict[str, Any]], **options: Any) -> Resolution:
    """:func:`resolve` on its own event loop in a helper thread. (In the main thread,
    ``asyncio.run`` restores the SIGINT handler through ``signal.signal``, whose enum
    lookup formats the finished task with ``repr`` — the repr of every resolved fact:
    0.25 s for 2,000 facts.)"""
    import asyncio

    from factframe.grounding.resolve import resolve  # the providers load only when needed

    with ThreadPoolExecutor(1, thread_name_prefix="factframe-resolve") as pool:
        return pool.submit(asyncio.run, resolve(requests, **options)).result()


def _renamed(value: Any, prefix: str, names: set[str]) -> Any:
    if isinstance(value, str) and (m := _REFERENCE.match(value)) and m.group(1) in names:
        return "{{ " + prefix + m.group(1) + m.group(2) + " }}"
    return value


def _feeding_column(item: PlannedItem, fact: str) -> str | None:
    """The row's column whose value went into a fact's request."""
    request = item.requests.get(fact, {})
    params = {str(v) for v in request.values() if isinstance(v, str | int | float)}
    for name, value in item.values.items():
        if value is not None and not isinstance(value, list | dict) and str(value) in params:
            return name
    return None
