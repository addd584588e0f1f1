"""The fields of the infographic blocks ``icon``, ``pictogram``, ``progress`` and ``table``;
part of :mod:`factframe.spec`.

::

    {type: icon, name: weather:rain, label: Rain all day}
    {type: pictogram, value: 7, total: 10, icon: user, label: 7 in 10 visitors come back}
    {type: progress, kind: gauge, value: 72, label: Funded}
    {type: table, header: [City, Population, Metro], rows: [[Tokyo, 13960000, "✓"]]}

Icons are named by their Lucide name or ``weather:<condition>`` (``weather:clear:night``
for the night variant) and checked here, so an unknown name is a
:class:`~factframe.errors.SpecError` naming the field (``blocks[2].name``) and the close
names. Colours are a palette role (``primary``, ``accent``…) or a colour. Numbers must be
finite: NaN and infinity are refused. Limits, each a SpecError naming the field:

- ``pictogram``: ``total`` 1…:data:`MAX_ICONS`, ``0 ≤ value ≤ total``;
- ``progress``: ``min < max`` and ``min ≤ value ≤ max`` (no silent clamping);
- ``table``: 1…:data:`MAX_COLUMNS` columns, 1…:data:`MAX_ROWS` rows, every row as long
  as the header (``blocks[2].rows[3]`` names the one that is not).

This module holds mixins so that :mod:`factframe.spec` can define the blocks next to the
others without growing past one concern per module.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from factframe.errors import SpecError, UnknownIconError
from factframe.spec_icons import resolve_icon

__all__ = [
    "CHECK_CELLS",
    "CROSS_CELLS",
    "MAX_COLUMNS",
    "MAX_ICONS",
    "MAX_ROWS",
    "PALETTE_ROLES",
    "Cell",
    "IconFields",
    "PaletteColor",
    "PictogramFields",
    "ProgressFields",
    "TableFields",
]

MAX_ICONS = 200
MAX_COLUMNS = 8
MAX_ROWS = 40
PALETTE_ROLES = ("primary", "secondary", "accent", "background", "surface", "text", "muted")
#: Table cells drawn as a check or a cross icon (with ``icons: true``), besides booleans.
CHECK_CELLS = frozenset({"✓", "✔", "☑", "✅"})
CROSS_CELLS = frozenset({"✗", "✘", "✕", "❌", "☒"})


def _role_or_color(value: str) -> str:
    if value in PALETTE_ROLES:
        return value
    from factframe.spec import parse_color  # spec imports this module

    r, g, b, a = parse_color(value)
    return f"#{r:02x}{g:02x}{b:02x}{a:02x}"


#: A palette role (kept as its name) or a colour (normalised to ``#rrggbbaa``).
PaletteColor = Annotated[str, AfterValidator(_role_or_color)]
#: A table cell: text, a number, a boolean (a check or a cross), or null (empty).
Cell = bool | float | Annotated[str, Field(max_length=500)] | None
_Label = Annotated[str, Field(min_length=1, max_length=200)]
_Caption = Annotated[str, Field(min_length=1, max_length=500)]


def _error(field: str, message: str) -> PydanticCustomError:
    # the message goes in as context, so that braces in user text are not formatted
    return PydanticCustomError("infographic", "{message}", {"message": message, "field": field})


def _icon_name(value: str) -> str:
    if "{{" in value:  # weather:{{ now.icon }}: checked once the fact is bound
        return value
    try:
        resolve_icon(value)
    except UnknownIconError as exc:
        raise ValueError(str(exc)) from None
    return value


def _finite(field: str, value: float) -> None:
    if not math.isfinite(value):
        raise _error(field, f"{value} is not a finite number; write null for an empty cell")


def _number_or_template(value: Any) -> Any:
    """A finite number, or a ``{{ fact }}`` template (bound later to a number)."""
    if isinstance(value, str):
        if "{{" in value:
            return value
        try:
            value = float(value)
        except ValueError:
            raise ValueError(
                "must be a number or a fact template like {{ now.humidity }}"
            ) from None
    finite = not isinstance(value, int | float) or math.isfinite(value)
    if not finite:
        raise ValueError(f"{value} is not a finite number")
    return value


#: An icon name checked against the set: Lucide, or ``weather:<condition>[:night]``; a
#: template (``weather:{{ now.icon }}``) is checked when its fact is bound.
IconName = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_icon_name)]
#: A number, or a ``{{ fact }}`` template that binds one (a quantity's value).
NumberOrFact = Annotated[
    float | Annotated[str, Field(max_length=1000)], BeforeValidator(_number_or_template)
]


def _count(n: int, noun: str) -> str:
    """``1 cell``, ``2 cells``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


class _Fields(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IconFields(_Fields):
    """The fields of an ``icon`` block: one icon, recoloured, with a label under it.

    Attributes:
        name: a Lucide name (``thermometer``) or ``weather:<condition>`` (``weather:rain``,
            ``weather:clear:night``).
        color: a palette role or a colour; None: the first of primary, accent,
            secondary, muted that stands out (3:1) from what the icon sits on.
        label: a line of text under the icon.
        size: the icon's side in px on a 1080 px canvas (scaled with the canvas); it
            shrinks when the page is full.
    """

    name: IconName
    color: PaletteColor | None = None
    label: _Label | None = None
    size: float = Field(160.0, gt=8, le=1080)


class _ValueFields(_Fields):
    """A block with a ``value``: a number, or a fact template until it is bound."""

    value: NumberOrFact

    @property
    def amount(self) -> float:
        """The value, once a ``value`` template is bound.

        Raises:
            SpecError: ``value`` is still a fact template.
        """
        if isinstance(self.value, str):
            raise SpecError(
                f"value is the fact template {self.value!r}, not bound yet; "
                "factframe.render() binds it"
            )
        return self.value


class PictogramFields(_ValueFields):
    """The fields of a ``pictogram`` block: ``value`` of ``total`` icons filled.

    Attributes:
        value: how many icons are filled; a fraction fills the last one partly; or a
            ``{{ fact }}`` template binding a number.
        total: how many icons are drawn, 1…:data:`MAX_ICONS`.
        icon: the icon (a Lucide name or ``weather:<condition>``).
        color: the filled icons' colour (a palette role or a colour); None: the first of
            primary, accent, secondary, muted that stands out (3:1) from the background.
        empty_color: the other icons' colour; None: the muted role, faint.
        columns: icons a row; None fits the rows to the region.
        label: a line under the icons (``7 in 10 visitors``).
        caption: a smaller line under the label.
    """

    total: int
    icon: IconName = "user"
    color: PaletteColor | None = None
    empty_color: PaletteColor | None = None
    columns: int | None = Field(None, ge=1, le=MAX_ICONS)
    label: _Label | None = None
    caption: _Caption | None = None

    @field_validator("total")
    @classmethod
    def _total(cls, value: int) -> int:
        if not 1 <= value <= MAX_ICONS:
            raise ValueError(f"total must be 1…{MAX_ICONS} icons, got {value}")
        return value

    @model_validator(mode="after")
    def _value_within_total(self) -> PictogramFields:
        if isinstance(self.value, float) and self.value < 0:
            raise _error("value", f"{self.value:g} is negative; give 0 or more icons")
        if isinstance(self.value, float) and self.value > self.total:
            raise _error(
                "value",
                f"{self.value:g} is more than the {self.total} icons of total; "
                "raise total or lower value",
            )
        return self


class ProgressFields(_ValueFields):
    """The fields of a ``progress`` block: a bar or a half-circle gauge.

    Attributes:
        kind: ``bar`` (a track filled along the reading direction) or ``gauge`` (a half
            ring filled clockwise, counter-clockwise in RTL).
        value: where the progress stands, within ``min``…``max`` (out of range is an
            error, never clamped); or a ``{{ fact }}`` template binding a number (a
            quantity's unit becomes ``unit`` when the block has none).
        min, max: the range (0…100 by default).
        format: the value's text: ``percent`` (the share of the range, ``72 %``),
            ``number`` (the value itself) or ``unit`` (the value with ``unit``).
        unit: a CLDR unit id (``kilometer``) for ``format: unit``.
        label: a line of text naming the measure.
        color: the fill (a palette role or a colour; None: the first of primary, accent,
            secondary, muted that stands out, 3:1, from the background);
            ``track_color`` the rest (None: the text colour, faint).
    """

    kind: Literal["bar", "gauge"] = "bar"
    min: float = Field(0.0, allow_inf_nan=False)
    max: float = Field(100.0, allow_inf_nan=False)
    format: Literal["percent", "number", "unit"] = "percent"
    unit: str | None = Field(None, min_length=1, max_length=64)
    label: _Label | None = None
    color: PaletteColor | None = None
    track_color: PaletteColor | None = None

    @model_validator(mode="after")
    def _within_range(self) -> ProgressFields:
        if not self.min < self.max:
            raise _error("max", f"max ({self.max:g}) must be above min ({self.min:g})")
        if isinstance(self.value, float) and not self.min <= self.value <= self.max:
            raise _error(
                "value",
                f"{self.value:g} is outside {self.min:g}…{self.max:g}; "
                "set min/max to the range the value lives in",
            )
        if self.format == "unit" and self.unit is None and isinstance(self.value, float):
            raise _error("unit", "format: unit needs a unit (a CLDR id like kilometer)")
        return self

    @property
    def share(self) -> float:
        """How much of the range is filled, 0…1."""
        return (self.amount - self.min) / (self.max - self.min)


class TableFields(_Fields):
    """The fields of a ``table`` block: a comparison table.

    Attributes:
        header: the column names, 1…:data:`MAX_COLUMNS`.
        rows: 1…:data:`MAX_ROWS` rows, each one cell per column: text (start-aligned),
            a number (written in the locale, end-aligned), a boolean or ✓/✗ (a check or
            a cross), or null (empty).
        highlight: a column to stand out (its index from 0, or its header text).
        zebra: tint every other row.
        icons: draw booleans and ✓/✗ cells as check and cross icons.
        caption: a line of text under the table.
    """

    header: list[_Label]
    rows: list[list[Cell]]
    highlight: int | str | None = None
    zebra: bool = True
    icons: bool = True
    caption: _Caption | None = None

    @model_validator(mode="before")
    @classmethod
    def _lists(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in ("header", "rows"):
                if data.get(name) == []:
                    raise _error(name, f"the table has no {name}; give at least one")
        return data

    @model_validator(mode="after")
    def _shape(self) -> TableFields:
        if len(self.header) > MAX_COLUMNS:
            raise _error("header", f"{len(self.header)} columns, over the limit {MAX_COLUMNS}")
        if len(self.rows) > MAX_ROWS:
            raise _error("rows", f"{len(self.rows)} rows, over the limit {MAX_ROWS}")
        for j, row in enumerate(self.rows):
            if len(row) != len(self.header):
                raise _error(
                    f"rows[{j}]",
                    f"has {_count(len(row), 'cell')} but the header has "
                    f"{_count(len(self.header), 'column')}; "
                    "give one cell per column (null for an empty one)",
                )
            for k, cell in enumerate(row):
                if isinstance(cell, float):
                    _finite(f"rows[{j}][{k}]", cell)
        self.highlight_column()
        return self

    def highlight_column(self) -> int | None:
        """The highlighted column's index, or None."""
        if self.highlight is None:
            return None
        if isinstance(self.highlight, int):
            if not 0 <= self.highlight < len(self.header):
                raise _error(
                    "highlight", f"column {self.highlight} is not 0…{len(self.header) - 1}"
                )
            return self.highlight
        if self.highlight not in self.header:
            raise _error("highlight", f"{self.highlight!r} is not one of the header's names")
        return self.header.index(self.highlight)
