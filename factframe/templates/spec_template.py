"""Spec templates: a YAML spec written with Jinja2, rendered once per data row.

A template file (``NAME.yaml.j2``) starts with a Jinja comment holding its header in YAML —
what it is, the sizes and locales it was made for, the column that names each output, and
its variables with their types, defaults and examples::

    {#
    title: Weather card
    description: Sunrise, sunset and day length in a city on a date (offline facts).
    sizes: [portrait, square, story]
    locales: [en, ja, ar]
    key: city
    variables:
      city: {type: text, description: a city of 15,000+ people, example: Lisbon}
      date: {type: date, example: 2026-06-21}
    #}
    canvas: portrait
    facts:
      place: {provider: geocode, name: "{{ city }}", source: offline}
      sun: {provider: sun, place: "{{ place }}", date: "{{ date }}"}
    blocks:
      - {type: title, text: "{{ place.name }}"}
      - {type: stat, value: "{{ sun.sunrise | time }}", label: Sunrise}

Besides the row's values the template sees ``row`` (every column, also those whose names
are not identifiers), ``locale`` (the item's BCP 47 tag), ``lang`` (its language) and
``size`` (its canvas preset; "" for the template's own canvas). Names that are neither
are facts: the ``facts:`` section asks for them, and may refer to another fact as a whole
value (``place: "{{ place }}"``).

Rendering (see :mod:`factframe.templates.template_env` for why values stay data):

1. :meth:`SpecTemplate.requests` renders the template with the facts pending and returns
   its ``facts:`` section with the row's values in it — the requests to resolve.
2. :meth:`SpecTemplate.build` renders it again with the resolved facts, and returns the
   spec (locale and canvas of the item, the sources line added) and its fact report.

The built-in templates live in ``factframe/templates/builtin/NAME.yaml.j2`` (sample rows in
the repository's ``examples/``); :func:`load_template` takes a built-in's name or a file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from factframe.errors import SpecError, TemplateError
from factframe.knowledge import Fact, FactReport, SeriesValue, TextSeriesValue
from factframe.spec import Spec, parse_spec
from factframe.spec_files import resolve_paths
from factframe.templates.bind import apply_brand, with_sources
from factframe.templates.rows import Variable
from factframe.templates.sandbox import FactView, _Used, _view
from factframe.templates.template_env import (
    TOKEN,
    Pending,
    Recorder,
    compile_template,
    pass_one_environment,
    pass_two_environment,
    render_template,
)

__all__ = [
    "RESERVED",
    "SpecTemplate",
    "TemplateInfo",
    "builtin_names",
    "builtin_templates",
    "example_row",
    "load_template",
]

#: Names every template sees besides the row's columns.
RESERVED = frozenset({"row", "locale", "lang", "size"})
_HEADER = re.compile(r"\A\s*\{#-?(.*?)-?#\}", re.S)
_IDENTIFIER = re.compile(r"[A-Za-z_]\w{0,63}")
_SPEC_ROOT = "spec"  # used_by entry for facts printed outside the blocks (canvas, brand)
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster


@dataclass(frozen=True)
class TemplateInfo:
    """A template's header: what it makes and what it needs."""

    name: str
    title: str = ""
    description: str = ""
    sizes: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    key: str | None = None
    sample: str | None = None
    variables: Mapping[str, Variable] = field(default_factory=dict)


def _parse_header(source: str, name: str) -> TemplateInfo:
    match = _HEADER.match(source)
    if match is None:
        return TemplateInfo(name)
    try:
        data = yaml.load(match.group(1), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise TemplateError(f"template {name!r}: its header is not valid YAML: {exc}") from None
    if not isinstance(data, dict):  # a plain comment, not a header
        return TemplateInfo(name)
    variables: dict[str, Variable] = {}
    raw_vars = data.get("variables") or {}
    if not isinstance(raw_vars, dict):
        raise TemplateError(f"template {name!r}: header 'variables' must be a mapping")
    for var_name, spec in raw_vars.items():
        if not _IDENTIFIER.fullmatch(str(var_name)) or var_name in RESERVED:
            raise TemplateError(f"template {name!r}: {var_name!r} cannot name a variable")
        spec = spec if isinstance(spec, dict) else {"description": str(spec or "")}
        try:
            default = spec.get("default")
            variables[var_name] = Variable(
                name=var_name,
                type=spec.get("type", "text"),
                required=bool(spec.get("required", default is None)),
                default=default,
                description=str(spec.get("description", "")),
                example=spec.get("example"),
                max_length=spec.get("max_length"),
            )
        except (TypeError, ValueError) as exc:
            raise TemplateError(f"template {name!r}: variable {var_name!r}: {exc}") from None
    unknown = {v.type for v in variables.values()} - set(_TYPES)
    if unknown:
        raise TemplateError(f"template {name!r}: unknown variable type(s) {sorted(unknown)}")
    return TemplateInfo(
        name=str(data.get("name") or name),
        title=str(data.get("title", "")),
        description=str(data.get("description", "")).strip(),
        sizes=tuple(str(s) for s in data.get("sizes") or ()),
        locales=tuple(str(s) for s in data.get("locales") or ()),
        key=data.get("key"),
        sample=data.get("sample"),
        variables=variables,
    )


_TYPES = ("text", "number", "integer", "boolean", "date", "datetime", "list", "image", "any")


class SpecTemplate:
    """A Jinja2 spec template and its header.

    Args:
        source: the template text.
        name: its name (a built-in's name, or the file's stem).
        folder: where relative paths in it (images, logo, fonts) are resolved from.

    Raises:
        TemplateError: the header is malformed or the template has a syntax error.
    """

    def __init__(self, source: str, name: str = "template", folder: Path | None = None) -> None:
        self.source = source
        self.folder = folder
        self.info = _parse_header(source, name)
        self.digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        compile_template(pass_two_environment("en"), source)  # syntax errors show up now

    @classmethod
    def from_file(cls, path: str | Path) -> SpecTemplate:
        """Loads a template file (UTF-8).

        Raises:
            SpecError: the file cannot be read.
            TemplateError: as for the constructor.
        """
        file = Path(path)
        try:
            source = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecError(f"cannot read template {str(file)!r}: {exc}") from None
        stem = file.name.removesuffix(".j2").removesuffix(".jinja")
        return cls(source, Path(stem).stem, file.resolve().parent)

    @property
    def name(self) -> str:
        return self.info.name

    def __reduce__(self) -> tuple[Any, ...]:  # pickles as its source (workers recompile)
        return (SpecTemplate, (self.source, self.info.name, self.folder))

    def __repr__(self) -> str:
        return f"<SpecTemplate {self.name!r} {len(self.info.variables)} variables>"

    # --- the two renders ---------------------------------------------------------------

    def _context(self, values: Mapping[str, Any], locale: str, size: str) -> dict[str, Any]:
        context = {name: var.default for name, var in self.info.variables.items()}
        context.update((k, v) for k, v in values.items() if _IDENTIFIER.fullmatch(k))
        context.update(row=dict(values), locale=locale, lang=_language(locale), size=size)
        return context

    def requests(
        self, values: Mapping[str, Any], *, locale: str, size: str
    ) -> dict[str, dict[str, Any]]:
        """The template's fact requests for one row (first render, facts pending).

        Raises:
            TemplateError: the template fails for this row, refers to a name that is
                neither a variable nor a fact, or takes template syntax from the data
                into a fact request.
        """
        context = self._context(values, locale, size)
        recorder = Recorder()
        env = pass_one_environment(locale)
        text = render_template(compile_template(env, self.source), context, recorder)
        data = _load_yaml(text)
        raw = data.get("facts") or {}
        if not isinstance(raw, dict):
            raise TemplateError("'facts' must be a mapping of name → request")
        facts = _substitute(raw, recorder, _request_converter(recorder), ())
        names = {str(n) for n in facts}
        clash = names & context.keys()
        if clash:
            raise TemplateError(
                f"fact(s) {sorted(clash)} have the name of a variable; rename one of them"
            )
        unknown = recorder.pending_roots - names
        if unknown:
            known = ", ".join(sorted(set(context) | names))
            raise TemplateError(
                f"{', '.join(repr(n) for n in sorted(unknown))} is undefined: neither a "
                f"variable nor a fact of this template (known: {known})"
            )
        for name, request in facts.items():
            if not isinstance(request, dict):
                raise TemplateError(f"facts.{name} must be a mapping with a provider")
        return {str(k): v for k, v in facts.items()}

    def build(
        self,
        values: Mapping[str, Any],
        requests: Mapping[str, dict[str, Any]],
        facts: Mapping[str, Fact],
        *,
        locale: str,
        size: str,
        stale: frozenset[str] = frozenset(),
        now: datetime | None = None,
    ) -> tuple[Spec, FactReport | None]:
        """The spec of one item (second render, facts resolved).

        Raises:
            TemplateError: the template fails for this row.
            SpecError: the rendered spec is not valid (names the field).
        """
        used = _Used()
        context = self._context(values, locale, size)
        for name, fact in facts.items():
            context[name] = _view(fact.value, locale, name, used)
        recorder = Recorder(touched=used.names)
        env = pass_two_environment(locale)
        text = render_template(compile_template(env, self.source), context, recorder)
        data = _load_yaml(text)
        used_by: dict[str, list[str]] = {}
        blocks: list[set[str]] = []

        def printed(index: int, where: tuple[Any, ...]) -> Any:
            used.names.clear()
            out = _spec_value(recorder.printed[index].value)  # a FactView is read here
            facts_used = recorder.printed[index].facts | used.names
            if where and where[0] == "blocks" and len(where) > 1 and isinstance(where[1], int):
                while len(blocks) <= where[1]:
                    blocks.append(set())
                blocks[where[1]] |= facts_used
            elif facts_used:
                for name in facts_used:
                    used_by.setdefault(name, []).append(_SPEC_ROOT)
            return out

        body = {k: v for k, v in data.items() if k != "facts"}
        spec_data = _substitute(body, recorder, printed, ())
        if requests:
            spec_data["facts"] = dict(requests)
        spec_data["locale"] = locale
        if self.folder is not None:
            spec_data = resolve_paths(spec_data, self.folder)
        try:
            spec = parse_spec(spec_data)
            spec = spec.with_canvas(size) if size else spec
        except SpecError as exc:
            exc.blocks = spec_data.get("blocks") or []  # type: ignore[attr-defined]
            raise  # (the blocks let the batch tell which of the row's fields was at fault)
        for i, names in enumerate(blocks[: len(spec.blocks)]):
            for name in sorted(names):
                used_by.setdefault(name, []).append(spec.blocks[i].id or "")
        if not facts:
            return spec, None
        report = FactReport(
            dict(facts), stale, {n: tuple(dict.fromkeys(ids)) for n, ids in used_by.items()}, now
        )
        return with_sources(apply_brand(spec, facts), report), report


def _language(locale: str) -> str:
    return locale.replace("_", "-").split("-")[0].lower()


def _load_yaml(text: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise TemplateError(f"the rendered template is not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise TemplateError("a spec template must render to a YAML mapping (canvas, blocks…)")
    return data


def _substitute(
    node: Any,
    recorder: Recorder,
    convert: Callable[[Any, tuple[Any, ...]], Any],
    where: tuple[Any, ...],
) -> Any:
    """``node`` with every token replaced by what ``convert(index, where)`` makes of the
    printed value: whole-string tokens may become lists or booleans, tokens inside text
    become text."""
    if isinstance(node, dict):
        return {
            _substitute(k, recorder, convert, where): _substitute(v, recorder, convert, (*where, k))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_substitute(v, recorder, convert, (*where, i)) for i, v in enumerate(node)]
    if not isinstance(node, str):
        return node
    whole = TOKEN.fullmatch(node)
    if whole is not None and whole.group(1) == recorder.nonce:
        return convert(int(whole.group(2)), where)
    if "ffv" not in node:
        return node

    def replace(m: re.Match[str]) -> str:
        if m.group(1) != recorder.nonce:  # text that only looks like a token
            return m.group(0)
        return _as_text(convert(int(m.group(2)), where))

    return TOKEN.sub(replace, node)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        raise TemplateError("a list or mapping was printed inside text; join it first")
    return str(value)


def _spec_value(value: Any) -> Any:
    """A printed value as it goes into the spec: text (numbers too — spec fields accept
    numeric text), booleans and missing values as they are, lists item by item, and a
    series fact printed whole as its list of values (``values: "{{ week.temperature_max }}"``)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, FactView):  # a series printed whole is data (a chart's values)
        raw = value._touch()
        if isinstance(raw, SeriesValue | TextSeriesValue):
            return list(raw.values)
    if isinstance(value, list | tuple):
        return [_spec_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _spec_value(v) for k, v in value.items()}
    return str(value)  # FactViews format themselves in the locale


def _request_converter(recorder: Recorder) -> Callable[[int, tuple[Any, ...]], Any]:
    def convert(index: int, where: tuple[Any, ...]) -> Any:
        value = recorder.printed[index].value
        if isinstance(value, Pending):
            return str(value)  # a reference to another fact: {{ place }}
        out = _spec_value(value)
        for text in _texts(out):
            if "{{" in text or "{%" in text:
                field_path = ".".join(str(p) for p in ("facts", *where))
                raise TemplateError(
                    f"{field_path}: the value {text!r} has template syntax; a fact request "
                    "takes data from a row only as plain values"
                )
        return out

    return convert


def _texts(value: Any) -> Sequence[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


# --- built-in templates, and loading one by name or path ---------------------------------

_BUILTIN_SUFFIX = ".yaml.j2"


def builtin_names() -> list[str]:
    """The names of the built-in templates, sorted."""
    folder = resources.files("factframe.templates") / "builtin"
    names = (p.name for p in folder.iterdir())
    return sorted(n.removesuffix(_BUILTIN_SUFFIX) for n in names if n.endswith(_BUILTIN_SUFFIX))


def _builtin(name: str) -> SpecTemplate:
    folder = resources.files("factframe.templates") / "builtin"
    source = (folder / f"{name}{_BUILTIN_SUFFIX}").read_text(encoding="utf-8")
    return SpecTemplate(source, name)


def builtin_templates() -> list[SpecTemplate]:
    """Every built-in template."""
    return [_builtin(name) for name in builtin_names()]


def load_template(template: str | Path | SpecTemplate) -> SpecTemplate:
    """A built-in template by name, or a template file (``.yaml.j2``, ``.j2``, ``.yaml``).

    Raises:
        SpecError: no built-in has that name and no such file exists.
        TemplateError: the template's header or syntax is wrong.
    """
    if isinstance(template, SpecTemplate):
        return template
    text = str(template)
    if isinstance(template, str) and text in builtin_names():
        return _builtin(text)
    path = Path(text)
    if path.is_file():
        return SpecTemplate.from_file(path)
    names = ", ".join(builtin_names())
    raise SpecError(f"no template {text!r}: give a template file or a built-in name ({names})")


def example_row(template: SpecTemplate) -> dict[str, Any]:
    """A row made of the variables' examples (what ``templates show`` prints)."""
    row: dict[str, Any] = {}
    for name, var in template.info.variables.items():
        value = var.example if var.example is not None else var.default
        if isinstance(value, date | datetime):
            value = value.isoformat()
        if value is not None:
            row[name] = value
    return row
