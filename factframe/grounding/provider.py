"""The provider contract: a named source that turns a :class:`FactRequest` into a :class:`Fact`.

A provider may also expose ``params``: the :class:`Params` model of its parameters, or a
mapping ``kind → model`` when a ``kind`` parameter picks among request shapes. The
LangChain tools (:mod:`factframe.grounding.tools`) show it to the model as the schema.

Each provider is one self-contained module (``grounding/weather.py``…) that imports only
core types, never another provider, and registers itself in :data:`PROVIDERS`. Third
parties register under the entry-point group ``factframe.providers``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from factframe.errors import ProviderError
from factframe.grounding.http import HttpClient
from factframe.knowledge import Fact, FactRequest
from factframe.registry import Registry

__all__ = ["PROVIDERS", "Params", "Provider", "ProviderContext", "parse_params"]

ParamsT = TypeVar("ParamsT", bound="Params")


@dataclass(frozen=True)
class ProviderContext:
    """What a provider may use besides its request.

    Attributes:
        http: the shared HTTP client (None only when offline).
        offline: use no network.
        locale: the spec's locale (labels, units).
        now: the moment of the render, injectable for reproducible tests.
    """

    http: HttpClient | None = None
    offline: bool = False
    locale: str = "en"
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


class Provider(Protocol):
    """A source of facts."""

    #: the name requests use (``provider: weather``)
    name: str
    #: whether :meth:`fetch` can answer with no network
    offline_capable: bool

    async def fetch(self, request: FactRequest, ctx: ProviderContext) -> Fact:
        """Returns the fact for ``request``, keyed ``request.key()``, with provenance.

        Raises:
            ProviderError: the source failed or does not know the answer.
        """
        ...


class Params(BaseModel):
    """Base of a provider's parameter model: frozen, unknown parameters refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def parse_params(provider: str, model: type[ParamsT], request: FactRequest) -> ParamsT:
    """Validates a request's parameters.

    Raises:
        ProviderError: naming the bad parameter and what was wrong.
    """
    try:
        return model.model_validate(request.params)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        name = ".".join(str(p) for p in first["loc"]) or "(parameters)"
        message = "unknown parameter" if first["type"] == "extra_forbidden" else first["msg"]
        raise ProviderError(f"parameter {name!r}: {message}", provider) from None


#: Every provider by name.
PROVIDERS: Registry[Provider] = Registry("provider", group="factframe.providers")
