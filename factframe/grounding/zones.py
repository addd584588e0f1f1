"""The IANA time zone at a point, offline (``timezonefinder``'s polygons ship in its wheel)."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["zone_at"]


@lru_cache(maxsize=1)
def _finder():  # type: ignore[no-untyped-def]
    from timezonefinder import TimezoneFinder

    return TimezoneFinder(in_memory=True)  # no file handle left open at exit


def zone_at(lat: float, lon: float) -> str | None:
    """The zone name at a point (``"Europe/Lisbon"``); None where the data has none."""
    name: str | None = _finder().timezone_at(lng=lon, lat=lat)
    return name
