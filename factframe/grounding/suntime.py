"""``sun`` and ``time``: sunrise, sunset and day length, and local time — computed offline.

The time zone of a point comes from ``timezonefinder`` (its polygons ship in the wheel),
local time from ``zoneinfo`` (the IANA database), sun times from ``astral`` (NOAA's solar
equations). Above the polar circles a day may have no sunrise: the fact then says whether
the sun stays up or down, and never makes a time up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field

from factframe.errors import ProviderError
from factframe.grounding.provider import PROVIDERS, Params, ProviderContext, parse_params
from factframe.grounding.zones import zone_at
from factframe.knowledge import (
    DateTimeValue,
    Fact,
    FactRequest,
    FactValue,
    Provenance,
    Quantity,
    RecordValue,
    TextValue,
)

__all__ = ["SunParams", "SunProvider", "TimeParams", "TimeProvider"]

#: The installed version of a package, cached (a lookup reads metadata files, ~0.5 ms).
version = lru_cache(maxsize=None)(metadata.version)


class _Point(Params):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    tz: str | None = Field(None, description="IANA zone; found from lat/lon when absent")


class SunParams(_Point):
    date: dt.date | None = Field(None, description="local date; today when absent")


class TimeParams(_Point):
    pass


def _zone(provider: str, params: _Point) -> ZoneInfo:
    name = params.tz or zone_at(params.lat, params.lon)
    if not name:
        raise ProviderError(f"no time zone known at {params.lat}, {params.lon}", provider)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ProviderError(f"unknown time zone {name!r}", provider) from None


def _provenance(
    provider: str, ctx: ProviderContext, source: str, until: dt.datetime | None
) -> Provenance:
    return Provenance(
        provider=provider,
        source=source,
        retrieved_at=ctx.now,
        valid_until=until,
        method="computed",
    )


class TimeProvider:
    """Local time, zone and UTC offset at a point."""

    name = "time"
    offline_capable = True
    params = TimeParams

    async def fetch(self, request: FactRequest, ctx: ProviderContext) -> Fact:
        params = parse_params(self.name, TimeParams, request)
        zone = _zone(self.name, params)
        local = ctx.now.astimezone(zone)
        offset = local.utcoffset() or dt.timedelta(0)
        fields: dict[str, FactValue] = {
            "timezone": TextValue(text=zone.key),
            "local_time": DateTimeValue(value=local, tz=zone.key),
            "utc_offset": Quantity(value=offset.total_seconds() / 3600, unit="hour"),
        }
        source = f"timezonefinder {version('timezonefinder')} and the IANA time zone database"
        return Fact(
            key=request.key(),
            label=f"local time at {params.lat:.4f}, {params.lon:.4f} ({zone.key})",
            value=RecordValue(fields=fields),
            provenance=_provenance(self.name, ctx, source, ctx.now + dt.timedelta(minutes=1)),
        )


class SunProvider:
    """Dawn, sunrise, solar noon, sunset, dusk and day length at a point on a date."""

    name = "sun"
    offline_capable = True
    params = SunParams

    async def fetch(self, request: FactRequest, ctx: ProviderContext) -> Fact:
        from astral import Observer
        from astral.sun import dawn, dusk, elevation, noon, sunrise, sunset

        params = parse_params(self.name, SunParams, request)
        zone = _zone(self.name, params)
        day = params.date or ctx.now.astimezone(zone).date()
        observer = Observer(latitude=params.lat, longitude=params.lon)
        fields: dict[str, FactValue] = {"timezone": TextValue(text=zone.key)}

        def event(
            when: Callable[..., dt.datetime], after: dt.datetime | None
        ) -> dt.datetime | None:
            """The event on ``day``; one that astral files under ``day`` but that belongs to
            the previous evening (a sunset at 00:02 in a white night) is taken a day later."""
            try:
                at = when(observer, date=day, tzinfo=zone)
                if after is not None and at < after:
                    at = when(observer, date=day + dt.timedelta(days=1), tzinfo=zone)
            except ValueError:  # the sun never crosses that altitude on this day
                return None
            return at

        rise = event(sunrise, None)
        down = event(sunset, rise) if rise is not None else None
        if rise is not None and down is not None:
            start = event(dawn, None)
            times = {
                "dawn": start,
                "sunrise": rise,
                "noon": event(noon, None),
                "sunset": down,
                "dusk": event(dusk, start or rise),
            }
            for name, at in times.items():
                if at is not None:  # no dawn or dusk in a white night: left out, never made up
                    fields[name] = DateTimeValue(value=at, tz=zone.key)
            length = (down - rise).total_seconds() / 60
            fields["day_length"] = Quantity(value=round(length, 1), unit="minute")
        else:  # polar day or night: no sunrise to speak of
            midday = dt.datetime.combine(day, dt.time(12), tzinfo=zone)
            up = elevation(observer, midday) > 0
            fields["polar"] = TextValue(text="polar day" if up else "polar night", lang="en")
            fields["day_length"] = Quantity(value=1440.0 if up else 0.0, unit="minute")
        # without an explicit date the fact is "today's": it expires at local midnight
        until = None
        if params.date is None:
            midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
            until = midnight.astimezone(dt.UTC)
        source = f"astral {version('astral')} (NOAA solar position equations)"
        return Fact(
            key=request.key(),
            label=f"sun times at {params.lat:.4f}, {params.lon:.4f} on {day.isoformat()}",
            value=RecordValue(fields=fields),
            provenance=_provenance(self.name, ctx, source, until),
        )


PROVIDERS.register("time", TimeProvider())
PROVIDERS.register("sun", SunProvider())
