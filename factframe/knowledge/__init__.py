"""Facts with provenance, and the SQLite store that keeps them."""

from factframe.knowledge.facts import (
    ColorValue,
    DateTimeValue,
    Fact,
    FactRequest,
    FactValue,
    GeoPoint,
    ImageRef,
    NumberValue,
    Provenance,
    Quantity,
    RecordValue,
    SeriesValue,
    TextSeriesValue,
    TextValue,
)
from factframe.knowledge.report import FactReport
from factframe.knowledge.store import KnowledgeStore, StoredFact, default_store_path

__all__ = [
    "ColorValue",
    "DateTimeValue",
    "Fact",
    "FactReport",
    "FactRequest",
    "FactValue",
    "GeoPoint",
    "ImageRef",
    "KnowledgeStore",
    "NumberValue",
    "Provenance",
    "Quantity",
    "RecordValue",
    "SeriesValue",
    "StoredFact",
    "TextSeriesValue",
    "TextValue",
    "default_store_path",
]
