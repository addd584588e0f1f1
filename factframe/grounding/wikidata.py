"""Reading Wikidata entity JSON into typed values: ranks, units, time precision.

A helper for providers that ask ``action=wbgetentities``; it fetches and registers nothing.
:class:`Entities` is the answer (only the parts read), and the functions below turn an
entity's claims into factframe values by these rules:

- **Ranks.** A statement is usable when it is not deprecated and its main snak has a value
  (``snaktype`` ``value``, not ``somevalue``/``novalue``). :func:`best` takes the first
  usable statement of the best rank (preferred, else normal), as Wikidata shows it;
  :func:`population` takes the preferred one, and among several (or none preferred) the one
  with the latest P585 point in time.
- **Units.** A quantity's unit is an entity URI; :data:`WIKIDATA_UNITS` maps the ones we read
  to CLDR unit ids, and a quantity in any other unit is left out, never converted or guessed.
- **Globes.** A coordinate names its globe (:data:`EARTH` for places on Earth).
- **Time precision.** :func:`time_text` writes a time at the precision Wikidata stores with
  it (day, month, year, decade, century) and leaves out anything coarser.
- **Shapes.** Wikibase serialises an empty map as ``[]`` (PHP); such fields read as ``{}``.
  A value of the wrong shape for its property is a :class:`~factframe.errors.ProviderError`
  of the ``places`` provider.

Docs: https://doc.wikimedia.org/Wikibase/master/php/docs_topics_json.html
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from factframe.errors import ProviderError
from factframe.knowledge import TextValue

__all__ = [
    "EARTH",
    "WIKIDATA_UNITS",
    "Amount",
    "ApiError",
    "DataValue",
    "Entities",
    "Entity",
    "Globe",
    "Sitelink",
    "Snak",
    "Statement",
    "Term",
    "Time",
    "best",
    "datavalue",
    "point_in_time",
    "population",
    "string",
    "time_text",
]

_ENTITY = "http://www.wikidata.org/entity/"
#: Wikidata unit items → CLDR unit ids; quantities in other units are left out.
WIKIDATA_UNITS = {
    f"{_ENTITY}Q11573": "length-meter",
    f"{_ENTITY}Q828224": "length-kilometer",
    f"{_ENTITY}Q3710": "length-foot",
}
#: the globe of coordinates on Earth (a coordinate's default globe)
EARTH = f"{_ENTITY}Q2"

ModelT = TypeVar("ModelT", bound=BaseModel)


# --- response shapes (only the parts read) ------------------------------------------------


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _dict_or_empty_list(value: Any) -> Any:
    return {} if value == [] else value  # PHP serialises an empty map as []


_EmptyAsDict = BeforeValidator(_dict_or_empty_list)


class ApiError(_Answer):
    """A MediaWiki action API error (sent with HTTP 200)."""

    code: str = "unknown"
    info: str = ""


class DataValue(_Answer):
    """A snak's value: its ``type`` (``quantity``, ``time``, …) and the raw value."""

    type: str
    value: Any


class Snak(_Answer):
    """A property's value, or the lack of one (``somevalue``, ``novalue``)."""

    snaktype: str = "value"
    datavalue: DataValue | None = None


class Statement(_Answer):
    """One claim: its main snak, its rank, and its qualifiers by property."""

    mainsnak: Snak
    rank: Literal["preferred", "normal", "deprecated"] = "normal"
    qualifiers: Annotated[dict[str, list[Snak]], _EmptyAsDict] = Field(default_factory=dict)


class Term(_Answer):
    """A label or description in one language."""

    language: str
    value: str


class Sitelink(_Answer):
    """The page about an entity on one site (``enwiki``)."""

    site: str
    title: str


class Entity(_Answer):
    """A Wikidata item; ``missing`` is set (and ``id`` may be absent) when there is none."""

    id: str | None = None
    missing: str | None = None
    site: str | None = None
    title: str | None = None
    labels: Annotated[dict[str, Term], _EmptyAsDict] = Field(default_factory=dict)
    descriptions: Annotated[dict[str, Term], _EmptyAsDict] = Field(default_factory=dict)
    claims: Annotated[dict[str, list[Statement]], _EmptyAsDict] = Field(default_factory=dict)
    sitelinks: Annotated[dict[str, Sitelink], _EmptyAsDict] = Field(default_factory=dict)


class Entities(_Answer):
    """``action=wbgetentities`` (Wikibase JSON)."""

    entities: dict[str, Entity] = Field(default_factory=dict)
    error: ApiError | None = None


class Globe(_Answer):
    """A ``globecoordinate`` value."""

    latitude: float
    longitude: float
    globe: str = EARTH


class Amount(_Answer):
    """A ``quantity`` value: a decimal string and a unit URI (``"1"`` when unitless)."""

    amount: str
    unit: str = "1"


class Time(_Answer):
    """A ``time`` value: ``+1931-05-01T00:00:00Z`` and its precision (11 day … 7 century)."""

    time: str
    precision: int


# --- statements ---------------------------------------------------------------------------


def _usable(statements: Sequence[Statement]) -> list[Statement]:
    return [
        s
        for s in statements
        if s.rank != "deprecated" and s.mainsnak.snaktype == "value" and s.mainsnak.datavalue
    ]


def best(statements: Sequence[Statement]) -> Statement | None:
    """The first statement of the best rank (preferred, else normal), as Wikidata shows it.

    Args:
        statements: an entity's statements for one property.

    Returns:
        The statement, or None when none is usable (all deprecated or without a value).
    """
    usable = _usable(statements)
    top = [s for s in usable if s.rank == "preferred"] or usable
    return top[0] if top else None


def population(statements: Sequence[Statement], url: str) -> Statement | None:
    """The preferred population; among several (or none preferred), the latest P585.

    Args:
        statements: the entity's P1082 statements.
        url: the URL asked, for errors.

    Returns:
        The statement, or None when none is usable.

    Raises:
        ProviderError: a P585 qualifier is not a time.
    """
    usable = _usable(statements)
    candidates = [s for s in usable if s.rank == "preferred"] or usable
    if not candidates:
        return None
    dated = [(key, s) for s in candidates if (key := _time_key(point_in_time(s, url)))]
    if not dated:
        return candidates[0]
    return max(dated, key=lambda pair: pair[0])[1]


def point_in_time(statement: Statement, url: str) -> Time | None:
    """A statement's first P585 (point in time) qualifier with a value, if any.

    Raises:
        ProviderError: the qualifier is not a time.
    """
    for snak in statement.qualifiers.get("P585", []):
        if snak.snaktype == "value" and snak.datavalue:
            return datavalue(snak, Time, "P585", url)
    return None


def datavalue(snak: Snak, model: type[ModelT], prop: str, url: str) -> ModelT | None:
    """A snak's structured value (coordinate, quantity, time) as ``model``.

    Args:
        snak: the snak to read.
        model: :class:`Globe`, :class:`Amount` or :class:`Time`.
        prop: the property (``P625``), for errors.
        url: the URL asked, for errors.

    Returns:
        The value, or None when the snak has none.

    Raises:
        ProviderError: the value does not have the shape of ``model``.
    """
    if snak.datavalue is None:
        return None
    raw = snak.datavalue.value
    try:
        return model.model_validate(raw)
    except ValidationError:
        raise ProviderError(
            f"unexpected Wikidata value for {prop}: {raw!r}", "places", url
        ) from None


def string(snak: Snak, prop: str, url: str) -> str | None:
    """A snak's string value (a URL, a Commons file name).

    Raises:
        ProviderError: the value is not a string.
    """
    if snak.datavalue is None:
        return None
    raw = snak.datavalue.value
    if not isinstance(raw, str):
        raise ProviderError(f"unexpected Wikidata value for {prop}: {raw!r}", "places", url)
    return raw


# --- times --------------------------------------------------------------------------------

_TIME = re.compile(r"^([+-])(\d+)-(\d\d)-(\d\d)T")


def _time_key(time: Time | None) -> tuple[int, int, int] | None:
    if time is None or not (m := _TIME.match(time.time)):
        return None
    year = int(m[2]) * (-1 if m[1] == "-" else 1)
    return year, int(m[3]), int(m[4])


def time_text(time: Time) -> TextValue | None:
    """A Wikidata time as text at its precision; None when coarser than a century.

    Years, months and days are ISO 8601 partial dates (``1147``, ``1931-05``,
    ``1931-05-01``) with no language; decades, centuries and years before the common era
    are English (``1140s``, ``12th century``, ``44 BCE``). The calendar is the one
    Wikidata stores the date in (Julian for many old dates).

    Example:
        >>> time_text(Time(time="+1147-00-00T00:00:00Z", precision=7)).text
        '12th century'
    """
    key = _time_key(time)
    if key is None:
        return None
    year, month, day = key
    if year <= 0:  # Wikidata counts BCE historically: -0044 is 44 BCE
        return TextValue(text=f"{-year} BCE", lang="en") if time.precision >= 9 else None
    if time.precision >= 11 and month and day:
        return TextValue(text=f"{year:04d}-{month:02d}-{day:02d}")
    if time.precision >= 10 and month:
        return TextValue(text=f"{year:04d}-{month:02d}")
    if time.precision >= 9:
        return TextValue(text=f"{year:04d}")
    if time.precision == 8:
        return TextValue(text=f"{year - year % 10}s", lang="en")
    if time.precision == 7:
        century = (year - 1) // 100 + 1
        suffix = (
            "th"
            if 10 <= century % 100 <= 20
            else {1: "st", 2: "nd", 3: "rd"}.get(century % 10, "th")
        )
        return TextValue(text=f"{century}{suffix} century", lang="en")
    return None
