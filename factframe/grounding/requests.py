"""Checking fact requests before anything is fetched.

A spec's ``facts`` (or a model's draft of them, or an edit adding one) are checked against
the provider registry: the provider exists, and its parameters are valid for its
``params`` model (per ``kind`` for a provider with several). A value that refers to
another fact (``place: "{{ city }}"``) must name a fact of the same spec; it is filled in
only when the facts are resolved, so a place stands in as a valid point here and other
referring values are left to the provider.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from factframe.grounding.provider import PROVIDERS
from factframe.registry import UnknownNameError

__all__ = ["check_requests"]

_REFERENCE = re.compile(r"^\s*\{\{\s*([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*\}\}\s*$")


def check_requests(
    requests: Mapping[str, Mapping[str, Any]], only: Iterable[str] | None = None
) -> list[tuple[str, str]]:
    """The problems of fact requests, as ``(fact name, reason)``; empty when all are valid.

    Args:
        requests: named requests, as a spec's ``facts`` gives them.
        only: check only these names (the others are still there to be referred to).
    """
    names = list(requests) if only is None else list(only)
    problems: list[tuple[str, str]] = []
    for name in names:
        reason = _problem(requests[name], requests)
        if reason is not None:
            problems.append((name, reason))
    return problems


def _problem(request: Mapping[str, Any], requests: Mapping[str, Any]) -> str | None:
    provider_name = request.get("provider")
    if not isinstance(provider_name, str) or not provider_name:
        return "no provider; e.g. {provider: geocode, name: Tokyo}"
    try:
        provider = PROVIDERS.get(provider_name)
    except UnknownNameError:
        known = ", ".join(PROVIDERS.names())
        return f"unknown provider {provider_name!r}; the providers are {known}"
    params = {k: v for k, v in request.items() if k not in ("provider", "field")}
    model = getattr(provider, "params", None)
    if isinstance(model, Mapping):
        kind = params.get("kind")
        if kind not in model:
            return f"{provider_name} needs a kind: one of {', '.join(model)}"
        model = model[kind]
        params = {k: v for k, v in params.items() if k != "kind"}
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None  # a provider without a params model checks its own
    deferred: set[str] = set()
    for key, value in list(params.items()):
        m = _REFERENCE.match(value) if isinstance(value, str) else None
        if m is None:
            continue
        if m.group(1) not in requests:
            return f"parameter {key!r} refers to {m.group(1)!r}, which is not a fact of the spec"
        if key == "place" and {"lat", "lon"} <= set(model.model_fields):
            del params[key]
            params |= {"lat": 0.0, "lon": 0.0}  # stands in for the place, filled in later
        else:
            deferred.add(key)
            del params[key]
    try:
        model.model_validate(params)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = [str(p) for p in error["loc"]]
            if loc and loc[0] in deferred:
                continue
            where = ".".join(loc) or "(parameters)"
            message = "unknown parameter" if error["type"] == "extra_forbidden" else error["msg"]
            return f"{provider_name}: parameter {where!r}: {message}"
    return None
