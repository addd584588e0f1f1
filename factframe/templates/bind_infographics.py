"""Binding facts into the infographic blocks: icon, pictogram, progress and table.

Their text (an icon's, pictogram's or progress block's ``label``, a pictogram's
``caption``, a table's header, caption and text cells) is rendered as templates like any
block text. Three fields bind values, the way a chart's numbers do
(:func:`~factframe.templates.sandbox.evaluate`):

- an icon's ``name`` is rendered as text and then checked against the icon set, so
  ``weather:{{ now.icon }}`` draws the icon of the weather provider's condition;
- a pictogram's or progress block's ``value: "{{ now.humidity }}"`` takes a number, or a
  quantity's value (and, for a progress block without a ``unit``, its unit);
- a table cell that is one whole ``{{ … }}`` giving a plain number becomes a number cell
  (written in the locale, end-aligned); any other text cell is rendered as text (a
  quantity keeps its unit that way).

The bound block is validated again as ``blocks[i]``, so a bad icon name or a value out of
range is a :class:`~factframe.errors.SpecError` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from factframe.errors import TemplateError
from factframe.knowledge import Fact, NumberValue, Quantity
from factframe.spec import IconBlock, PictogramBlock, ProgressBlock, TableBlock, parse_block
from factframe.templates.sandbox import FactBinding, evaluate

__all__ = ["Infographic", "bind_infographic"]

Infographic = IconBlock | PictogramBlock | ProgressBlock | TableBlock
_TEXTS = ("label", "caption")


def bind_infographic(
    block: Infographic, index: int, facts: Mapping[str, Fact], locale: str
) -> tuple[Infographic, set[str]]:
    """An icon, pictogram, progress or table block with its facts bound.

    Returns:
        the bound block (validated again as ``blocks[index]``) and the facts it used.

    Raises:
        TemplateError: a template is wrong or gives the wrong kind of value (naming the
            field, e.g. ``blocks[2].value``).
        SpecError: the bound block is invalid (an unknown icon, a value out of range).
    """
    where = f"blocks[{index}]"
    fields = block.model_dump()
    binding = FactBinding(facts, locale)
    text = binding.text
    for name in _TEXTS:
        if name in fields:
            fields[name] = text(fields[name], f"{where}.{name}")
    if isinstance(block, IconBlock):
        fields["name"] = text(fields["name"], f"{where}.name")
    elif isinstance(block, PictogramBlock | ProgressBlock) and isinstance(block.value, str):
        fields["value"], unit = binding.value(block.value, f"{where}.value", _number)
        if isinstance(block, ProgressBlock) and block.unit is None and unit is not None:
            fields["unit"] = unit
    elif isinstance(block, TableBlock):
        fields["header"] = [text(h, f"{where}.header[{k}]") for k, h in enumerate(block.header)]
        rows = []
        for j, row in enumerate(block.rows):
            cells = []
            for k, cell in enumerate(row):
                path = f"{where}.rows[{j}][{k}]"
                number = _number_cell(cell, facts, locale, path, binding.used)
                cells.append(text(cell, path) if number is None else number)
            rows.append(cells)
        fields["rows"] = rows
    bound = parse_block(fields, index)
    assert isinstance(bound, IconBlock | PictogramBlock | ProgressBlock | TableBlock)
    return bound, binding.used


def _number(value: Any, where: str) -> tuple[float, str | None]:
    """A bound number and its unit: a quantity, a plain number fact, or a number."""
    if isinstance(value, Quantity):
        return value.value, value.unit
    if isinstance(value, NumberValue):
        return value.value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), None
    kind = getattr(value, "kind", type(value).__name__)
    raise TemplateError(f"gives a {kind}, not a number", where)


def _number_cell(
    cell: Any, facts: Mapping[str, Fact], locale: str, where: str, used: set[str]
) -> float | None:
    """A cell that is one whole ``{{ … }}`` giving a plain number, as that number; None
    for any other cell (text, and quantities, which are written with their unit)."""
    if not isinstance(cell, str):
        return None
    stripped = cell.strip()
    if not (stripped.startswith("{{") and stripped.endswith("}}") and stripped.count("{{") == 1):
        return None
    value, names = evaluate(stripped, facts, locale=locale, where=where)
    if isinstance(value, NumberValue) or (
        isinstance(value, int | float) and not isinstance(value, bool)
    ):
        used |= names
        return _number(value, where)[0]
    return None
