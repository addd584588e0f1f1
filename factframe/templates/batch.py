"""Batches: one spec template × data rows × sizes × locales → pictures, resumable.

``batch(template, rows, …)`` renders every row of a data file (or DataFrame, or list of
mappings) at every size and in every locale, and yields each item's :class:`ItemResult`
as it finishes::

    for result in factframe.batch("weather-card", "examples/weather-card.csv",
                                  output="out/weather", sizes=["square", "story"],
                                  locales=["en", "ja", "ar"], offline=True):
        print(result.id, result.status, result.error or "")

The steps, in order:

1. Read and check the rows (types, required values, safe names); a bad row fails alone.
2. Start the workers (they load fonts while the next steps run).
3. Render the template once per item with its facts pending, to learn its fact requests.
4. Resolve the requests of all items together, per locale: equal requests are fetched once,
   the fact store answers what it has, and an item whose facts cannot be found fails
   alone (the error names the row's field that fed the request).
5. Hash each item's inputs (template, row, size, locale, format, fact values, factframe
   version, PNG encoder); with ``resume``, an item whose hash and files match the manifest
   is skipped. Existing files are never replaced unless ``overwrite``.
6. Render the rest on the executor (see :mod:`~factframe.templates.executors`); as each
   finishes, its manifest line is written (fsynced), then its files are renamed into place
   (see :mod:`~factframe.templates.outputs`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import babel

from factframe.errors import FactframeError, SpecError
from factframe.generator.png import ENCODER
from factframe.knowledge import KnowledgeStore
from factframe.spec import Canvas
from factframe.templates import outputs
from factframe.templates.outputs import Manifest, check_key, slug
from factframe.templates.planning import PlannedItem, field_in_message, resolve_items, stems
from factframe.templates.rows import DataRow, RowError, coerce_row, read_rows
from factframe.templates.worker import ItemOutcome, Job, WorkItem

_version = lru_cache(maxsize=None)(metadata.version)

if TYPE_CHECKING:  # the template machinery (Jinja2, YAML) and executors load when used
    from factframe.templates.executors import Executor
    from factframe.templates.spec_template import SpecTemplate

__all__ = ["Batch", "BatchSummary", "ItemResult", "batch"]

Status = Literal["ok", "failed", "skipped"]
_SUFFIX = {"png": ".png", "jpeg": ".jpg", "webp": ".webp", "pdf": ".pdf", "svg": ".svg"}


@dataclass(frozen=True)
class ItemResult:
    """What became of one item (a row at a size in a locale).

    Attributes:
        id: the item's name, also its files' stem (``lisbon-square-en``).
        row: the data row's number (from 1).
        key: the row's value that names its files (``Lisbon``), or ``row-N``.
        size: the canvas preset or ``WxH``; "" for the template's own canvas.
        status: ``ok``, ``failed`` or ``skipped`` (resumed: already done).
        outputs: the picture, then its facts sidecar (when it has facts).
        duration: seconds spent rendering it.
        error: why it failed, naming the row and field where they are known.
        field: the row's column at fault, when known.
        timings: seconds per stage (template, layout, draw, encode, write).
    """

    id: str
    row: int
    key: str
    size: str
    locale: str
    status: Status
    outputs: tuple[Path, ...] = ()
    sha256: tuple[str, ...] = ()
    duration: float = 0.0
    error: str | None = None
    field: str | None = None
    input_hash: str = ""
    timings: Mapping[str, float] = dataclasses.field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass(frozen=True)
class BatchSummary:
    """Counts and failures of a finished batch."""

    total: int
    ok: int
    failed: int
    skipped: int
    seconds: float
    failures: tuple[ItemResult, ...] = ()

    @property
    def rendered_per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


class Batch:
    """A planned batch; iterate it to run it (see the module docs for the steps).

    Args:
        template: a built-in template's name, a template file, or a :class:`SpecTemplate`.
        rows: a data file (``.csv``, ``.jsonl``, ``.json``, ``.parquet``), a DataFrame, or
            an iterable of mappings.
        output: the folder for the pictures, their sidecars and ``manifest.jsonl``.
        sizes: canvas presets or ``WxH`` (default: the template's first size, else its own
            canvas).
        locales: BCP 47 tags (default: each row's ``locale`` column, else the template's
            first locale, else ``en``).
        workers: worker processes (default: the CPUs available; 0 runs in this process).
        executor: ``local`` (process pool), ``ray``, or ``inline``.
        resume: skip items whose inputs and files match the manifest.
        overwrite: replace files that exist (otherwise such an item fails).
        offline: resolve facts from the store and embedded data only.
        now: the moment facts are resolved at (fixes "today" for reproducible batches).
        store: the fact store, or its path (default: the user's store).
        format: ``png`` (default), ``jpeg``, ``webp``, ``pdf`` or ``svg``.
        key: the column that names each item's files (default: the template's ``key``,
            else ``id``, else the row number).
        base: where relative image paths of rows in memory are read from (a data file's
            own folder otherwise).
        max_stale: how long past its expiry a stored fact may stand in for a failed fetch.
        http: the HTTP client providers use (one per batch otherwise).
        on_phase: called with a short description as each step starts.

    Raises:
        SpecError: unknown template, unreadable data file, unknown size or locale.
        TemplateError: the template's header or syntax is wrong.
    """

    def __init__(
        self,
        template: str | Path | SpecTemplate,
        rows: Any,
        *,
        output: str | Path = "out/batch",
        sizes: Sequence[str] | None = None,
        locales: Sequence[str] | None = None,
        workers: int | None = None,
        executor: str = "local",
        resume: bool = False,
        overwrite: bool = False,
        offline: bool = False,
        now: datetime | None = None,
        store: KnowledgeStore | str | Path | None = None,
        format: str = "png",
        key: str | None = None,
        base: str | Path | None = None,
        max_stale: timedelta | None = None,
        http: Any = None,
        on_phase: Callable[[str], None] | None = None,
    ) -> None:
        from factframe.templates.executors import EXECUTORS
        from factframe.templates.spec_template import load_template

        self.template = load_template(template)
        info = self.template.info
        self.output = Path(output)
        # "" is the template's own canvas (when neither the caller nor its header names one)
        self.sizes = tuple(sizes or info.sizes[:1] or ("",))
        for size in (s for s in self.sizes if s):
            try:
                Canvas.preset(size)
            except ValueError as exc:
                raise SpecError(str(exc), "sizes") from None
        self.locales = tuple(locales or ())
        for tag in self.locales:
            if _locale_problem(tag):
                raise SpecError(f"unknown locale {tag!r} (use a BCP 47 tag like ja-JP)", "locales")
        if format.lower() not in _SUFFIX and format.lower() != "jpg":
            raise SpecError(f"unknown format {format!r}; use one of {', '.join(_SUFFIX)}")
        self.format = "jpeg" if format.lower() in ("jpg", "jpeg") else format.lower()
        self.workers = workers
        self.executor_name = "inline" if workers == 0 and executor == "local" else executor
        EXECUTORS.get(self.executor_name)  # an unknown name fails now, not after planning
        self.resume, self.overwrite, self.offline = resume, overwrite, offline
        self.now = now or datetime.now(UTC)
        self.store = store
        self.max_stale = max_stale
        self.http = http
        self.on_phase = on_phase or (lambda phase: None)
        self._rows, folder = read_rows(rows)
        self._base = Path(base) if base is not None else folder
        self._key = key or info.key or "id"
        self._items = self._plan(self._rows)
        self.summary: BatchSummary | None = None

    @property
    def total(self) -> int:
        """How many items (rows × sizes × locales)."""
        return len(self._items)

    def __iter__(self) -> Iterator[ItemResult]:
        return self.run()

    # --- 1. rows → items -----------------------------------------------------------------

    def _plan(self, rows: list[DataRow]) -> list[PlannedItem]:
        keyed: list[tuple[DataRow, str, dict[str, Any] | None, RowError | None]] = []
        for row in rows:
            raw_key = row.values.get(self._key)
            key = str(raw_key).strip() if raw_key not in (None, "") else f"row-{row.number}"
            try:
                values = coerce_row(self.template.info.variables, row, self._base)
                if (problem := check_key(key)) is not None:
                    raise RowError(problem, row.number, self._key)
                keyed.append((row, key, values, None))
            except RowError as exc:
                keyed.append((row, key, None, exc))
        named = stems([(row, key) for row, key, values, _ in keyed if values is not None])
        items: list[PlannedItem] = []
        for row, key, coerced, error in keyed:
            values = coerced or {}
            stem, duplicate_of = named.get(row.number, (f"#row{row.number}", None))
            for size in self.sizes:
                for locale in self.locales or (self._row_locale(values),):
                    parts = (stem, slug(size) if size else "", slug(locale))
                    item_id = "-".join(p for p in parts if p)
                    item = PlannedItem(len(items), row.number, key, item_id, size, locale, values)
                    if error is not None:
                        item.fail(error.reason, error.field)
                    elif duplicate_of is not None:
                        item.fail(f"the same values as row {duplicate_of}: a duplicate row")
                    elif _locale_problem(locale):
                        item.fail(f"unknown locale {locale!r}", "locale")
                    items.append(item)
        return items

    def _row_locale(self, values: Mapping[str, Any] | None) -> str:
        tag = (values or {}).get("locale")
        if isinstance(tag, str) and tag.strip():
            return tag.strip()
        return (self.template.info.locales or ("en",))[0]

    # --- 2.–6. running --------------------------------------------------------------------

    def run(self) -> Iterator[ItemResult]:
        """Runs the batch, yielding each item's result as it finishes (see the module
        docs). Afterwards :attr:`summary` holds the counts and failures."""
        started = time.perf_counter()
        results: list[ItemResult] = []
        manifest = Manifest(self.output)
        manifest.open()  # first: it locks the folder against another batch
        self._items = self._plan(self._rows)  # afresh: a Batch may run again (resume=True…)
        locales = tuple(dict.fromkeys(i.locale for i in self._items if i.error is None))
        job = Job(self.template, self.format, self.now, locales or ("en",))
        executor = self._executor()
        try:
            self.on_phase("starting workers")
            executor.start(job)
            self.on_phase("reading the template's fact requests")
            self._requests()
            self.on_phase("resolving facts")
            self._resolve()
            records = manifest.read()
            todo: list[PlannedItem] = []
            for item in self._items:
                item.finals = self._finals(item)
                if item.error is None:
                    item.input_hash = self._hash(item)
                    skipped = self._check_existing(item, records.get(item.id))
                    if skipped:
                        result = self._result(item, "skipped")
                        results.append(result)
                        yield result
                        continue
                if item.error is not None:
                    result = self._result(item, "failed")
                    manifest.append(_record(result, self.output))
                    results.append(result)
                    yield result
                else:
                    todo.append(item)
            outputs.remove_partials(self.output)  # left by a crash; what mattered was adopted
            self.on_phase("rendering")
            for outcome in executor.run([self._work(item) for item in todo]):
                result = self._finish(self._items[outcome.index], outcome, manifest)
                results.append(result)
                yield result
        finally:
            executor.close()
            outputs.remove_partials(self.output)
            manifest.close()  # (it unlocks the folder)
            failures = tuple(r for r in results if r.status == "failed")
            self.summary = BatchSummary(
                total=self.total,
                ok=sum(r.status == "ok" for r in results),
                failed=len(failures),
                skipped=sum(r.status == "skipped" for r in results),
                seconds=time.perf_counter() - started,
                failures=failures,
            )

    def _executor(self) -> Executor:
        from factframe.templates.executors import EXECUTORS, InlineExecutor

        if self.executor_name == "inline":
            return InlineExecutor()
        return EXECUTORS.get(self.executor_name)(self.workers)

    def _requests(self) -> None:
        for item in self._items:
            if item.error is None:
                try:
                    item.requests = self.template.requests(
                        item.values, locale=item.locale, size=item.size
                    )
                except FactframeError as exc:
                    item.fail(str(exc), field_in_message(str(exc), item.values))

    def _resolve(self) -> None:
        pending = [i for i in self._items if i.error is None and i.requests]
        if not pending:
            return
        given = self.store
        own = not isinstance(given, KnowledgeStore)
        store = given if isinstance(given, KnowledgeStore) else KnowledgeStore(given)
        try:
            options: dict[str, Any] = {"offline": self.offline, "now": self.now, "http": self.http}
            if self.max_stale is not None:
                options["max_stale"] = self.max_stale
            for locale in dict.fromkeys(i.locale for i in pending):
                group = [i for i in pending if i.locale == locale]
                resolve_items(group, store, locale, **options)
        finally:
            if own:
                store.close()

    def _finals(self, item: PlannedItem) -> tuple[Path, ...]:
        picture = self.output / f"{item.id}{_SUFFIX[self.format]}"
        if item.requests:
            return picture, self.output / f"{item.id}.facts.json"
        return (picture,)

    def _hash(self, item: PlannedItem) -> str:
        facts = {n: f.value.model_dump(mode="json") for n, f in sorted(item.facts.items())}
        document = {
            "factframe": _version("factframe"),  # new code may draw differently
            "template": self.template.digest,
            "values": item.values,
            "size": item.size,
            "locale": item.locale,
            "format": self.format,
            "encoder": ENCODER if self.format == "png" else None,
            "facts": facts,
            "stale": sorted(item.stale),
        }
        canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def _check_existing(self, item: PlannedItem, record: Mapping[str, Any] | None) -> bool:
        """Whether to skip the item (resumed and done); fails it when it would overwrite."""
        same = record is not None and record.get("input_hash") == item.input_hash
        done = same and record is not None and record.get("status") == "ok"
        if self.resume and done and record is not None:
            names = [str(p) for p in record.get("outputs", [])]
            digests = [str(s) for s in record.get("sha256", [])]
            expected = [p.name for p in item.finals]
            if names == expected and all(
                outputs.adopt(self.output / n, s) for n, s in zip(names, digests, strict=True)
            ):
                return True
        existing = [p.name for p in item.finals if p.exists()]
        if existing and not self.overwrite:
            what = " and ".join(existing)
            exist, was = ("exists", "was") if len(existing) == 1 else ("exist", "were")
            if record is None or record.get("status") != "ok":
                why = f"{exist} but this batch did not write it (it is not in manifest.jsonl)"
            elif not same:
                why = f"{exist}, made from other input (the data, facts or template changed)"
            elif not self.resume:
                why = f"{exist}, made from the same input: --resume skips it"
            else:
                why = f"{was} changed after this batch wrote it"
            item.fail(f"{what} {why}; --overwrite replaces it")
        return False

    def _work(self, item: PlannedItem) -> WorkItem:
        return WorkItem(
            item.index, item.row, item.values, item.size, item.locale, item.requests,
            item.facts, item.stale, tuple(str(p) for p in item.finals),
        )  # fmt: skip

    def _finish(self, item: PlannedItem, outcome: ItemOutcome, manifest: Manifest) -> ItemResult:
        partials = [Path(p) for p in outcome.partials]
        if outcome.ok and outcome.data is not None:  # Ray: the bytes came back; write here
            try:
                partials = [
                    outputs.write_partial(final, data, tag="driver")[0]
                    for final, data in zip(item.finals, outcome.data, strict=True)
                ]
            except FactframeError as exc:
                outcome = ItemOutcome(outcome.index, False, error=str(exc))
        if not outcome.ok:
            for partial in partials:
                partial.unlink(missing_ok=True)
            item.fail(outcome.error or "failed", outcome.field)
            result = self._result(item, "failed", outcome)
            manifest.append(_record(result, self.output))
            return result
        result = self._result(item, "ok", outcome)
        outputs.sync(partials)  # the bytes on disk, then the record, then the rename
        manifest.append(_record(result, self.output))
        outputs.commit(partials, item.finals)
        return result

    def _result(
        self, item: PlannedItem, status: Status, outcome: ItemOutcome | None = None
    ) -> ItemResult:
        return ItemResult(
            id=item.id, row=item.row, key=item.key, size=item.size, locale=item.locale,
            status=status, outputs=item.finals if status != "failed" else (),
            sha256=outcome.sha256 if outcome and status == "ok" else (),
            duration=outcome.seconds if outcome else 0.0, error=item.error, field=item.field,
            input_hash=item.input_hash, timings=dict(outcome.timings) if outcome else {},
        )  # fmt: skip


def batch(template: str | Path | SpecTemplate, rows: Any, **options: Any) -> Batch:
    """Plans a batch; iterating it renders the items and yields each :class:`ItemResult`
    as it finishes. The options are those of :class:`Batch`.

    Example:
        >>> for r in batch("weather-card", "examples/weather-card.csv",
        ...                output="out/weather", offline=True):  # doctest: +SKIP
        ...     print(r.id, r.status)
    """
    return Batch(template, rows, **options)


def _record(result: ItemResult, folder: Path) -> dict[str, Any]:
    return {
        "id": result.id, "row": result.row, "key": result.key, "size": result.size,
        "locale": result.locale, "input_hash": result.input_hash,
        "outputs": [str(p.relative_to(folder)) for p in result.outputs],
        "sha256": list(result.sha256), "duration_ms": round(result.duration * 1000, 2),
        "status": result.status, "error": result.error, "field": result.field,
        "finished_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }  # fmt: skip


def _locale_problem(tag: str) -> bool:
    try:
        babel.Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, babel.UnknownLocaleError):
        return True
    return False
