"""Resolving a spec's named fact requests: concurrent, deduplicated, cached, never invented.

``resolve({"city": {"provider": "geocode", "name": "Tokyo"},
           "sun": {"provider": "sun", "place": "{{ city }}"}})``

1. Requests may refer to other facts: a parameter whose whole value is ``{{ name }}`` or
   ``{{ name.field }}`` takes that fact's value; a ``place`` that is a place record (or a
   geo point) becomes ``lat``/``lon`` (and ``tz``). Requests run in waves, each wave
   concurrently; a cycle is an error.
2. Equal requests (same key) are fetched once.
3. A fresh fact in the store is used as is: no request is made.
4. Otherwise the provider is asked and the answer stored. If it fails, a stored value that
   expired no longer than ``max_stale`` ago is used and flagged stale; if there is none,
   the fact is unresolved. Offline, only the store and offline-capable providers are used.
5. Any unresolved fact raises one :class:`GroundingError` naming every one of them and why.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import ValidationError

from factframe.errors import GroundingError, ProviderError, UnsafeURLError
from factframe.grounding.http import HttpClient
from factframe.grounding.provider import PROVIDERS, ProviderContext
from factframe.knowledge import Fact, FactRequest, FactValue, KnowledgeStore
from factframe.registry import UnknownNameError

__all__ = [
    "DEFAULT_MAX_STALE",
    "Resolution",
    "resolve",
    "resolve_in_store",
    "resolve_sync",
    "run_coroutine",
]

T = TypeVar("T")

DEFAULT_MAX_STALE = timedelta(hours=6)
_REFERENCE = re.compile(r"^\s*\{\{\s*([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*\}\}\s*$")


@dataclass(frozen=True)
class Resolution:
    """The facts of a spec by name, and which of them are stale."""

    facts: dict[str, Fact]
    stale: frozenset[str] = frozenset()
    requests: dict[str, FactRequest] = field(default_factory=dict)
    fetched: int = 0  # provider calls made (cache hits and dedup excluded)


def _references(raw: Mapping[str, Any]) -> set[str]:
    names = set()
    for value in raw.values():
        if isinstance(value, str) and (m := _REFERENCE.match(value)):
            names.add(m.group(1))
    return names


def _plain(value: FactValue) -> Any:
    """A fact value as a request parameter."""
    kind = value.kind
    if kind in ("quantity", "number"):
        return value.value  # type: ignore[union-attr]
    if kind == "text":
        return value.text  # type: ignore[union-attr]
    if kind == "datetime":
        return value.value.isoformat()  # type: ignore[union-attr]
    raise ValueError(f"a {kind} value cannot be a parameter")


def _bind(name: str, raw: Mapping[str, Any], facts: Mapping[str, Fact]) -> FactRequest:
    params: dict[str, Any] = {}
    for key, value in raw.items():
        m = _REFERENCE.match(value) if isinstance(value, str) else None
        if m is None:
            params[key] = value
            continue
        fact = facts[m.group(1)]
        target: FactValue = fact.value
        if m.group(2):
            if target.kind != "record" or m.group(2) not in target.fields:
                raise ValueError(f"{m.group(1)} has no field {m.group(2)!r}")
            target = target.fields[m.group(2)]
        if key == "place":
            params.update(_place(target, m.group(1)))
        else:
            params[key] = _plain(target)
    return FactRequest.parse(params)


def _place(value: FactValue, name: str) -> dict[str, Any]:
    if value.kind == "geo":
        return {"lat": value.lat, "lon": value.lon}
    if value.kind == "record" and (loc := value.fields.get("location")) and loc.kind == "geo":
        out: dict[str, Any] = {"lat": loc.lat, "lon": loc.lon}
        tz = value.fields.get("timezone")
        if tz is not None and tz.kind == "text":
            out["tz"] = tz.text
        return out
    raise ValueError(f"{name} is not a place (it has no location)")


async def resolve(
    requests: Mapping[str, Mapping[str, Any] | FactRequest],
    *,
    store: KnowledgeStore | None = None,
    http: HttpClient | None = None,
    offline: bool = False,
    locale: str = "en",
    now: datetime | None = None,
    max_stale: timedelta = DEFAULT_MAX_STALE,
) -> Resolution:
    """Resolves named fact requests (see the module docs for the rules).

    Raises:
        GroundingError: listing every fact that could not be resolved, and why.
    """
    moment = now or datetime.now(UTC)
    raw = {
        name: (r.params | {"provider": r.provider, **({"field": r.field} if r.field else {})})
        if isinstance(r, FactRequest)
        else dict(r)
        for name, r in requests.items()
    }
    own_client = http is None and not offline
    client = HttpClient() if own_client else http
    ctx = ProviderContext(
        http=None if offline else client, offline=offline, locale=locale, now=moment
    )
    try:
        return await _resolve(raw, ctx, store, max_stale)
    finally:
        if own_client and client is not None:
            await client.aclose()


async def _resolve(
    raw: dict[str, dict[str, Any]],
    ctx: ProviderContext,
    store: KnowledgeStore | None,
    max_stale: timedelta,
) -> Resolution:
    moment = ctx.now
    facts: dict[str, Fact] = {}
    stale: set[str] = set()
    bound: dict[str, FactRequest] = {}
    failed: dict[str, str] = {}
    tasks: dict[str, asyncio.Task[tuple[Fact, bool]]] = {}
    fetched = 0

    async def obtain(request: FactRequest) -> tuple[Fact, bool]:
        nonlocal fetched
        key = request.key()
        if store is not None and (hit := store.get(key, now=moment)) is not None:
            return hit.fact, False
        provider = PROVIDERS.get(request.provider)
        try:
            if ctx.offline and not provider.offline_capable:
                raise ProviderError("offline, and the store has no value for it", provider.name)
            fetched += 1
            fact = await provider.fetch(request, ctx)
        except (ProviderError, UnsafeURLError) as exc:
            if store is not None:
                old = store.get(key, now=moment, max_stale=max_stale)
                if old is not None:
                    return old.fact, old.stale
            raise GroundingError(getattr(exc, "reason", str(exc))) from exc
        if store is not None:
            store.put(fact)
        return fact, False

    pending = dict(raw)
    while pending:
        ready = {
            n: r
            for n, r in pending.items()
            if _references(r) <= facts.keys() and not (_references(r) & failed.keys())
        }
        for name, r in list(pending.items()):
            blocked = _references(r) & failed.keys()
            unknown = _references(r) - raw.keys()
            if unknown or blocked:
                why = (
                    f"refers to unknown fact(s) {sorted(unknown)}"
                    if unknown
                    else (f"depends on unresolved {sorted(blocked)}")
                )
                failed[name] = why
                pending.pop(name)
                ready.pop(name, None)
        if not ready:
            if pending:
                for name in pending:
                    failed[name] = f"its references form a cycle ({', '.join(sorted(pending))})"
            break
        wave: dict[str, asyncio.Task[tuple[Fact, bool]]] = {}
        for name, r in ready.items():
            pending.pop(name)
            try:
                request = _bind(name, r, facts)
                PROVIDERS.get(request.provider)
            except (ValueError, ValidationError, UnknownNameError) as exc:
                failed[name] = str(exc).splitlines()[0]
                continue
            bound[name] = request
            key = request.key()
            if key not in tasks:
                tasks[key] = asyncio.ensure_future(obtain(request))
            wave[name] = tasks[key]
        results = await asyncio.gather(*wave.values(), return_exceptions=True)
        for name, result in zip(wave, results, strict=True):
            if isinstance(result, BaseException):
                if not isinstance(result, GroundingError):
                    raise result
                failed[name] = str(result)
            else:
                facts[name], is_stale = result
                if is_stale:
                    stale.add(name)
    if failed:
        raise GroundingError(
            f"{len(failed)} of {len(raw)} fact(s) could not be resolved (no value is ever made up)",
            sorted(failed.items()),
        )
    return Resolution(facts, frozenset(stale), bound, fetched)


def resolve_sync(
    requests: Mapping[str, Mapping[str, Any] | FactRequest], **options: Any
) -> Resolution:
    """:func:`resolve` for synchronous callers, notebooks included."""
    return run_coroutine(resolve(requests, **options))


def resolve_in_store(
    requests: Mapping[str, Mapping[str, Any] | FactRequest],
    *,
    store: KnowledgeStore | None,
    http: HttpClient | None,
    offline: bool,
    locale: str,
    now: datetime,
    max_stale: timedelta | None,
) -> Resolution:
    """:func:`resolve` for synchronous callers, through ``store`` or else the default
    :class:`~factframe.knowledge.KnowledgeStore` (opened for the call and closed after), as
    a render resolves its facts; ``max_stale`` None is :data:`DEFAULT_MAX_STALE`.

    Raises:
        GroundingError: listing every fact that could not be resolved, and why.
    """
    own = store is None
    db = KnowledgeStore() if own else store
    try:
        return run_coroutine(
            resolve(
                requests,
                store=db,
                http=http,
                offline=offline,
                locale=locale,
                now=now,
                max_stale=max_stale or DEFAULT_MAX_STALE,
            )
        )
    finally:
        if own and db is not None:
            db.close()


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs a coroutine to completion, also where an event loop is already running
    (Jupyter): then in a worker thread with its own loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
