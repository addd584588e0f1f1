"""The item function of a batch: one data row, size and locale → picture and sidecar bytes.

The same function runs in this process, in a local process pool and as a Ray task. Its
inputs are plain data (the template's source, the row, the item's resolved facts), so it
needs no shared file system and no fact store; a worker keeps its fonts, typefaces,
compiled templates and shaping caches warm across items (:func:`warm`).

An item that fails returns its error, naming the row's field where one can be told: the
field whose text holds a character no font has, or whose text did not fit its block.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factframe.errors import (
    FactframeError,
    ImageError,
    MissingGlyphError,
    SpecError,
    TemplateError,
    TextOverflowError,
)
from factframe.generator import Rendered, build_scene, ensure_contrast
from factframe.knowledge import Fact
from factframe.layout import plan
from factframe.spec import Spec
from factframe.templates.outputs import write_partial
from factframe.typography import FontLibrary, default_library

if TYPE_CHECKING:
    from factframe.templates.spec_template import SpecTemplate

__all__ = [
    "ItemOutcome",
    "Job",
    "WorkItem",
    "field_of",
    "render_item",
    "tune_allocator",
    "warm",
]

_TEXT_FIELDS = ("text", "value", "label", "unit", "caption")


@dataclass(frozen=True)
class Job:
    """What every item of a batch shares (sent to each worker once)."""

    template: SpecTemplate
    format: str = "png"
    now: datetime | None = None
    locales: tuple[str, ...] = ("en",)
    options: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class WorkItem:
    """One picture to make: a row at a size in a locale, with its facts already resolved.

    Attributes:
        outputs: the final paths (picture, then sidecar when there are facts).
        write: write the files here (local workers) or return their bytes (Ray).
    """

    index: int
    row: int
    values: Mapping[str, Any]
    size: str
    locale: str
    requests: Mapping[str, dict[str, Any]]
    facts: Mapping[str, Fact]
    stale: frozenset[str]
    outputs: tuple[str, ...]
    write: bool = True


@dataclass(frozen=True)
class ItemOutcome:
    """What became of a work item: the files' hashes (and bytes, when not written), or
    the error with the row's field at fault."""

    index: int
    ok: bool
    sha256: tuple[str, ...] = ()
    partials: tuple[str, ...] = ()
    data: tuple[bytes, ...] | None = None
    error: str | None = None
    field: str | None = None
    seconds: float = 0.0
    timings: Mapping[str, float] = dataclasses.field(default_factory=dict)


_WARMED: set[tuple[str, str]] = set()
# glibc's mallopt parameters
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3


def tune_allocator() -> bool:
    """Keeps a worker's large buffers (a 1080x1080 surface is 4.7 MB) in its heap for
    reuse. By default glibc maps each such buffer afresh and unmaps it when freed, so every
    item paid its page faults again: in a VM, ~3 ms of a 1080x1080 card's ~20 ms. Only
    for worker processes (it keeps up to 256 MB of freed memory); a no-op off glibc.

    Returns:
        whether the allocator was tuned.
    """
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    ok = mallopt(_M_MMAP_THRESHOLD, 32 << 20)  # glibc's largest (buffers above are mapped)
    ok &= mallopt(_M_TRIM_THRESHOLD, 256 << 20)
    ok &= mallopt(_M_TOP_PAD, 16 << 20)
    return bool(ok)


def warm(job: Job) -> None:
    """Loads fonts and typefaces, and compiles the template, for the job's locales."""
    library = default_library()
    for locale in job.locales:
        if (job.template.digest, locale) in _WARMED:
            continue
        _WARMED.add((job.template.digest, locale))
        spec = Spec.model_validate(
            {"canvas": "320x320", "locale": locale,
             "blocks": [{"type": "title", "text": "Aa 0123"}, {"type": "text", "text": "Aa"}]}
        )  # fmt: skip
        with contextlib.suppress(FactframeError):  # best effort: items report real errors
            layout = plan(spec, library)
            _ = Rendered(spec, layout, build_scene(spec, layout), library).pixels


def render_item(job: Job, item: WorkItem) -> ItemOutcome:
    """Renders one item; never raises for a bad row (the outcome carries the error)."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    spec: Spec | None = None
    try:
        mark = time.perf_counter()
        spec, report = job.template.build(
            item.values, item.requests, item.facts,
            locale=item.locale, size=item.size, stale=item.stale, now=job.now,
        )  # fmt: skip
        library = default_library()
        _load_brand_fonts(spec, library)
        timings["template"] = _lap(mark)
        mark = time.perf_counter()
        layout = plan(spec, library)
        facts = report.facts if report is not None else None
        layout, scene = ensure_contrast(spec, layout, build_scene(spec, layout, facts), library)
        rendered = Rendered(spec, layout, scene, library, facts=report)
        timings["layout"] = _lap(mark)
        mark = time.perf_counter()
        if job.format not in ("pdf", "svg"):
            rendered.pixels  # noqa: B018 - drawn here, so the timing can tell draw from encode
        timings["draw"] = _lap(mark)
        mark = time.perf_counter()
        payload = [rendered.to_bytes(job.format, **job.options)]
        if report is not None:
            sidecar = json.dumps(report.to_json(), ensure_ascii=False, indent=1)
            payload.append(sidecar.encode("utf-8"))
        timings["encode"] = _lap(mark)
    except FactframeError as exc:
        return ItemOutcome(
            item.index, False, error=str(exc),
            field=field_of(exc, item.values, spec.blocks if spec else getattr(exc, "blocks", [])),
            seconds=_lap(started), timings=timings,
        )  # fmt: skip
    except Exception as exc:  # a bug must not take the other items down with it
        message = f"unexpected {type(exc).__name__} (please report it): {exc}"
        return ItemOutcome(item.index, False, error=message, seconds=_lap(started))
    if not item.write:
        digests = tuple(_sha256(data) for data in payload)
        return ItemOutcome(item.index, True, digests, data=tuple(payload),
                           seconds=_lap(started), timings=timings)  # fmt: skip
    mark = time.perf_counter()
    written: list[str] = []
    digests_: list[str] = []
    try:
        for final, data in zip(item.outputs, payload, strict=True):
            partial, digest = write_partial(Path(final), data, tag=str(os.getpid()))
            written.append(str(partial))
            digests_.append(digest)
    except FactframeError as exc:
        for name in written:
            Path(name).unlink(missing_ok=True)
        return ItemOutcome(item.index, False, error=str(exc), seconds=_lap(started))
    timings["write"] = _lap(mark)
    return ItemOutcome(item.index, True, tuple(digests_), tuple(written),
                       seconds=_lap(started), timings=timings)  # fmt: skip


def _lap(mark: float) -> float:
    return time.perf_counter() - mark


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _load_brand_fonts(spec: Spec, library: FontLibrary) -> None:
    for i, file in enumerate(spec.brand.fonts.files):
        try:
            library.add_file(file)
        except (OSError, ValueError) as exc:
            raise SpecError(str(exc), f"brand.fonts.files[{i}]") from None


def field_of(exc: Exception, values: Mapping[str, Any], blocks: Sequence[Any]) -> str | None:
    """The row's column that an error is about, when it can be told.

    A missing glyph is found in the column whose text holds the character; text that
    does not fit, or a bad block field, in the column whose text the block shows (the
    longest such); an image error in the column naming that image.

    Args:
        blocks: the item's blocks (models, or the mappings of a spec that did not validate).
    """
    texts = {k: v for k, v in values.items() if isinstance(v, str) and v}
    if isinstance(exc, MissingGlyphError):
        for name, text in texts.items():
            if any(c in text for c in exc.chars):
                return name
        return None
    if isinstance(exc, ImageError):
        for name, text in texts.items():
            if text == exc.source or exc.source.endswith(text):
                return name
        return None
    shown: list[Any] = []
    if isinstance(exc, TextOverflowError):
        shown = [b for b in blocks if _get(b, "id") == exc.block]
    elif isinstance(exc, SpecError | TemplateError) and exc.path.startswith("blocks["):
        index = int(exc.path[len("blocks[") : exc.path.index("]")])
        shown = list(blocks[index : index + 1])
    text = " ".join(_block_texts(b) for b in shown)
    matches = [(len(value), name) for name, value in texts.items() if value in text]
    return max(matches)[1] if matches else None


def _get(block: Any, name: str) -> Any:
    return block.get(name) if isinstance(block, Mapping) else getattr(block, name, None)


def _block_texts(block: Any) -> str:
    parts = [_get(block, f) for f in _TEXT_FIELDS]
    parts += list(_get(block, "items") or [])
    return " ".join(p for p in parts if isinstance(p, str))
