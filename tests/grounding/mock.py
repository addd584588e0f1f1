"""Runs one provider against canned answers, with no network: a ``MockTransport`` behind
the real :class:`HttpClient` (guard, retries off), routed by host and path."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from factframe.grounding import PROVIDERS, HttpClient, HttpPolicy, ProviderContext, UrlGuard
from factframe.knowledge import Fact, FactRequest

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
#: every name resolves to a public address: the guard runs, no real DNS is asked
PUBLIC_DNS = UrlGuard(resolver=lambda host, port: ["151.101.1.1"])

Route = str | tuple[int, str | bytes]
#: ``"host/path"`` → a fixture file name, ``(status, fixture name or bytes)``, or a function
#: of the request giving one of those (to answer by query)
Routes = Mapping[str, Route | Callable[[httpx.Request], Route]]


def _answer(route: Route) -> httpx.Response:
    status, body = (200, route) if isinstance(route, str) else route
    content = (FIXTURES / body).read_bytes() if isinstance(body, str) else body
    kind = "text/html" if isinstance(body, str) and body.endswith(".html") else "application/json"
    return httpx.Response(status, content=content, headers={"Content-Type": kind})


def mock_client(routes: Routes, seen: list[httpx.Request] | None = None) -> HttpClient:
    """The real client (guard included, no retries, no pacing) over canned answers; every
    request is appended to ``seen``. An unrouted request is answered 599."""

    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        host = request.headers.get("Host", request.url.host)  # the guard pins the IP
        route = routes.get(f"{host}{request.url.path}")
        if route is None:
            return httpx.Response(599, content=b"no route in the test")
        return _answer(route(request) if callable(route) else route)

    return HttpClient(
        guard=PUBLIC_DNS,
        transport=httpx.MockTransport(handler),
        policy=HttpPolicy(retries=0),
        rate_limits={},
    )


def run_provider(
    provider: str,
    params: dict[str, Any],
    routes: Routes,
    *,
    locale: str = "en",
    field: str | None = None,
) -> tuple[Fact, list[httpx.Request]]:
    """Fetches one fact; returns it and every request made."""
    seen: list[httpx.Request] = []

    async def go() -> Fact:
        async with mock_client(routes, seen) as http:
            ctx = ProviderContext(http=http, locale=locale, now=NOW)
            request = FactRequest(provider=provider, params=params, field=field)
            return await PROVIDERS.get(provider).fetch(request, ctx)

    return asyncio.run(go()), seen


#: the live weather card's answers (``weather-card`` in the gallery)
WEATHER_CARD: Routes = {
    "geocoding-api.open-meteo.com/v1/search": "open_meteo_geocoding_lisbon_en.json",
    "api.open-meteo.com/v1/forecast": lambda request: (
        "open_meteo_card_daily.json"
        if "daily" in request.url.params
        else "open_meteo_card_current.json"
    ),
}
