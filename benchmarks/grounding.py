"""Benchmark: resolving 200 fact requests (100 distinct) against a local server.

The server runs on 127.0.0.1 and answers each request after 50 ms, like a distant API.
Measured, median of repeated runs:

- cold: an empty store; the resolver must make exactly 100 HTTP requests (dedup) and run
  them concurrently (wall time well under 100 × 50 ms);
- warm: the same 200 requests again; every fact comes from the store, zero requests.

Goals (issue 3): 200 requests resolved in < 0.5 s wall; < 0.2 ms per cached fact.

    python benchmarks/grounding.py [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from factframe.grounding import PROVIDERS, HttpClient, ProviderContext, UrlGuard, resolve
from factframe.knowledge import Fact, FactRequest, KnowledgeStore, Provenance, Quantity

LATENCY = 0.05
DISTINCT = 100
TOTAL = 200


class _Slow(BaseHTTPRequestHandler):
    hits = 0
    lock = threading.Lock()

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with _Slow.lock:
            _Slow.hits += 1
        time.sleep(LATENCY)
        body = json.dumps({"value": float(self.path.rsplit("=", 1)[-1])}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class LocalProvider:
    """Asks the local server for one number per request."""

    name = "bench"
    offline_capable = False

    def __init__(self, base: str) -> None:
        self.base = base

    async def fetch(self, request: FactRequest, ctx: ProviderContext) -> Fact:
        assert ctx.http is not None
        url = f"{self.base}/value?id={request.params['id']}"
        data = await ctx.http.get_json(url, provider=self.name)
        return Fact(
            key=request.key(),
            label=f"bench value {request.params['id']}",
            value=Quantity(value=data["value"], unit="percent"),
            provenance=Provenance(
                provider=self.name,
                source=url,
                retrieved_at=ctx.now,
                valid_until=ctx.now + timedelta(hours=1),
            ),
        )


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    ThreadingHTTPServer.request_queue_size = 128  # a real API's backlog, not http.server's 5
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    requests = {f"f{i}": {"provider": "bench", "id": i % DISTINCT} for i in range(TOTAL)}
    guard = UrlGuard.allowing(networks=["127.0.0.0/8"])
    now = datetime.now(UTC)

    async def once(store: KnowledgeStore) -> float:
        async with HttpClient(guard=guard, rate_limits={}) as http:
            started = time.perf_counter()
            await resolve(requests, store=store, http=http, now=now)
            return time.perf_counter() - started

    def timed(run: Callable[[], float]) -> list[float]:
        return [run() for _ in range(args.runs)]

    cold_hits: list[int] = []

    def cold() -> float:
        before = _Slow.hits
        seconds = asyncio.run(once(KnowledgeStore(":memory:")))
        cold_hits.append(_Slow.hits - before)
        return seconds

    warm_store = KnowledgeStore(":memory:")
    with PROVIDERS.enabled("bench", LocalProvider(base)):
        cold_times = timed(cold)
        asyncio.run(once(warm_store))
        before = _Slow.hits
        warm_times = timed(lambda: asyncio.run(once(warm_store)))
        warm_hits = _Slow.hits - before
    server.shutdown()

    cold_ms, warm_ms = median_ms(cold_times), median_ms(warm_times)
    per_fact = warm_ms / TOTAL
    print(
        f"machine : {platform.platform()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {len(__import__('os').sched_getaffinity(0))} cores"
    )
    print(
        f"server  : 127.0.0.1, {LATENCY * 1000:.0f} ms per request; {TOTAL} requests, "
        f"{DISTINCT} distinct; {args.runs} runs each\n"
    )
    print(f"{'measurement':44s}{'median':>12s}{'goal':>14s}")
    print("-" * 72)
    ok = cold_ms < 500
    print(
        f"{'cold: resolve 200 (empty store)':44s}{cold_ms:10.1f} ms{'< 500 ms':>12s} "
        f"{'PASS' if ok else 'MISS'}"
    )
    print(
        f"{'  HTTP requests per cold run':44s}{statistics.median(cold_hits):10.0f}   "
        f"{'= ' + str(DISTINCT):>10s} {'PASS' if set(cold_hits) == {DISTINCT} else 'MISS'}"
    )
    print(f"{'  serial lower bound (100 × 50 ms)':44s}{DISTINCT * LATENCY * 1000:10.0f} ms")
    print(f"{'warm: resolve 200 (all in the store)':44s}{warm_ms:10.1f} ms")
    print(
        f"{'  per cached fact':44s}{per_fact:10.3f} ms{'< 0.2 ms':>12s} "
        f"{'PASS' if per_fact < 0.2 else 'MISS'}"
    )
    print(
        f"{'  HTTP requests in all warm runs':44s}{warm_hits:10d}   {'= 0':>10s} "
        f"{'PASS' if warm_hits == 0 else 'MISS'}"
    )


if __name__ == "__main__":
    main()
