"""Real facts from real sources: HTTP with retries and limits, the URL guard, providers.

Importing this package registers the built-in providers in :data:`PROVIDERS`.
"""

from factframe.grounding import brand, geocode, places, suntime, weather
from factframe.grounding.http import DEFAULT_RATE_LIMITS, HttpClient, HttpPolicy
from factframe.grounding.provider import PROVIDERS, Params, Provider, ProviderContext, parse_params
from factframe.grounding.resolve import DEFAULT_MAX_STALE, Resolution, resolve, resolve_sync
from factframe.grounding.urlguard import GuardedTransport, Resolver, UrlGuard, system_resolver

__all__ = [
    "DEFAULT_MAX_STALE",
    "DEFAULT_RATE_LIMITS",
    "PROVIDERS",
    "GuardedTransport",
    "HttpClient",
    "HttpPolicy",
    "Params",
    "Provider",
    "ProviderContext",
    "Resolution",
    "Resolver",
    "UrlGuard",
    "brand",
    "geocode",
    "parse_params",
    "places",
    "resolve",
    "resolve_sync",
    "suntime",
    "system_resolver",
    "weather",
]
