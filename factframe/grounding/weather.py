"""``weather``: current conditions and forecasts from Open-Meteo (no key; CC BY 4.0).

Parameters: ``lat``, ``lon`` (or ``place: "{{ city }}"`` in a spec), ``current`` and
``daily`` / ``hourly`` variable lists in friendly names (``temperature``, ``humidity``,
``wind_speed``, ``weather_code``, ``temperature_max``…), ``days`` (1–16) and ``units``
(``metric``/``imperial``; imperial by default for en-US, LR and MM). WMO weather codes
become a localised ``description`` and an ``icon`` name.

Docs: https://open-meteo.com/en/docs
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import babel
import httpx
from pydantic import BaseModel, ConfigDict, Field

from factframe.errors import ProviderError
from factframe.grounding.provider import PROVIDERS, Params, ProviderContext, parse_params
from factframe.knowledge import (
    DateTimeValue,
    Fact,
    FactRequest,
    FactValue,
    NumberValue,
    Provenance,
    Quantity,
    RecordValue,
    SeriesValue,
    TextSeriesValue,
    TextValue,
)

__all__ = ["WMO_CODES", "WeatherParams", "WeatherProvider", "describe_wmo"]

API = "https://api.open-meteo.com/v1/forecast"
ATTRIBUTION = "Weather data by Open-Meteo.com"

# friendly name → Open-Meteo variable
CURRENT = {
    "temperature": "temperature_2m",
    "apparent_temperature": "apparent_temperature",
    "humidity": "relative_humidity_2m",
    "precipitation": "precipitation",
    "weather_code": "weather_code",
    "cloud_cover": "cloud_cover",
    "pressure": "pressure_msl",
    "wind_speed": "wind_speed_10m",
    "wind_direction": "wind_direction_10m",
    "wind_gusts": "wind_gusts_10m",
    "is_day": "is_day",
}
DAILY = {
    "temperature_max": "temperature_2m_max",
    "temperature_min": "temperature_2m_min",
    "weather_code": "weather_code",
    "precipitation_sum": "precipitation_sum",
    "precipitation_probability_max": "precipitation_probability_max",
    "wind_speed_max": "wind_speed_10m_max",
    "uv_index_max": "uv_index_max",
    "sunrise": "sunrise",
    "sunset": "sunset",
}
HOURLY = {k: v for k, v in CURRENT.items() if k != "is_day"}
# Open-Meteo unit strings → CLDR unit ids (Babel formats these in every locale)
UNITS = {
    "°C": "temperature-celsius",
    "°F": "temperature-fahrenheit",
    "%": "percent",
    "km/h": "speed-kilometer-per-hour",
    "mp/h": "speed-mile-per-hour",
    "mph": "speed-mile-per-hour",
    "m/s": "speed-meter-per-second",
    "kn": "speed-knot",
    "mm": "length-millimeter",
    "inch": "length-inch",
    "°": "angle-degree",
    "hPa": "pressure-hectopascal",
}

#: WMO 4677 codes as used by Open-Meteo → (icon name, English description).
WMO_CODES: dict[int, tuple[str, str]] = {
    0: ("clear", "Clear sky"),
    1: ("mostly-clear", "Mainly clear"),
    2: ("partly-cloudy", "Partly cloudy"),
    3: ("overcast", "Overcast"),
    45: ("fog", "Fog"),
    48: ("fog", "Depositing rime fog"),
    51: ("drizzle", "Light drizzle"),
    53: ("drizzle", "Drizzle"),
    55: ("drizzle", "Dense drizzle"),
    56: ("freezing-drizzle", "Light freezing drizzle"),
    57: ("freezing-drizzle", "Freezing drizzle"),
    61: ("rain", "Light rain"),
    63: ("rain", "Rain"),
    65: ("rain", "Heavy rain"),
    66: ("freezing-rain", "Light freezing rain"),
    67: ("freezing-rain", "Freezing rain"),
    71: ("snow", "Light snow"),
    73: ("snow", "Snow"),
    75: ("snow", "Heavy snow"),
    77: ("snow", "Snow grains"),
    80: ("showers", "Light showers"),
    81: ("showers", "Showers"),
    82: ("showers", "Violent showers"),
    85: ("snow-showers", "Light snow showers"),
    86: ("snow-showers", "Heavy snow showers"),
    95: ("thunderstorm", "Thunderstorm"),
    96: ("thunderstorm", "Thunderstorm with hail"),
    99: ("thunderstorm", "Thunderstorm with heavy hail"),
}
# Descriptions by icon group in more languages (the English table above is the fallback).
_GROUPS: dict[str, dict[str, str]] = {
    "de": {
        "clear": "Klar",
        "mostly-clear": "Überwiegend klar",
        "partly-cloudy": "Teilweise bewölkt",
        "overcast": "Bedeckt",
        "fog": "Nebel",
        "drizzle": "Nieselregen",
        "freezing-drizzle": "Gefrierender Niesel",
        "rain": "Regen",
        "freezing-rain": "Eisregen",
        "snow": "Schnee",
        "showers": "Schauer",
        "snow-showers": "Schneeschauer",
        "thunderstorm": "Gewitter",
    },
    "fr": {
        "clear": "Ciel dégagé",
        "mostly-clear": "Plutôt dégagé",
        "partly-cloudy": "Partiellement nuageux",
        "overcast": "Couvert",
        "fog": "Brouillard",
        "drizzle": "Bruine",
        "freezing-drizzle": "Bruine verglaçante",
        "rain": "Pluie",
        "freezing-rain": "Pluie verglaçante",
        "snow": "Neige",
        "showers": "Averses",
        "snow-showers": "Averses de neige",
        "thunderstorm": "Orage",
    },
    "es": {
        "clear": "Despejado",
        "mostly-clear": "Mayormente despejado",
        "partly-cloudy": "Parcialmente nublado",
        "overcast": "Cubierto",
        "fog": "Niebla",
        "drizzle": "Llovizna",
        "freezing-drizzle": "Llovizna helada",
        "rain": "Lluvia",
        "freezing-rain": "Lluvia helada",
        "snow": "Nieve",
        "showers": "Chubascos",
        "snow-showers": "Chubascos de nieve",
        "thunderstorm": "Tormenta",
    },
    "ja": {
        "clear": "快晴",
        "mostly-clear": "晴れ",
        "partly-cloudy": "晴れ時々曇り",
        "overcast": "曇り",
        "fog": "霧",
        "drizzle": "霧雨",
        "freezing-drizzle": "着氷性の霧雨",
        "rain": "雨",
        "freezing-rain": "着氷性の雨",
        "snow": "雪",
        "showers": "にわか雨",
        "snow-showers": "にわか雪",
        "thunderstorm": "雷雨",
    },
    "zh": {
        "clear": "晴",
        "mostly-clear": "大致晴朗",
        "partly-cloudy": "多云",
        "overcast": "阴",
        "fog": "雾",
        "drizzle": "毛毛雨",
        "freezing-drizzle": "冻毛毛雨",
        "rain": "雨",
        "freezing-rain": "冻雨",
        "snow": "雪",
        "showers": "阵雨",
        "snow-showers": "阵雪",
        "thunderstorm": "雷暴",
    },
    "ar": {
        "clear": "صافٍ",
        "mostly-clear": "صافٍ غالبًا",
        "partly-cloudy": "غائم جزئيًا",
        "overcast": "غائم",
        "fog": "ضباب",
        "drizzle": "رذاذ",
        "freezing-drizzle": "رذاذ متجمد",
        "rain": "مطر",
        "freezing-rain": "مطر متجمد",
        "snow": "ثلج",
        "showers": "زخات مطر",
        "snow-showers": "زخات ثلج",
        "thunderstorm": "عاصفة رعدية",
    },
}
_IMPERIAL_TERRITORIES = {"US", "LR", "MM"}


def describe_wmo(code: int, locale: str) -> tuple[str, str, str]:
    """(description, its language, icon name) of a WMO weather code in ``locale``.

    Raises:
        KeyError: the code is not a WMO 4677 code Open-Meteo uses.
    """
    icon, english = WMO_CODES[code]
    language = locale.split("-")[0].lower()
    local = _GROUPS.get(language, {}).get(icon)
    return (local, language, icon) if local else (english, "en", icon)


class WeatherParams(Params):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    tz: str | None = None
    current: list[str] = Field(default_factory=list)
    daily: list[str] = Field(default_factory=list)
    hourly: list[str] = Field(default_factory=list)
    days: int = Field(7, ge=1, le=16)
    units: Literal["metric", "imperial"] | None = None


class _Forecast(BaseModel):
    """The parts of Open-Meteo's forecast response we read (documented at /en/docs)."""

    model_config = ConfigDict(extra="ignore")
    latitude: float
    longitude: float
    timezone: str
    current_units: dict[str, str] = Field(default_factory=dict)
    current: dict[str, float | int | str | None] = Field(default_factory=dict)
    daily_units: dict[str, str] = Field(default_factory=dict)
    daily: dict[str, list[float | int | str | None]] = Field(default_factory=dict)
    hourly_units: dict[str, str] = Field(default_factory=dict)
    hourly: dict[str, list[float | int | str | None]] = Field(default_factory=dict)


def _check_names(kind: str, names: list[str], table: dict[str, str]) -> list[str]:
    unknown = [n for n in names if n not in table]
    if unknown:
        raise ProviderError(
            f"unknown {kind} variable(s) {unknown}; known: {', '.join(sorted(table))}", "weather"
        )
    return [table[n] for n in names]


def _value(raw: Any, unit: str | None, where: str) -> FactValue:
    if raw is None:
        raise ProviderError(f"Open-Meteo returned no value for {where}", "weather", API)
    if unit == "iso8601" or isinstance(raw, str):
        return TextValue(text=str(raw))
    cldr = UNITS.get(unit or "")
    return Quantity(value=float(raw), unit=cldr) if cldr else NumberValue(value=float(raw))


class WeatherProvider:
    """Open-Meteo forecasts: current, hourly and daily."""

    name = "weather"
    offline_capable = False
    params = WeatherParams

    async def fetch(self, request: FactRequest, ctx: ProviderContext) -> Fact:
        params = parse_params(self.name, WeatherParams, request)
        current = _check_names("current", params.current, CURRENT)
        daily = _check_names("daily", params.daily, DAILY)
        hourly = _check_names("hourly", params.hourly, HOURLY)
        if not (current or daily or hourly):
            current = _check_names("current", ["temperature", "weather_code"], CURRENT)
        units = params.units or self._units_for(ctx.locale)
        query: dict[str, Any] = {
            "latitude": params.lat,
            "longitude": params.lon,
            "timezone": params.tz or "auto",
            "forecast_days": params.days,
        }
        for key, names in (("current", current), ("daily", daily), ("hourly", hourly)):
            if names:
                query[key] = ",".join(names)
        if units == "imperial":
            query.update(
                temperature_unit="fahrenheit", wind_speed_unit="mph", precipitation_unit="inch"
            )
        if ctx.http is None:
            raise ProviderError("needs the network (Open-Meteo)", self.name, API)
        data = await ctx.http.get_json(API, provider=self.name, params=query, model=_Forecast)
        fields = self._fields(data, params, ctx.locale)
        url = str(httpx.URL(API, params=query))
        expires = timedelta(minutes=15) if current else timedelta(hours=1)
        return Fact(
            key=request.key(),
            label=f"weather at {params.lat:.3f}, {params.lon:.3f} ({data.timezone})",
            value=RecordValue(fields=fields),
            provenance=Provenance(
                provider=self.name,
                source=url,
                retrieved_at=ctx.now,
                valid_until=ctx.now + expires,
                attribution=ATTRIBUTION,
                license="CC BY 4.0",
            ),
        )

    @staticmethod
    def _units_for(locale: str) -> Literal["metric", "imperial"]:
        territory = babel.Locale.parse(locale.replace("_", "-"), sep="-").territory or ""
        return "imperial" if territory in _IMPERIAL_TERRITORIES else "metric"

    def _fields(self, data: _Forecast, params: WeatherParams, locale: str) -> dict[str, FactValue]:
        zone = ZoneInfo(data.timezone)
        fields: dict[str, FactValue] = {}
        if data.current:
            for friendly in params.current or ["temperature", "weather_code"]:
                api = CURRENT[friendly]
                fields[friendly] = _value(data.current.get(api), data.current_units.get(api), api)
            when = data.current.get("time")
            if isinstance(when, str):
                stamp = datetime.fromisoformat(when).replace(tzinfo=zone)
                fields["time"] = DateTimeValue(value=stamp, tz=data.timezone)
            code = data.current.get("weather_code")
            if code is not None:
                text, lang, icon = self._describe(int(code), locale)
                fields["description"] = TextValue(text=text, lang=lang)
                fields["icon"] = TextValue(text=icon)
        days = [str(d) for d in data.daily.get("time", [])]

        def daily_name(name: str) -> str:  # current values keep the bare names
            return f"daily_{name}" if name in fields else name

        for friendly in params.daily:
            api = DAILY[friendly]
            column = data.daily.get(api, [])
            unit = data.daily_units.get(api)
            series: FactValue
            if unit == "iso8601":
                series = TextSeriesValue(values=[str(v) for v in column], index=days)
            else:
                values = [None if v is None else float(v) for v in column]
                series = SeriesValue(values=values, unit=UNITS.get(unit or ""), index=days)
            if friendly == "weather_code":
                described = [self._describe(int(c), locale) for c in column if c is not None]
                lang = described[0][1] if described else "en"
                texts = [d[0] for d in described]
                icons = [d[2] for d in described]
                fields[daily_name("description")] = TextSeriesValue(
                    values=texts, lang=lang, index=days
                )
                fields[daily_name("icon")] = TextSeriesValue(values=icons, index=days)
            fields[daily_name(friendly)] = series
        if days:
            fields["days"] = TextSeriesValue(values=days, index=days)
        hours = [str(h) for h in data.hourly.get("time", [])]
        for friendly in params.hourly:
            api = HOURLY[friendly]
            values = [None if v is None else float(v) for v in data.hourly.get(api, [])]
            unit = UNITS.get(data.hourly_units.get(api, ""))
            fields[f"hourly_{friendly}"] = SeriesValue(values=values, unit=unit, index=hours)
        return fields

    def _describe(self, code: int, locale: str) -> tuple[str, str, str]:
        try:
            return describe_wmo(code, locale)
        except KeyError:
            raise ProviderError(f"unknown WMO weather code {code}", self.name, API) from None


PROVIDERS.register("weather", WeatherProvider())
