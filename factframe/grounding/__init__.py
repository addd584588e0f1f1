"""Real facts from real sources: HTTP with retries and limits, the URL guard, providers."""

from factframe.grounding.http import DEFAULT_RATE_LIMITS, HttpClient, HttpPolicy
from factframe.grounding.urlguard import GuardedTransport, Resolver, UrlGuard, system_resolver

__all__ = [
    "DEFAULT_RATE_LIMITS",
    "GuardedTransport",
    "HttpClient",
    "HttpPolicy",
    "Resolver",
    "UrlGuard",
    "system_resolver",
]
