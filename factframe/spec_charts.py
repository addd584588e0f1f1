"""The fields of the ``chart`` block: kind, data, formats; part of :mod:`factframe.spec`.

A chart's numbers come inline (``values`` or ``series``), from facts
(``values: "{{ week.temperature_max }}"``, bound by :mod:`factframe.templates.bind`) or from
a table (``data`` with ``x``/``y`` columns: a name handed to ``render(spec, data={…})`` or a
``.csv`` file). Once bound, every series is a list of finite numbers or nulls (gaps)::

    {type: chart, kind: bar, labels: [Mon, Tue, Wed], values: [18.5, 21, 19]}
    {type: chart, kind: line, data: sales.csv, x: month, y: [north, south]}

Limits, each a :class:`~factframe.errors.SpecError` naming the field when broken:

- at most :data:`MAX_SERIES` series of equal length, and labels (when given) as many;
- ``bar``: at most :data:`MAX_BARS` bars (categories × series, or categories when stacked);
- ``donut``/``pie``: one series of at most :data:`MAX_SLICES` non-negative values;
- ``line``/``area``/``sparkline``: up to :data:`MAX_POINTS` values a series (drawn decimated
  to the pixel columns, keeping each column's minimum and maximum, so peaks survive), and
  :data:`MAX_VALUES` in all;
- numbers must be finite: NaN and infinity are refused (a missing value is ``null``).

This module holds a mixin so that :mod:`factframe.spec` can define ``ChartBlock`` next to
the other blocks without growing past one concern per module.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from factframe.spec_infographics import PaletteColor

__all__ = [
    "CHART_KINDS",
    "MAX_BARS",
    "MAX_POINTS",
    "MAX_SERIES",
    "MAX_SLICES",
    "MAX_VALUES",
    "ChartFields",
    "Series",
]

CHART_KINDS = ("bar", "line", "area", "donut", "pie", "sparkline")
ChartKind = Literal["bar", "line", "area", "donut", "pie", "sparkline"]
MAX_SERIES = 12
MAX_BARS = 200
MAX_SLICES = 12
MAX_POINTS = 100_000
MAX_VALUES = 200_000

#: Numbers of a series, or a ``{{ fact }}`` template that binds a series fact.
Values = list[float | None] | str


def _chart_error(field: str, message: str) -> PydanticCustomError:
    # the message goes in as context: a template like {{ week.days }} must not be formatted
    return PydanticCustomError("chart", "{message}", {"message": message, "field": field})


def _check_template(value: Any) -> Any:
    if isinstance(value, str) and "{{" not in value:
        raise ValueError(
            "a string here must be a fact template like {{ week.temperature_max }}; "
            "write numbers as a list: [18.5, 21, 19]"
        )
    return value


class Series(BaseModel):
    """One named row of numbers and its colour.

    Attributes:
        name: shown in the legend (may be a template).
        values: numbers or ``null`` for a gap, or a ``{{ fact }}`` template.
        color: a palette role (``primary``, ``accent``…) or a colour; None takes the next
            colour of the chart's palette order.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str | None = Field(None, max_length=200)
    values: Values
    color: PaletteColor | None = None

    @field_validator("values")
    @classmethod
    def _template(cls, value: Any) -> Any:
        return _check_template(value)


def _labels_as_text(value: Any) -> Any:
    """Years and other numbers in ``labels`` are labels, not values."""
    if isinstance(value, list):
        return [
            str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
            for v in value
            if v is not None
        ]
    return value


class ChartFields(BaseModel):
    """The fields of a chart block (``ChartBlock`` in :mod:`factframe.spec`).

    Attributes:
        kind: ``bar``, ``line``, ``area``, ``donut``, ``pie`` or ``sparkline``.
        orientation: bars grow up (``vertical``) or along the reading direction
            (``horizontal``).
        stacked: bars (or areas) of several series stack instead of standing side by side.
        labels: one per value (categories, days); a template binds a text series; numbers
            are taken as text.
        label_format: a CLDR date skeleton or pattern (``EEE``, ``MMMd``) or ``short``…
            ``full``: the labels are ISO dates, written in the locale.
        series: the data, each with a name and a colour.
        values: shorthand for one unnamed series.
        unit: a CLDR unit id (``temperature-celsius``, ``percent``); a bound fact's unit
            when not given.
        format: ``number``, ``percent`` (values are percentages), ``compact`` (1.2K) or
            ``unit``; None picks ``unit`` when there is a unit, else ``number``.
        value_labels: write each value by its bar or point; None decides (bars when at
            most 24 fit without collision, lines of one series up to 12 points, the last
            value of a sparkline, shares in a donut's legend).
        legend: None shows one for several series, and for donut and pie.
        caption: a line of text under the chart.
        data: a table: a name given to ``render(spec, data={name: table})`` or a ``.csv``
            file (relative to the spec file).
        x: the column of ``data`` with the labels.
        y: the column(s) of ``data`` with the values; their names name the series.
        aspect: width / height wanted for the chart's region.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ChartKind = "bar"
    orientation: Literal["vertical", "horizontal"] = "vertical"
    stacked: bool = False
    labels: list[str] | str | None = None
    label_format: str | None = Field(None, min_length=1, max_length=64)
    series: list[Series] = Field(default_factory=list, max_length=MAX_SERIES)
    values: Values | None = None
    unit: str | None = Field(None, min_length=1, max_length=64)
    format: Literal["number", "percent", "compact", "unit"] | None = None
    value_labels: bool | None = None
    legend: bool | None = None
    caption: str | None = Field(None, max_length=500)
    data: str | None = Field(None, min_length=1, max_length=1000)
    x: str | None = None
    y: list[str] | str | None = None
    aspect: float | None = Field(None, gt=0.2, le=20, description="width / height wanted")

    @field_validator("labels", mode="before")
    @classmethod
    def _labels(cls, value: Any) -> Any:
        return _labels_as_text(value)

    @field_validator("labels", "values")
    @classmethod
    def _templates(cls, value: Any) -> Any:
        return _check_template(value)

    @property
    def all_series(self) -> list[Series]:
        """The series, with the ``values`` shorthand as one unnamed series."""
        if self.values is not None:
            return [Series(values=self.values)]
        return list(self.series)

    @property
    def is_bound(self) -> bool:
        """True when every number and label is concrete (no table, no template)."""
        return (
            self.data is None
            and not isinstance(self.labels, str)
            and all(isinstance(s.values, list) for s in self.all_series)
        )

    def template_strings(self) -> list[str]:
        """Every string of the block that may hold a fact template."""
        found = [self.caption, self.labels, self.values]
        for s in self.series:
            found += [s.name, s.values]
        return [s for s in found if isinstance(s, str)]

    def _value_paths(self) -> list[tuple[str, Values]]:
        if self.values is not None:
            return [("values", self.values)]
        return [(f"series[{j}].values", s.values) for j, s in enumerate(self.series)]

    @model_validator(mode="after")
    def _check_chart(self) -> ChartFields:
        self._check_sources()
        self._check_options()
        lists = [(p, v) for p, v in self._value_paths() if isinstance(v, list)]
        if not lists:
            return self
        counts = set()
        total = 0
        for path, values in lists:
            _check_numbers(path, values)
            counts.add(len(values))
            total += len(values)
        first_path, first = lists[0]
        for path, values in lists[1:]:
            if len(values) != len(first):
                raise _chart_error(
                    path,
                    f"has {len(values)} values but {first_path} has {len(first)}; "
                    "every series needs one value per label",
                )
        if isinstance(self.labels, list) and len(self.labels) != len(first):
            raise _chart_error(
                "labels",
                f"has {len(self.labels)} labels but {first_path} has {len(first)} values; "
                "give one label per value",
            )
        if total > MAX_VALUES:
            raise _chart_error(
                first_path, f"{total:,} values in all, over the limit of {MAX_VALUES:,}"
            )
        self._check_kind(lists)
        if self.format == "unit" and self.unit is None and self.is_bound:
            raise _chart_error("unit", "format: unit needs a unit (a CLDR id like kilometer)")
        return self

    def _check_sources(self) -> None:
        if self.values is not None and self.series:
            raise _chart_error("values", "give either values (one series) or series, not both")
        if self.data is not None and (self.values is not None or self.series):
            raise _chart_error("data", "the data table gives the values; drop values/series")
        if self.data is None and self.values is None and not self.series:
            raise _chart_error(
                "values", "a chart needs numbers: values, series, or a data table with y"
            )
        for name in ("x", "y"):
            if getattr(self, name) is not None and self.data is None:
                raise _chart_error(name, f"{name} names a column of data; set data too")

    def _check_options(self) -> None:
        if self.orientation == "horizontal" and self.kind != "bar":
            raise _chart_error("orientation", f"a {self.kind} chart has no orientation")
        if self.stacked and self.kind not in ("bar", "area"):
            raise _chart_error("stacked", "only bar and area charts stack")

    def _check_kind(self, lists: list[tuple[str, list[float | None]]]) -> None:
        n = len(lists[0][1])
        if self.kind == "bar":
            bars = n if self.stacked else n * len(lists)
            if bars > MAX_BARS:
                raise _chart_error(
                    lists[0][0],
                    f"a bar chart draws at most {MAX_BARS} bars and this one has {bars:,}; "
                    "aggregate the data, or use kind: line, which takes up to "
                    f"{MAX_POINTS:,} points",
                )
        elif self.kind in ("donut", "pie"):
            self._check_slices(lists, n)
        elif n > MAX_POINTS:
            raise _chart_error(
                lists[0][0], f"{n:,} points, over the limit of {MAX_POINTS:,} a series"
            )

    def _check_slices(self, lists: list[tuple[str, list[float | None]]], n: int) -> None:
        path, values = lists[0]
        if len(lists) > 1:
            raise _chart_error(lists[1][0], f"a {self.kind} shows one series")
        if n > MAX_SLICES:
            raise _chart_error(
                path,
                f"a {self.kind} shows at most {MAX_SLICES} slices and this one has {n:,}; "
                "group the small ones as 'Other' or use a bar chart",
            )
        for k, v in enumerate(values):
            if v is not None and v < 0:
                raise _chart_error(
                    f"{path}[{k}]", f"{v:g} is negative; a {self.kind} shows shares of a whole"
                )
        if not sum(v for v in values if v is not None) > 0:
            raise _chart_error(path, f"the values of a {self.kind} must add up to more than 0")


def _check_numbers(path: str, values: list[float | None]) -> None:
    if not values:
        raise _chart_error(path, "is empty; a series needs at least one value")
    present = 0
    for k, v in enumerate(values):
        if v is None:
            continue
        if not math.isfinite(v):
            raise _chart_error(
                f"{path}[{k}]", f"{v} is not a finite number; write null for a missing value"
            )
        present += 1
    if not present:
        raise _chart_error(path, "has no values, only nulls")
