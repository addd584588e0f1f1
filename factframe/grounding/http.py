"""One async HTTP layer for every provider: limits, retries, politeness, validation.

- Timeouts: connect and read per request, plus a total deadline per attempt, so a server
  that drips a byte at a time cannot hold a render hostage.
- Retries with full-jitter exponential backoff on connection errors, timeouts, 429 (its
  ``Retry-After`` honoured, seconds or HTTP date) and 5xx; other 4xx fail at once.
- Per-host rate limits (Nominatim's policy: one request a second) and at most
  ``max_per_host`` requests in flight to one host: a resolver with 100 distinct facts for
  one API must not open 100 connections at once (measured: a server's listen backlog
  overflowed, and resets and retries made 200 requests take 11.6 s instead of 0.4 s).
- A descriptive User-Agent with a contact (``FACTFRAME_CONTACT`` or the ``contact`` option),
  as the public APIs we use ask for.
- A response size cap, enforced while streaming.
- JSON parsed and validated into a pydantic model; a bad body is a :class:`ProviderError`
  naming the provider, never a half-read value.

Every request goes through the :class:`~factframe.grounding.urlguard.UrlGuard`.
"""

from __future__ import annotations

import asyncio
import email.utils
import importlib.metadata
import json
import os
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from factframe.errors import ProviderError, ProviderTimeout, RateLimited
from factframe.grounding.urlguard import GuardedTransport, UrlGuard

__all__ = ["DEFAULT_RATE_LIMITS", "HttpClient", "HttpPolicy"]

ModelT = TypeVar("ModelT", bound=BaseModel)
Sleep = Callable[[float], Awaitable[None]]

#: Minimum seconds between two requests to one host, by host.
DEFAULT_RATE_LIMITS: dict[str, float] = {"nominatim.openstreetmap.org": 1.0, "overpass-api.de": 1.0}
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class HttpPolicy:
    """Limits and retry behaviour. Times in seconds, sizes in bytes."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 20.0
    retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_retry_after: float = 30.0
    max_bytes: int = 5_000_000
    max_per_host: int = 16
    contact: str = ""

    def user_agent(self) -> str:
        """``factframe/VERSION (…; contact)``; the contact comes from ``FACTFRAME_CONTACT``."""
        try:
            version = importlib.metadata.version("factframe")
        except importlib.metadata.PackageNotFoundError:
            version = "0"
        contact = self.contact or os.environ.get("FACTFRAME_CONTACT", "")
        about = "facts-to-pictures renderer" + (f"; {contact}" if contact else "")
        return f"factframe/{version} ({about})"


class _HostPacer:
    """Keeps at least ``interval`` seconds between the starts of requests to one host."""

    def __init__(self, interval: float, sleep: Sleep) -> None:
        self.interval = interval
        self.sleep = sleep
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self.lock:
            delay = self.next_start - time.monotonic()
            if delay > 0:
                await self.sleep(delay)
            self.next_start = time.monotonic() + self.interval


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())


class HttpClient:
    """The shared async client of the providers.

    Args:
        guard: the URL guard every request (and redirect) passes; ``UrlGuard()`` refuses
            every non-public address.
        policy: timeouts, retries and caps.
        transport: the httpx transport to send through (tests pass ``MockTransport``).
        rate_limits: minimum seconds between requests, by host.
        sleep: how to wait (tests may record instead of sleeping).
        rng: randomness for backoff jitter.
    """

    def __init__(
        self,
        *,
        guard: UrlGuard | None = None,
        policy: HttpPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        rate_limits: Mapping[str, float] | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.policy = policy or HttpPolicy()
        self.guard = guard or UrlGuard()
        inner = transport or httpx.AsyncHTTPTransport(retries=0)
        p = self.policy
        self._client = httpx.AsyncClient(
            transport=GuardedTransport(inner, self.guard),
            timeout=httpx.Timeout(p.read_timeout, connect=p.connect_timeout),
            headers={"User-Agent": p.user_agent(), "Accept": "application/json"},
            follow_redirects=True,
            max_redirects=5,
        )
        self._rates = dict(DEFAULT_RATE_LIMITS if rate_limits is None else rate_limits)
        self._pacers: dict[str, _HostPacer] = {}
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._sleep = sleep
        self._rng = rng or random.Random()
        self.requests_sent = 0

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get_bytes(
        self,
        url: str,
        *,
        provider: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """GETs ``url`` with retries and limits; returns the body.

        ``headers`` add to (or replace) the client's, e.g. ``Accept: text/html``.

        Raises:
            ProviderTimeout: no answer in time after every retry.
            RateLimited: still 429 after every retry.
            ProviderError: any other failure (4xx, 5xx after retries, body too large).
            UnsafeURLError: the guard refused the URL or a redirect.
        """
        p = self.policy
        last: Exception | None = None
        for attempt in range(p.retries + 1):
            if attempt:
                await self._sleep(self._backoff(attempt, last))
            host = httpx.URL(url).host
            slots = self._slots.setdefault(host, asyncio.Semaphore(p.max_per_host))
            try:
                async with slots:
                    await self._pace(url)
                    return await asyncio.wait_for(
                        self._once(url, provider, params, headers), p.total_timeout
                    )
            except (TimeoutError, httpx.TimeoutException) as exc:
                last = ProviderTimeout(
                    f"no complete answer within {p.total_timeout:g} s", provider, url
                )
                last.__cause__ = exc
            except (httpx.TransportError, _Retryable) as exc:
                last = exc
        if isinstance(last, _Retryable):
            raise last.error
        if isinstance(last, ProviderTimeout):
            raise last
        raise ProviderError(f"request failed after {p.retries + 1} tries: {last}", provider, url)

    async def get_json(
        self,
        url: str,
        *,
        provider: str,
        params: Mapping[str, Any] | None = None,
        model: type[ModelT] | None = None,
    ) -> Any:
        """GETs ``url`` and parses JSON, validated into ``model`` when given.

        Raises:
            ProviderError: not JSON, or not of the model's shape (names the field).
        """
        body = await self.get_bytes(url, provider=provider, params=params)
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ProviderError(f"the response is not valid JSON ({exc})", provider, url) from None
        if model is None:
            return data
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"]) or "(root)"
            raise ProviderError(
                f"unexpected response: {where}: {first['msg']}", provider, url
            ) from None

    async def _once(
        self,
        url: str,
        provider: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
    ) -> bytes:
        self.requests_sent += 1
        async with self._client.stream("GET", url, params=params, headers=headers) as response:
            status = response.status_code
            if status in _RETRY_STATUS:
                await response.aclose()
                wait = _retry_after(response.headers.get("Retry-After"))
                if status == 429:
                    error: ProviderError = RateLimited(
                        "too many requests (429)", provider, url, retry_after=wait
                    )
                else:
                    error = ProviderError(f"server error {status}", provider, url, status=status)
                raise _Retryable(error, wait)
            if status >= 400:
                text = (await response.aread())[:200].decode("utf-8", "replace")
                raise ProviderError(f"HTTP {status}: {text.strip()}", provider, url, status=status)
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > self.policy.max_bytes:
                raise ProviderError(self._too_large(), provider, url)
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self.policy.max_bytes:
                    raise ProviderError(self._too_large(), provider, url)
                chunks.append(chunk)
            return b"".join(chunks)

    def _too_large(self) -> str:
        return f"the response is larger than {self.policy.max_bytes:,} bytes"

    def _backoff(self, attempt: int, last: Exception | None) -> float:
        p = self.policy
        if isinstance(last, _Retryable) and last.retry_after is not None:
            return min(last.retry_after, p.max_retry_after)
        cap = min(p.backoff_max, p.backoff_base * 2 ** (attempt - 1))
        return self._rng.uniform(0, cap)  # "full jitter"

    async def _pace(self, url: str) -> None:
        host = httpx.URL(url).host
        interval = self._rates.get(host)
        if interval:
            pacer = self._pacers.setdefault(host, _HostPacer(interval, self._sleep))
            await pacer.wait()


class _Retryable(Exception):
    """An answer worth another try (429, 5xx); carries the error to raise if none is left."""

    def __init__(self, error: ProviderError, retry_after: float | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after
