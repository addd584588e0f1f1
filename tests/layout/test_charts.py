"""The chart planner on the layout's geometry: proportional marks, locale numbers, collisions,
fallbacks, RTL mirroring and the limits of the chart block."""

from __future__ import annotations

import itertools
import math
import unicodedata
from typing import Any

import pytest

from factframe import LayoutError, SpecError, parse_spec
from factframe.layout import Layout, Polyline, Rect, ShapeItem, TextItem, Wedge, plan
from factframe.layout.styles import legibility_floor
from factframe.layout.ticks import decimate, nice_ticks
from factframe.spec import parse_color
from factframe.typography.numbers import format_number

PRIMARY = parse_color("#0b3d91")
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"]


def chart_layout(chart: dict[str, Any], locale: str = "en", canvas: Any = "square") -> Layout:
    blocks = [{"type": "title", "text": "Chart"}, {"type": "chart", "id": "c", **chart}]
    return plan(parse_spec({"canvas": canvas, "locale": locale, "blocks": blocks}))


def shapes(layout: Layout) -> tuple[Any, ...]:
    (item,) = [i for i in layout.items if isinstance(i, ShapeItem)]
    return item.shapes


def bars(layout: Layout, color: tuple[int, int, int, int] = PRIMARY) -> list[Rect]:
    return [s for s in shapes(layout) if isinstance(s, Rect) and s.color == color]


def texts(layout: Layout, role: str) -> list[TextItem]:
    return [t for t in layout.texts if t.block_id == "c" and t.role == role]


def words(layout: Layout, role: str) -> list[str]:
    return [t.text.text.strip("\u2067\u2069") for t in texts(layout, role)]


def overlapping(a: TextItem, b: TextItem) -> bool:
    return (
        a.box.x < b.box.right
        and b.box.x < a.box.right
        and a.box.y < b.box.bottom
        and b.box.y < a.box.bottom
    )


# --- geometry ----------------------------------------------------------------------------


def test_bar_lengths_are_proportional_to_the_values() -> None:
    values = [12.5, 30, 7, 22, 0.5]
    layout = chart_layout({"kind": "bar", "labels": DAYS, "values": values})
    found = bars(layout)
    assert len(found) == 5
    px_per_unit = found[1].box.h / 30
    for rect, value in zip(found, values, strict=True):
        assert abs(rect.box.h - value * px_per_unit) < 1.0
    bottoms = {round(r.box.bottom, 6) for r in found}
    assert len(bottoms) == 1  # every bar stands on the zero baseline


def test_horizontal_bars_grow_from_the_baseline() -> None:
    values = [10.0, 40.0, 25.0]
    layout = chart_layout(
        {"kind": "bar", "orientation": "horizontal", "labels": DAYS[:3], "values": values}
    )
    found = bars(layout)
    px_per_unit = found[1].box.w / 40
    for rect, value in zip(found, values, strict=True):
        assert abs(rect.box.w - value * px_per_unit) < 1.0
    assert len({round(r.box.x, 6) for r in found}) == 1
    assert [r.box.y for r in found] == sorted(r.box.y for r in found)  # first on top


def test_negative_bars_go_below_the_baseline() -> None:
    layout = chart_layout({"kind": "bar", "labels": DAYS[:3], "values": [8, -4, 6]})
    up, down, _ = bars(layout)
    assert abs(down.box.y - up.box.bottom) < 1e-6  # starts at the zero line, goes down
    assert abs(down.box.h - up.box.h / 2) < 1.0
    tick_color = texts(layout, "chart.tick")[0].text.color
    baseline = [s for s in shapes(layout) if isinstance(s, Rect) and s.color == tick_color]
    assert len(baseline) == 1 and abs(baseline[0].box.y + baseline[0].box.h / 2 - up.box.bottom) < 1


def test_stacked_bars_sum_correctly() -> None:
    series = [
        {"name": "Solar", "values": [3, 4, 5]},
        {"name": "Wind", "values": [6, 2, 4]},
        {"name": "Hydro", "values": [2, 2, 1]},
    ]
    layout = chart_layout({"kind": "bar", "stacked": True, "labels": DAYS[:3], "series": series})
    rects = [s for s in shapes(layout) if isinstance(s, Rect) and s.box.w > 50]
    segments = [r for r in rects if r.box.h > 5 and r.color[3] == 255]
    by_x: dict[float, list[Rect]] = {}
    for r in segments:
        by_x.setdefault(round(r.box.x, 3), []).append(r)
    stacks = [by_x[x] for x in sorted(by_x)]
    assert [len(s) for s in stacks] == [3, 3, 3]
    totals = [11, 8, 10]
    px_per_unit = sum(r.box.h for r in stacks[0]) / totals[0]
    for stack, total in zip(stacks, totals, strict=True):
        assert abs(sum(r.box.h for r in stack) - total * px_per_unit) < 1.0
        stack.sort(key=lambda r: -r.box.y)  # bottom first: series order
        for below, above in itertools.pairwise(stack):
            assert abs(above.box.bottom - below.box.y) < 1e-6  # no gaps, no overlaps
    assert words(layout, "chart.value") == ["11", "8", "10"]  # each stack's total


@pytest.mark.parametrize("kind", ["donut", "pie"])
def test_slices_sum_to_a_full_turn(kind: str) -> None:
    values = [4.7, 1.4, 0.74, 1.0, 0.045]
    layout = chart_layout({"kind": kind, "labels": list("ABCDE"), "values": values})
    wedges = [s for s in shapes(layout) if isinstance(s, Wedge)]
    assert len(wedges) == 5
    assert abs(sum(w.sweep for w in wedges) - 360.0) <= 0.01
    total = sum(values)
    for wedge, value in zip(wedges, values, strict=True):
        assert abs(wedge.sweep - 360 * value / total) < 1e-9
    assert (wedges[0].inner > 0) == (kind == "donut")
    legend = words(layout, "chart.legend")
    assert legend[0].startswith("A") and legend[0].endswith("59.6%")


def test_line_of_ten_thousand_points_keeps_its_spike() -> None:
    values: list[float | None] = [math.sin(i / 50) for i in range(10_000)]
    values[6_000] = 25.0
    layout = chart_layout({"kind": "line", "values": values})
    lines = [s for s in shapes(layout) if isinstance(s, Polyline) and s.color == PRIMARY]
    points = [p for line in lines for p in line.points]
    assert len(points) < 3_000  # decimated to the pixel columns
    top = min(y for _, y in points)
    others = sorted({y for _, y in points})[1]
    assert others - top > 100  # one column reaches far above the rest
    spike_x = next(x for x, y in points if y == top)
    plot_x = [x for x, _ in points]
    share = (spike_x - min(plot_x)) / (max(plot_x) - min(plot_x))
    assert abs(share - 6_000 / 9_999) < 0.002


def test_decimation_keeps_minimum_and_maximum_of_each_column() -> None:
    values: list[float | None] = [0.0] * 1000
    values[123], values[124] = 9.0, -9.0
    values[500:510] = [None] * 10
    runs = decimate(values, 100)
    kept = [i for run in runs for i in run]
    assert 123 in kept and 124 in kept
    assert len(kept) <= 200
    assert decimate([1.0, None, 3.0], 100) == [[0], [2]]


def test_nice_ticks_use_one_two_five_steps_from_zero() -> None:
    assert nice_ticks(3, 97, 5, include_zero=True).values == (0, 20, 40, 60, 80, 100)
    assert nice_ticks(-3.2, 7.7, 5, include_zero=True).step == 5
    assert nice_ticks(12.1, 12.9, 4).values[:2] == (12.0, 12.2)


# --- text --------------------------------------------------------------------------------


def test_numbers_follow_the_locale() -> None:
    de = chart_layout({"kind": "bar", "labels": ["a", "b"], "values": [1234.5, 2000]}, "de")
    assert "1.234,5" in words(de, "chart.value")
    assert "2.000" in words(de, "chart.tick")

    hi = chart_layout({"kind": "bar", "labels": ["a", "b"], "values": [1234567, 2500000]}, "hi-IN")
    assert "12,34,567" in words(hi, "chart.value")
    assert any(t.endswith(",00,000") for t in words(hi, "chart.tick"))

    ar = chart_layout({"kind": "bar", "labels": ["أ", "ب"], "values": [1234.5, 2000]}, "ar-EG")
    digits = [ch for t in ar.texts if t.block_id == "c" for ch in t.text.text if ch.isdigit()]
    assert digits and all(unicodedata.name(ch).startswith("ARABIC-INDIC DIGIT") for ch in digits)
    assert "١٬٢٣٤٫٥" in words(ar, "chart.value")


def test_format_number_kinds() -> None:
    assert format_number(45, "de", "percent") == "45\u00a0%"
    assert format_number(2_500_000, "en", "compact", 1) == "2.5M"
    assert format_number(18.5, "en", "unit", 1, "temperature-celsius") == "18.5°C"
    assert format_number(-5, "ar-EG") == "\u061c-٥"  # CLDR's minus with its bidi mark
    assert format_number(-0.04, "en", digits=1) == "0.0"


def test_chart_text_shares_one_size_per_role_and_respects_the_floor() -> None:
    labels = [f"Category {i}" for i in range(40)]
    layout = chart_layout(
        {"kind": "bar", "labels": labels, "values": list(range(40)), "caption": "Forty bars"},
        canvas="og",
    )
    floor = legibility_floor(630, small=True)
    for role in ("chart.tick", "chart.value", "chart.caption"):
        sizes = {t.text.size for t in texts(layout, role)}
        assert len(sizes) <= 1, role
        assert all(size >= floor for size in sizes)


def test_crowded_labels_are_thinned_never_overlapping() -> None:
    labels = [f"Day {i}" for i in range(60)]
    layout = chart_layout({"kind": "line", "labels": labels, "values": list(range(60))})
    shown = words(layout, "chart.tick")
    categories = [w for w in shown if w.startswith("Day")]
    assert 3 <= len(categories) < 60
    assert categories[0] == "Day 0"
    step = int(categories[1].split()[1])
    assert all(int(w.split()[1]) % step == 0 for w in categories)
    items = [t for t in layout.texts if t.block_id == "c"]
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            assert not overlapping(a, b), (a.text.text, b.text.text)


def test_value_labels_that_collide_are_dropped_or_refused() -> None:
    wide = {
        "kind": "bar",
        "labels": [str(i) for i in range(24)],
        "values": [123456.789 + i for i in range(24)],
    }
    assert texts(chart_layout(wide), "chart.value") == []  # unset: left out
    with pytest.raises(LayoutError, match="value labels cannot be written"):
        chart_layout({**wide, "value_labels": True})
    few = chart_layout({"kind": "bar", "labels": DAYS[:3], "values": [1, 2, 3]})
    assert words(few, "chart.value") == ["1", "2", "3"]


def test_value_labels_keep_clear_of_every_bar() -> None:
    layout = chart_layout({"kind": "bar", "labels": DAYS, "values": [5, 30, 2, 29, 1]})
    rects = bars(layout)
    for label in texts(layout, "chart.value"):
        for rect in rects:
            inside = rect.box.contains(label.box)
            apart = (
                label.box.bottom <= rect.box.y - 4
                or label.box.y >= rect.box.bottom + 4
                or label.box.right <= rect.box.x
                or label.box.x >= rect.box.right
            )
            assert inside or apart


def test_rtl_mirrors_the_chart() -> None:
    chart = {"kind": "bar", "labels": ["أ", "ب", "ج"], "values": [1, 2, 3]}
    ltr = chart_layout(chart, "en")
    rtl = chart_layout(chart, "ar")
    assert [round(r.box.x) for r in bars(rtl)] == sorted(
        (round(r.box.x) for r in bars(rtl)), reverse=True
    )  # the first category on the right
    for a, b in zip(bars(ltr), bars(rtl), strict=True):
        assert abs(a.box.x - (1080 - b.box.right)) < 1e-6
    plot_right = max(r.box.right for r in bars(rtl))
    ticks = [t for t in texts(rtl, "chart.tick") if t.text.text.strip("\u2067\u2069").isdigit()]
    assert ticks and all(t.box.x > plot_right for t in ticks)  # the value axis on the right


def test_legend_names_every_series() -> None:
    series = [{"name": "North", "values": [1, 2]}, {"name": "South", "values": [2, 1]}]
    layout = chart_layout({"kind": "line", "labels": ["a", "b"], "series": series})
    assert words(layout, "chart.legend") == ["North", "South"]
    colors = {s.color for s in shapes(layout) if isinstance(s, Polyline)}
    assert len(colors) == 2


def test_series_colors_skip_low_contrast_roles_and_honour_overrides() -> None:
    series = [{"values": [1, 2]}, {"values": [2, 1]}, {"values": [1, 1], "color": "accent"}]
    layout = chart_layout({"kind": "bar", "labels": ["a", "b"], "series": series})
    fills = {s.color for s in shapes(layout) if isinstance(s, Rect) and s.box.w > 20}
    assert parse_color("#0b3d91") in fills  # primary first
    assert parse_color("#3a6ea5") in fills  # accent (#ffb300) is too pale on the background…
    assert parse_color("#ffb300") in fills  # …unless a series asks for it


# --- the chart block's limits ------------------------------------------------------------


@pytest.mark.parametrize(
    ("chart", "path", "words_"),
    [
        ({"values": [1, float("nan")]}, "blocks[0].values[1]", "finite"),
        (
            {"series": [{"values": [1]}, {"values": [float("inf")]}]},
            "blocks[0].series[1].values[0]",
            "finite",
        ),
        ({"values": []}, "blocks[0].values", "empty"),
        ({"series": []}, "blocks[0].values", "needs numbers"),
        ({"values": [None, None]}, "blocks[0].values", "only nulls"),
        ({"kind": "pie", "values": [3, -1]}, "blocks[0].values[1]", "negative"),
        ({"kind": "donut", "values": [0, 0]}, "blocks[0].values", "more than 0"),
        ({"labels": ["a", "b", "c"], "values": [1, 2]}, "blocks[0].labels", "3 labels"),
        (
            {"series": [{"values": [1, 2]}, {"values": [1]}]},
            "blocks[0].series[1].values",
            "1 values",
        ),
        ({"values": list(range(10_000))}, "blocks[0].values", "at most 200 bars"),
        ({"kind": "pie", "values": list(range(1, 14))}, "blocks[0].values", "at most 12"),
        ({"kind": "line", "values": [0.0] * 100_001}, "blocks[0].values", "100,000"),
        ({"values": "18, 21"}, "blocks[0].values", "template"),
        ({"kind": "line", "stacked": True, "values": [1]}, "blocks[0].stacked", "stack"),
        ({"x": "month", "values": [1]}, "blocks[0].x", "set data"),
        ({"values": [1], "series": [{"values": [1]}]}, "blocks[0].values", "not both"),
        ({"values": [1], "series": []}, None, None),
    ],
)
def test_bad_chart_input_names_the_field(
    chart: dict[str, Any], path: str | None, words_: str | None
) -> None:
    spec = {"blocks": [{"type": "chart", **chart}]}
    if path is None:
        parse_spec(spec)
        return
    with pytest.raises(SpecError) as info:
        parse_spec(spec)
    assert info.value.path == path, str(info.value)
    assert words_ is not None and words_ in str(info.value)


def test_a_line_takes_ten_thousand_points() -> None:
    spec = parse_spec({"blocks": [{"type": "chart", "kind": "line", "values": [1.0] * 10_000}]})
    assert len(spec.blocks[0].all_series[0].values) == 10_000


def test_an_unbound_chart_is_not_planned() -> None:
    spec = parse_spec({"blocks": [{"type": "chart", "values": "{{ week.temperature_max }}"}]})
    with pytest.raises(SpecError, match="not bound"):
        plan(spec)
