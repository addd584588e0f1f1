"""What a render knows about its facts: each fact, whether it is stale, who used it.

It becomes the sidecar ``NAME.facts.json`` next to a saved picture and a short provenance
record in the PNG's metadata, so every number on an image can be traced to its source.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from factframe.knowledge.facts import Fact

__all__ = ["FactReport"]


@dataclass(frozen=True)
class FactReport:
    """The facts of one render.

    Attributes:
        facts: by spec name.
        stale: names of facts served past their expiry (the failure policy's fallback).
        used_by: fact name → ids of the blocks whose text used it.
        rendered_at: the moment facts were resolved.
    """

    facts: Mapping[str, Fact]
    stale: frozenset[str] = frozenset()
    used_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    rendered_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """The sidecar document: every fact with value, source, timestamps and users."""
        return {
            "rendered_at": self.rendered_at.isoformat() if self.rendered_at else None,
            "facts": [
                {
                    "name": name,
                    "key": fact.key,
                    "label": fact.label,
                    "value": fact.value.model_dump(mode="json"),
                    "provenance": fact.provenance.model_dump(mode="json"),
                    "stale": name in self.stale,
                    "used_by": list(self.used_by.get(name, ())),
                }
                for name, fact in self.facts.items()
            ],
        }

    def short_record(self) -> str:
        """A compact JSON line for image metadata: providers, sources and times."""
        return json.dumps(
            {
                "facts": len(self.facts),
                "stale": sorted(self.stale),
                "sources": sorted({f.provenance.source for f in self.facts.values()}),
                "retrieved": sorted(
                    {f.provenance.retrieved_at.isoformat() for f in self.facts.values()}
                ),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
