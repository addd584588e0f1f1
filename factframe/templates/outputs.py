"""A batch's files: safe output names, the manifest, and writes that survive a crash.

**Names.** Each item is written as ``SLUG-SIZE-LOCALE.png`` in the output folder. The slug
keeps Unicode letters readable (``são-paulo``, ``東京``), lower-cased for file systems
that ignore case; a key that tries to leave the folder (``../x``, ``a/b``) is refused.
Rows whose keys slug alike (``Café!`` and ``café?``) each get a short hash of their row.

**Writes.** An item's files are first written as ``.NAME.PID.partial`` and flushed to disk,
then the manifest gets the item's line (flushed and fsynced), then the partial files are
renamed over their final names. Whatever a crash interrupts, a later ``--resume`` finds
either the final file, or a partial file whose hash the manifest vouches for (it is
renamed), or nothing (the item is rendered again); stray partial files are removed.

**Manifest.** ``manifest.jsonl`` holds one JSON line per finished item (``id``, ``row``,
``key``, ``size``, ``locale``, ``input_hash``, ``outputs``, ``sha256``, ``duration_ms``,
``status``, ``error``, ``field``); for each id, the last ``ok`` line tells which files it
wrote. A line cut short by a crash is ignored and cut off before the next append.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from factframe.errors import RenderError, SpecError

try:  # POSIX: a second batch into the same folder is refused (Windows: not checked)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "MANIFEST",
    "PARTIAL_SUFFIX",
    "Manifest",
    "adopt",
    "check_key",
    "commit",
    "partial_path",
    "partials_of",
    "remove_partials",
    "row_hash",
    "sha256_file",
    "slug",
    "sync",
    "write_partial",
]

MANIFEST = "manifest.jsonl"
PARTIAL_SUFFIX = ".partial"
MAX_SLUG_BYTES = 120
_DASHES = re.compile(r"-{2,}")
_RESERVED_WINDOWS = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)
}


def check_key(key: str) -> str | None:
    """Why ``key`` cannot name an output file (None when it can be slugged safely)."""
    if "/" in key or "\\" in key:
        return f"{key!r} cannot name a file: it contains a path separator"
    if any(part == ".." for part in re.split(r"[/\\]", key)) or key.strip() in (".", ".."):
        return f"{key!r} cannot name a file: it points at a parent folder"
    if any(unicodedata.category(c) == "Cc" for c in key):
        return f"{key!r} cannot name a file: it contains control characters"
    return None


def slug(text: str) -> str:
    """A readable, safe file-name part: Unicode letters, marks and digits kept, lower-cased,
    everything else a single ``-``; at most 120 bytes of UTF-8; never empty."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(c if c in "-_." or unicodedata.category(c)[0] in "LMN" else "-" for c in normal)
    out = _DASHES.sub("-", kept).strip("-._")
    while len(out.encode("utf-8")) > MAX_SLUG_BYTES:
        out = out[:-1]
    out = out.rstrip("-._")
    if out.split(".")[0] in _RESERVED_WINDOWS:
        out += "_"
    return out or "item"


def row_hash(values: Mapping[str, Any]) -> str:
    """A short, stable hash of a row's values (tells apart rows whose keys slug alike)."""
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:6]


def partial_path(final: Path, tag: str) -> Path:
    """Where a writer (``tag``: its process id) puts an output before it is committed:
    ``.NAME.TAG.partial`` beside it."""
    return final.with_name(f".{final.name}.{tag}{PARTIAL_SUFFIX}")


def partials_of(final: Path) -> list[Path]:
    """Every partial file of ``final`` that some writer left."""
    return sorted(final.parent.glob(f".{glob.escape(final.name)}.*{PARTIAL_SUFFIX}"))


def write_partial(final: Path, data: bytes, tag: str) -> tuple[Path, str]:
    """Writes ``data`` to a partial file of ``final`` (not yet synced: see :func:`sync`).

    Returns:
        the partial file and the sha256 of ``data``.

    Raises:
        RenderError: the file cannot be written.
    """
    target = partial_path(final, tag)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise RenderError(f"cannot write {str(target)!r}: {exc.strerror}") from None
    return target, hashlib.sha256(data).hexdigest()


def sync(paths: Iterable[Path]) -> None:
    """Flushes files to disk. The batch calls it on an item's partial files before the
    manifest vouches for them, in the parent process: a worker waiting on the disk would
    leave its CPU idle, while the parent mostly waits anyway."""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def commit(partials: Iterable[Path], finals: Iterable[Path]) -> None:
    """Renames each partial file over its final name (atomic on one file system)."""
    for partial, final in zip(partials, finals, strict=True):
        os.replace(partial, final)


def adopt(final: Path, sha256: str) -> bool:
    """Whether ``final`` holds the bytes the manifest recorded, renaming a partial file
    with those bytes over it when a crash came between the manifest and the rename."""
    if sha256_file(final) == sha256:
        return True
    for partial in partials_of(final):
        if sha256_file(partial) == sha256:
            os.replace(partial, final)
            return True
    return False


def sha256_file(path: Path) -> str | None:
    """The file's sha256, or None when it does not exist."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def remove_partials(folder: Path, keep: Iterable[Path] = ()) -> int:
    """Removes partial files left in ``folder`` by an interrupted batch; returns how many."""
    kept = {p.resolve() for p in keep}
    removed = 0
    if not folder.is_dir():
        return 0
    for path in folder.glob(f".*{PARTIAL_SUFFIX}"):
        if path.resolve() not in kept and path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class Manifest:
    """The append-only record of a batch's finished items (``manifest.jsonl``).

    Args:
        folder: the batch's output folder.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        self._fh: Any = None

    def read(self) -> dict[str, dict[str, Any]]:
        """The record of every item id that describes its files: the last ``ok`` one (a
        later failure wrote no files), else the last one. A torn last line is skipped."""
        records: dict[str, dict[str, Any]] = {}
        for record in self._lines():
            if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                continue
            old = records.get(record["id"])
            if old is None or record.get("status") == "ok" or old.get("status") != "ok":
                records[record["id"]] = record
        return records

    def _lines(self) -> Iterator[Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        for line in raw.split(b"\n"):
            if line.strip():
                try:
                    yield json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    continue

    def open(self) -> None:
        """Opens for appending, locked against a second batch writing to the same folder,
        and cuts off a line a crash left unfinished.

        Raises:
            SpecError: another batch holds the folder.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "ab")  # noqa: SIM115 - kept open for the whole batch
        if fcntl is not None:
            try:
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._fh.close()
                self._fh = None
                raise SpecError(
                    f"another batch is writing to {str(self.path.parent)!r}; wait for it to "
                    "finish or choose another output folder",
                    "output",
                ) from None
        raw = self.path.read_bytes()
        if raw and not raw.endswith(b"\n"):
            self._fh.truncate(raw.rfind(b"\n") + 1)

    def append(self, record: Mapping[str, Any]) -> None:
        """Appends one record, flushed and fsynced before it returns."""
        if self._fh is None:
            self.open()
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        self._fh.write(line.encode("utf-8"))
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            _fsync_folder(self.path.parent)


def _fsync_folder(folder: Path) -> None:
    """Makes the renames in ``folder`` durable (where the platform allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
