"""The places provider against fixtures written from the Wikipedia, Wikidata and Overpass docs."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

import factframe.grounding.places  # noqa: F401  (registers "places")
from factframe.errors import ProviderError
from factframe.grounding import DEFAULT_RATE_LIMITS, PROVIDERS, ProviderContext
from factframe.grounding.wikidata import Time, time_text
from factframe.knowledge import Fact, FactRequest
from tests.grounding.mock import FIXTURES, NOW, Routes, run_provider

SUMMARY = "wikipedia.org/api/rest_v1/page/summary/"
EN_API = "en.wikipedia.org/w/api.php"
JA_API = "ja.wikipedia.org/w/api.php"
WIKIDATA = "www.wikidata.org/w/api.php"
OVERPASS = "overpass-api.de/api/interpreter"


def fetch(
    params: dict[str, Any], routes: Routes, locale: str = "en"
) -> tuple[dict[str, Any], Fact, list[httpx.Request]]:
    fact, seen = run_provider("places", params, routes, locale=locale)
    assert fact.value.kind == "record"
    assert fact.key == FactRequest(provider="places", params=params).key()
    return fact.value.fields, fact, seen


def sent(request: httpx.Request) -> str:
    """The URL as asked (the guard pins the connection to an IP; Host keeps the name)."""
    return str(request.url.copy_with(host=request.headers["Host"]))


# --- summary ------------------------------------------------------------------------------


def test_summary_becomes_typed_fields_with_provenance() -> None:
    f, fact, seen = fetch(
        {"kind": "summary", "title": "Lisbon"},
        {f"en.{SUMMARY}Lisbon": "wikipedia_summary_lisbon.json"},
    )
    assert [sent(r) for r in seen] == ["https://en.wikipedia.org/api/rest_v1/page/summary/Lisbon"]
    assert (f["title"].text, f["title"].lang) == ("Lisbon", "en")
    assert f["description"].text == "Capital and largest city of Portugal"
    assert f["extract"].text.startswith("Lisbon is the capital") and f["extract"].lang == "en"
    assert (f["location"].kind, f["location"].lat, f["location"].lon) == ("geo", 38.7225, -9.15)
    image, thumb = f["image"], f["thumbnail"]
    assert image.kind == "image" and image.url.endswith("/0/00/Lisbon_example.jpg")
    assert (image.width, image.height, thumb.width, thumb.height) == (4000, 2667, 320, 213)
    assert f["url"].text == "https://en.wikipedia.org/wiki/Lisbon"
    assert f["wikidata"].text == "Q597"
    p = fact.provenance
    assert (p.provider, p.source) == ("places", sent(seen[0]))
    assert (p.attribution, p.license, p.method) == (
        "Wikipedia contributors",
        "CC BY-SA 4.0",
        "fetched",
    )
    assert (p.retrieved_at, p.valid_until) == (NOW, NOW + timedelta(days=7))


def test_summary_uses_the_locale_wiki_and_encodes_the_title() -> None:
    f, fact, seen = fetch(
        {"kind": "summary", "title": "東京タワー"},
        {f"ja.{SUMMARY}東京タワー": "wikipedia_summary_tokyo_tower_ja.json"},
        locale="ja-JP",
    )
    assert len(seen) == 1 and seen[0].headers["Host"] == "ja.wikipedia.org"
    assert seen[0].url.raw_path == (
        b"/api/rest_v1/page/summary/%E6%9D%B1%E4%BA%AC%E3%82%BF%E3%83%AF%E3%83%BC"
    )
    assert (f["extract"].lang, f["title"].lang, f["description"].text) == (
        "ja",
        "ja",
        "東京都港区にある電波塔",
    )
    # no original image: the thumbnail (named "uri" as in the spec table) is the image
    assert f["image"] == f["thumbnail"] and f["image"].width == 240
    assert fact.provenance.source == sent(seen[0])


def test_summary_lang_parameter_and_underscores() -> None:
    _, _, seen = fetch(
        {"kind": "summary", "title": "Tour Eiffel", "lang": "fr"},
        {f"fr.{SUMMARY}Tour_Eiffel": "wikipedia_summary_lisbon.json"},
        locale="ja-JP",
    )
    assert sent(seen[0]) == "https://fr.wikipedia.org/api/rest_v1/page/summary/Tour_Eiffel"
    # Norwegian Bokmål (nb) Wikipedia lives at no.wikipedia.org
    _, _, seen = fetch(
        {"kind": "summary", "title": "Oslo"},
        {f"no.{SUMMARY}Oslo": "wikipedia_summary_lisbon.json"},
        locale="nb-NO",
    )
    assert seen[0].headers["Host"] == "no.wikipedia.org"


def test_summary_falls_back_to_english_when_the_local_wiki_has_no_such_page() -> None:
    f, fact, seen = fetch(
        {"kind": "summary", "title": "Lisbon"},
        {
            f"ja.{SUMMARY}Lisbon": (404, "wikipedia_not_found.json"),
            f"en.{SUMMARY}Lisbon": "wikipedia_summary_lisbon.json",
        },
        locale="ja-JP",
    )
    assert [r.headers["Host"] for r in seen] == ["ja.wikipedia.org", "en.wikipedia.org"]
    assert f["extract"].lang == "en" and f["title"].lang == "en"  # says which language it is
    assert fact.provenance.source == "https://en.wikipedia.org/api/rest_v1/page/summary/Lisbon"


def test_summary_missing_everywhere_and_disambiguation_are_errors() -> None:
    with pytest.raises(
        ProviderError, match=r"no Wikipedia article titled 'Nowhere'.*ja\..*en\."
    ) as e:
        fetch(
            {"kind": "summary", "title": "Nowhere"},
            {
                f"ja.{SUMMARY}Nowhere": (404, "wikipedia_not_found.json"),
                f"en.{SUMMARY}Nowhere": (404, "wikipedia_not_found.json"),
            },
            locale="ja",
        )
    assert e.value.status == 404
    with pytest.raises(ProviderError, match="'Mercury' is a disambiguation page"):
        fetch(
            {"kind": "summary", "title": "Mercury"},
            {f"en.{SUMMARY}Mercury": "wikipedia_summary_disambiguation.json"},
        )
    # a server error is not a missing page: no fallback, the error surfaces
    with pytest.raises(ProviderError, match="HTTP 403"):
        fetch(
            {"kind": "summary", "title": "Lisbon"},
            {f"ja.{SUMMARY}Lisbon": (403, b"{}"), f"en.{SUMMARY}Lisbon": "x.json"},
            locale="ja",
        )


# --- nearby -------------------------------------------------------------------------------


def test_nearby_sends_the_geosearch_query_and_sorts_by_distance() -> None:
    f, fact, seen = fetch(
        {"kind": "nearby", "lat": 38.7139, "lon": -9.1394, "radius": 500, "limit": 5},
        {EN_API: "wikipedia_geosearch.json"},
    )
    assert len(seen) == 1 and seen[0].headers["Host"] == "en.wikipedia.org"
    assert dict(seen[0].url.params) == {
        "action": "query",
        "list": "geosearch",
        "gscoord": "38.7139|-9.1394",
        "gsradius": "500",
        "gslimit": "5",
        "format": "json",
        "formatversion": "2",
    }
    titles = ["Rossio", "Teatro Nacional D. Maria II", "Santa Justa Lift"]
    assert (f["titles"].values, f["titles"].lang) == (titles, "en")
    assert (f["distances"].values, f["distances"].unit) == ([12.3, 67.0, 211.9], "length-meter")
    assert f["distances"].index == titles
    assert f["lats"].values == [38.7139, 38.7145, 38.712]
    assert f["lons"].values == [-9.1394, -9.1395, -9.1394]
    assert f["page_ids"].values == ["2000002", "2000003", "2000001"]
    assert f["count"].value == 3 and (f["radius"].value, f["radius"].unit) == (500, "length-meter")
    p = fact.provenance
    assert p.source == sent(seen[0]) and p.source.startswith("https://en.wikipedia.org/w/api.php?")
    assert (p.license, p.valid_until) == ("CC BY-SA 4.0", NOW + timedelta(days=7))


def test_nearby_asks_english_wikipedia_when_the_local_one_has_nothing() -> None:
    f, fact, seen = fetch(
        {"kind": "nearby", "lat": 38.7139, "lon": -9.1394},
        {JA_API: "wikipedia_geosearch_empty.json", EN_API: "wikipedia_geosearch.json"},
        locale="ja-JP",
    )
    assert [r.headers["Host"] for r in seen] == ["ja.wikipedia.org", "en.wikipedia.org"]
    assert seen[0].url.params["gsradius"] == "1000" and seen[0].url.params["gslimit"] == "10"
    assert f["titles"].lang == "en" and f["count"].value == 3
    assert fact.provenance.source == sent(seen[1])


def test_nearby_with_nothing_anywhere_is_an_empty_answer_not_an_invention() -> None:
    f, _, seen = fetch(
        {"kind": "nearby", "lat": 0.00001, "lon": -30.0},
        {EN_API: "wikipedia_geosearch_empty.json"},
    )
    assert seen[0].url.params["gscoord"] == "0.00001|-30"  # never "1e-05"
    assert f["count"].value == 0 and f["titles"].values == [] and f["distances"].values == []


def test_nearby_api_error_and_parameter_errors() -> None:
    with pytest.raises(ProviderError, match="invalid-coord: Invalid coordinate provided"):
        fetch({"kind": "nearby", "lat": 1.0, "lon": 2.0}, {EN_API: "wikipedia_api_error.json"})
    for bad, name in (
        ({"radius": 5}, "radius"),
        ({"radius": 10_001}, "radius"),
        ({"limit": 51}, "limit"),
        ({"lat": 91.0}, "lat"),
    ):
        params = {"kind": "nearby", "lat": 1.0, "lon": 2.0} | bad
        with pytest.raises(ProviderError, match=f"parameter '{name}'"):
            fetch(params, {})


# --- entity -------------------------------------------------------------------------------


def test_entity_by_id_in_the_locale_with_english_fallback() -> None:
    f, fact, seen = fetch(
        {"kind": "entity", "id": "Q597"}, {WIKIDATA: "wikidata_lisbon.json"}, "ja-JP"
    )
    assert dict(seen[0].url.params) == {
        "action": "wbgetentities",
        "ids": "Q597",
        "props": "labels|descriptions|claims|sitelinks",
        "languages": "ja|en",
        "format": "json",
    }
    assert (f["label"].text, f["label"].lang) == ("リスボン", "ja")
    assert (f["description"].text, f["description"].lang) == ("capital city of Portugal", "en")
    assert (f["location"].lat, f["location"].lon) == (38.725277777778, -9.15)
    assert (f["elevation"].kind, f["elevation"].value, f["elevation"].unit) == (
        "quantity",
        100.0,
        "length-meter",
    )
    # the latest P585 among the non-deprecated statements (the deprecated one is later)
    assert (f["population"].kind, f["population"].value) == ("number", 545923)
    assert (f["population_date"].text, f["inception"].text) == ("2021", "1147")
    assert f["website"].text == "https://www.lisboa.pt/"
    assert f["image"].url == (
        "https://commons.wikimedia.org/wiki/Special:FilePath/Lisbon_example_view_%281%29.jpg"
    )
    assert (f["wikipedia_title"].text, f["wikipedia_title"].lang) == ("リスボン", "ja")
    assert (
        f["wikipedia_url"].text
        == "https://ja.wikipedia.org/wiki/%E3%83%AA%E3%82%B9%E3%83%9C%E3%83%B3"
    )
    assert f["id"].text == "Q597" and "height" not in f
    p = fact.provenance
    assert (p.source, p.attribution, p.license) == (sent(seen[0]), "Wikidata", "CC0 1.0")
    assert p.valid_until == NOW + timedelta(days=7)
    assert fact.label == "リスボン (Q597, Wikidata)"


def test_entity_preferred_rank_units_and_absent_claims() -> None:
    f, _, seen = fetch(
        {"kind": "entity", "id": "Q9188"}, {WIKIDATA: "wikidata_empire_state_building.json"}
    )
    assert seen[0].url.params["languages"] == "en"
    assert (f["height"].value, f["height"].unit) == (443.2, "length-meter")  # preferred, not feet
    assert (f["elevation"].value, f["elevation"].unit) == (52.0, "length-foot")
    assert f["inception"].text == "1930-03-17"
    # no P1082, a "novalue" P856, no P18, no P625: absent, never invented
    assert not {"population", "population_date", "website", "image", "location"} & set(f)


def test_entity_by_site_and_title() -> None:
    f, _, seen = fetch(
        {"kind": "entity", "title": "Porto", "lang": "de"}, {WIKIDATA: "wikidata_porto.json"}
    )
    params = seen[0].url.params
    assert (params["sites"], params["titles"], params["languages"]) == ("enwiki", "Porto", "de|en")
    assert params["normalize"] == "1" and "ids" not in params
    assert f["id"].text == "Q36433" and f["label"].lang == "en"
    # the preferred statement wins over a later normal one
    assert (f["population"].value, f["population_date"].text) == (231800, "2021-03-22")
    assert "elevation" not in f  # millimetres: not a mapped unit, so left out
    assert "description" not in f  # descriptions came as [] (an empty PHP map)
    assert "location" not in f  # a point on the Moon is no GeoPoint on Earth


def test_entity_unknown_id_or_title_is_an_error_naming_it() -> None:
    with pytest.raises(ProviderError, match="Wikidata has no entity 'Q999999999'"):
        fetch({"kind": "entity", "id": "Q999999999"}, {WIKIDATA: "wikidata_no_such_entity.json"})
    with pytest.raises(ProviderError, match="Wikidata has no entity 'enwiki:Nowhereville'"):
        fetch(
            {"kind": "entity", "title": "Nowhereville"}, {WIKIDATA: "wikidata_missing_title.json"}
        )
    with pytest.raises(ProviderError, match=r"give either id .* or title"):
        fetch({"kind": "entity"}, {})
    with pytest.raises(ProviderError, match=r"give either id .* or title"):
        fetch({"kind": "entity", "id": "Q1", "title": "Universe"}, {})
    with pytest.raises(ProviderError, match=r"give either id .* or title"):
        fetch({"kind": "entity", "id": "Q1", "site": "dewiki"}, {})  # site is for titles
    with pytest.raises(ProviderError, match="parameter 'id'"):
        fetch({"kind": "entity", "id": "Q1|Q2"}, {})


@pytest.mark.parametrize(
    ("time", "precision", "text", "lang"),
    [
        ("+1931-05-01T00:00:00Z", 11, "1931-05-01", None),
        ("+1931-05-00T00:00:00Z", 10, "1931-05", None),
        ("+1147-00-00T00:00:00Z", 9, "1147", None),
        ("+1147-00-00T00:00:00Z", 8, "1140s", "en"),
        ("+1147-00-00T00:00:00Z", 7, "12th century", "en"),
        ("+1201-00-00T00:00:00Z", 7, "13th century", "en"),
        ("+2001-00-00T00:00:00Z", 7, "21st century", "en"),
        ("-0044-03-15T00:00:00Z", 11, "44 BCE", "en"),
    ],
)
def test_wikidata_times_are_shown_at_their_precision(
    time: str, precision: int, text: str, lang: str | None
) -> None:
    value = time_text(Time(time=time, precision=precision))
    assert value is not None and (value.text, value.lang) == (text, lang)
    assert time_text(Time(time=time, precision=6)) is None  # millennia: left out


# --- amenities ----------------------------------------------------------------------------


def test_amenities_query_and_nearest_named_features() -> None:
    f, fact, seen = fetch(
        {"kind": "amenities", "lat": 38.7139, "lon": -9.1394, "amenity": "cafe", "limit": 2},
        {OVERPASS: "overpass_cafes.json"},
    )
    assert seen[0].headers["Host"] == "overpass-api.de"
    assert dict(seen[0].url.params) == {
        "data": '[out:json][timeout:25];nwr["amenity"="cafe"]["name"]'
        "(around:500,38.7139,-9.1394);out center 200;"
    }
    # nearest first, unnamed and centreless elements skipped, trimmed to the limit
    assert f["names"].values == ["Pastelaria Suíça", "Confeitaria Nacional"]
    assert f["osm_ids"].values == ["way/2002", "node/1005"]
    assert f["distances"].unit == "length-meter"
    assert all(abs(d - want) <= 2 for d, want in zip(f["distances"].values, [50, 150], strict=True))
    assert f["lats"].values == [38.71435, 38.7139] and f["lons"].values == [-9.1394, -9.137671]
    assert f["count"].value == 2 and f["amenity"].text == "cafe"
    assert f["data_as_of"].value == datetime(2026, 11, 24, 11, 58, tzinfo=UTC)
    p = fact.provenance
    assert (p.source, p.attribution, p.license) == (
        sent(seen[0]),
        "© OpenStreetMap contributors",
        "ODbL 1.0",
    )
    assert p.valid_until == NOW + timedelta(days=1)
    assert DEFAULT_RATE_LIMITS["overpass-api.de"] >= 1.0  # the shared client paces Overpass


def test_amenities_refuses_injection_and_bad_ranges_before_asking() -> None:
    base = {"kind": "amenities", "lat": 38.7, "lon": -9.1}
    for amenity in ['cafe"];node(1);out;', "cafe\n", "Cafe", "", "café"]:
        # no route: a request would fail with HTTP 599, not with the parameter error
        with pytest.raises(ProviderError, match="parameter 'amenity'"):
            fetch(base | {"amenity": amenity}, {})
    with pytest.raises(ProviderError, match="parameter 'radius'"):
        fetch(base | {"amenity": "cafe", "radius": 5001}, {})
    with pytest.raises(ProviderError, match="parameter 'limit'"):
        fetch(base | {"amenity": "cafe", "limit": 0}, {})


def test_overpass_runtime_error_is_not_an_empty_answer() -> None:
    with pytest.raises(ProviderError, match="Overpass: runtime error: Query timed out"):
        fetch(
            {"kind": "amenities", "lat": 38.7, "lon": -9.1, "amenity": "pharmacy"},
            {OVERPASS: "overpass_runtime_error.json"},
        )


# --- all kinds ----------------------------------------------------------------------------


def test_kind_and_parameters_are_checked_by_name() -> None:
    with pytest.raises(ProviderError, match="parameter 'kind': missing; choose one of summary"):
        fetch({"title": "Lisbon"}, {})
    with pytest.raises(ProviderError, match="parameter 'kind': 'weather' is unknown"):
        fetch({"kind": "weather"}, {})
    with pytest.raises(ProviderError, match="parameter 'amenity': unknown parameter"):
        fetch({"kind": "summary", "title": "Lisbon", "amenity": "cafe"}, {})
    # lang becomes part of a host name: only a language code passes
    with pytest.raises(ProviderError, match="parameter 'lang'"):
        fetch({"kind": "summary", "title": "Lisbon", "lang": "evil.example#"}, {})
    with pytest.raises(ProviderError, match="parameter 'title'"):
        fetch({"kind": "summary", "title": "A|B"}, {})
    with pytest.raises(ProviderError, match="parameter 'title'"):
        fetch({"kind": "summary", "title": ".."}, {})


def test_needs_the_network() -> None:
    provider = PROVIDERS.get("places")
    assert provider.name == "places" and provider.offline_capable is False
    request = FactRequest(provider="places", params={"kind": "summary", "title": "Lisbon"})
    with pytest.raises(ProviderError, match="needs the network"):
        asyncio.run(provider.fetch(request, ProviderContext(now=NOW)))


def test_fixtures_say_where_they_come_from() -> None:
    names = [
        p
        for prefix in ("wikipedia_", "wikidata_", "overpass_")
        for p in sorted(FIXTURES.glob(f"{prefix}*.json"))
    ]
    assert len(names) >= 13
    for path in names:
        comment = json.loads(path.read_text())["_comment"]
        assert "documentation" in comment and "illustrative" in comment, path.name
