"""Online geocoding (Open-Meteo, Nominatim) against fixtures written from their documentation,
and the offline fallback and reverse lookup."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from factframe.errors import ProviderError
from factframe.grounding import PROVIDERS, ProviderContext
from factframe.knowledge import FactRequest
from tests.grounding.mock import NOW, run_provider

OPEN_METEO = "geocoding-api.open-meteo.com/v1/search"
SEARCH = "nominatim.openstreetmap.org/search"
REVERSE = "nominatim.openstreetmap.org/reverse"


def fields(params: dict[str, Any], routes: dict[str, Any], **kw: Any) -> dict[str, Any]:
    fact, _ = run_provider("geocode", params, routes, **kw)
    assert fact.value.kind == "record"
    return fact.value.fields


def test_open_meteo_names_in_the_locale_language() -> None:
    fact, seen = run_provider(
        "geocode", {"name": "Lisboa"}, {OPEN_METEO: "open_meteo_geocoding.json"}, locale="pt-PT"
    )
    query = seen[0].url.params
    assert (query["name"], query["language"], query["count"]) == ("Lisboa", "pt", "10")
    f = fact.value.fields  # type: ignore[union-attr]
    assert (f["name"].text, f["name"].lang, f["country"].text) == ("Lisboa", "pt", "Portugal")
    assert (f["population"].value, f["timezone"].text) == (517802, "Europe/Lisbon")
    assert (f["elevation"].value, f["elevation"].unit) == (45.0, "length-meter")
    assert f["location"].lat == pytest.approx(38.71667)
    p = fact.provenance
    assert p.method == "fetched" and p.license == "CC BY 4.0"
    assert p.source.startswith("https://geocoding-api.open-meteo.com/v1/search?name=Lisboa")


def test_country_code_is_sent_and_a_country_name_filters() -> None:
    _, seen = run_provider(
        "geocode", {"name": "Lisboa", "country": "pt"}, {OPEN_METEO: "open_meteo_geocoding.json"}
    )
    assert seen[0].url.params["countryCode"] == "PT"
    brazil = fields(
        {"name": "Lisboa", "country": "Brasil", "source": "open-meteo"},
        {OPEN_METEO: "open_meteo_geocoding.json"},
    )
    assert brazil["country_code"].text == "BR" and "population" not in brazil  # none given


def test_auto_falls_back_to_embedded_data_and_says_so() -> None:
    # Open-Meteo finds nothing: the embedded GeoNames data answers, marked offline
    fact, seen = run_provider(
        "geocode", {"name": "Lissabon"}, {OPEN_METEO: "open_meteo_geocoding_empty.json"}
    )
    assert len(seen) == 1 and fact.provenance.method == "offline"
    assert fact.value.fields["name"].text == "Lisbon"  # type: ignore[union-attr]
    # the service is down: same
    fact, _ = run_provider("geocode", {"name": "Lisbon"}, {})
    assert fact.provenance.method == "offline"
    # neither knows it: one error giving both reasons
    with pytest.raises(ProviderError, match=r"knows no place named 'Xyzzyville'.*offline data"):
        run_provider(
            "geocode", {"name": "Xyzzyville"}, {OPEN_METEO: "open_meteo_geocoding_empty.json"}
        )


def test_an_explicit_source_does_not_fall_back() -> None:
    with pytest.raises(ProviderError, match="knows no place named"):
        run_provider(
            "geocode",
            {"name": "Lissabon", "source": "open-meteo"},
            {OPEN_METEO: "open_meteo_geocoding_empty.json"},
        )
    with pytest.raises(ProviderError, match=r"HTTP 400: .*count must be between"):
        run_provider(
            "geocode",
            {"name": "Lisbon", "source": "open-meteo"},
            {OPEN_METEO: (400, "open_meteo_geocoding_error.json")},
        )


def test_nominatim_search() -> None:
    fact, seen = run_provider(
        "geocode",
        {"name": "London", "source": "nominatim", "country": "GB"},
        {SEARCH: "nominatim_search.json"},
        locale="en-GB",
    )
    q = seen[0].url.params
    assert (q["q"], q["format"], q["countrycodes"], q["accept-language"]) == (
        "London",
        "jsonv2",
        "gb",
        "en",
    )
    f = fact.value.fields  # type: ignore[union-attr]
    assert (f["name"].text, f["country_code"].text, f["region"].text) == ("London", "GB", "England")
    assert f["population"].value == 8416535 and f["osm"].text == "node/107775"
    assert f["timezone"].text == "Europe/London"  # computed from the point
    assert fact.provenance.license == "ODbL 1.0"


def test_nominatim_reverse_and_its_error_body() -> None:
    f = fields({"lat": 48.8584, "lon": 2.2945}, {REVERSE: "nominatim_reverse.json"}, locale="fr")
    assert (f["name"].text, f["city"].text, f["country"].text) == ("Tour Eiffel", "Paris", "France")
    assert f["display_name"].text.startswith("Tour Eiffel, 5, Avenue Anatole France")
    with pytest.raises(ProviderError, match="Unable to geocode"):
        run_provider(
            "geocode",
            {"lat": 0.0, "lon": -30.0, "source": "nominatim"},
            {REVERSE: "nominatim_reverse_error.json"},
        )


def test_offline_reverse_is_the_nearest_city_with_its_distance() -> None:
    request = FactRequest(provider="geocode", params={"lat": 48.8584, "lon": 2.2945})
    fact = asyncio.run(PROVIDERS.get("geocode").fetch(request, ProviderContext(now=NOW)))
    f = fact.value.fields  # type: ignore[union-attr]
    assert f["name"].text == "Paris" and f["distance"].unit == "length-kilometer"
    assert 0 < f["distance"].value < 10 and fact.label.startswith("nearest city to 48.8584")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "either a name, or lat and lon"),
        ({"name": "Paris", "lat": 1.0, "lon": 2.0}, "either a name"),
        ({"lat": 1.0}, "either a name"),
        ({"lat": 1.0, "lon": 2.0, "source": "open-meteo"}, "only geocodes names"),
        ({"name": "Paris", "lang": "French"}, "parameter 'lang'"),
    ],
)
def test_bad_parameters(params: dict[str, Any], message: str) -> None:
    with pytest.raises(ProviderError, match=message):
        run_provider("geocode", params, {})


def test_online_sources_need_the_network() -> None:
    request = FactRequest(provider="geocode", params={"name": "Paris", "source": "nominatim"})
    with pytest.raises(ProviderError, match="needs the network"):
        asyncio.run(PROVIDERS.get("geocode").fetch(request, ProviderContext(now=NOW)))
