"""Edit operations: typed, validated changes to a spec, one at a time or as a plan.

Every operation is a frozen pydantic model with an ``op`` tag, so a list of them (an
:class:`EditPlan`) round-trips through JSON and a language model can produce one through
structured output. :meth:`apply` returns a new, validated spec; it never changes the one
it is given, and anything wrong raises :class:`~factframe.errors.EditError` naming the
operation and the field::

    >>> from factframe.spec import parse_spec
    >>> spec = parse_spec({"blocks": [{"type": "title", "text": "Hi"}]})
    >>> SetText(block="title-0", text="Hello").apply(spec).blocks[0].text
    'Hello'
    >>> Restyle(block="title-0", color="#d32f2f").apply(spec).blocks[0].style.color
    '#d32f2fff'

Blocks are named by id (``title-0`` for a block the spec gave no id: its type and its
place when the spec was read; ids stay as blocks move).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from factframe.errors import EditError, SpecError
from factframe.spec import Block, Spec, parse_spec

__all__ = [
    "TEXT_FIELDS",
    "AddBlock",
    "EditOp",
    "EditPlan",
    "Move",
    "RemoveBlock",
    "Restyle",
    "SetBrand",
    "SetCanvas",
    "SetFact",
    "SetLocale",
    "SetText",
    "apply_ops",
]

#: The text fields :class:`SetText` may set, where a block type has them.
TEXT_FIELDS = ("text", "value", "label", "unit", "caption", "prompt", "title", "items[N]")
_ITEM = re.compile(r"items\[(\d+)\]")


class _Op(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    op: str

    def apply(self, spec: Spec) -> Spec:
        """A new spec with this edit made.

        Raises:
            EditError: the edit does not fit the spec (names the operation and field).
        """
        data = spec.model_dump(exclude_unset=True)
        self._change(data, spec)
        if isinstance(self, SetFact) and self.request is not None:
            from factframe.grounding.requests import check_requests

            problems = check_requests(data.get("facts", {}), only=[self.name])
            if problems:
                raise self.error(problems[0][1], "request")
        try:
            return parse_spec(data)
        except SpecError as exc:
            raise self.error(exc.reason, exc.path) from None

    def _change(self, data: dict[str, Any], spec: Spec) -> None:
        raise NotImplementedError  # every operation below defines it

    def error(self, message: str, field: str = "") -> EditError:
        return EditError(message, self.op, field)

    def describe(self) -> str:
        """The operation as one line: its name, then its fields as JSON (how it appears in
        the session's history)."""
        return f"{self.op} {self.model_dump_json(exclude_defaults=True, exclude={'op'})}"

    def _index(self, spec: Spec, block: str, field: str = "block") -> int:
        for i, b in enumerate(spec.blocks):
            if b.id == block:
                return i
        known = ", ".join(b.id or "" for b in spec.blocks)
        raise self.error(f"no block {block!r}; the blocks are {known}", field)


class SetText(_Op):
    """Sets a text field of a block: ``text``, a stat's ``value``/``label``/``unit``/
    ``caption``, an image's ``prompt``, a list's ``items[2]``. Text may use facts
    (``{{ now.temperature | unit }}``)."""

    op: Literal["set_text"] = "set_text"
    block: str = Field(description="the block's id")
    field: str = Field("text", description="text, value, label, unit, caption, items[N]…")
    text: str

    def _change(self, data: dict[str, Any], spec: Spec) -> None:
        i = self._index(spec, self.block)
        target = data["blocks"][i]
        item = _ITEM.fullmatch(self.field)
        if item is not None and isinstance(target.get("items"), list):
            n = int(item.group(1))
            if n >= len(target["items"]):
                count = len(target["items"])
                raise self.error(
                    f"the list has {count} items (items[0]…items[{count - 1}])", "field"
                )
            target["items"][n] = self.text
            return
        fields = type(spec.blocks[i]).model_fields
        usable = [f for f in TEXT_FIELDS if f in fields or (f == "items[N]" and "items" in fields)]
        if self.field not in usable or self.field == "items[N]":
            kind = spec.blocks[i].type
            raise self.error(
                f"a {kind} block has no text field {self.field!r}; use one of {', '.join(usable)}",
                "field",
            )
        target[self.field] = self.text


class Restyle(_Op):
    """Changes a block's style; fields left out keep their value (``None`` keeps it too).

    Colours are ``#rrggbb``, ``#rrggbbaa``, ``#rgb`` or white/black/transparent."""

    op: Literal["restyle"] = "restyle"
    block: str = Field(description="the block's id")
    color: str | None = None
    background: str | None = None
    size: float | None = Field(None, description="largest font size, px")
    min_size: float | None = Field(None, description="smallest font size, px")
    weight: int | None = None
    align: Literal["start", "center", "end"] | None = None
    font: list[str] | None = None
    line_height: float | None = None

    def _change(self, data: dict[str, Any], spec: Spec) -> None:
        i = self._index(spec, self.block)
        changes = self.model_dump(exclude={"op", "block"}, exclude_none=True)
        if not changes:
            raise self.error("nothing to change; give a colour, size, weight…", "style")
        data["blocks"][i]["style"] = {**data["blocks"][i].get("style", {}), **changes}


class Move(_Op):
    """Moves a block before or after another, or to an index (exactly one of them)."""

    op: Literal["move"] = "move"
    block: str = Field(description="the block's id")
    before: str | None = None
    after: str | None = None
    index: int | None = Field(None, description="0 = first; negative counts from the end")

    def _change(self, data: dict[str, Any], spec: Spec) -> None:
        given = [n for n in ("before", "after", "index") if getattr(self, n) is not None]
        if len(given) != 1:
            raise self.error("give exactly one of before, after or index", "before")
        i = self._index(spec, self.block)
        blocks = data["blocks"]
        moving = blocks.pop(i)
        if self.index is not None:
            at = self.index if self.index >= 0 else len(blocks) + 1 + self.index
            if not 0 <= at <= len(blocks):
                raise self.error(f"index {self.index} is outside 0…{len(blocks)}", "index")
        else:
            anchor = self.before if self.before is not None else self.after
            assert anchor is not None
            if anchor == self.block:
                raise self.error("a block cannot move next to itself", given[0])
            j = self._index(spec, anchor, given[0])
            at = j - (1 if j > i else 0) + (1 if self.after is not None else 0)
        blocks.insert(at, moving)


class AddBlock(_Op):
    """Adds a block at an index (default: the end, before any footers). A block without
    an id gets its type and a free number (``stat-5``)."""

    op: Literal["add_block"] = "add_block"
    block: Block
    at: int | None = Field(None, description="index among the blocks; default: the end")

    def _change(self, data: dict[str, Any], spec: Spec) -> None:
        new = self.block.model_dump(exclude_unset=True)
        new["type"] = self.block.type
        taken = {b.id for b in spec.blocks}
        if new.get("id") in taken:
            raise self.error(f"the id {new['id']!r} is taken", "block.id")
        if new.get("id") is None:
            n = len(spec.blocks)
            while f"{self.block.type}-{n}" in taken:
                n += 1
            new["id"] = f"{self.block.type}-{n}"
        blocks = data["blocks"]
        at = self.at
        if at is None:
            at = len(blocks)
            while at > 0 and spec.blocks[at - 1].type == "footer":
                at -= 1
        elif at < 0:
            at = len(blocks) + 1 + at
        if not 0 <= at <= len(blocks):
            raise self.error(f"index {self.at} is outside 0…{len(blocks)}", "at")
        blocks.insert(at, new)


class RemoveBlock(_Op):
    """Removes a block."""

    op: Literal["remove_block"] = "remove_block"
    block: str = Field(description="the block's id")

    def _change(self, data: dict[str, Any], spec: Spec) -> None:
        i = self._index(spec, self.block)
        if len(spec.blocks) == 1:
            raise self.error("a spec keeps at least one block", "block")
        del data["blocks"][i]


class SetLocale(_Op):
    """Changes the locale (BCP 47: ``ja-JP``): number and date formats, fonts, direction."""

    op: Literal["set_locale"] = "set_locale"
    locale: str

    def _change(self, data: dict[str, Any], spec: Spec) -> None:
        data["locale"] = self.locale


class SetCanvas(_Op):
    """Changes the size: a preset (``square``, ``portrait``, ``story``, ``landscape``,
    ``og``, ``4k``, ``a4``…) or ``WIDTHxHEIGHT``; the background is kept."""

    op: Literal["set_canvas"] = "set_canvas"
    size: str = Field(description="a preset name or WIDTHxHEIGHT, e.g. 1600x900")

    def _change(self, data: dict[str, Any], spec: Spec) -> None:
        background = data.get("canvas", {}).get("background")
        data["canvas"] = {"preset": self.size, **({"background": background} if background else {})}


class PaletteChange(BaseModel):
    """Colour roles to change; the others are kept."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    primary: str | None = None
    secondary: str | None = None
    accent: str | None = None
    background: str | None = None
    surface: str | None = None
    text: str | None = None
    muted: str | None = None


class FontsChange(BaseModel):
    """Font families to put first for headings and body text; None keeps them."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    heading: list[str] | None = None
    body: list[str] | None = None


class SetBrand(_Op):
    """Changes part of the brand: palette colours, font families, the corner radius."""

    op: Literal["set_brand"] = "set_brand"
    palette: PaletteChange | None = None
    fonts: FontsChange | None = None
    radius: float | None = None

    def _change(self, data: dict[str, Any], spec: Spec) -> None:
        brand = data.setdefault("brand", {})
        changed = False
        for part in ("palette", "fonts"):
            given = getattr(self, part)
            if given is not None and (changes := given.model_dump(exclude_none=True)):
                brand[part] = {**brand.get(part, {}), **changes}
                changed = True
        if self.radius is not None:
            brand["radius"] = self.radius
            changed = True
        if not changed:
            raise self.error("nothing to change; give palette colours, fonts or a radius")


class SetFact(_Op):
    """Adds or replaces a named fact request (``{provider: weather, place: "{{ city }}",
    current: [humidity]}``); ``request`` None removes it. Grounding resolves it."""

    op: Literal["set_fact"] = "set_fact"
    name: str = Field(pattern=r"^[A-Za-z_]\w{0,63}$")
    request: dict[str, Any] | None

    def _change(self, data: dict[str, Any], spec: Spec) -> None:
        facts = data.setdefault("facts", {})
        if self.request is None:
            if self.name not in facts:
                raise self.error(f"no fact {self.name!r} to remove", "name")
            del facts[self.name]
        else:
            facts[self.name] = dict(self.request)


EditOp = Annotated[
    SetText | Restyle | Move | AddBlock | RemoveBlock | SetLocale | SetCanvas | SetBrand | SetFact,
    Field(discriminator="op"),
]


class EditPlan(BaseModel):
    """Edits to a picture's spec, applied in order, all or none.

    Name blocks by their ids. Never write a number yourself: numbers come from facts,
    written as ``{{ fact.field }}`` (add a fact request with ``set_fact`` if needed), or
    from the user's own words."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    ops: list[EditOp] = Field(default_factory=list, max_length=50)


def apply_ops(spec: Spec, ops: list[EditOp] | EditPlan, prefix: str = "ops") -> Spec:
    """Applies operations in order; all or none.

    Raises:
        EditError: naming the failing operation's place (``ops[1] (restyle)``) and field.
    """
    todo = ops.ops if isinstance(ops, EditPlan) else ops
    for i, op in enumerate(todo):
        try:
            spec = op.apply(spec)
        except EditError as exc:
            where = f"{prefix}[{i}] ({op.op})" if len(todo) > 1 else op.op
            raise EditError(exc.reason, where, exc.field) from None
    return spec
