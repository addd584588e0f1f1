"""``places``: what a place is and what is around it, from Wikipedia, Wikidata and OpenStreetMap.

The ``kind`` parameter picks the source; each kind has its own parameters (others are refused):

- ``summary`` (``title``, ``lang``): the Wikipedia REST page summary of an article. Fields
  ``title``, ``description``, ``extract`` (texts whose ``lang`` is the wiki's language),
  ``location``, ``image`` (the lead image, else its thumbnail), ``thumbnail``, ``url``,
  ``wikidata``; each only when the page has it. The wiki is ``lang`` or the locale's
  language; a title that wiki does not know (404) is asked of English Wikipedia. A
  disambiguation page is an error, not a fact.
- ``nearby`` (``lat``, ``lon``, ``radius`` 10–10,000 m, ``limit`` 1–50, ``lang``): the
  Wikipedia articles with coordinates nearest a point (MediaWiki ``list=geosearch``),
  nearest first: ``titles``, ``distances`` (metres), ``lats``, ``lons``, ``page_ids``,
  ``count``, ``center``, ``radius``. English Wikipedia answers when the local wiki has none;
  none there either is a true answer (``count`` 0), not an error.
- ``entity`` (``id``, or ``title`` with ``site``, default ``enwiki``; ``lang``): a Wikidata
  item. ``label``/``description`` in the locale's language, else English (their ``lang``
  says which); ``location`` (P625, Earth only), ``elevation`` (P2044), ``height`` (P2048),
  ``population`` (P1082: the preferred statement, else the one with the latest P585
  point in time) with ``population_date``, ``inception`` (P571, as text at its precision:
  ``1147``, ``1931-05``, ``1931-05-01``, ``1140s``, ``12th century``), ``website`` (P856),
  ``image`` (P18), ``wikipedia_title``/``wikipedia_url`` and ``id``. A claim that is
  missing, has no value, or has a unit outside :data:`WIKIDATA_UNITS` is left out, never
  guessed. Deprecated statements are never used. These claim rules (ranks, units, time
  precision) live in :mod:`factframe.grounding.wikidata`.
- ``amenities`` (``lat``, ``lon``, ``radius`` ≤ 5,000 m, ``amenity`` such as ``cafe``,
  ``limit`` 1–100): named OpenStreetMap features tagged ``amenity=…`` around a point, via
  Overpass, nearest first: ``names``, ``distances`` (metres), ``lats``, ``lons``,
  ``osm_ids`` (``node/123``), ``opening_hours`` (the OSM tag as written, ``""`` where a
  feature has none), ``count``, ``amenity``, ``radius``, ``data_as_of``. Unnamed
  features are left out (the query asks for ``["name"]``): a list of "cafe, cafe, cafe" says
  nothing. Up to :data:`OVERPASS_FETCH` features are fetched so the nearest ``limit`` can
  be kept (Overpass returns them in id order, not by distance).

Docs: https://www.mediawiki.org/wiki/Specs/Summary/1.3.0, https://www.mediawiki.org/wiki/API:Geosearch,
https://doc.wikimedia.org/Wikibase/master/php/docs_topics_json.html,
https://wiki.openstreetmap.org/wiki/Overpass_API/Overpass_QL
"""

from __future__ import annotations

import math
import re
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any, Literal, Self, TypeVar
from urllib.parse import quote

import httpx
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

from factframe.errors import ProviderError
from factframe.grounding import wikidata
from factframe.grounding.provider import PROVIDERS, Params, ProviderContext, parse_params
from factframe.grounding.wikidata import WIKIDATA_UNITS
from factframe.knowledge import (
    DateTimeValue,
    Fact,
    FactRequest,
    FactValue,
    GeoPoint,
    ImageRef,
    NumberValue,
    Provenance,
    Quantity,
    RecordValue,
    SeriesValue,
    TextSeriesValue,
    TextValue,
)

__all__ = [
    "OVERPASS_FETCH",
    "WIKIDATA_UNITS",
    "AmenitiesParams",
    "EntityParams",
    "NearbyParams",
    "PlacesProvider",
    "SummaryParams",
]

WIKIPEDIA_SUMMARY = "https://{lang}.wikipedia.org/api/rest_v1/page/summary/{title}"
WIKIPEDIA_API = "https://{lang}.wikipedia.org/w/api.php"
WIKIDATA_API = "https://www.wikidata.org/w/api.php"
COMMONS_FILE = "https://commons.wikimedia.org/wiki/Special:FilePath/"
OVERPASS_API = "https://overpass-api.de/api/interpreter"
#: how many features an amenities query fetches before keeping the nearest ``limit``
OVERPASS_FETCH = 200

_WIKIPEDIA = ("Wikipedia contributors", "CC BY-SA 4.0")
_WIKIDATA = ("Wikidata", "CC0 1.0")
_OSM = ("© OpenStreetMap contributors", "ODbL 1.0")
_WIKI_TTL = timedelta(days=7)
_OSM_TTL = timedelta(days=1)

# locale languages whose Wikipedia lives under another subdomain
_WIKI_SUBDOMAIN = {"nb": "no"}
# a Wikipedia subdomain or Wikidata language code: "en", "zh-yue", "be-tarask", "simple";
# it becomes part of a host name, so nothing else may pass
_LANG = r"^[a-z]{2,8}(-[a-z0-9]{1,8}){0,2}$"
_EARTH_RADIUS_M = 6_371_008.8

ModelT = TypeVar("ModelT", bound=BaseModel)


# --- parameters ---------------------------------------------------------------------------


class SummaryParams(Params):
    """The Wikipedia summary of an article: title, description, extract, location, image."""

    kind: Literal["summary"]
    title: str = Field(min_length=1, max_length=255, pattern=r"^[^#<>\[\]|{}\r\n\t]+$")
    lang: str | None = Field(None, pattern=_LANG, description="default: the locale's")

    @field_validator("title")
    @classmethod
    def _real_title(cls, title: str) -> str:
        title = title.strip()
        if title in ("", ".", ".."):
            raise ValueError("not a Wikipedia page title")
        return title


class NearbyParams(Params):
    """The Wikipedia articles nearest a point, nearest first, with distances."""

    kind: Literal["nearby"]
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius: int = Field(1000, ge=10, le=10_000, description="metres")
    limit: int = Field(10, ge=1, le=50)
    lang: str | None = Field(None, pattern=_LANG, description="default: the locale's")


class EntityParams(Params):
    """A Wikidata item: label, description, location, elevation, height, population,
    inception, website and image."""

    kind: Literal["entity"]
    id: str | None = Field(None, pattern=r"^Q[1-9][0-9]{0,11}$")
    site: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]{1,40}$", description="default enwiki")
    title: str | None = Field(None, min_length=1, max_length=255, pattern=r"^[^#<>\[\]|{}]+$")
    lang: str | None = Field(None, pattern=_LANG, description="default: the locale's")

    @model_validator(mode="after")
    def _id_or_title(self) -> Self:
        if (self.id is None) == (self.title is None) or (self.id and self.site):
            raise ValueError("give either id (Q64) or title (with site, default enwiki)")
        return self


class AmenitiesParams(Params):
    """Named OpenStreetMap amenities (cafe, pharmacy, …) around a point, nearest first."""

    kind: Literal["amenities"]
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius: int = Field(500, ge=1, le=5000, description="metres")
    # goes into the Overpass QL: a strict pattern, so nothing can be injected
    amenity: str = Field(min_length=1, max_length=64, pattern=r"^[a-z_]+$")
    limit: int = Field(20, ge=1, le=100)


_PARAMS: dict[str, type[Params]] = {
    "summary": SummaryParams,
    "nearby": NearbyParams,
    "entity": EntityParams,
    "amenities": AmenitiesParams,
}


# --- response shapes (only the parts read) ------------------------------------------------


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Image(_Answer):
    # real answers say "source"; Specs/Summary/1.3.0 says "uri"
    source: str = Field(validation_alias=AliasChoices("source", "uri"))
    width: int | None = None
    height: int | None = None


class _LatLon(_Answer):
    lat: float
    lon: float


class _Summary(_Answer):
    """Wikipedia REST ``page/summary`` (Specs/Summary/1.3.0)."""

    type: str = "standard"
    title: str
    titles: dict[str, str] = Field(default_factory=dict)
    description: str | None = None
    extract: str | None = None
    coordinates: _LatLon | None = None
    thumbnail: _Image | None = None
    originalimage: _Image | None = None
    content_urls: dict[str, dict[str, str]] = Field(default_factory=dict)
    wikibase_item: str | None = None


class _GeoHit(_Answer):
    pageid: int
    title: str
    lat: float
    lon: float
    dist: float


class _GeoAnswer(_Answer):
    """``action=query&list=geosearch&formatversion=2``."""

    query: dict[str, list[_GeoHit]] = Field(default_factory=dict)
    error: wikidata.ApiError | None = None


class _Element(_Answer):
    type: str
    id: int
    lat: float | None = None
    lon: float | None = None
    center: _LatLon | None = None
    tags: dict[str, str] = Field(default_factory=dict)


class _Overpass(_Answer):
    """Overpass ``[out:json]`` output; ``remark`` carries runtime errors (with HTTP 200)."""

    elements: list[_Element] = Field(default_factory=list)
    remark: str | None = None
    osm3s: dict[str, Any] = Field(default_factory=dict)


# --- the provider -------------------------------------------------------------------------


class PlacesProvider:
    """Place facts from Wikipedia (summaries, nearby articles), Wikidata and OSM Overpass."""

    name = "places"
    offline_capable = False
    params = _PARAMS  # one model per kind

    async def fetch(self, request: FactRequest, ctx: ProviderContext) -> Fact:
        kind = request.params.get("kind")
        model = _PARAMS.get(kind) if isinstance(kind, str) else None
        if model is None:
            raise ProviderError(
                f"parameter 'kind': {'missing' if kind is None else repr(kind) + ' is unknown'}; "
                f"choose one of {', '.join(_PARAMS)}",
                self.name,
            )
        params = parse_params(self.name, model, request)
        if ctx.http is None or ctx.offline:
            raise ProviderError(f"kind {kind!r} needs the network", self.name)
        if isinstance(params, SummaryParams):
            return await self._summary(request, params, ctx)
        if isinstance(params, NearbyParams):
            return await self._nearby(request, params, ctx)
        if isinstance(params, EntityParams):
            return await self._entity(request, params, ctx)
        assert isinstance(params, AmenitiesParams)
        return await self._amenities(request, params, ctx)

    # --- summary --------------------------------------------------------------------------

    async def _summary(
        self, request: FactRequest, params: SummaryParams, ctx: ProviderContext
    ) -> Fact:
        path_title = quote(params.title.replace(" ", "_"), safe="")
        tried: list[str] = []
        url = ""
        for lang in _with_english(_wiki_language(params.lang, ctx)):
            url = WIKIPEDIA_SUMMARY.format(lang=lang, title=path_title)
            tried.append(f"{lang}.wikipedia.org")
            try:
                page = await self._get(ctx, url, None, _Summary)
            except ProviderError as exc:
                if exc.status == 404:
                    continue
                raise
            return self._summary_fact(request, page, lang, url, ctx)
        raise ProviderError(
            f"no Wikipedia article titled {params.title!r} on {' or '.join(tried)}",
            self.name,
            url,
            status=404,
        )

    def _summary_fact(
        self, request: FactRequest, page: _Summary, lang: str, url: str, ctx: ProviderContext
    ) -> Fact:
        title = page.titles.get("normalized") or page.title
        if page.type == "disambiguation":
            raise ProviderError(
                f"{title!r} is a disambiguation page on {lang}.wikipedia.org (it lists several "
                "subjects); ask for a more specific title, e.g. 'Mercury (planet)'",
                self.name,
                url,
            )
        fields: dict[str, FactValue] = {"title": TextValue(text=title, lang=lang)}
        if page.description:
            fields["description"] = TextValue(text=page.description, lang=lang)
        if page.extract:
            fields["extract"] = TextValue(text=page.extract, lang=lang)
        if page.coordinates:
            fields["location"] = GeoPoint(lat=page.coordinates.lat, lon=page.coordinates.lon)
        if image := page.originalimage or page.thumbnail:
            fields["image"] = ImageRef(url=image.source, width=image.width, height=image.height)
        if page.thumbnail:
            thumb = page.thumbnail
            fields["thumbnail"] = ImageRef(url=thumb.source, width=thumb.width, height=thumb.height)
        if url_page := page.content_urls.get("desktop", {}).get("page"):
            fields["url"] = TextValue(text=url_page)
        if page.wikibase_item:
            fields["wikidata"] = TextValue(text=page.wikibase_item)
        return self._fact(request, f"{title} (Wikipedia, {lang})", fields, url, _WIKIPEDIA, ctx)

    # --- nearby ---------------------------------------------------------------------------

    async def _nearby(
        self, request: FactRequest, params: NearbyParams, ctx: ProviderContext
    ) -> Fact:
        query: dict[str, Any] = {
            "action": "query",
            "list": "geosearch",
            "gscoord": f"{_decimal(params.lat)}|{_decimal(params.lon)}",
            "gsradius": params.radius,
            "gslimit": params.limit,
            "format": "json",
            "formatversion": 2,
        }
        hits: list[_GeoHit] = []
        for lang in _with_english(_wiki_language(params.lang, ctx)):
            api = WIKIPEDIA_API.format(lang=lang)
            answer = await self._get(ctx, api, query, _GeoAnswer)
            url = _url(api, query)
            if answer.error:
                raise ProviderError(
                    f"Wikipedia geosearch refused: {answer.error.code}: {answer.error.info}",
                    self.name,
                    url,
                )
            hits = sorted(answer.query.get("geosearch", []), key=lambda h: h.dist)
            if hits:
                break
        titles = [h.title for h in hits]
        fields: dict[str, FactValue] = {
            "titles": TextSeriesValue(values=titles, lang=lang),
            "distances": SeriesValue(
                values=[h.dist for h in hits], unit="length-meter", index=titles
            ),
            "lats": SeriesValue(values=[h.lat for h in hits], index=titles),
            "lons": SeriesValue(values=[h.lon for h in hits], index=titles),
            "page_ids": TextSeriesValue(values=[str(h.pageid) for h in hits], index=titles),
            "count": NumberValue(value=len(hits)),
            "center": GeoPoint(lat=params.lat, lon=params.lon),
            "radius": Quantity(value=params.radius, unit="length-meter"),
        }
        label = (
            f"Wikipedia articles within {params.radius} m of "
            f"{params.lat:.4f}, {params.lon:.4f} ({lang})"
        )
        return self._fact(request, label, fields, url, _WIKIPEDIA, ctx)

    # --- entity ---------------------------------------------------------------------------

    async def _entity(
        self, request: FactRequest, params: EntityParams, ctx: ProviderContext
    ) -> Fact:
        lang = params.lang or _locale_language(ctx)
        languages = list(dict.fromkeys([lang, "en"]))
        query: dict[str, Any] = {"action": "wbgetentities"}
        if params.id:
            query["ids"] = params.id
            asked = params.id
        else:
            assert params.title is not None
            site = params.site or "enwiki"
            query |= {"sites": site, "titles": params.title.strip(), "normalize": 1}
            asked = f"{site}:{params.title.strip()}"
        query |= {
            "props": "labels|descriptions|claims|sitelinks",
            "languages": "|".join(languages),
            "format": "json",
        }
        answer = await self._get(ctx, WIKIDATA_API, query, wikidata.Entities)
        url = _url(WIKIDATA_API, query)
        if answer.error:
            if answer.error.code == "no-such-entity":
                raise ProviderError(
                    f"Wikidata has no entity {asked!r} ({answer.error.info})", self.name, url
                )
            raise ProviderError(
                f"Wikidata refused: {answer.error.code}: {answer.error.info}", self.name, url
            )
        entity = next(iter(answer.entities.values()), None)
        if entity is None or entity.missing is not None or not entity.id:
            raise ProviderError(f"Wikidata has no entity {asked!r}", self.name, url)
        fields = self._entity_fields(entity, languages, url)
        label = fields.get("label")
        name = label.text if isinstance(label, TextValue) else entity.id
        return self._fact(request, f"{name} ({entity.id}, Wikidata)", fields, url, _WIKIDATA, ctx)

    def _entity_fields(
        self, entity: wikidata.Entity, languages: list[str], url: str
    ) -> dict[str, FactValue]:
        assert entity.id is not None
        fields: dict[str, FactValue] = {"id": TextValue(text=entity.id)}
        for key, terms in (("label", entity.labels), ("description", entity.descriptions)):
            for language in languages:
                if term := terms.get(language):
                    fields[key] = TextValue(text=term.value, lang=language)
                    break
        for language in languages:
            wiki = _WIKI_SUBDOMAIN.get(language, language)
            if link := entity.sitelinks.get(f"{wiki.replace('-', '_')}wiki"):
                fields["wikipedia_title"] = TextValue(text=link.title, lang=language)
                page = quote(link.title.replace(" ", "_"), safe="")
                fields["wikipedia_url"] = TextValue(
                    text=f"https://{wiki}.wikipedia.org/wiki/{page}"
                )
                break

        def value(prop: str, model: type[ModelT]) -> ModelT | None:
            statement = wikidata.best(entity.claims.get(prop, []))
            if statement is None:
                return None
            return wikidata.datavalue(statement.mainsnak, model, prop, url)

        def string(prop: str) -> str | None:
            statement = wikidata.best(entity.claims.get(prop, []))
            return None if statement is None else wikidata.string(statement.mainsnak, prop, url)

        if (point := value("P625", wikidata.Globe)) and point.globe == wikidata.EARTH:
            fields["location"] = GeoPoint(lat=point.latitude, lon=point.longitude)
        for prop, key in (("P2044", "elevation"), ("P2048", "height")):
            amount = value(prop, wikidata.Amount)
            if amount and (unit := WIKIDATA_UNITS.get(amount.unit)):
                fields[key] = Quantity(value=float(amount.amount), unit=unit)
        population = wikidata.population(entity.claims.get("P1082", []), url)
        if population and (
            amount := wikidata.datavalue(population.mainsnak, wikidata.Amount, "P1082", url)
        ):
            fields["population"] = NumberValue(value=float(amount.amount))
            when = wikidata.point_in_time(population, url)
            if when and (text := wikidata.time_text(when)):
                fields["population_date"] = text
        if (inception := value("P571", wikidata.Time)) and (text := wikidata.time_text(inception)):
            fields["inception"] = text
        if (website := string("P856")) and website.startswith(("https://", "http://")):
            fields["website"] = TextValue(text=website)
        if image := string("P18"):
            fields["image"] = ImageRef(url=COMMONS_FILE + quote(image.replace(" ", "_"), safe=""))
        return fields

    # --- amenities ------------------------------------------------------------------------

    async def _amenities(
        self, request: FactRequest, params: AmenitiesParams, ctx: ProviderContext
    ) -> Fact:
        lat, lon = _decimal(params.lat), _decimal(params.lon)
        ql = (
            f'[out:json][timeout:25];nwr["amenity"="{params.amenity}"]["name"]'
            f"(around:{params.radius},{lat},{lon});out center {OVERPASS_FETCH};"
        )
        query = {"data": ql}
        answer = await self._get(ctx, OVERPASS_API, query, _Overpass)
        url = _url(OVERPASS_API, query)
        if answer.remark and "error" in answer.remark.lower():
            raise ProviderError(f"Overpass: {answer.remark}", self.name, url)
        found: list[tuple[float, str, float, float, str, str]] = []
        for element in answer.elements:
            point = (
                (element.lat, element.lon)
                if element.lat is not None and element.lon is not None
                else (element.center.lat, element.center.lon)
                if element.center
                else None
            )
            name = element.tags.get("name", "").strip()
            if point is None or not name:
                continue
            meters = _distance_m(params.lat, params.lon, *point)
            hours = element.tags.get("opening_hours", "").strip()
            found.append((meters, name, *point, f"{element.type}/{element.id}", hours))
        nearest = sorted(found)[: params.limit]
        names = [f[1] for f in nearest]
        fields: dict[str, FactValue] = {
            "names": TextSeriesValue(values=names),
            "distances": SeriesValue(
                values=[round(f[0]) for f in nearest], unit="length-meter", index=names
            ),
            "lats": SeriesValue(values=[f[2] for f in nearest], index=names),
            "lons": SeriesValue(values=[f[3] for f in nearest], index=names),
            "osm_ids": TextSeriesValue(values=[f[4] for f in nearest], index=names),
            "opening_hours": TextSeriesValue(values=[f[5] for f in nearest], index=names),
            "count": NumberValue(value=len(nearest)),
            "amenity": TextValue(text=params.amenity),
            "radius": Quantity(value=params.radius, unit="length-meter"),
        }
        if isinstance(stamp := answer.osm3s.get("timestamp_osm_base"), str):
            with suppress(ValueError):  # an odd timestamp is no reason to lose the answer
                fields["data_as_of"] = DateTimeValue(value=datetime.fromisoformat(stamp), tz="UTC")
        label = (
            f"{params.amenity} within {params.radius} m of {params.lat:.4f}, {params.lon:.4f} "
            "(OpenStreetMap)"
        )
        return self._fact(request, label, fields, url, _OSM, ctx, ttl=_OSM_TTL)

    # --- shared ---------------------------------------------------------------------------

    async def _get(
        self,
        ctx: ProviderContext,
        url: str,
        query: dict[str, Any] | None,
        model: type[ModelT],
    ) -> ModelT:
        assert ctx.http is not None
        answer: ModelT = await ctx.http.get_json(url, provider=self.name, params=query, model=model)
        return answer

    def _fact(
        self,
        request: FactRequest,
        label: str,
        fields: dict[str, FactValue],
        url: str,
        credit: tuple[str, str],
        ctx: ProviderContext,
        *,
        ttl: timedelta = _WIKI_TTL,
    ) -> Fact:
        return Fact(
            key=request.key(),
            label=label,
            value=RecordValue(fields=fields),
            provenance=Provenance(
                provider=self.name,
                source=url,
                retrieved_at=ctx.now,
                valid_until=ctx.now + ttl,
                attribution=credit[0],
                license=credit[1],
            ),
        )


def _url(api: str, query: dict[str, Any]) -> str:
    """The exact URL asked: httpx encodes it the same way when it sends the request."""
    return str(httpx.URL(api, params=query))


def _decimal(value: float) -> str:
    """A coordinate in plain decimal notation (never ``1e-05``, which QL cannot read)."""
    text = f"{value:.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _locale_language(ctx: ProviderContext) -> str:
    language = ctx.locale.replace("_", "-").split("-")[0].lower()
    return language if re.fullmatch(_LANG, language) else "en"


def _wiki_language(lang: str | None, ctx: ProviderContext) -> str:
    language = lang or _locale_language(ctx)
    return _WIKI_SUBDOMAIN.get(language, language)


def _with_english(lang: str) -> list[str]:
    return [lang] if lang == "en" else [lang, "en"]


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(math.sqrt(h))


PROVIDERS.register("places", PlacesProvider())
