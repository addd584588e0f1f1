"""Asking a LangChain chat model for structured answers, and keeping its numbers out.

Any langchain-core chat model works (``ChatOpenAI``, ``ChatGoogleGenerativeAI``, a local
one…): :func:`ask` calls ``llm.with_structured_output(schema, include_raw=True)``, so an
answer that does not fit the schema comes back as an error to report, never as a half-read
object. langchain-core is the optional extra ``llm``; it is imported only here, when a
model is used.

**Numbers come from facts.** A model may word things, but every number on a picture must
be traceable: :func:`ungrounded_numbers` finds the numbers a model wrote outside
``{{ … }}`` templates that the user's own words (the brief or the instruction, and the spec
being edited) do not contain. Numbers are compared whole, in any script's digits
(``٢٠٢٦`` is ``2026``), group separators ignored (``1,500`` is ``1500``): a ``62`` is not
allowed by a brief that has a ``6`` and a ``2``. Numeric literals in block data (a chart's
inline values) count as numbers written; style values (sizes, weights) and an image's
seed are design, not facts, and are not checked. Coordinates in fact requests are never
taken from a model: places come from a ``geocode`` fact (``place: "{{ city }}"``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from factframe.errors import FactframeError, MissingDependencyError

__all__ = ["ask", "numbers_in", "require_langchain", "ungrounded_numbers", "written_numbers"]

T = TypeVar("T", bound=BaseModel)

_NUMBER = re.compile(r"\d+(?:[.,\u066b\u066c\u00a0\u202f']\d+)*")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
#: Keys of a block whose values are design, not facts (never checked for numbers).
DESIGN_KEYS = frozenset(
    {"style", "id", "type", "seed", "generate", "backend", "aspect", "fit", "lang", "ordered"}
)
#: Parameters of a fact request a model may not fill with numbers of its own.
COORDINATES = frozenset({"lat", "lon"})


def require_langchain() -> None:
    """Raises:
    MissingDependencyError: langchain-core is not installed."""
    try:
        import langchain_core  # noqa: F401
    except ImportError:
        raise MissingDependencyError(
            "talking to a chat model needs langchain-core: pip install 'factframe[llm]'"
        ) from None


def _summary(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        parts = [
            f"{'.'.join(str(p) for p in e['loc']) or '(answer)'}: {e['msg']}"
            for e in error.errors(include_url=False)[:3]
        ]
        more = error.error_count() - len(parts)
        return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")
    return str(error) or type(error).__name__


def ask(
    llm: Any,
    schema: type[T],
    messages: list[tuple[str, str]],
    error: Callable[[str], FactframeError],
) -> T:
    """The model's answer as an instance of ``schema``.

    Args:
        llm: a langchain-core chat model.
        messages: ``(role, text)`` pairs (``system``, ``human``, ``ai``).
        error: makes the error to raise from a message.

    Raises:
        MissingDependencyError: langchain-core is not installed.
        FactframeError: (from ``error``) the model cannot give structured output, failed,
            or answered something that does not fit the schema.
    """
    require_langchain()
    try:
        runnable = llm.with_structured_output(schema, include_raw=True)
    except (NotImplementedError, AttributeError) as exc:
        raise error(
            f"the chat model cannot give structured output ({_summary(exc)}); use a model "
            "that supports tool calling"
        ) from None
    try:
        answer = runnable.invoke(messages)
    except ValidationError as exc:
        raise error(_invalid(schema, exc)) from None
    except FactframeError:
        raise
    except Exception as exc:  # a provider's own errors: network, quota, refusals
        raise error(f"the chat model failed: {type(exc).__name__}: {_summary(exc)}") from exc
    parsed, problem = answer, None
    if isinstance(answer, Mapping) and "parsed" in answer:
        parsed, problem = answer.get("parsed"), answer.get("parsing_error")
    if problem is not None:
        raise error(_invalid(schema, problem))
    if isinstance(parsed, schema):
        return parsed
    if parsed is None:
        raise error(f"the model gave no {schema.__name__} (no structured answer)")
    try:
        return schema.model_validate(parsed)
    except ValidationError as exc:
        raise error(_invalid(schema, exc)) from None


def _invalid(schema: type[BaseModel], problem: BaseException) -> str:
    return f"the model's answer is not a valid {schema.__name__}: {_summary(problem)}"


def _ascii(number: str) -> str:
    digits = (str(unicodedata.digit(c)) if c.isdigit() else c for c in number)
    return re.sub(r"[,\u066c\u00a0\u202f']", "", "".join(digits)).replace("\u066b", ".")


def numbers_in(text: str) -> set[str]:
    """Every number in ``text``, normalised (ASCII digits, no group separators)."""
    return {_ascii(n) for n in _NUMBER.findall(text)}


def ungrounded_numbers(text: str, allowed: Iterable[str]) -> list[str]:
    """The numbers of ``text`` outside ``{{ }}``/``{% %}`` that ``allowed`` (texts the user
    wrote) does not contain, as written."""
    known: set[str] = set()
    for source in allowed:
        known |= numbers_in(source)
    outside = _TEMPLATE.sub(" ", text)
    return [n for n in _NUMBER.findall(outside) if _ascii(n) not in known]


def written_numbers(value: Any, path: str) -> list[tuple[str, str]]:
    """``(path, text)`` of every string and number a model wrote in a block's data,
    design keys (:data:`DESIGN_KEYS`) left out; numbers as text."""
    out: list[tuple[str, str]] = []
    if isinstance(value, bool) or value is None:
        return out
    if isinstance(value, str):
        out.append((path, value))
    elif isinstance(value, int | float):
        out.append((path, f"{value:g}"))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in DESIGN_KEYS:
                out += written_numbers(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            out += written_numbers(item, f"{path}[{i}]")
    return out
