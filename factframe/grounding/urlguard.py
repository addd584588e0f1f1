"""The URL guard: the one gate every fetch of a user-supplied URL goes through.

A URL passes when its scheme is http or https and *every* address its host resolves to is
a public (global) one: private, loopback, link-local, CGNAT, multicast, reserved,
documentation and cloud-metadata addresses are refused, in IPv4 and IPv6 (IPv4-mapped,
6to4 and Teredo addresses are judged by the IPv4 address inside). A caller may opt hosts
or networks in (a company proxy, a test server on 127.0.0.1).

:class:`GuardedTransport` applies the guard to every request an httpx client sends — each
redirect hop included — and connects to the address it vetted, not to whatever a second DNS
lookup returns (no DNS rebinding); TLS still verifies the certificate against the name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import httpx

from factframe.errors import UnsafeURLError

__all__ = ["GuardedTransport", "IPAddress", "Resolver", "UrlGuard", "system_resolver"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: ``resolver(host, port)`` returns the host's addresses as strings.
Resolver = Callable[[str, int], Sequence[str]]
_SCHEMES = ("http", "https")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), via the system resolver."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip.teredo is not None:
            return ip.teredo[1]
    return None


def why_not_public(ip: IPAddress) -> str | None:
    """Why ``ip`` is no public address (``"loopback"``, ``"private"``…), or None if it is."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        reason = why_not_public(inner)
        return f"{reason} (inside {ip})" if reason else None
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local or cloud metadata", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("carrier-grade NAT", isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("not globally routable", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


@dataclass(frozen=True)
class UrlGuard:
    """Decides which URLs may be fetched.

    Args:
        allow_hosts: host names or IP literals that may resolve to non-public addresses.
        allow_networks: networks whose addresses are allowed although not public
            (e.g. ``"127.0.0.0/8"`` for a test server).
        resolver: name resolution; injectable so tests need no DNS.
    """

    allow_hosts: frozenset[str] = frozenset()
    allow_networks: tuple[IPNetwork, ...] = ()
    resolver: Resolver = field(default=system_resolver, compare=False)

    @classmethod
    def allowing(
        cls,
        hosts: Iterable[str] = (),
        networks: Iterable[str] = (),
        resolver: Resolver = system_resolver,
    ) -> UrlGuard:
        """A guard that opts the given hosts and networks in."""
        nets = tuple(ipaddress.ip_network(n, strict=False) for n in networks)
        return cls(frozenset(h.lower() for h in hosts), nets, resolver)

    def check(self, url: str | httpx.URL) -> list[IPAddress]:
        """Vets ``url`` and returns the addresses it may be fetched from.

        Raises:
            UnsafeURLError: bad scheme, no host, unresolvable, or a non-public address.
        """
        try:
            return self._vet(url)
        except _Unresolved as exc:
            raise UnsafeURLError(exc.reason, exc.url) from None

    def _vet(self, url: str | httpx.URL) -> list[IPAddress]:
        try:
            parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise UnsafeURLError(f"not a valid URL ({exc})", str(url)) from None
        shown = str(parsed.copy_with(username=None, password=None)) if parsed.host else str(url)
        if parsed.scheme not in _SCHEMES:
            raise UnsafeURLError(
                f"scheme {parsed.scheme or '(none)'!r} is not allowed; use http or https", shown
            )
        host = parsed.host.lower()
        if not host:
            raise UnsafeURLError("the URL has no host", shown)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            addresses = [ipaddress.ip_address(host)]
        except ValueError:
            try:
                addresses = [
                    ipaddress.ip_address(a.split("%")[0]) for a in self.resolver(host, port)
                ]
            except (OSError, UnicodeError) as exc:
                raise _Unresolved(f"cannot resolve {host!r} ({exc})", shown) from None
        if not addresses:
            raise _Unresolved(f"{host!r} resolves to no address", shown)
        if host in self.allow_hosts:
            return addresses
        for ip in addresses:
            if any(ip in net for net in self.allow_networks if net.version == ip.version):
                continue
            reason = why_not_public(ip)
            if reason:
                what = f"{host} is" if host == str(ip) else f"{host} resolves to {ip},"
                raise UnsafeURLError(
                    f"{what} a {reason} address; fetching it could reach internal "
                    "services. Opt it in with UrlGuard.allowing(...) if intended",
                    shown,
                )
        return addresses


class _Unresolved(Exception):
    def __init__(self, reason: str, url: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport that vets every request (redirect hops included) with a guard and
    connects to the vetted address."""

    def __init__(self, inner: httpx.AsyncBaseTransport, guard: UrlGuard) -> None:
        self.inner = inner
        self.guard = guard

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:  # DNS may block: off the event loop
            addresses = await asyncio.to_thread(self.guard._vet, request.url)
        except _Unresolved as exc:  # a network failure (retried), not an unsafe URL
            raise httpx.ConnectError(exc.reason, request=request) from None
        host = request.url.host
        try:
            ipaddress.ip_address(host)
        except ValueError:  # a name: pin the connection to the address just vetted
            pinned = request.url.copy_with(host=str(addresses[0]))
            extensions = {**request.extensions, "sni_hostname": host}
            request = httpx.Request(
                request.method,
                pinned,
                headers=request.headers,  # keeps the original Host header
                stream=request.stream,
                extensions=extensions,
            )
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
