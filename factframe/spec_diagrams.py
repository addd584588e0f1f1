"""The fields of the diagram blocks ``timeline``, ``process`` and ``map``; part of
:mod:`factframe.spec`.

Like :mod:`factframe.spec_charts` for charts, this module holds mixins, so that
:mod:`factframe.spec` defines ``TimelineBlock``, ``ProcessBlock`` and ``MapBlock`` next to
the other blocks::

    {type: timeline, events: [{date: 1969-07-20, title: Apollo 11 lands}]}
    {type: process, steps: [{title: Plan}, {title: Build}, {title: Ship}]}
    {type: map, region: [PT, ES], markers: [{name: Lisbon, lat: 38.72, lon: -9.14}]}

Limits, each a :class:`~factframe.errors.SpecError` naming the field when broken:

- a timeline has 1…:data:`MAX_EVENTS` events, each with an ISO 8601 date (``1969``,
  ``1969-07``, ``1969-07-20``, ``1969-07-20T20:17``) or a ``{{ fact }}`` template that
  binds one; the planner writes dates in the locale with Babel;
- a process has 1…:data:`MAX_STEPS` steps;
- a map shows the world, a list of ISO 3166-1 country codes, a lon/lat box or (None) the
  box around its markers; at most :data:`MAX_MARKERS` markers, each at ``lat``/``lon``
  (−90…90, −180…180) or at ``place``, a ``{{ fact }}`` template binding a geo point or a
  place (a geocode fact: its ``location`` and ``name``).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from factframe.spec_infographics import IconName

__all__ = [
    "MAX_EVENTS",
    "MAX_MARKERS",
    "MAX_STEPS",
    "MapFields",
    "MapMarker",
    "ProcessFields",
    "ProcessStep",
    "TimelineEvent",
    "TimelineFields",
    "iso_date",
    "iso_precision",
]

MAX_EVENTS = 24
MAX_STEPS = 12
MAX_MARKERS = 40

_ISO = re.compile(r"-?\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?)?)?")
_COUNTRY = re.compile(r"[A-Za-z]{2,3}")


def _error(field: str, message: str) -> PydanticCustomError:
    # the message goes in as context: a template like {{ city }} must not be formatted
    return PydanticCustomError("diagram", "{message}", {"message": message, "field": field})


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def iso_date(value: str) -> date | datetime:
    """An ISO 8601 date as a date or date-time: ``1969`` and ``1969-07`` are the first day
    of the year or month (their precision is kept by :func:`iso_precision`).

    Raises:
        ValueError: not an ISO date (or no such day, like ``2026-02-30``).
    """
    text = value.strip()
    if not _ISO.fullmatch(text) or text.startswith("-"):
        raise ValueError(
            f"{value!r} is not an ISO 8601 date; write 1969, 1969-07, 1969-07-20 or "
            "1969-07-20T20:17"
        )
    parts = text.replace(" ", "T").split("T")
    day = parts[0]
    try:
        if len(day) == 4:
            when: date | datetime = date(int(day), 1, 1)
        elif len(day) == 7:
            when = date(int(day[:4]), int(day[5:7]), 1)
        else:
            when = date.fromisoformat(day)
        if len(parts) == 2:
            when = datetime.fromisoformat(f"{day}T{parts[1]}")
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a date: {exc}") from None
    return when


def iso_precision(value: str) -> Literal["year", "month", "day", "minute"]:
    """How precise an ISO date is: ``year`` (1969), ``month``, ``day`` or ``minute``."""
    text = value.strip()
    if "T" in text or " " in text:
        return "minute"
    return {4: "year", 7: "month"}.get(len(text), "day")  # type: ignore[return-value]


def _template_or_date(value: str) -> str:
    if "{{" in value:
        return value
    iso_date(value)
    return value.strip()


class TimelineEvent(_Part):
    """One dated event.

    Attributes:
        date: an ISO 8601 date (``1969``, ``1969-07``, ``1969-07-20``,
            ``1969-07-20T20:17``) or a ``{{ fact }}`` template giving one.
        title: what happened (a few words).
        text: more about it, optional.
    """

    date: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=200)
    text: str | None = Field(None, max_length=600)

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if isinstance(value, datetime | date):  # YAML reads 1969-07-20 as a date
            return (
                value.isoformat(timespec="minutes") if isinstance(value, datetime) else str(value)
            )
        if isinstance(value, int) and not isinstance(value, bool):  # YAML reads 1969 as int
            return f"{value:04d}"
        return value

    @field_validator("date")
    @classmethod
    def _iso(cls, value: str) -> str:
        return _template_or_date(value)


class TimelineFields(BaseModel):
    """The fields of a timeline block (``TimelineBlock`` in :mod:`factframe.spec`).

    Attributes:
        events: the events in the order given (draw them in date order yourself: a
            timeline that goes back in time is refused).
        date_format: a CLDR skeleton (``yMMM``), pattern or ``short``…``full`` for every
            date; None picks one by each date's precision (``1969``, ``Jul 1969``,
            ``Jul 20, 1969`` in ``en``).
        orientation: ``horizontal`` (a rail across, labels above and below),
            ``vertical`` (a rail down the start side) or ``auto`` (horizontal in a region
            wide enough for the events, else vertical).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    events: list[TimelineEvent] = Field(default_factory=list, max_length=MAX_EVENTS)
    date_format: str | None = Field(None, min_length=1, max_length=64)
    orientation: Literal["auto", "horizontal", "vertical"] = "auto"

    def template_strings(self) -> list[str]:
        """Every string of the block that may hold a fact template."""
        found = [s for e in self.events for s in (e.date, e.title, e.text)]
        return [s for s in found if isinstance(s, str)]

    @model_validator(mode="after")
    def _check_events(self) -> TimelineFields:
        if not self.events:
            raise _error("events", "a timeline needs at least one event: [{date, title}]")
        previous: tuple[int, date | datetime] | None = None
        for k, event in enumerate(self.events):
            if "{{" in event.date:
                continue
            when = iso_date(event.date)
            key = _sortable(when)
            if previous is not None and key < _sortable(previous[1]):
                raise _error(
                    f"events[{k}].date",
                    f"{event.date} comes before events[{previous[0]}].date; list the events "
                    "in date order",
                )
            previous = (k, when)
        return self


def _sortable(when: date | datetime) -> datetime:
    return when if isinstance(when, datetime) else datetime(when.year, when.month, when.day)


class ProcessStep(_Part):
    """One step of a process.

    Attributes:
        title: the step's name (a few words).
        text: more about it, optional.
        icon: an icon's name, checked against the set: a Lucide name or
            ``weather:<condition>[:night]`` (see :mod:`factframe.spec_icons`), optional.
    """

    title: str = Field(min_length=1, max_length=200)
    text: str | None = Field(None, max_length=600)
    icon: IconName | None = None


class ProcessFields(BaseModel):
    """The fields of a process block (``ProcessBlock`` in :mod:`factframe.spec`).

    Attributes:
        steps: the steps in order.
        arrangement: ``row`` (one row), ``column`` (one column), ``snake`` (rows that
            turn back at each end) or ``auto`` (a row when the boxes fit side by side,
            else a snake of rows of at least two boxes, else a column).
        numbered: write each step's number (in the locale's digits) above its title.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    steps: list[ProcessStep] = Field(default_factory=list, max_length=MAX_STEPS)
    arrangement: Literal["auto", "row", "column", "snake"] = "auto"
    numbered: bool = True

    def template_strings(self) -> list[str]:
        """Every string of the block that may hold a fact template."""
        found = [s for step in self.steps for s in (step.title, step.text)]
        return [s for s in found if isinstance(s, str)]

    @model_validator(mode="after")
    def _check_steps(self) -> ProcessFields:
        if not self.steps:
            raise _error("steps", "a process needs at least one step: [{title}]")
        return self


class MapMarker(_Part):
    """A point on a map.

    Attributes:
        name: its label (None: the place's name when ``place`` gives one, else no label).
        lat: degrees north, −90…90.
        lon: degrees east, −180…180.
        place: a ``{{ fact }}`` template naming a geo point or a place fact (a geocode
            fact, whose ``location`` and ``name`` are taken), instead of lat/lon.
    """

    name: str | None = Field(None, max_length=120)
    lat: float | None = None
    lon: float | None = None
    place: str | None = Field(None, max_length=500)

    @field_validator("lat")
    @classmethod
    def _lat(cls, value: float | None) -> float | None:
        if value is not None and not (math.isfinite(value) and -90 <= value <= 90):
            raise ValueError(f"latitude {value} is outside -90…90 degrees")
        return value

    @field_validator("lon")
    @classmethod
    def _lon(cls, value: float | None) -> float | None:
        if value is not None and not (math.isfinite(value) and -180 <= value <= 180):
            raise ValueError(f"longitude {value} is outside -180…180 degrees")
        return value

    @field_validator("place")
    @classmethod
    def _place(cls, value: str | None) -> str | None:
        if value is not None and "{{" not in value:
            raise ValueError("place must be a fact template like {{ city }}; or give lat and lon")
        return value

    @model_validator(mode="after")
    def _where(self) -> MapMarker:
        given = (self.lat is not None, self.lon is not None)
        if self.place is not None and any(given):
            raise _error("place", "give either place or lat and lon, not both")
        if self.place is None and not all(given):
            missing = "lat" if not given[0] else "lon"
            raise _error(missing, "a marker needs lat and lon (or a place fact)")
        return self

    @property
    def is_bound(self) -> bool:
        return self.lat is not None and self.lon is not None


Region = Literal["world"] | list[str] | tuple[float, float, float, float]


class MapFields(BaseModel):
    """The fields of a map block (``MapBlock`` in :mod:`factframe.spec`).

    Attributes:
        region: ``world``; a list of ISO 3166-1 alpha-2 or alpha-3 country codes (the view
            covers their main landmasses, and they are filled in the accent colour); a
            box ``[lon_min, lat_min, lon_max, lat_max]``; None: around the markers (the
            world without markers).
        markers: points with labels; labels are placed beside their markers without
            overlapping each other or any marker, inside the map.
        highlight: fill the region's countries in a colour of their own (when the
            region is a list of countries).
        aspect: width / height wanted for the map's region; None: the view's own.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    region: Region | None = None
    markers: list[MapMarker] = Field(default_factory=list, max_length=MAX_MARKERS)
    highlight: bool = True
    aspect: float | None = Field(None, gt=0.2, le=20, description="width / height wanted")

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value.strip().lower() == "world":
                return "world"
            return [value]  # one country code
        if (
            isinstance(value, list)
            and len(value) == 4
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            return tuple(value)
        return value

    @field_validator("region")
    @classmethod
    def _check_region(cls, value: Region | None) -> Region | None:
        if isinstance(value, list):
            if not value:
                raise ValueError("a region of countries needs at least one code, e.g. [PT]")
            for code in value:
                if not _COUNTRY.fullmatch(code):
                    raise ValueError(
                        f"{code!r} is not a country code; use ISO 3166-1 alpha-2 (PT) or "
                        "alpha-3 (PRT)"
                    )
            return [code.upper() for code in value]
        if isinstance(value, tuple):
            lon0, lat0, lon1, lat1 = value
            if not (-180 <= lon0 < lon1 <= 180 and -90 <= lat0 < lat1 <= 90):
                raise ValueError(
                    f"the box {list(value)} is not [lon_min, lat_min, lon_max, lat_max] with "
                    "-180 ≤ lon_min < lon_max ≤ 180 and -90 ≤ lat_min < lat_max ≤ 90"
                )
        return value

    @property
    def is_bound(self) -> bool:
        """True when every marker has its coordinates (no fact template left)."""
        return all(m.is_bound for m in self.markers)

    def template_strings(self) -> list[str]:
        """Every string of the block that may hold a fact template."""
        found = [s for m in self.markers for s in (m.name, m.place)]
        return [s for s in found if isinstance(s, str)]
