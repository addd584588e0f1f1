"""The HTTP layer against a real server on 127.0.0.1: retries, limits and failures."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from factframe.errors import ProviderError, ProviderTimeout, RateLimited, UnsafeURLError
from factframe.grounding.http import HttpClient, HttpPolicy
from factframe.grounding.urlguard import UrlGuard
from tests.grounding.server import _Server, serve

FAST = HttpPolicy(
    connect_timeout=0.5,
    read_timeout=0.4,
    total_timeout=0.8,
    retries=2,
    backoff_base=0.01,
    backoff_max=0.02,
    max_bytes=1_000_000,
    contact="tests@example.org",
)
LOCAL = UrlGuard.allowing(networks=["127.0.0.0/8"])


class Reading(BaseModel):
    temperature: float


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    with serve() as running:
        yield running


def get(server: _Server, path: str, **kwargs: Any) -> Any:
    async def go() -> Any:
        async with HttpClient(guard=LOCAL, policy=FAST, rate_limits={}) as client:
            return await client.get_json(server.url + path, provider="test", **kwargs)

    return asyncio.run(go())


def test_json_validated_into_a_model(server: _Server) -> None:
    assert get(server, "/json", model=Reading) == Reading(temperature=18.5)
    assert "factframe/" in server.agents[-1] and "tests@example.org" in server.agents[-1]


def test_redirects_are_followed(server: _Server) -> None:
    assert get(server, "/to-json")["path"] == "/json"


def test_500_then_success_is_retried(server: _Server) -> None:
    assert get(server, "/flaky")["temperature"] == 18.5
    assert server.hits["/flaky"] == 2


def test_429_honours_retry_after_then_succeeds(server: _Server) -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    async def go() -> Any:
        async with HttpClient(guard=LOCAL, policy=FAST, rate_limits={}, sleep=record) as client:
            return await client.get_json(server.url + "/rate", provider="test")

    assert asyncio.run(go())["path"] == "/rate"
    assert server.hits["/rate"] == 3
    assert waits == [0.05, 0.05]  # the server's Retry-After, not our backoff


def test_429_with_http_date_and_giving_up(server: _Server) -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    async def go(path: str) -> Any:
        async with HttpClient(guard=LOCAL, policy=FAST, rate_limits={}, sleep=record) as client:
            return await client.get_json(server.url + path, provider="weather")

    with pytest.raises(RateLimited) as info:
        asyncio.run(go("/rate-date"))
    assert info.value.provider == "weather" and info.value.retry_after is not None
    assert all(0 < w <= 1.0 for w in waits) and len(waits) == FAST.retries
    with pytest.raises(RateLimited, match="429"):
        asyncio.run(go("/always-429"))


def test_timeout_after_retries(server: _Server) -> None:
    started = time.monotonic()
    with pytest.raises(ProviderTimeout, match="no complete answer"):
        get(server, "/slow")
    assert server.hits["/slow"] == FAST.retries + 1
    assert time.monotonic() - started < 5


def test_slow_drip_body_is_cut_off(server: _Server) -> None:
    with pytest.raises(ProviderTimeout):
        get(server, "/drip")


def test_truncated_body_is_an_error_not_a_value(server: _Server) -> None:
    with pytest.raises(ProviderError, match="failed after 3 tries"):
        get(server, "/truncated")


def test_bad_json_and_wrong_shape(server: _Server) -> None:
    with pytest.raises(ProviderError, match="not valid JSON"):
        get(server, "/bad-json")
    with pytest.raises(ProviderError, match="temperature"):
        get(server, "/wrong-shape", model=Reading)
    assert server.hits["/bad-json"] == 1  # a bad body is not retried


@pytest.mark.parametrize("path", ["/big", "/big-undeclared"])
def test_oversized_bodies_are_refused(server: _Server, path: str) -> None:
    with pytest.raises(ProviderError, match="larger than 1,000,000 bytes"):
        get(server, path)


def test_client_errors_fail_at_once(server: _Server) -> None:
    with pytest.raises(ProviderError, match=r"HTTP 404: .*no such place"):
        get(server, "/missing")
    assert server.hits["/missing"] == 1


def test_redirect_to_a_private_address_is_refused(server: _Server) -> None:
    with pytest.raises(UnsafeURLError, match=r"10\.0\.0\.1"):
        get(server, "/to-private")


def test_the_default_guard_refuses_the_local_server(server: _Server) -> None:
    async def go() -> Any:
        async with HttpClient(policy=FAST) as client:
            return await client.get_json(server.url + "/json", provider="test")

    with pytest.raises(UnsafeURLError, match="loopback"):
        asyncio.run(go())


def test_per_host_rate_limit_spaces_requests(server: _Server) -> None:
    async def go() -> float:
        async with HttpClient(guard=LOCAL, policy=FAST, rate_limits={"127.0.0.1": 0.15}) as client:
            started = time.monotonic()
            await asyncio.gather(
                *(client.get_bytes(server.url + "/json", provider="t") for _ in range(3))
            )
            return time.monotonic() - started

    assert asyncio.run(go()) >= 0.3  # three starts, at least 0.15 s apart


def test_requests_in_flight_to_one_host_are_capped(server: _Server) -> None:
    from dataclasses import replace

    async def go() -> None:
        policy = replace(FAST, max_per_host=2)
        async with HttpClient(guard=LOCAL, policy=policy, rate_limits={}) as client:
            urls = [server.url + "/nap"] * 6
            await asyncio.gather(*(client.get_bytes(u, provider="t") for u in urls))

    asyncio.run(go())
    assert server.hits["/nap"] == 6 and server.peak == 2
