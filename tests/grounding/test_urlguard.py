"""The URL guard: every private, loopback, metadata or odd-scheme URL is refused, clearly."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from factframe.errors import UnsafeURLError
from factframe.grounding import GuardedTransport, UrlGuard

# A fake DNS: names → addresses, so no test touches the network.
DNS = {
    "example.org": ["93.184.215.14"],
    "dual.example": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
    "rebind.example": ["10.1.2.3"],
    "sneaky.example": ["93.184.215.14", "192.168.1.10"],
    "localhost": ["127.0.0.1", "::1"],
    "intranet.corp": ["172.20.0.5"],
}


def resolver(host: str, port: int) -> list[str]:
    if host not in DNS:
        raise OSError("Name or service not known")
    return DNS[host]


GUARD = UrlGuard(resolver=resolver)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://localhost:8080/admin", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://10.0.0.1/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://192.168.0.1/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local or cloud metadata"),
        ("http://100.64.0.1/", "carrier-grade NAT"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[fd00:ec2::254]/", "private"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("http://rebind.example/", "private"),
        ("http://sneaky.example/", "private"),  # one private address is enough
        ("http://192.0.2.1/", "private"),  # documentation range
        ("http://[2001:db8::1]/", "private"),
    ],
)
def test_refuses_non_public_addresses(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURLError) as info:
        GUARD.check(url)
    assert reason in str(info.value)
    assert info.value.url.startswith(url.split("/")[0])


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://example.org/",
        "ftp://example.org/x",
        "javascript:alert(1)",
        "//example.org/",
    ],
)
def test_refuses_other_schemes(url: str) -> None:
    with pytest.raises(UnsafeURLError, match="scheme"):
        GUARD.check(url)


def test_unresolvable_and_hostless() -> None:
    with pytest.raises(UnsafeURLError, match="cannot resolve"):
        GUARD.check("https://no-such-host.invalid/")
    with pytest.raises(UnsafeURLError, match="no host"):
        GUARD.check("http:///path")


def test_public_hosts_pass() -> None:
    assert [str(a) for a in GUARD.check("https://example.org/page")] == ["93.184.215.14"]
    assert len(GUARD.check("https://dual.example/")) == 2


def test_credentials_never_appear_in_errors() -> None:
    with pytest.raises(UnsafeURLError) as info:
        GUARD.check("http://user:s3cret@10.0.0.1/")
    assert "s3cret" not in str(info.value)


def test_opt_in_by_host_or_network() -> None:
    assert UrlGuard.allowing(hosts=["intranet.corp"], resolver=resolver).check(
        "http://intranet.corp/"
    )
    guard = UrlGuard.allowing(networks=["127.0.0.0/8"], resolver=resolver)
    assert guard.check("http://127.0.0.1:9000/")
    with pytest.raises(UnsafeURLError):
        guard.check("http://localhost/")  # ::1 is not in 127.0.0.0/8


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_transport_rechecks_every_redirect_and_pins_the_address() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/start":
            return httpx.Response(302, headers={"Location": "http://rebind.example/internal"})
        return httpx.Response(200, json={"ok": True})

    async def fetch(url: str) -> httpx.Response:
        transport = GuardedTransport(httpx.MockTransport(handler), GUARD)
        async with httpx.AsyncClient(transport=transport, follow_redirects=True) as client:
            return await client.get(url)

    ok = run(fetch("https://example.org/fine"))
    assert ok.status_code == 200
    assert seen[-1].url.host == "93.184.215.14"  # connected to the vetted address…
    assert seen[-1].headers["Host"] == "example.org"  # …asking for the name
    assert seen[-1].extensions["sni_hostname"] == "example.org"
    with pytest.raises(UnsafeURLError, match=r"rebind\.example resolves to 10\.1\.2\.3"):
        run(fetch("https://example.org/start"))
    assert [r.url.path for r in seen[-1:]] == ["/start"]  # the private hop was never sent
