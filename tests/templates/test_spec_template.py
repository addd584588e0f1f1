"""Spec templates: two renders around fact resolution; rows stay data; the sandbox holds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from factframe.errors import SpecError, TemplateError
from factframe.grounding.resolve import resolve_sync
from factframe.knowledge import KnowledgeStore
from factframe.templates.spec_template import SpecTemplate
from factframe.templates.template_env import (
    Recorder,
    compile_template,
    pass_two_environment,
    render_template,
)

NOW = datetime(2026, 6, 21, 12, 0, tzinfo=UTC)
SOURCE = """{#
title: Test card
sizes: [square]
key: city
variables:
  city: {type: text, example: Lisbon}
  note: {type: text, required: false}
  items: {type: list, required: false}
#}
canvas: {width: 600, height: 600, background: "#ffffff"}
facts:
  place: {provider: geocode, name: "{{ city }}"}
  sun: {provider: sun, place: "{{ place }}", date: "2026-06-21"}
blocks:
  - {type: title, text: "{{ place.name }}, {{ place.country }}"}
  - {type: stat, value: "{{ sun.sunrise | time }}", label: Sunrise}
  - {type: stat, value: "{{ sun.sunset | time }}", label: Sunset}
{% if note %}
  - {type: text, text: "{{ note }}"}
{% endif %}
{% if items %}
  - {type: list, items: {{ items }}}
{% endif %}
"""


def build(row: dict[str, object], source: str = SOURCE, locale: str = "en"):  # type: ignore[no-untyped-def]
    template = SpecTemplate(source, "test")
    requests = template.requests(row, locale=locale, size="square")
    facts = resolve_sync(requests, store=KnowledgeStore(":memory:"), offline=True, now=NOW).facts
    return template.build(row, requests, facts, locale=locale, size="square", now=NOW)


def texts(spec) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for block in spec.blocks:
        for name in ("text", "value", "label"):
            if isinstance(getattr(block, name, None), str):
                out.append(getattr(block, name))
        out += list(getattr(block, "items", []) or [])
    return out


def test_the_header_documents_the_variables() -> None:
    info = SpecTemplate(SOURCE, "test").info
    assert info.title == "Test card" and info.sizes == ("square",) and info.key == "city"
    assert list(info.variables) == ["city", "note", "items"]
    assert info.variables["city"].required and not info.variables["note"].required


def test_first_render_asks_for_facts_with_the_rows_values_and_references_kept() -> None:
    requests = SpecTemplate(SOURCE, "test").requests({"city": "Lisbon"}, locale="en", size="square")
    assert requests == {
        "place": {"provider": "geocode", "name": "Lisbon"},
        "sun": {"provider": "sun", "place": "{{ place }}", "date": "2026-06-21"},
    }


def test_second_render_binds_facts_in_the_locale_and_credits_them() -> None:
    spec, report = build({"city": "Lisbon"})
    assert spec.canvas.width == 1080  # the item's size wins over the template's canvas
    assert "Lisbon, Portugal" in texts(spec) and "6:12\u202fAM" in texts(spec)
    assert report is not None and dict(report.used_by) == {
        "place": ("title-0",),
        "sun": ("stat-1", "stat-2"),
    }
    assert spec.blocks[-1].id == "sources" and "GeoNames" in spec.blocks[-1].text  # type: ignore[union-attr]
    ja, _ = build({"city": "Lisbon"}, locale="ja")
    assert ja.locale == "ja" and "6:12" in texts(ja)


def test_a_row_value_with_template_syntax_is_shown_not_evaluated() -> None:
    spec, _ = build({"city": "Lisbon", "note": "{{ 7 * 7 }} {% if true %}x{% endif %} {{ place }}"})
    assert "{{ 7 * 7 }} {% if true %}x{% endif %} {{ place }}" in texts(spec)


def test_a_row_value_cannot_add_yaml_structure() -> None:
    sneaky = 'x"\n  - {type: image, src: /etc/passwd}\n  - {type: title, text: "owned'
    spec, _ = build({"city": "Lisbon", "note": sneaky})
    assert [b.type for b in spec.blocks] == ["title", "stat", "stat", "text", "footer"]
    assert sneaky in texts(spec)


def test_a_whole_value_keeps_its_type_so_a_list_can_fill_a_list() -> None:
    spec, _ = build({"city": "Lisbon", "items": ["one", "two: three", "- four"]})
    assert spec.blocks[3].items == ["one", "two: three", "- four"]  # type: ignore[union-attr]


def test_template_syntax_from_the_data_cannot_reach_a_fact_request() -> None:
    template = SpecTemplate(SOURCE, "test")
    with pytest.raises(TemplateError, match="template syntax"):
        template.requests({"city": "{{ sun }}"}, locale="en", size="square")


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "''.__class__.__mro__[1].__subclasses__()",
        "cycler.__init__.__globals__",
        "lipsum.__globals__['os']",
        "row.__class__",
        "self._TemplateReference__context",
        "range.__self__",
    ],
)
def test_template_level_escapes_are_refused(expression: str) -> None:
    source = 'blocks:\n  - {type: title, text: "{{ ' + expression + ' }}"}\n'
    template = SpecTemplate(source, "evil")
    with pytest.raises(TemplateError):
        template.requests({}, locale="en", size="square")
    with pytest.raises((TemplateError, SpecError)):
        template.build({}, {}, {}, locale="en", size="square")


@pytest.mark.parametrize(
    "expression",
    [
        "'a' * 10**9",
        "'%099999999d' % 1",
        "'{:>99999999}'.format(1)",
        "'x' | center(10**9)",
        "2 ** 100000",
        "range(10**9) | list",
    ],
)
def test_templates_cannot_build_huge_values(expression: str) -> None:
    template = SpecTemplate('blocks:\n  - {type: title, text: "{{ ' + expression + ' }}"}\n')
    with pytest.raises(TemplateError):
        template.requests({}, locale="en", size="square")


def test_a_runaway_loop_is_stopped() -> None:
    source = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    template = compile_template(pass_two_environment("en"), source)
    with pytest.raises(TemplateError, match="longer than"):
        render_template(template, {}, Recorder(), time_limit=0.2)


def test_an_unknown_name_is_named_with_the_known_ones() -> None:
    source = SOURCE.replace("{{ place.name }}", "{{ plcae.name }}")
    with pytest.raises(TemplateError, match=r"'plcae' is undefined.*known: .*place"):
        SpecTemplate(source, "typo").requests({"city": "Lisbon"}, locale="en", size="square")


def test_a_fact_may_not_shadow_a_variable() -> None:
    source = 'facts:\n  city: {provider: geocode, name: "{{ city }}"}\nblocks: []\n'
    with pytest.raises(TemplateError, match="name of a variable"):
        SpecTemplate(source, "clash").requests({"city": "Lisbon"}, locale="en", size="square")


def test_syntax_errors_show_when_the_template_loads() -> None:
    with pytest.raises(TemplateError, match="line 2"):
        SpecTemplate("blocks:\n  - {% if %}\n", "broken")


def test_a_rendered_template_that_is_not_yaml_says_where() -> None:
    template = SpecTemplate("blocks: [\n  {type: title, text: x\n", "bad")
    with pytest.raises(TemplateError, match="not valid YAML"):
        template.requests({}, locale="en", size="square")
