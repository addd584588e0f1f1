"""The interleaved working memory of a render or an editing session.

A :class:`Context` is an ordered sequence of items: text, images, facts, the brand, the
locale, and earlier turns of a conversation (each a role and its own items). The order is
the meaning ("this photo", then "these numbers", then "make it warmer"), so items are kept
as given rather than sorted into buckets; accessors gather them when needed.

Contexts are immutable: :meth:`Context.add` returns a new one, so an edit keeps the old
context intact (undo is free). They round-trip through JSON exactly, and
:meth:`Context.parts` flattens them into a neutral list of ``{"type": …}`` dicts that an
image or language backend translates to its own message format (Gemini ``contents``,
OpenAI ``input``), so no backend ever reads the models here directly.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote_to_bytes

from pydantic import BaseModel, ConfigDict, Field

from factframe.knowledge.facts import Fact, describe
from factframe.spec import Brand

__all__ = [
    "BrandItem",
    "Context",
    "ContextItem",
    "FactItem",
    "ImageItem",
    "LocaleItem",
    "TextItem",
    "Turn",
]

Role = Literal["user", "assistant", "system"]


class _Item(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TextItem(_Item):
    kind: Literal["text"] = "text"
    text: str
    lang: str | None = None


class ImageItem(_Item):
    """A reference image: a file path, an http(s) URL, or inline ``data`` (base64)."""

    kind: Literal["image"] = "image"
    source: str = Field(min_length=1, description="path, URL or data: URI")
    mime: str | None = None
    alt: str | None = None

    @classmethod
    def from_bytes(cls, data: bytes, mime: str = "image/png", alt: str | None = None) -> ImageItem:
        encoded = base64.b64encode(data).decode()
        return cls(source=f"data:{mime};base64,{encoded}", mime=mime, alt=alt)

    @property
    def media_type(self) -> str:
        if self.mime:
            return self.mime
        if self.source.startswith("data:"):
            header = self.source[5:].split(",", 1)[0]
            return header.split(";", 1)[0] or "text/plain"  # RFC 2397's default
        return mimetypes.guess_type(self.source)[0] or "application/octet-stream"


class FactItem(_Item):
    """A fact, under the name the spec gave it."""

    kind: Literal["fact"] = "fact"
    name: str
    fact: Fact
    stale: bool = False


class BrandItem(_Item):
    kind: Literal["brand"] = "brand"
    brand: Brand
    name: str | None = None


class LocaleItem(_Item):
    kind: Literal["locale"] = "locale"
    locale: str


class Turn(_Item):
    """An earlier turn: who said it, and what it held."""

    kind: Literal["turn"] = "turn"
    role: Role
    items: list[Annotated[TextItem | ImageItem | FactItem, Field(discriminator="kind")]]


ContextItem = Annotated[
    TextItem | ImageItem | FactItem | BrandItem | LocaleItem | Turn, Field(discriminator="kind")
]


class Context(BaseModel):
    """An ordered, immutable sequence of context items.

    Example:
        >>> ctx = Context().add("A poster about Lisbon", LocaleItem(locale="pt-PT"))
        >>> ctx.locale
        'pt-PT'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    items: tuple[ContextItem, ...] = ()

    def add(self, *items: ContextItem | str) -> Context:
        """A new context with ``items`` appended (a plain string is a :class:`TextItem`)."""
        more = tuple(TextItem(text=i) if isinstance(i, str) else i for i in items)
        return Context(items=self.items + more)

    def add_facts(self, facts: dict[str, Fact], stale: frozenset[str] = frozenset()) -> Context:
        """A new context with each named fact appended."""
        return self.add(*(FactItem(name=n, fact=f, stale=n in stale) for n, f in facts.items()))

    def turn(self, role: Role, *items: TextItem | ImageItem | FactItem | str) -> Context:
        """A new context with one more conversation turn."""
        parts = [TextItem(text=i) if isinstance(i, str) else i for i in items]
        return self.add(Turn(role=role, items=parts))

    # --- accessors ---------------------------------------------------------------------

    @property
    def facts(self) -> dict[str, Fact]:
        """Every fact by name, turns included; a later item of one name wins."""
        return {i.name: i.fact for i in self._flat() if isinstance(i, FactItem)}

    @property
    def images(self) -> list[ImageItem]:
        return [i for i in self._flat() if isinstance(i, ImageItem)]

    @property
    def texts(self) -> list[str]:
        return [i.text for i in self._flat() if isinstance(i, TextItem)]

    @property
    def locale(self) -> str | None:
        """The last locale set, or None."""
        found = [i.locale for i in self.items if isinstance(i, LocaleItem)]
        return found[-1] if found else None

    @property
    def brand(self) -> Brand | None:
        """The last brand given, or None."""
        found = [i.brand for i in self.items if isinstance(i, BrandItem)]
        return found[-1] if found else None

    @property
    def turns(self) -> list[Turn]:
        return [i for i in self.items if isinstance(i, Turn)]

    def _flat(self) -> list[Any]:
        out: list[Any] = []
        for item in self.items:
            out.extend(item.items if isinstance(item, Turn) else [item])
        return out

    # --- serialisation -----------------------------------------------------------------

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str | bytes) -> Context:
        return cls.model_validate_json(text)

    def parts(self, *, inline_files: bool = True) -> list[dict[str, Any]]:
        """The neutral message parts, in order.

        - text → ``{"type": "text", "text": …}``;
        - an image → ``{"type": "image", "mime": …, "data": base64}`` (files and data URIs
          inlined; a file is read when ``inline_files``) or ``{"type": "image", "url": …}``;
        - a fact → a text part ``"name — label: value (source: …, retrieved …)"`` plus
          ``"fact": name``, so a model sees the value with where it came from;
        - the brand and the locale → short instruction texts;
        - a turn → ``{"type": "turn", "role": …, "parts": […]}``.
        """
        return [self._part(item, inline_files) for item in self.items]

    def _part(self, item: Any, inline_files: bool) -> dict[str, Any]:
        if isinstance(item, TextItem):
            return {"type": "text", "text": item.text}
        if isinstance(item, ImageItem):
            return _image_part(item, inline_files)
        if isinstance(item, FactItem):
            p = item.fact.provenance
            flag = ", stale" if item.stale else ""
            text = (
                f"{item.name} — {item.fact.label}: {describe(item.fact.value)} "
                f"(source: {p.provider}, {p.source}; retrieved {p.retrieved_at:%Y-%m-%d %H:%M} "
                f"UTC{flag})"
            )
            return {"type": "text", "text": text, "fact": item.name}
        if isinstance(item, BrandItem):
            palette = ", ".join(f"{k} {v}" for k, v in item.brand.palette.model_dump().items())
            fonts = item.brand.fonts.heading + item.brand.fonts.body
            text = f"Brand{f' {item.name}' if item.name else ''}: colours {palette}" + (
                f"; fonts {', '.join(dict.fromkeys(fonts))}" if fonts else ""
            )
            return {"type": "text", "text": text}
        if isinstance(item, LocaleItem):
            return {"type": "text", "text": f"Locale: {item.locale}"}
        assert isinstance(item, Turn)
        return {
            "type": "turn",
            "role": item.role,
            "parts": [self._part(i, inline_files) for i in item.items],
        }


def _image_part(item: ImageItem, inline_files: bool) -> dict[str, Any]:
    source = item.source
    alt = {"alt": item.alt} if item.alt else {}
    if source.startswith("data:"):
        header, _, payload = source.partition(",")
        if not header.endswith(";base64"):  # a percent-encoded data URI
            payload = base64.b64encode(unquote_to_bytes(payload)).decode()
        return {"type": "image", "mime": item.media_type, "data": payload, **alt}
    if source.startswith(("http://", "https://")) or not inline_files:
        return {"type": "image", "url": source, "mime": item.media_type, **alt}
    encoded = base64.b64encode(Path(source).read_bytes()).decode()
    return {"type": "image", "mime": item.media_type, "data": encoded, **alt}
