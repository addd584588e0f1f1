"""LangChain adapter: every provider as a ``StructuredTool`` (extra ``llm``: ``langchain-core``).

An agent calls ``factframe_weather(lat=…, lon=…, current=[…])`` and gets back the value
*with its source* as the tool message's text, and the :class:`Fact` itself as the tool
message's artifact, so a caller can put the exact fact into a spec. Calls go through
:func:`~factframe.grounding.resolve.resolve`: the store answers first, failures follow the
failure policy (a stale value, flagged, or an error the agent can read), and nothing is
ever made up.

The argument schema of a tool is its provider's ``params`` model when the provider has one
(the built-in ones do), so the model sees every parameter, its type and its limits.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from factframe.errors import GroundingError, MissingDependencyError, UnsafeURLError
from factframe.grounding.http import HttpClient
from factframe.grounding.provider import PROVIDERS, Provider
from factframe.grounding.resolve import resolve, run_coroutine
from factframe.knowledge import Fact, KnowledgeStore, describe

if TYPE_CHECKING:
    from langchain_core.tools import StructuredTool

__all__ = ["as_tools", "fact_message"]


class _AnyParams(BaseModel):
    """Parameters of a provider without a ``params`` model: passed through as given."""

    model_config = ConfigDict(extra="allow")


def fact_message(fact: Fact, *, stale: bool = False, locale: str = "en") -> str:
    """The text an agent reads: label, value, and where it came from."""
    p = fact.provenance
    credit = "; ".join(filter(None, [p.attribution, p.license]))
    return (
        f"{fact.label}: {describe(fact.value, locale)}\n"
        f"source: {p.provider} — {p.source} (retrieved {p.retrieved_at.isoformat()}, "
        f"{p.method}{', STALE' if stale else ''}{f'; {credit}' if credit else ''})"
    )


def _description(provider: Provider) -> str:
    doc = sys.modules[type(provider).__module__].__doc__ or type(provider).__doc__ or ""
    first = doc.strip().split("\n\n")[0].replace("\n", " ")
    return first or f"Facts from the {provider.name} provider, with their sources."


def as_tools(
    names: Iterable[str] | None = None,
    *,
    store: KnowledgeStore | None = None,
    offline: bool = False,
    locale: str = "en",
    http: HttpClient | None = None,
) -> list[StructuredTool]:
    """The providers as LangChain tools named ``factframe_<provider>`` (one per kind,
    ``factframe_places_summary``…, for a provider whose ``params`` maps kinds to models).

    Args:
        names: which providers (all registered ones by default).
        store: the fact store used as cache and stale fallback.
        offline: only the store and offline providers.
        locale: the locale facts are asked for (units, languages).
        http: the HTTP client to share (tests pass one with a mock transport).

    Raises:
        MissingDependencyError: langchain-core is not installed.
        UnknownNameError: a name is not a registered provider.
    """
    try:
        from langchain_core.tools import StructuredTool, ToolException
    except ImportError:
        raise MissingDependencyError(
            "the LangChain adapters need langchain-core: pip install 'factframe[llm]'"
        ) from None

    def make(provider: Provider, kind: str | None, model: type[BaseModel]) -> StructuredTool:
        fixed = {"kind": kind} if kind else {}
        schema = model
        if kind:  # the tool fills ``kind`` in: the model sees only the real parameters
            schema = create_model(
                f"{model.__name__}Args",
                __base__=model,
                __doc__=model.__doc__,
                kind=(Literal[kind], kind),  # type: ignore[arg-type]
            )

        async def call(**arguments: Any) -> tuple[str, Fact]:
            request = {"provider": provider.name, **_plain(arguments), **fixed}
            try:
                resolution = await resolve(
                    {"fact": request}, store=store, http=http, offline=offline, locale=locale
                )
            except (GroundingError, UnsafeURLError) as exc:
                reasons = getattr(exc, "unresolved", ())
                raise ToolException("; ".join(r for _, r in reasons) or str(exc)) from exc
            fact = resolution.facts["fact"]
            return fact_message(fact, stale="fact" in resolution.stale, locale=locale), fact

        def call_sync(**arguments: Any) -> tuple[str, Fact]:
            return run_coroutine(call(**arguments))

        about = _description(provider)
        if kind and model.__doc__:
            about = f"{model.__doc__.strip()} ({about})"
        return StructuredTool.from_function(
            func=call_sync,
            coroutine=call,
            name=f"factframe_{provider.name}" + (f"_{kind}" if kind else ""),
            description=about,
            args_schema=schema,
            response_format="content_and_artifact",
            handle_tool_error=True,
            handle_validation_error=_invalid,
        )

    tools = []
    for name in list(names) if names is not None else PROVIDERS.names():
        provider = PROVIDERS.get(name)
        params = getattr(provider, "params", None) or _AnyParams
        kinds = params.items() if isinstance(params, Mapping) else [(None, params)]
        tools += [make(provider, kind, model) for kind, model in kinds]
    return tools


def _invalid(error: Exception) -> str:
    """A schema error as the text the agent reads (it can correct its call)."""
    if isinstance(error, ValidationError):
        return "invalid arguments: " + "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(arguments)'}: {e['msg']}"
            for e in error.errors(include_url=False)
        )
    return f"invalid arguments: {error}"


def _plain(arguments: dict[str, Any]) -> dict[str, Any]:
    """Tool arguments as request parameters: unset ones dropped, dates as ISO text."""
    out = {}
    for key, value in arguments.items():
        if value is None:
            continue
        out[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return out
