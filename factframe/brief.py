"""Brief → spec: a language model proposes, grounding resolves.

:func:`plan` asks a langchain-core chat model for a :class:`SpecDraft`: blocks whose text
shows facts through ``{{ fact.field }}`` templates, and the fact requests behind them
(providers and parameters from the registry, described to the model in the prompt). The
draft is then checked before it becomes a :class:`~factframe.spec.Spec`:

- every fact names a registered provider with valid parameters
  (:func:`~factframe.grounding.requests.check_requests`), and every template names a
  declared fact;
- **no number is taken from the model**: a number in the blocks outside ``{{ }}`` that the
  brief does not contain, or coordinates the brief does not give, are refused
  (:mod:`factframe.llm` states the rule);
- the result is a valid spec.

Anything wrong raises :class:`~factframe.errors.DraftError` naming the field. The facts
are resolved when the spec is rendered, with their provenance, like any other spec's.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from factframe.errors import DraftError, SpecError
from factframe.llm import ask, numbers_in, ungrounded_numbers, written_numbers
from factframe.spec import Block, Spec, parse_spec

__all__ = ["FactDraft", "SpecDraft", "plan"]

_EXPRESSION = re.compile(r"\{\{\s*([A-Za-z_]\w*)")


class FactDraft(BaseModel):
    """One fact the picture needs, asked of a provider."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(
        pattern=r"^[A-Za-z_]\w{0,63}$", description="how blocks refer to it: {{ name.field }}"
    )
    provider: str = Field(description="a provider's name, e.g. geocode, weather, time")
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="the provider's parameters; a place is another fact: place: '{{ city }}'",
    )


class SpecDraft(BaseModel):
    """A picture's spec as proposed for a brief: size, facts and blocks.

    Write every number through a fact template ({{ fact.field }}), never as a literal,
    unless the brief itself gives it. Places come from a geocode fact."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    canvas: str = Field("square", description="square, portrait, story, landscape, og, 4k…")
    layout: str = Field("auto", description="auto, stack, grid, hero, columns, poster…")
    facts: list[FactDraft] = Field(default_factory=list, max_length=20)
    blocks: list[Block] = Field(min_length=1, max_length=30)


def _catalogue() -> str:
    """The providers and their parameters, for the prompt."""
    from factframe.grounding.provider import PROVIDERS

    lines = []
    for name in PROVIDERS.names():
        params = getattr(PROVIDERS.get(name), "params", None)
        models = params.items() if isinstance(params, dict) else [(None, params)]
        for kind, model in models:
            fields = ", ".join(getattr(model, "model_fields", {})) or "(any)"
            lines.append(f"- {name}{f' (kind: {kind})' if kind else ''}: {fields}")
    return "\n".join(lines)


_SYSTEM = """You design information graphics. Answer with a SpecDraft for the user's brief.
Blocks: title, subtitle, text, stat (value, label, unit), list (items), chart, image
(prompt, backend: procedural), divider, footer. Text is typeset exactly, in locale {locale}.
Facts: every number shown must come from a fact, written as a template such as
{{{{ now.temperature | unit }}}} or {{{{ city.population | compact }}}}; never write a
number yourself unless the brief gives it. Places are geocode facts (provider geocode,
params name); other facts refer to them with place: '{{{{ city }}}}', never with coordinates.
The providers and their parameters:
{catalogue}"""


def plan(brief: str, *, llm: Any, locale: str = "en", canvas: str | None = None) -> Spec:
    """A spec for ``brief``, proposed by ``llm`` and checked (see the module's docs).

    Args:
        brief: what the picture should show, in the user's words.
        llm: a langchain-core chat model (extra ``llm``).
        locale: the picture's locale (BCP 47).
        canvas: the size, overriding the model's choice (a preset or ``WxH``).

    Returns:
        a valid :class:`Spec` whose facts are resolved when it is rendered.

    Raises:
        MissingDependencyError: langchain-core is not installed.
        DraftError: the model's answer is not a valid draft, names an unknown provider or
            a bad parameter or fact, or writes numbers the brief does not contain (names
            the field and the numbers).

    Example:
        >>> spec = plan("Today's weather in Tokyo", llm=model, locale="ja-JP")  # doctest: +SKIP
        >>> factframe.render(spec).save("tokyo.png")  # doctest: +SKIP
    """
    messages = [
        ("system", _SYSTEM.format(locale=locale, catalogue=_catalogue())),
        ("human", brief),
    ]
    draft = ask(llm, SpecDraft, messages, lambda m: DraftError(m))
    facts = _facts(draft, brief)
    blocks = []
    for i, block in enumerate(draft.blocks):
        data = {**block.model_dump(exclude_unset=True), "type": block.type}
        _check_block(data, i, brief, facts)
        blocks.append(data)
    spec = {
        "canvas": canvas or draft.canvas,
        "locale": locale,
        "layout": draft.layout,
        "facts": facts,
        "blocks": blocks,
    }
    try:
        return parse_spec(spec)
    except SpecError as exc:
        raise DraftError(f"the draft is not a valid spec: {exc.reason}", exc.path) from None


def _facts(draft: SpecDraft, brief: str) -> dict[str, dict[str, Any]]:
    from factframe.grounding.requests import check_requests

    facts: dict[str, dict[str, Any]] = {}
    given = numbers_in(brief)
    for fact in draft.facts:
        path = f"facts.{fact.name}"
        if fact.name in facts:
            raise DraftError(f"the fact {fact.name!r} is declared twice", path)
        for key in ("lat", "lon"):
            value = fact.params.get(key)
            if isinstance(value, int | float) and not numbers_in(f"{value:g}") <= given:
                raise DraftError(
                    "coordinates are never taken from a model; use a geocode fact and "
                    "place: '{{ city }}'",
                    f"{path}.{key}",
                    numbers=[f"{value:g}"],
                )
        facts[fact.name] = {"provider": fact.provider, **fact.params}
    for name, reason in check_requests(facts):
        raise DraftError(reason, f"facts.{name}")
    return facts


def _check_block(data: dict[str, Any], i: int, brief: str, facts: dict[str, Any]) -> None:
    for path, text in written_numbers(data, f"blocks[{i}]"):
        for name in _EXPRESSION.findall(text):
            if name not in facts:
                known = ", ".join(facts) or "none"
                raise DraftError(f"the template uses {name!r}, not a declared fact ({known})", path)
        invented = ungrounded_numbers(text, [brief])
        if invented:
            raise DraftError(
                f"the model wrote {', '.join(invented)}, which the brief does not contain; "
                "numbers must come from facts ({{ fact.field }})",
                path,
                numbers=invented,
            )
