"""Painting a generated image block: backend lookup, the stray-text guard, a cache.

The scene builder calls :func:`paint_block` for every ``image`` block with a ``prompt``, at
its region's pixel size. The result is a function of (backend, prompt, options, seed, size,
palette, facts): a re-render finds it in a small in-memory cache and paints nothing.

The stray-text guard: after a *model* (a backend whose ``uses_model`` is true) paints a
picture, tesseract reads it (:mod:`~factframe.generator.backends.stray_text`). If it finds
text — at least 3 letters or digits in words read with confidence ≥ 60 — the picture is
painted again with the next seed, up to :data:`MAX_RETRIES` times; the last one is kept,
and its :class:`GeneratedImage` record says so, which the audit reports as ``stray_text``.
Without tesseract the check is skipped, and the record says that too.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from PIL import Image

from factframe.errors import SpecError
from factframe.generator.backends.base import ImageBackend, cover_fit, get_backend
from factframe.generator.backends.prompts import fact_phrases
from factframe.generator.backends.stray_text import find_stray_text, ocr_unavailable
from factframe.knowledge import Context, Fact
from factframe.registry import UnknownNameError
from factframe.spec import ImageBlock, Palette
from factframe.spec_images import MAX_SEED

__all__ = [
    "MAX_RETRIES",
    "GeneratedImage",
    "TextCheck",
    "block_options",
    "clear_cache",
    "paint",
    "paint_block",
]

#: How many times a picture with stray text is painted again (with seed + 1, + 2, …).
MAX_RETRIES = 3
_CACHE_SIZE = 16

#: What the stray-text guard concluded: ``clean`` (read, no text), ``stray_text`` (text in
#: every try; the last one was kept), ``skipped`` (no tesseract here), ``not_needed`` (no
#: model painted it).
TextCheck = Literal["clean", "stray_text", "skipped", "not_needed"]


@dataclass(frozen=True)
class GeneratedImage:
    """How a generated picture was made.

    Attributes:
        block_id: the image block.
        backend: the backend's name.
        prompt: the block's prompt.
        seed: the seed the spec asked for.
        used_seed: the seed of the picture kept (``seed`` + retries).
        size: the picture's size in px (its region's).
        attempts: pictures painted, retries included.
        text_check: what the stray-text guard concluded (:data:`TextCheck`).
        stray_text: the words read in the kept picture (when ``text_check`` is
            ``stray_text``).
        note: why the check was skipped, when it was.
    """

    block_id: str
    backend: str
    prompt: str
    seed: int
    used_seed: int
    size: tuple[int, int]
    attempts: int
    text_check: TextCheck
    stray_text: tuple[str, ...] = ()
    note: str = ""


_cache: OrderedDict[str, tuple[ImageBackend, Image.Image, GeneratedImage]] = OrderedDict()


def clear_cache() -> None:
    """Forgets every painted picture (tests; a backend whose model files changed)."""
    _cache.clear()


def paint(
    backend_name: str,
    prompt: str,
    size: tuple[int, int],
    seed: int = 0,
    options: Mapping[str, Any] | None = None,
    *,
    block_id: str = "",
) -> tuple[Image.Image, GeneratedImage]:
    """Paints ``prompt`` at ``size`` with a registered backend, through the stray-text
    guard and the cache.

    Returns:
        the picture (exactly ``size``) and how it was made.

    Raises:
        UnknownNameError: no backend of that name.
        SpecError: a bad option (``path`` is the option's name).
    """
    backend = get_backend(backend_name)
    opts = dict(options or {})
    key = json.dumps(
        [backend_name, id(backend), prompt, size, seed, opts], sort_keys=True, default=str
    )
    hit = _cache.get(key)
    if hit is not None and hit[0] is backend:
        _cache.move_to_end(key)
        return hit[1], replace(hit[2], block_id=block_id)
    image, record = _guarded(backend, backend_name, prompt, size, seed, opts)
    _cache[key] = (backend, image, record)
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return image, replace(record, block_id=block_id)


def _guarded(
    backend: ImageBackend,
    name: str,
    prompt: str,
    size: tuple[int, int],
    seed: int,
    options: Mapping[str, Any],
) -> tuple[Image.Image, GeneratedImage]:
    record = GeneratedImage("", name, prompt, seed, seed, size, 1, "not_needed")
    words: tuple[str, ...] = ()
    for attempt in range(MAX_RETRIES + 1):
        used = (seed + attempt) % (MAX_SEED + 1)
        image = backend.generate(prompt, size, (), used, options=options)
        if image.size != size:  # a backend that did not honour the size still fits
            image = cover_fit(image, size)
        record = replace(record, used_seed=used, attempts=attempt + 1)
        if not getattr(backend, "uses_model", True):
            return image, record
        found = find_stray_text(image)
        if found is None:
            return image, replace(record, text_check="skipped", note=ocr_unavailable() or "")
        if not found:
            return image, replace(record, text_check="clean")
        words = found
    return image, replace(record, text_check="stray_text", stray_text=words)


def block_options(
    block: ImageBlock,
    palette: Palette,
    facts: Mapping[str, Fact] | None = None,
    context: Context | None = None,
) -> dict[str, Any]:
    """The options a backend receives for an image block: the brand's palette, the role,
    words from the facts, the knowledge ``context`` (the one given, else one holding the
    facts; remote models read it, see :meth:`Context.parts`), and the block's ``generate``
    options."""
    options: dict[str, Any] = {"palette": palette.model_dump(), "role": "illustration"}
    words = fact_phrases(facts or {})
    if words:
        options["facts"] = words
    if context is None and facts:
        context = Context().add_facts(dict(facts))
    if context is not None and context.items:
        options["context"] = context
    return {**options, **block.generate.options()}


def paint_block(
    block: ImageBlock,
    index: int,
    size: tuple[int, int],
    palette: Palette,
    facts: Mapping[str, Fact] | None = None,
    context: Context | None = None,
) -> tuple[Image.Image, GeneratedImage]:
    """Paints a generated image block (``blocks[index]``) at its region's ``size``.

    ``context`` is the render's knowledge context (reference images, earlier turns, the
    facts); without one, the facts alone make the context a remote model reads.

    Raises:
        SpecError: an unknown backend or a bad option, naming the spec path
            (``blocks[2].backend``, ``blocks[2].generate.style``).
    """
    assert block.prompt is not None
    where = f"blocks[{index}]"
    try:
        return paint(
            block.backend,
            block.prompt,
            size,
            block.seed,
            block_options(block, palette, facts, context),
            block_id=block.id or "",
        )
    except UnknownNameError as exc:
        raise SpecError(str(exc), f"{where}.backend") from None
    except SpecError as exc:
        message = str(exc).removeprefix(f"{exc.path}: ") if exc.path else str(exc)
        path = {"palette": "brand.palette", "size": where, "": where}.get(
            exc.path, f"{where}.generate.{exc.path}"
        )
        raise SpecError(message, path) from None
