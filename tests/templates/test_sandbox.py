"""The template sandbox: facts format in the locale, usage is tracked, escapes are refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from factframe.errors import TemplateError
from factframe.knowledge import (
    DateTimeValue,
    Fact,
    NumberValue,
    Provenance,
    Quantity,
    RecordValue,
    SeriesValue,
    TextValue,
)
from factframe.templates.sandbox import render_text

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
PROV = Provenance(provider="test", source="fixture", retrieved_at=NOW)


def fact(name: str, value: object) -> Fact:
    return Fact(key=name, label=name, value=value, provenance=PROV)  # type: ignore[arg-type]


FACTS = {
    "now": fact("now", RecordValue(fields={
        "temperature": Quantity(value=18.5, unit="temperature-celsius"),
        "humidity": Quantity(value=64, unit="percent"),
        "description": TextValue(text="Partly cloudy", lang="en"),
        "time": DateTimeValue(value=NOW, tz="UTC"),
    })),
    "city": fact("city", RecordValue(fields={
        "name": TextValue(text="Lisbon"), "population": NumberValue(value=545923),
    })),
    "week": fact("week", SeriesValue(values=[18.0, 21.5, None], unit="temperature-celsius",
                                     index=["2026-11-24", "2026-11-25", "2026-11-26"])),
    "unused": fact("unused", NumberValue(value=1)),
}  # fmt: skip


def render(source: str, locale: str = "en") -> tuple[str, set[str]]:
    return render_text(source, FACTS, locale=locale, where="blocks[0].text")


def test_plain_text_passes_untouched() -> None:
    assert render("No template here") == ("No template here", set())


def test_values_format_in_the_locale_and_usage_is_tracked() -> None:
    text, used = render("{{ city.name }}: {{ now.temperature }}, {{ now.humidity | percent }}")
    assert text == "Lisbon: 18.5°C, 64%"
    assert used == {"city", "now"}
    assert render("{{ city.population | number }}", "de")[0] == "545.923"
    assert render("{{ city.population | compact }}", "en")[0] == "545.9K"
    assert render("{{ now.temperature | unit('long') }}", "en")[0] == "18.5 degrees Celsius"
    assert render("{{ now.temperature | number(0) }}")[0] == "18"


def test_dates_and_series() -> None:
    assert render("{{ now.time | date('full') }}", "fr")[0] == "mardi 24 novembre 2026"
    assert render("{{ now.time | date('MMMd') }}", "ja")[0] == "11月24日"
    assert render("{{ week.index | date('EEE') | join(' ') }}")[0] == "Tue Wed Thu"
    assert render("{{ week[1] }}")[0] == "21.5°C"


def test_a_missing_source_value_is_an_error_not_a_blank() -> None:
    with pytest.raises(TemplateError, match=r"week\[2\] has no value"):
        render("{{ week[2] }}")


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("{{ ''.__class__.__mro__ }}", "sandbox"),
        ("{{ city.__class__.__init__.__globals__ }}", "sandbox"),
        ("{{ now._value }}", "sandbox"),
        ("{{ cycler.__init__.__globals__.os }}", "sandbox"),
        ("{{ temprature }}", "'temprature' is undefined"),
        ("{{ city.name", "template syntax"),
        ("{% for i in range(10**9) %}{% endfor %}", "Range too big"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "longer than",
        ),
        ("{{ 'x' * 20000 }}", "over 10,000"),
    ],
)
def test_escapes_and_mistakes_are_refused_with_the_path(source: str, words: str) -> None:
    with pytest.raises(TemplateError) as info:
        render(source)
    assert words in str(info.value)
    assert str(info.value).startswith("blocks[0].text: ")
