"""Resolution: references between facts, dedup, the store as cache, stale values, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from factframe.errors import GroundingError, ProviderError
from factframe.grounding import PROVIDERS, ProviderContext
from factframe.grounding.resolve import resolve_sync
from factframe.knowledge import Fact, FactRequest, KnowledgeStore, Provenance, Quantity

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


class Counting:
    """A fake online provider: answers ``value`` (or fails) and counts its calls."""

    name = "reading"
    offline_capable = False

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[dict[str, Any]] = []
        self.fail = fail

    async def fetch(self, request: FactRequest, ctx: ProviderContext) -> Fact:
        self.calls.append(dict(request.params))
        if self.fail:
            raise ProviderError("server error 503", self.name, "https://example.org/api")
        return Fact(
            key=request.key(),
            label="reading",
            value=Quantity(value=float(request.params.get("value", 1)), unit="percent"),
            provenance=Provenance(
                provider=self.name,
                source="https://example.org/api",
                retrieved_at=ctx.now,
                valid_until=ctx.now + timedelta(hours=1),
            ),
        )


def test_references_bind_a_place_to_lat_lon_and_zone() -> None:
    result = resolve_sync(
        {
            "city": {"provider": "geocode", "name": "Tokyo"},
            "sun": {"provider": "sun", "place": "{{ city }}", "date": "2026-11-24"},
            "clock": {"provider": "time", "place": "{{ city.location }}"},
        },
        now=NOW,
        offline=True,
    )
    assert result.requests["sun"].params["tz"] == "Asia/Tokyo"
    assert result.requests["sun"].params["lat"] == pytest.approx(35.69, abs=0.05)
    assert result.facts["sun"].value.fields["sunrise"].value.hour == 6  # type: ignore[union-attr]
    assert result.facts["clock"].value.fields["local_time"].value.hour == 21  # type: ignore[union-attr]


def test_equal_requests_are_fetched_once_and_the_cache_makes_no_calls() -> None:
    fake = Counting()
    store = KnowledgeStore(":memory:")
    requests = {
        "a": {"provider": "reading", "value": 5},
        "b": {"provider": "reading", "value": 5},
        "c": {"provider": "reading", "value": 7},
    }
    with PROVIDERS.enabled("reading", fake):
        first = resolve_sync(requests, store=store, now=NOW)
        assert len(fake.calls) == 2 and first.fetched == 2
        assert first.facts["a"] == first.facts["b"]
        second = resolve_sync(requests, store=store, now=NOW + timedelta(minutes=30))
        assert len(fake.calls) == 2 and second.fetched == 0  # all from the store
        assert second.facts == first.facts and not second.stale


def test_a_failing_provider_falls_back_to_a_recent_stale_value() -> None:
    store = KnowledgeStore(":memory:")
    with PROVIDERS.enabled("reading", Counting()):
        resolve_sync({"x": {"provider": "reading", "value": 3}}, store=store, now=NOW)
    later = NOW + timedelta(hours=3)  # expired 2 h ago
    with PROVIDERS.enabled("reading", Counting(fail=True)):
        result = resolve_sync({"x": {"provider": "reading", "value": 3}}, store=store, now=later)
        assert result.stale == {"x"} and result.facts["x"].value.value == 3.0  # type: ignore[union-attr]
        with pytest.raises(GroundingError, match="server error 503"):
            resolve_sync(
                {"x": {"provider": "reading", "value": 3}},
                store=store,
                now=later,
                max_stale=timedelta(hours=1),
            )


def test_every_unresolved_fact_is_named_and_nothing_is_invented() -> None:
    with PROVIDERS.enabled("reading", Counting(fail=True)), pytest.raises(GroundingError) as info:
        resolve_sync(
            {
                "ok": {"provider": "geocode", "name": "Lisbon", "source": "offline"},
                "down": {"provider": "reading"},
                "nowhere": {"provider": "geocode", "name": "Xyzzyville", "source": "offline"},
                "after": {"provider": "sun", "place": "{{ nowhere }}"},
                "typo": {"provider": "wether", "place": "Lisbon"},
                "loop1": {"provider": "sun", "place": "{{ loop2 }}"},
                "loop2": {"provider": "sun", "place": "{{ loop1 }}"},
                "ghost": {"provider": "sun", "place": "{{ missing }}"},
            },
            now=NOW,
        )
    reasons = dict(info.value.unresolved)
    assert set(reasons) == {"down", "nowhere", "after", "typo", "loop1", "loop2", "ghost"}
    assert "503" in reasons["down"] and "Xyzzyville" in reasons["nowhere"]
    assert "unresolved" in reasons["after"] and "unknown provider 'wether'" in reasons["typo"]
    assert "cycle" in reasons["loop1"] and "unknown fact" in reasons["ghost"]
    assert "7 of 8" in str(info.value)


def test_offline_uses_only_the_store_and_offline_providers() -> None:
    fake = Counting()
    store = KnowledgeStore(":memory:")
    with PROVIDERS.enabled("reading", fake):
        with pytest.raises(GroundingError, match="offline"):
            resolve_sync({"x": {"provider": "reading"}}, store=store, offline=True, now=NOW)
        assert fake.calls == []
        resolve_sync({"x": {"provider": "reading"}}, store=store, now=NOW)  # cached online
        result = resolve_sync({"x": {"provider": "reading"}}, store=store, offline=True, now=NOW)
        assert result.facts["x"].provenance.provider == "reading" and len(fake.calls) == 1
