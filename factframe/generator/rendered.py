"""The result of a render: pixels, vector exports and the layout behind them."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from factframe.errors import RenderError
from factframe.generator.backends import GeneratedImage
from factframe.generator.export import (
    FORMATS,
    encode,
    rasterize,
    to_image,
    to_pdf,
    to_svg,
    write_atomically,
)
from factframe.generator.scene import Scene
from factframe.knowledge import Context, FactReport
from factframe.layout import Audit, Issue, Layout, audit_layout
from factframe.spec import Spec
from factframe.typography import FontLibrary

__all__ = ["Rendered"]


class Rendered:
    """A rendered spec. Pixels are drawn once, on first use.

    A picture composited from pixels (a mockup) has no spec: its scene is one image over
    the whole canvas, its layout has no items, and ``pixels`` are handed in as they are.

    Attributes:
        spec: the validated spec; None for a picture composited from pixels.
        layout: every block's boxes and fitted text.
        scene: the draw operations every export shares.
        facts: the facts behind the text (provenance, staleness, which blocks used them);
            None when the spec has none.
        audit: the layout audit (overlaps, alignment, safe area, font floor, contrast on
            the pixels, glyphs, overflow), computed on first use.
        generated: how each generated picture was painted (backend, seed, the stray-text
            check); ``stray_text`` lists the pictures that kept painted text.
        context: the interleaved context the render used (locale, brand, facts…).
    """

    def __init__(
        self,
        spec: Spec | None,
        layout: Layout,
        scene: Scene,
        library: FontLibrary,
        facts: FactReport | None = None,
        context: Context | None = None,
        pixels: np.ndarray | None = None,
    ) -> None:
        self.spec = spec
        self.layout = layout
        self.scene = scene
        self.facts = facts
        self.context = context or Context()
        self._library = library
        if pixels is not None:  # composited already (a mockup): the scene draws the same
            self.__dict__["pixels"] = pixels

    @cached_property
    def pixels(self) -> np.ndarray:
        """(height, width, 4) unpremultiplied RGBA, uint8."""
        return rasterize(self.scene, self._library)

    @cached_property
    def audit(self) -> Audit:
        """The layout audit of this picture: ``.ok``, ``.issues``, ``.metrics``; prints as a
        table (and shows as one in notebooks). Draws the pixels if they are not drawn yet."""
        audit = audit_layout(self.layout, self.pixels, self._library)
        stray = tuple(
            Issue(
                "stray_text",
                (block,),
                float(len(words)),
                0.0,
                f"{block}: the painted picture still shows text ({', '.join(words)}) after "
                "every retry; try another seed or prompt",
            )
            for block, words in self.stray_text.items()
        )
        return replace(audit, issues=audit.issues + stray) if stray else audit

    @property
    def generated(self) -> tuple[GeneratedImage, ...]:
        """How each generated picture was painted, in drawing order."""
        return self.scene.generated

    @property
    def stray_text(self) -> dict[str, tuple[str, ...]]:
        """Generated pictures that kept painted text after every retry of the stray-text
        guard: block id → the words read in it (empty when there are none)."""
        return {g.block_id: g.stray_text for g in self.generated if g.text_check == "stray_text"}

    @property
    def image(self) -> Image.Image:
        """The picture as a Pillow image (RGB when the background is opaque, else RGBA)."""
        return to_image(self.pixels, self.scene.opaque)

    @property
    def size(self) -> tuple[int, int]:
        return self.scene.width, self.scene.height

    def to_bytes(self, format: str = "png", **options: Any) -> bytes:
        """Encodes as ``png``, ``jpeg``, ``webp``, ``pdf`` or ``svg``.

        Options go to the encoder: ``quality`` (JPEG/WebP), ``compress_level`` (PNG).
        """
        fmt = format.lower().lstrip(".")
        fmt = FORMATS.get(f".{fmt}", fmt)
        if fmt == "pdf":
            return to_pdf(self.scene, self._library, title=self._title())
        if fmt == "svg":
            return to_svg(self.scene, self._library)
        if fmt == "png" and self.facts is not None and "metadata" not in options:
            options["metadata"] = {"factframe:provenance": self.facts.short_record()}
        return encode(self.pixels, fmt, opaque=self.scene.opaque, **options)

    def save(self, path: str | os.PathLike[str], format: str | None = None, **options: Any) -> Path:
        """Writes the picture; the format comes from the suffix unless given.

        The file is written to a temporary name and renamed, so a crash never leaves half
        a file.

        Raises:
            RenderError: unknown format, or the file cannot be written.
        """
        target = Path(path)
        fmt = format or FORMATS.get(target.suffix.lower())
        if fmt is None:
            known = ", ".join(sorted(FORMATS))
            raise RenderError(f"cannot tell the format of {str(target)!r}; use one of {known}")
        data = self.to_bytes(fmt, **options)
        write_atomically(target, data)
        if self.facts is not None:  # the sidecar: every fact with its source and users
            sidecar = json.dumps(self.facts.to_json(), ensure_ascii=False, indent=1)
            write_atomically(self.sidecar_path(target), sidecar.encode("utf-8"))
        return target

    @staticmethod
    def sidecar_path(path: str | os.PathLike[str]) -> Path:
        """Where :meth:`save` writes the facts sidecar: ``card.png`` → ``card.facts.json``."""
        target = Path(path)
        return target.with_name(f"{target.stem}.facts.json")

    def _title(self) -> str:
        if self.spec is None:
            return ""
        titles = [b for b in self.spec.blocks if b.type == "title"]
        return titles[0].text if titles else ""

    def _repr_png_(self) -> bytes:
        return self.to_bytes("png")

    def __repr__(self) -> str:
        w, h = self.size
        if self.spec is None:
            return f"<Rendered {w}×{h} composited>"
        return f"<Rendered {w}×{h} {len(self.spec.blocks)} blocks, locale {self.spec.locale}>"
