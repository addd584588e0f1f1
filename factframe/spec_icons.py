"""The icon catalogue, without drawing: names, the weather icons, and resolving a spec's
icon name; part of :mod:`factframe.spec`.

The icons are the Lucide set shipped by the ``lucide`` package (a zip of SVGs read with
:mod:`importlib.resources`, no skia), so a spec can check its icon names when it is
validated, long before anything is drawn; :mod:`factframe.generator.icons` draws them.

A spec names an icon by its Lucide name (``thermometer``) or by a weather provider's
condition (``weather:rain``, ``weather:clear:night``)::

    >>> resolve_icon("weather:partly-cloudy")
    'cloud-sun'
"""

from __future__ import annotations

import difflib
import io
import threading
import zipfile
from functools import lru_cache
from importlib import resources

from factframe.errors import UnknownIconError

__all__ = [
    "ICON_SET",
    "WEATHER_ICONS",
    "WEATHER_ICONS_NIGHT",
    "WEATHER_PREFIX",
    "icon_names",
    "icon_source",
    "resolve_icon",
    "weather_icon",
]

#: The icon set and the package that ships it.
ICON_SET = "lucide"
_ARCHIVE = "lucide.zip"
#: A spec's icon name that starts with this names a weather condition.
WEATHER_PREFIX = "weather:"

#: The weather provider's icon names (``factframe.grounding.weather.WMO_CODES``) → icons.
#: Lucide has no picture of freezing precipitation; ``cloud-hail`` (drops and ice pellets)
#: is the closest. Showers are a cloud with the sun (or moon) beside it, as in most apps.
WEATHER_ICONS: dict[str, str] = {
    "clear": "sun",
    "mostly-clear": "cloud-sun",
    "partly-cloudy": "cloud-sun",
    "overcast": "cloudy",
    "fog": "cloud-fog",
    "drizzle": "cloud-drizzle",
    "freezing-drizzle": "cloud-hail",
    "rain": "cloud-rain",
    "freezing-rain": "cloud-hail",
    "snow": "cloud-snow",
    "showers": "cloud-sun-rain",
    "snow-showers": "sun-snow",
    "thunderstorm": "cloud-lightning",
}
#: The same at night: the moon replaces the sun wherever the sun is drawn.
WEATHER_ICONS_NIGHT: dict[str, str] = {
    **WEATHER_ICONS,
    "clear": "moon",
    "mostly-clear": "cloud-moon",
    "partly-cloudy": "cloud-moon",
    "showers": "cloud-moon-rain",
    "snow-showers": "snowflake",
}

_read_lock = threading.Lock()


@lru_cache(maxsize=1)
def _archive() -> tuple[zipfile.ZipFile, frozenset[str]]:
    """The package's zip of SVGs (0.4 MB, kept in memory) and the icon names in it."""
    data = resources.files(ICON_SET).joinpath(_ARCHIVE).read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = frozenset(m.removesuffix(".svg") for m in archive.namelist() if m.endswith(".svg"))
    return archive, names


def _known(name: str) -> zipfile.ZipFile:
    """The archive, once ``name`` is known to be in it."""
    archive, names = _archive()
    if name not in names:
        raise UnknownIconError(name, difflib.get_close_matches(name, names, n=3, cutoff=0.6))
    return archive


def icon_names() -> list[str]:
    """The names of every icon in the set, sorted (``["a-arrow-down", …, "zoom-out"]``)."""
    return sorted(_archive()[1])


def icon_source(name: str) -> bytes:
    """The icon's SVG source, as shipped (strokes in ``currentColor``).

    Raises:
        UnknownIconError: no icon has this name; the message suggests close names.
    """
    archive = _known(name)
    with _read_lock:  # one shared file object underneath
        return archive.read(f"{name}.svg")


def weather_icon(condition: str, *, night: bool = False) -> str:
    """The icon name for a weather provider's condition (``"partly-cloudy"`` → ``"cloud-sun"``).

    Raises:
        UnknownIconError: the condition is not one the weather provider produces.
    """
    table = WEATHER_ICONS_NIGHT if night else WEATHER_ICONS
    if condition not in table:
        close = difflib.get_close_matches(condition, table.keys(), n=3, cutoff=0.6)
        raise UnknownIconError(condition, close)
    return table[condition]


def resolve_icon(name: str) -> str:
    """The Lucide name of a spec's icon name: a Lucide name as it is, or
    ``weather:<condition>`` (``weather:<condition>:night`` for the night variant).

    Raises:
        UnknownIconError: no icon, or no weather condition, has this name; the message
            suggests close names (``weather:`` ones for a condition).
    """
    if not name.startswith(WEATHER_PREFIX):
        _known(name)
        return name
    condition = name.removeprefix(WEATHER_PREFIX)
    night = condition.endswith(":night")
    condition = condition.removesuffix(":night")
    try:
        return weather_icon(condition, night=night)
    except UnknownIconError as exc:
        close = [f"{WEATHER_PREFIX}{c}" for c in exc.suggestions]
        raise UnknownIconError(name, close) from None
