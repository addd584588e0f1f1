"""The Jinja2 environments that render spec templates (``NAME.yaml.j2``) with a data row.

A spec template is YAML written with Jinja2, rendered in Jinja2's ``SandboxedEnvironment``
with the row's values and the facts as variables (the filters are those of block text —
``number``, ``unit``, ``percent``, ``compact``, ``date``, ``time`` — plus ``currency``).
Rows and templates are untrusted input, so three things hold:

1. **Values cannot change the YAML's structure.** Every ``{{ expression }}`` prints an
   opaque token (letters and digits only); the YAML is parsed with the tokens in place, and
   only then is each token replaced by its value *inside* the parsed strings. A value with
   a quote, a newline or ``- {type: image, …}`` stays text.
2. **Values are never evaluated again.** The text a token stands for goes into the final
   spec as it is; the spec is not bound a second time, so a row value ``{{ 7 * 7 }}``
   shows as ``{{ 7 * 7 }}``.
3. **The sandbox holds.** Attribute access to ``__class__``/``__globals__`` and friends is
   refused by Jinja2's sandbox; ``*``, ``**``, ``%``, ``str.format`` and the ``center``,
   ``indent`` and ``format`` filters cannot build huge strings; rendering is time-bounded.

Facts are resolved between two renders of the same template. The first render sees the
facts as :class:`Pending` values that print as references (``{{ place }}``), so the
``facts:`` section can refer to other facts exactly as in a spec file; the second sees
them resolved (:class:`~factframe.templates.sandbox.FactView`), formatted in the locale.
"""

from __future__ import annotations

import re
import secrets
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from types import FrameType
from typing import Any

import babel.numbers
import jinja2
from jinja2.sandbox import SandboxedEnvironment

from factframe.errors import TemplateError
from factframe.templates.sandbox import FactView, _make_filters

__all__ = [
    "TOKEN",
    "Pending",
    "Printed",
    "Recorder",
    "compile_template",
    "pass_one_environment",
    "pass_two_environment",
    "render_template",
]

#: Longest one render of a spec template may take, in seconds.
TEMPLATE_TIME_LIMIT = 1.0
#: Largest rendered template, in characters.
MAX_RENDERED_CHARS = 1_000_000
#: Longest string or list an operator or filter of a template may build.
MAX_BUILT_LENGTH = 100_000
_MISSING: Any = jinja2.utils.missing
_WIDE = re.compile(r"\d{4,}")  # a width or precision of 1000 or more in a format string


class Pending(jinja2.Undefined):
    """A fact before it is resolved (first render). Prints as its reference, ``{{ name }}``
    or ``{{ name.field }}``, which is how a fact request refers to another fact; anything
    done with it (a filter, arithmetic) gives another Pending."""

    __slots__ = ()

    def __new__(cls, hint: Any = None, obj: Any = _MISSING, *args: Any, **kw: Any) -> Any:
        if obj is not _MISSING:  # a missing attribute of a real value (a row's mapping):
            return jinja2.StrictUndefined(hint, obj, *args, **kw)  # strict, as it will be
        return super().__new__(cls)

    @property
    def path(self) -> str:
        return str(self._undefined_name)

    def _used(self) -> None:
        recorder = _RECORDER.get(None)
        if recorder is not None:
            recorder.pending_roots.add(self.path.split(".")[0].split(" ")[0])

    def __str__(self) -> str:
        self._used()
        return "{{ " + self.path + " }}"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        self._used()
        return Pending(name=f"{self.path}.{name}")

    def __getitem__(self, key: Any) -> Any:
        self._used()
        return Pending(name=f"{self.path}[{key!r}]")

    def __iter__(self) -> Iterator[Any]:
        self._used()
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return Pending(name=f"{self.path}()")

    def _derived(self, *args: Any) -> Any:
        return Pending(name=f"{self.path} (computed)")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _derived
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _derived
    __mod__ = __rmod__ = __pow__ = __rpow__ = __neg__ = __pos__ = _derived

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pending) and other.path == self.path

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __lt__(self, other: object) -> bool:  # type: ignore[override]
        return False

    __le__ = __gt__ = __ge__ = __lt__  # type: ignore[assignment]

    def __hash__(self) -> int:
        return hash(self.path)


@dataclass
class Printed:
    """One value a template printed: the value itself and the facts read to make it."""

    value: Any
    facts: set[str]


@dataclass
class Recorder:
    """The values printed during one render, each standing in the YAML as a token."""

    touched: set[str] = field(default_factory=set)  # the facts read since the last print
    nonce: str = field(default_factory=lambda: secrets.token_hex(5))
    printed: list[Printed] = field(default_factory=list)
    pending_roots: set[str] = field(default_factory=set)

    def token(self, value: Any) -> str:
        self.printed.append(Printed(value, set(self.touched)))
        self.touched.clear()
        return f"ffv{self.nonce}x{len(self.printed) - 1}x"


#: A printed value's token: ``ffv`` + the render's nonce + ``x`` + its index + ``x``.
TOKEN = re.compile(r"ffv([0-9a-f]{10})x(\d+)x")


_RECORDER: ContextVar[Recorder | None] = ContextVar("factframe_template_recorder", default=None)


@jinja2.pass_context  # a context argument keeps Jinja from finalising constants at compile time
def _finalize(context: Any, value: Any) -> str:
    if isinstance(value, jinja2.Undefined) and not isinstance(value, Pending):
        value._fail_with_undefined_error()
    recorder = _RECORDER.get(None)
    if recorder is None:  # pragma: no cover - only renders through `render_template` record
        raise TemplateError("a spec template printed outside of a render")
    return recorder.token(value)


class _GuardedSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, with operators that cannot build huge strings or numbers."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int):
                    _check_length(len(seq) * times, "*")
        elif operator == "**":
            if isinstance(right, int | float) and abs(right) > 64:
                raise TemplateError("an exponent above 64 is refused")
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is not None:  # ``"…".format`` / ``format_map``: check the format first
            _check_format(value.__self__)
        return wrapper


def _check_length(length: int, what: str) -> None:
    if length > MAX_BUILT_LENGTH:
        raise TemplateError(f"{what} would build {length:,} items, over {MAX_BUILT_LENGTH:,}")


def _check_format(fmt: str) -> None:
    if _WIDE.search(fmt):
        raise TemplateError("a format width or precision of 1000 or more is refused")


def _bounded(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter whose numeric arguments (widths) are capped."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if name == "format":
            if args and isinstance(args[0], str):
                _check_format(args[0])
        else:
            for arg in (*args[1:], *kwargs.values()):
                if isinstance(arg, int) and not isinstance(arg, bool):
                    _check_length(arg, name)
        return func(*args, **kwargs)

    return wrapper


def _currency_filter(locale: str) -> Callable[..., str]:
    loc = locale.replace("-", "_")

    def currency(value: Any, code: str = "USD", digits: int | None = None) -> str:
        """``{{ price | currency('EUR') }}`` → ``€19.99`` in en, ``19,99 €`` in de."""
        if isinstance(value, FactView):
            value = value.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TemplateError(f"currency needs a number, got {type(value).__name__}")
        try:
            if digits is None:
                return str(babel.numbers.format_currency(value, code, locale=loc))
            fmt = "¤#,##0" + ("." + "0" * digits if digits else "")
            return str(
                babel.numbers.format_currency(
                    value, code, format=fmt, locale=loc, currency_digits=False
                )
            )
        except babel.numbers.UnknownCurrencyError:
            raise TemplateError(f"unknown currency code {code!r} (use ISO 4217: EUR)") from None

    return currency


def _environment(undefined: type[jinja2.Undefined], locale: str) -> SandboxedEnvironment:
    env = _GuardedSandbox(
        undefined=undefined,
        autoescape=False,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    for name in ("center", "indent", "format"):
        env.filters[name] = _bounded(name, env.filters[name])
    env.filters.update(_make_filters(locale))
    env.filters["currency"] = _currency_filter(locale)
    return env


def _pending_aware(func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that passes a Pending through (first render: facts are not known yet)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, Pending):
                return Pending(name=f"{arg.path} | {func.__name__}")
        return func(*args, **kwargs)

    return wrapper


@lru_cache(maxsize=64)
def pass_one_environment(locale: str) -> SandboxedEnvironment:
    """The first render's environment: names that are not variables are pending facts."""
    env = _environment(Pending, locale)
    env.filters = {name: _pending_aware(f) for name, f in env.filters.items()}
    return env


@lru_cache(maxsize=64)
def pass_two_environment(locale: str) -> SandboxedEnvironment:
    """The second render's environment: strict (an unknown name is an error)."""
    return _environment(jinja2.StrictUndefined, locale)


@lru_cache(maxsize=256)
def compile_template(env: SandboxedEnvironment, source: str) -> jinja2.Template:
    """The compiled template (cached per environment and source).

    Raises:
        TemplateError: a syntax error, with its line.
    """
    try:
        return env.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax: {exc.message} (line {exc.lineno})") from None


def render_template(
    template: jinja2.Template,
    variables: Mapping[str, Any],
    recorder: Recorder,
    *,
    time_limit: float = TEMPLATE_TIME_LIMIT,
) -> str:
    """Renders with every printed value recorded as a token.

    Raises:
        TemplateError: an unknown name, a sandbox refusal, a failing filter, too slow or
            too long.
    """
    reset = _RECORDER.set(recorder)
    try:
        text = _with_deadline(lambda: template.render(variables), time_limit)
    except TemplateError:
        raise
    except jinja2.UndefinedError as exc:
        raise TemplateError(str(exc.message)) from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"refused by the sandbox: {exc}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{type(exc).__name__}: {exc}") from None
    except (TypeError, ValueError, AttributeError, LookupError, ArithmeticError) as exc:
        raise TemplateError(f"{type(exc).__name__}: {exc}") from None
    finally:
        _RECORDER.reset(reset)
    if len(text) > MAX_RENDERED_CHARS:
        raise TemplateError(f"renders {len(text):,} characters, over {MAX_RENDERED_CHARS:,}")
    return text


def _with_deadline(render: Callable[[], str], limit: float) -> str:
    """Runs ``render``, stopping it after ``limit`` seconds. Only the template's own code
    is traced line by line (a loop in it cannot run away); library calls are checked as
    they start, which keeps the cost of the check small."""
    deadline = time.perf_counter() + limit
    previous = sys.gettrace()

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if time.perf_counter() > deadline:
            raise TemplateError(f"took longer than {limit:g} s (a runaway loop?)")
        return tracer if frame.f_code.co_filename == "<template>" else None

    sys.settrace(tracer)
    try:
        return render()
    finally:
        sys.settrace(previous)
