"""Binding facts into text: a sandboxed Jinja2 environment with locale-aware filters.

Templates and data rows are untrusted input. Text is rendered by Jinja2's
``SandboxedEnvironment`` (no access to ``__class__``, ``__globals__`` and friends) with
``StrictUndefined`` (a misspelt fact is an error, never an empty string), under a time
limit (a runaway loop is cut off) and an output size limit.

Facts enter templates as read-only views that format themselves in the locale
(``{{ now.temperature }}`` → ``18.5°C``) and record which facts each text used, so every
number on the image can be traced to its source. Filters: ``number``, ``unit``,
``percent``, ``compact``, ``date``, ``time``.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from types import FrameType
from typing import Any, Literal, TypeVar

import babel.dates
import babel.numbers
import babel.units
import jinja2
from jinja2.sandbox import SandboxedEnvironment

from factframe.errors import TemplateError
from factframe.knowledge import (
    DateTimeValue,
    Fact,
    FactValue,
    GeoPoint,
    NumberValue,
    Quantity,
    SeriesValue,
    TextSeriesValue,
    TextValue,
)

__all__ = ["FactBinding", "FactView", "evaluate", "format_date", "render_text"]

T = TypeVar("T")

#: Longest a text template may render, in seconds.
RENDER_TIME_LIMIT = 1.0  # generous: Babel loads locale data lazily, slowly under tracing
MAX_OUTPUT_CHARS = 10_000


def _babel_locale(tag: str) -> str:
    return tag.replace("-", "_")


class _Used:
    """The names of the facts a template touched."""

    def __init__(self) -> None:
        self.names: set[str] = set()


class FactView:
    """A fact value inside a template: formats itself in the locale when printed."""

    def __init__(self, value: FactValue, locale: str, fact: str, used: _Used) -> None:
        self._value, self._locale, self._fact, self._used = value, locale, fact, used

    def _touch(self) -> FactValue:
        self._used.names.add(self._fact)
        return self._value

    @property
    def value(self) -> Any:
        v = self._touch()
        return getattr(v, "value", getattr(v, "text", None))

    @property
    def unit(self) -> str | None:
        return getattr(self._touch(), "unit", None)

    def __getattr__(self, name: str) -> Any:
        v = self._touch()
        if v.kind == "record" and name in v.fields:
            return _view(v.fields[name], self._locale, self._fact, self._used)
        if v.kind == "geo" and name in ("lat", "lon", "alt"):
            return getattr(v, name)
        if isinstance(v, SeriesValue | TextSeriesValue) and name == "index":
            return list(v.index)
        raise AttributeError(name)

    def __getitem__(self, index: int) -> Any:
        v = self._touch()
        if isinstance(v, TextSeriesValue):
            return v.values[index]
        if v.kind != "series":
            raise TypeError(f"a {v.kind} has no items")
        item = v.values[index]
        if item is None:
            raise TemplateError(f"{self._fact}[{index}] has no value at the source")
        if v.unit:
            return _view(_quantity(item, v.unit), self._locale, self._fact, self._used)
        return item

    def __iter__(self) -> Iterator[Any]:
        v = self._touch()
        if isinstance(v, TextSeriesValue):
            return iter(v.values)
        if v.kind != "series":
            raise TypeError(f"a {v.kind} cannot be iterated")
        return (self[i] for i in range(len(v.values)))

    def __len__(self) -> int:
        v = self._touch()
        return len(v.values) if isinstance(v, SeriesValue | TextSeriesValue) else 1

    def __str__(self) -> str:
        return _format(self._touch(), self._locale)


def _quantity(value: float, unit: str) -> FactValue:
    return Quantity(value=value, unit=unit)


def _view(value: FactValue, locale: str, fact: str, used: _Used) -> Any:
    if value.kind == "text":
        used.names.add(fact)
        return value.text
    return FactView(value, locale, fact, used)


def _format(value: FactValue, locale: str) -> str:
    loc = _babel_locale(locale)
    if isinstance(value, Quantity):
        return _unit(value.value, value.unit, loc)
    if isinstance(value, NumberValue):
        return babel.numbers.format_decimal(value.value, locale=loc)
    if isinstance(value, TextValue):
        return value.text
    if isinstance(value, DateTimeValue):
        return babel.dates.format_datetime(
            value.value, "medium", tzinfo=value.value.tzinfo, locale=loc
        )
    if isinstance(value, GeoPoint):
        ns = "N" if value.lat >= 0 else "S"
        ew = "E" if value.lon >= 0 else "W"
        return f"{abs(value.lat):.2f}° {ns}, {abs(value.lon):.2f}° {ew}"
    if isinstance(value, SeriesValue):
        unit = value.unit
        return ", ".join(
            "–" if v is None else (_unit(v, unit, loc) if unit else str(v)) for v in value.values
        )
    if isinstance(value, TextSeriesValue):
        return ", ".join(value.values)
    raise TemplateError(f"a {value.kind} cannot be printed as text; pick one of its fields")


Length = Literal["short", "long", "narrow"]


def _unit(number: float, unit: str, loc: str, length: Length = "short") -> str:
    if unit == "percent":
        return babel.numbers.format_percent(number / 100, locale=loc)
    try:
        return str(babel.units.format_unit(number, unit, length=length, locale=loc))
    except babel.units.UnknownUnitError:
        return f"{babel.numbers.format_decimal(number, locale=loc)} {unit}"


def _number_of(x: Any) -> float:
    if isinstance(x, FactView):
        x = x.value
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise TemplateError(f"expected a number, got {type(x).__name__}")
    return float(x)


def _make_filters(locale: str) -> dict[str, Any]:
    loc = _babel_locale(locale)

    def number(x: Any, digits: int | None = None) -> str:
        fmt = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
        return babel.numbers.format_decimal(_number_of(x), format=fmt, locale=loc)

    def unit(x: Any, length: Length = "short") -> str:
        if not isinstance(x, FactView) or x.unit is None:
            raise TemplateError("the unit filter needs a quantity fact (a value with a unit)")
        return _unit(x.value, x.unit, loc, length)

    def percent(x: Any) -> str:
        if isinstance(x, FactView) and x.unit == "percent":
            return babel.numbers.format_percent(x.value / 100, locale=loc)
        return babel.numbers.format_percent(_number_of(x), locale=loc)

    def compact(x: Any) -> str:
        return babel.numbers.format_compact_decimal(_number_of(x), locale=loc, fraction_digits=1)

    def _when(x: Any) -> datetime | date:
        if isinstance(x, FactView):
            x = x.value
        if isinstance(x, str):
            try:
                return datetime.fromisoformat(x) if "T" in x else date.fromisoformat(x)
            except ValueError:
                raise TemplateError(f"{x!r} is not an ISO date") from None
        if isinstance(x, datetime | date):
            return x
        raise TemplateError(f"expected a date, got {type(x).__name__}")

    def date_(x: Any, pattern: str = "medium") -> Any:
        """A date (or each date of a list) as ``short``…``full``, a CLDR skeleton
        (``MMMd``: adapts to the locale) or a CLDR pattern (``EEE``)."""
        if isinstance(x, FactView) and isinstance(x._touch(), TextSeriesValue):
            x = list(x)  # a series of days: each day
        if isinstance(x, list | tuple):
            return [date_(item, pattern) for item in x]
        when = _when(x)
        if pattern not in ("short", "medium", "long", "full") and _is_skeleton(pattern):
            moment = (
                when if isinstance(when, datetime) else datetime.combine(when, datetime.min.time())
            )
            return babel.dates.format_skeleton(pattern, moment, locale=loc)
        return babel.dates.format_date(when, pattern, locale=loc)

    def time_(x: Any, pattern: str = "short") -> str:
        when = _when(x)
        if not isinstance(when, datetime):
            raise TemplateError("the time filter needs a date-time")
        return babel.dates.format_time(when, pattern, tzinfo=when.tzinfo, locale=loc)

    return {"number": number, "unit": unit, "percent": percent, "compact": compact,
            "date": date_, "time": time_}  # fmt: skip


def _is_skeleton(pattern: str) -> bool:
    # CLDR skeletons ("MMMd", "yMMMEd") adapt to the locale; they have no literal text
    return pattern.isalpha() and len(set(pattern)) > 1


@lru_cache(maxsize=64)
def _environment(locale: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.filters.update(_make_filters(locale))
    return env


@lru_cache(maxsize=2048)
def _compile(locale: str, source: str) -> jinja2.Template:
    return _environment(locale).from_string(source)


def render_text(
    source: str,
    facts: Mapping[str, Fact],
    *,
    locale: str = "en",
    where: str = "",
    extra: Mapping[str, Any] | None = None,
    time_limit: float = RENDER_TIME_LIMIT,
) -> tuple[str, set[str]]:
    """Renders one text template with facts (and optional plain values, e.g. a data row).

    Returns:
        the text, and the names of the facts it used.

    Raises:
        TemplateError: naming ``where``: syntax, unknown name, unsafe access, too slow,
            or output too long.
    """
    if "{" not in source:  # most text has no template at all
        return source, set()
    used = _Used()
    context: dict[str, Any] = dict(extra or {})
    for name, fact in facts.items():
        context[name] = _view(fact.value, locale, name, used)
    with _template_errors(where, context):
        template = _compile(locale, source)
        text = _with_deadline(lambda: template.render(context), time_limit)
    if len(text) > MAX_OUTPUT_CHARS:
        raise TemplateError(f"renders {len(text):,} characters, over {MAX_OUTPUT_CHARS:,}", where)
    return text, used.names


_EXPRESSION = re.compile(r"\s*\{\{(?P<expr>(?:(?!\}\}).)+)\}\}\s*", re.DOTALL)


@lru_cache(maxsize=512)
def _compile_expression(locale: str, expression: str) -> Any:
    return _environment(locale).compile_expression(expression, undefined_to_none=False)


def evaluate(
    source: str,
    facts: Mapping[str, Fact],
    *,
    locale: str = "en",
    where: str = "",
    time_limit: float = RENDER_TIME_LIMIT,
) -> tuple[Any, set[str]]:
    """Evaluates a whole-string template ``{{ expression }}`` to a value, not to text: a
    fact comes back as its :class:`~factframe.knowledge.FactValue` (a series stays a
    series), a filter's list as a list. Charts bind their numbers and labels this way.

    Returns:
        the value, and the names of the facts it used.

    Raises:
        TemplateError: naming ``where``: not one ``{{ … }}``, syntax, an unknown name,
            unsafe access, or too slow.
    """
    match = _EXPRESSION.fullmatch(source)
    if match is None:
        raise TemplateError(
            "must be one {{ expression }} naming a fact, e.g. {{ week.temperature_max }}", where
        )
    used = _Used()
    context = {name: _view(fact.value, locale, name, used) for name, fact in facts.items()}
    with _template_errors(where, context):
        expression = _compile_expression(locale, match.group("expr").strip())
        value = _with_deadline(lambda: expression(**context), time_limit, as_text=False)
    if isinstance(value, jinja2.Undefined):
        known = ", ".join(sorted(context)) or "none"
        raise TemplateError(
            f"{match.group('expr').strip()!r} is undefined; facts known here: {known}", where
        )
    if isinstance(value, FactView):
        value = value._touch()
    return value, used.names


def format_date(value: str, pattern: str, locale: str) -> str:
    """An ISO date (or date-time) written with a CLDR skeleton (``MMMd``, ``EEE`` …), a
    pattern, or ``short``…``full``, as the ``date`` filter does.

    Raises:
        TemplateError: ``value`` is not an ISO date.
    """
    return str(_environment(locale).filters["date"](value, pattern))


@contextmanager
def _template_errors(where: str, context: Mapping[str, Any]) -> Iterator[None]:
    """Turns what a template can raise into a :class:`TemplateError` naming ``where``."""
    try:
        yield
    except TemplateError as exc:
        raise TemplateError(str(exc), where) from None
    except jinja2.TemplateSyntaxError as exc:
        line = f" (line {exc.lineno})" if exc.lineno and exc.lineno > 1 else ""
        raise TemplateError(f"template syntax: {exc.message}{line}", where) from None
    except jinja2.UndefinedError as exc:
        known = ", ".join(sorted(context)) or "none"
        raise TemplateError(f"{exc.message}; facts known here: {known}", where) from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"refused by the sandbox: {exc}", where) from None
    except (TypeError, ValueError, AttributeError, IndexError, KeyError, OverflowError) as exc:
        raise TemplateError(f"{type(exc).__name__}: {exc}", where) from None


def _with_deadline(render: Any, limit: float, as_text: bool = True) -> Any:
    """Runs ``render`` with a trace function that stops it after ``limit`` seconds."""
    deadline = time.perf_counter() + limit
    previous = sys.gettrace()

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if time.perf_counter() > deadline:
            raise TemplateError(f"took longer than {limit:g} s (a runaway loop?)")
        return tracer

    sys.settrace(tracer)
    try:
        result = render()
        return str(result) if as_text else result
    finally:
        sys.settrace(previous)


class FactBinding:
    """A block's templates bound against one set of facts in one locale: renders texts and
    evaluates values, collecting in :attr:`used` the names of the facts they used.

    Args:
        facts: the facts the templates may name.
        locale: the locale numbers, units and dates are written in.
    """

    def __init__(self, facts: Mapping[str, Fact], locale: str) -> None:
        self.facts = facts
        self.locale = locale
        self.used: set[str] = set()

    def text(self, source: Any, where: str) -> Any:
        """``source`` rendered (:func:`render_text`) when it is a string, else as it is.

        Raises:
            TemplateError: naming ``where``.
        """
        if not isinstance(source, str):
            return source
        out, names = render_text(source, self.facts, locale=self.locale, where=where)
        self.used |= names
        return out

    def value(self, source: str, where: str, check: Callable[[Any, str], T]) -> T:
        """The value of ``{{ expression }}`` (:func:`evaluate`) as ``check(value, where)``
        takes it; the facts count as used only when ``check`` accepts the value.

        Raises:
            TemplateError: naming ``where`` (also from ``check``).
        """
        value, names = evaluate(source, self.facts, locale=self.locale, where=where)
        out = check(value, where)
        self.used |= names
        return out
