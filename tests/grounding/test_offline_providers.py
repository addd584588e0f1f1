"""The offline providers: geocode (GeoNames), time (tz database), sun (astral)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from factframe.errors import ProviderError
from factframe.grounding import PROVIDERS, ProviderContext
from factframe.knowledge import Fact, FactRequest
from factframe.registry import UnknownNameError

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CTX = ProviderContext(now=NOW)


def fetch(provider: str, **params: Any) -> Fact:
    request = FactRequest(provider=provider, params=params)
    fact = asyncio.run(PROVIDERS.get(provider).fetch(request, CTX))
    assert fact.key == request.key()
    return fact


def fields(fact: Fact) -> dict[str, Any]:
    assert fact.value.kind == "record"
    return fact.value.fields


def test_registry_lists_and_refuses_unknown_names() -> None:
    assert {"geocode", "sun", "time"} <= set(PROVIDERS.names())
    with pytest.raises(UnknownNameError, match=r"known: .*geocode"):
        PROVIDERS.get("horoscope")


@pytest.mark.parametrize("name", ["Lisbon", "lisboa", "Lissabon", "リスボン"])
def test_geocode_by_any_name(name: str) -> None:
    city = fetch("geocode", name=name)
    f = fields(city)
    assert f["name"].text == "Lisbon" and f["country_code"].text == "PT"
    assert f["location"].lat == pytest.approx(38.725, abs=0.01)
    assert f["timezone"].text == "Europe/Lisbon"
    assert city.provenance.method == "offline" and "GeoNames" in (city.provenance.attribution or "")


def test_geocode_prefers_the_biggest_unless_told() -> None:
    assert fields(fetch("geocode", name="Paris"))["country_code"].text == "FR"
    texas = fields(fetch("geocode", name="Paris", country="US"))
    assert texas["country_code"].text == "US" and texas["population"].value < 100_000


def test_geocode_unknown_place_and_bad_parameters() -> None:
    with pytest.raises(ProviderError, match="no city named 'Xyzzyville'"):
        fetch("geocode", name="Xyzzyville")
    with pytest.raises(ProviderError, match="parameter 'zoom': unknown parameter"):
        fetch("geocode", name="Lisbon", zoom=3)


def test_time_at_a_point() -> None:
    lisbon = fields(fetch("time", lat=38.72, lon=-9.14))
    assert lisbon["timezone"].text == "Europe/Lisbon"
    assert lisbon["local_time"].value.hour == 12 and lisbon["utc_offset"].value == 0
    tokyo = fetch("time", lat=35.68, lon=139.69)
    assert fields(tokyo)["local_time"].value.hour == 21
    assert fields(tokyo)["utc_offset"].value == 9
    assert tokyo.provenance.valid_until == NOW + timedelta(minutes=1)


def test_sun_times_match_published_tables() -> None:
    # timeanddate.com lists Lisbon on 24 Nov 2026: sunrise 07:28, sunset 17:17.
    sun = fields(fetch("sun", lat=38.7223, lon=-9.1393, date="2026-11-24"))
    rise, set_ = sun["sunrise"].value, sun["sunset"].value
    assert (rise.hour, rise.minute) in ((7, 28), (7, 29))
    assert (set_.hour, set_.minute) in ((17, 16), (17, 17))
    assert sun["day_length"].value == pytest.approx(589, abs=2)


def test_white_nights_have_a_sunset_after_midnight_and_no_dusk() -> None:
    # Reykjavík at the June solstice: up at 02:56, down at 00:03 the next day (published
    # tables: 02:55 and 00:03); the sun never sinks 6° below the horizon, so no dawn or dusk
    f = fields(fetch("sun", lat=64.1466, lon=-21.9426, date="2026-06-21"))
    assert "polar" not in f and "dawn" not in f and "dusk" not in f
    assert f["sunrise"].value.strftime("%d %H:%M") == "21 02:56"
    assert f["sunset"].value.strftime("%d %H:%M") == "22 00:02"
    assert 1260 < f["day_length"].value < 1270


def test_sun_above_the_polar_circle_makes_no_time_up() -> None:
    tromso = {"lat": 69.65, "lon": 18.96}
    winter = fields(fetch("sun", **tromso, date="2026-12-21"))
    summer = fields(fetch("sun", **tromso, date="2026-06-21"))
    assert winter["polar"].text == "polar night" and winter["day_length"].value == 0
    assert summer["polar"].text == "polar day" and summer["day_length"].value == 1440
    assert "sunrise" not in winter and "sunrise" not in summer


def test_sun_for_today_expires_at_local_midnight() -> None:
    fact = fetch("sun", lat=35.68, lon=139.69)  # Tokyo: 21:00 local at NOW
    assert fact.provenance.valid_until == datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    assert fact.label.endswith(date(2026, 11, 24).isoformat())
    dated = fetch("sun", lat=35.68, lon=139.69, date="2026-11-24")
    assert dated.provenance.valid_until is None  # a given date's sun times never change
