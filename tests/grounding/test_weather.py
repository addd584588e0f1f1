"""The weather provider against fixtures written from Open-Meteo's documentation."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from factframe.errors import ProviderError
from factframe.grounding.weather import WMO_CODES, describe_wmo
from factframe.knowledge import Fact
from tests.grounding.mock import FIXTURES, NOW, run_provider

API = "api.open-meteo.com/v1/forecast"


def fetch(
    params: dict[str, Any],
    status: int = 200,
    fixture: str = "open_meteo_forecast.json",
    locale: str = "en",
) -> tuple[Fact, list[httpx.Request]]:
    return run_provider("weather", params, {API: (status, fixture)}, locale=locale)


def test_current_and_daily_become_typed_values_with_provenance() -> None:
    fact, seen = fetch(
        {
            "lat": 38.72,
            "lon": -9.14,
            "current": ["temperature", "humidity", "weather_code"],
            "daily": ["temperature_max", "weather_code"],
            "days": 3,
        }
    )
    query = seen[0].url.params
    assert query["current"] == "temperature_2m,relative_humidity_2m,weather_code"
    assert query["daily"] == "temperature_2m_max,weather_code" and query["forecast_days"] == "3"
    assert seen[0].headers["Host"] == "api.open-meteo.com"
    f = fact.value.fields  # type: ignore[union-attr]
    assert (f["temperature"].value, f["temperature"].unit) == (18.4, "temperature-celsius")
    assert f["humidity"].unit == "percent"
    assert f["description"].text == "Partly cloudy" and f["icon"].text == "partly-cloudy"
    assert f["time"].value == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert f["temperature_max"].values == [19.1, 17.6, 16.0]
    assert f["daily_description"].values == ["Partly cloudy", "Light rain", "Overcast"]
    assert f["daily_weather_code"].values == [2.0, 61.0, 3.0]
    assert f["days"].values == ["2026-11-24", "2026-11-25", "2026-11-26"]
    p = fact.provenance
    assert p.attribution == "Weather data by Open-Meteo.com" and p.license == "CC BY 4.0"
    assert p.source.startswith("https://api.open-meteo.com/v1/forecast?latitude=38.72")
    assert p.valid_until is not None and p.valid_until > NOW


def test_units_follow_the_locale() -> None:
    _, seen = fetch({"lat": 40.7, "lon": -74.0, "current": ["temperature"]}, locale="en-US")
    assert seen[0].url.params["temperature_unit"] == "fahrenheit"
    _, seen = fetch({"lat": 40.7, "lon": -74.0, "current": ["temperature"]}, locale="en-GB")
    assert "temperature_unit" not in seen[0].url.params


def test_descriptions_in_the_locale() -> None:
    fact, _ = fetch({"lat": 38.72, "lon": -9.14, "current": ["weather_code"]}, locale="ja")
    assert fact.value.fields["description"].text == "晴れ時々曇り"  # type: ignore[union-attr]
    assert fact.value.fields["description"].lang == "ja"  # type: ignore[union-attr]
    assert describe_wmo(95, "ar") == ("عاصفة رعدية", "ar", "thunderstorm")
    assert describe_wmo(95, "sw")[1] == "en"  # no table: English, and says so
    assert all(describe_wmo(code, "de")[0] for code in WMO_CODES)


def test_api_errors_and_bad_parameters() -> None:
    with pytest.raises(ProviderError, match=r"HTTP 400: .*invalid String value"):
        fetch({"lat": 38.72, "lon": -9.14}, status=400, fixture="open_meteo_error.json")
    with pytest.raises(ProviderError, match="unknown current variable"):
        fetch({"lat": 38.72, "lon": -9.14, "current": ["tempeture"]})
    with pytest.raises(ProviderError, match="parameter 'lat'"):
        fetch({"lat": 138.0, "lon": -9.14})


def test_fixture_says_where_it_comes_from() -> None:
    assert (
        "documentation"
        in json.loads((FIXTURES / "open_meteo_forecast.json").read_text())["_comment"]
    )
