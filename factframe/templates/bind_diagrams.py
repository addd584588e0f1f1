"""Binding facts into the diagram blocks: timeline, process and map.

Their text fields (an event's title and text, a step's title and text, a marker's name)
are rendered as templates like any block text. Two fields bind values, the way a chart's
numbers do (:func:`~factframe.templates.sandbox.evaluate`):

- an event's ``date: "{{ launch }}"``: a date-time fact (or an ISO date text) becomes
  its ISO date, written in the locale by the planner;
- a marker's ``place: "{{ city }}"``: a geo point, or a place record (a geocode fact)
  whose ``location`` gives lat/lon and whose ``name`` labels the marker when it has no
  ``name`` of its own.

The bound block is validated again as ``blocks[i]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from factframe.errors import TemplateError
from factframe.knowledge import DateTimeValue, Fact, GeoPoint, RecordValue, TextValue
from factframe.spec import MapBlock, ProcessBlock, TimelineBlock, parse_block
from factframe.templates.sandbox import FactBinding

__all__ = ["bind_diagram"]

Diagram = TimelineBlock | ProcessBlock | MapBlock


def bind_diagram(
    block: Diagram, index: int, facts: Mapping[str, Fact], locale: str
) -> tuple[Diagram, set[str]]:
    """A timeline, process or map block with its facts bound.

    Returns:
        the bound block (validated again as ``blocks[index]``) and the facts it used.

    Raises:
        TemplateError: a template is wrong or gives the wrong kind of value (naming the
            field, e.g. ``blocks[2].markers[0].place``).
        SpecError: the bound block is invalid (a bad date, a latitude out of range).
    """
    where = f"blocks[{index}]"
    fields = block.model_dump()
    binding = FactBinding(facts, locale)
    text = binding.text
    if isinstance(block, TimelineBlock):
        for k, event in enumerate(fields["events"]):
            path = f"{where}.events[{k}]"
            if "{{" in event["date"]:
                event["date"] = binding.value(event["date"], f"{path}.date", _iso)
            event["title"] = text(event["title"], f"{path}.title")
            event["text"] = text(event["text"], f"{path}.text")
    elif isinstance(block, ProcessBlock):
        for k, step in enumerate(fields["steps"]):
            step["title"] = text(step["title"], f"{where}.steps[{k}].title")
            step["text"] = text(step["text"], f"{where}.steps[{k}].text")
    else:
        for k, marker in enumerate(fields["markers"]):
            path = f"{where}.markers[{k}]"
            if marker["place"] is not None:
                point, name = binding.value(marker["place"], f"{path}.place", _place)
                marker.update(lat=point.lat, lon=point.lon, place=None)
                if marker["name"] is None:
                    marker["name"] = name
            marker["name"] = text(marker["name"], f"{path}.name")
    bound = parse_block(fields, index)
    assert isinstance(bound, TimelineBlock | ProcessBlock | MapBlock)
    return bound, binding.used


def _iso(value: Any, where: str) -> str:
    if isinstance(value, DateTimeValue):
        value = value.value
    if isinstance(value, TextValue):
        value = value.text
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    kind = getattr(value, "kind", type(value).__name__)
    raise TemplateError(f"gives a {kind}, not a date", where)


def _place(value: Any, where: str) -> tuple[GeoPoint, str | None]:
    if isinstance(value, GeoPoint):
        return value, None
    if isinstance(value, RecordValue):
        location = value.fields.get("location") or value.fields.get("center")
        name = value.fields.get("name")
        if isinstance(location, GeoPoint):
            return location, name.text if isinstance(name, TextValue) else None
    kind = getattr(value, "kind", type(value).__name__)
    raise TemplateError(f"gives a {kind}, not a place with a location (a geo fact)", where)
