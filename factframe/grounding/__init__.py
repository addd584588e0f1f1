"""Real facts from real sources: HTTP with retries and limits, the URL guard, providers."""

from factframe.grounding.urlguard import GuardedTransport, Resolver, UrlGuard, system_resolver

__all__ = ["GuardedTransport", "Resolver", "UrlGuard", "system_resolver"]
