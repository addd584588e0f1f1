"""The icon, pictogram, progress and table blocks: spec errors that name the field, and
the geometry the planner gives them (fill shares, alignment, one size per role, RTL)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from factframe.errors import SpecError, TextOverflowError, UnknownIconError
from factframe.layout import (
    IconItem,
    Layout,
    Polyline,
    ShapeItem,
    TextItem,
    Wedge,
    audit_layout,
    plan,
)
from factframe.layout.pictogram import grid_shape
from factframe.spec import parse_spec
from factframe.spec_icons import resolve_icon

CANVAS = {"width": 800, "height": 900}


def spec_of(block: dict[str, Any], locale: str = "en", canvas: Any = None) -> dict[str, Any]:
    return {
        "canvas": canvas or CANVAS,
        "locale": locale,
        "blocks": [{"type": "title", "text": "Facts"}, {"id": "b", **block}],
    }


def layout_of(block: dict[str, Any], locale: str = "en", canvas: Any = None) -> Layout:
    return plan(parse_spec(spec_of(block, locale, canvas)))


def items(layout: Layout, kind: type) -> list[Any]:
    return [i for i in layout.items if isinstance(i, kind) and i.block_id == "b"]


def error_of(block: dict[str, Any]) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse_spec(spec_of(block))
    return caught.value


# --- spec errors -----------------------------------------------------------------------


def test_unknown_icon_names_the_field_and_close_names() -> None:
    err = error_of({"type": "icon", "name": "thermometr"})
    assert err.path == "blocks[1].name"
    assert "did you mean 'thermometer'" in str(err)
    err = error_of({"type": "pictogram", "value": 1, "total": 2, "icon": "weather:rainy"})
    assert err.path == "blocks[1].icon"
    assert "'weather:rain'" in str(err)


def test_weather_names_resolve_to_the_weather_icons() -> None:
    assert resolve_icon("weather:rain") == "cloud-rain"
    assert resolve_icon("weather:clear:night") == "moon"
    assert resolve_icon("sun") == "sun"
    with pytest.raises(UnknownIconError):
        resolve_icon("weather:sunny")


@pytest.mark.parametrize(
    ("block", "path", "words"),
    [
        ({"type": "table", "header": ["a"], "rows": []}, "blocks[1].rows", "no rows"),
        ({"type": "table", "header": [], "rows": [["x"]]}, "blocks[1].header", "no header"),
        (
            {"type": "table", "header": ["a", "b"], "rows": [["x", 1], ["y"]]},
            "blocks[1].rows[1]",
            "has 1 cell but the header has 2 columns",
        ),
        (
            {"type": "table", "header": ["a", "b"], "rows": [["x", float("nan")]]},
            "blocks[1].rows[0][1]",
            "not a finite number",
        ),
        (
            {"type": "table", "header": ["a"], "rows": [["x"]], "highlight": "b"},
            "blocks[1].highlight",
            "not one of the header",
        ),
        ({"type": "pictogram", "value": 0, "total": 0}, "blocks[1].total", "1…200"),
        ({"type": "pictogram", "value": 1, "total": 201}, "blocks[1].total", "1…200"),
        ({"type": "pictogram", "value": 11, "total": 10}, "blocks[1].value", "more than"),
        ({"type": "pictogram", "value": -1, "total": 10}, "blocks[1].value", "negative"),
        ({"type": "pictogram", "value": float("nan"), "total": 3}, "blocks[1].value", "finite"),
        ({"type": "progress", "value": 120}, "blocks[1].value", "outside 0…100"),
        ({"type": "progress", "value": float("inf")}, "blocks[1].value", "finite"),
        ({"type": "progress", "value": 5, "min": 10, "max": 10}, "blocks[1].max", "above min"),
        ({"type": "progress", "value": 5, "format": "unit"}, "blocks[1].unit", "needs a unit"),
        ({"type": "progress", "kind": "dial", "value": 5}, "blocks[1].kind", "bar"),
    ],
)
def test_bad_input_gets_a_clear_error(block: dict[str, Any], path: str, words: str) -> None:
    err = error_of(block)
    assert err.path == path
    assert words in str(err)


def test_blocks_round_trip_through_json() -> None:
    blocks = [
        {"type": "icon", "name": "weather:rain", "color": "#123456", "label": "Rain"},
        {"type": "pictogram", "value": 2.5, "total": 4, "empty_color": "muted"},
        {"type": "progress", "kind": "gauge", "value": 3, "min": 1, "max": 5},
        {"type": "table", "header": ["a", "b"], "rows": [["x", 1.5], ["y", True]]},
    ]
    spec = parse_spec({"blocks": blocks})
    again = parse_spec(spec.model_dump(mode="json"))
    assert again == spec
    assert spec.blocks[0].color == "#123456ff"  # type: ignore[union-attr]
    assert spec.blocks[3].rows[1] == ["y", True]  # type: ignore[union-attr]


# --- icon --------------------------------------------------------------------------------


def test_icon_is_centred_above_its_label_and_resolved() -> None:
    layout = layout_of({"type": "icon", "name": "weather:clear", "label": "Sunny", "size": 120})
    (icon,) = items(layout, IconItem)
    (label,) = items(layout, TextItem)
    assert icon.name == "sun"
    assert icon.box.w == icon.box.h == pytest.approx(120 * 800 / 1080, abs=1)
    assert label.box.y >= icon.box.bottom + 4
    assert icon.box.x + icon.box.w / 2 == pytest.approx(label.box.x + label.box.w / 2, abs=1)


# --- pictogram ---------------------------------------------------------------------------


def test_grid_shape_prefers_full_rows() -> None:
    assert grid_shape(100, 1000, 1000, 84)[0] == 10
    assert grid_shape(10, 2000, 100, 84)[0] == 10  # one row when it is wide
    columns, side = grid_shape(7, 300, 1000, 84)
    assert columns * side <= 300


def _filled(layout: Layout, color: tuple[int, int, int, int]) -> list[IconItem]:
    return [i for i in items(layout, IconItem) if i.color == color]


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_pictogram_fills_value_icons_and_a_share_of_the_last(locale: str) -> None:
    block = {"type": "pictogram", "value": 3.25, "total": 8, "icon": "heart", "color": "#cc0000"}
    layout = layout_of(block, locale)
    icons = items(layout, IconItem)
    assert {i.name for i in icons} == {"heart"}
    red = (204, 0, 0, 255)
    filled = _filled(layout, red)
    assert len([i for i in filled if i.clip is None]) == 3
    (part,) = [i for i in filled if i.clip is not None]
    assert part.clip is not None
    assert part.clip.w == pytest.approx(0.25 * part.box.w)
    assert len([i for i in icons if i.color != red]) == 5  # the empty ones, the partial's too
    whole = [i for i in filled if i.clip is None]
    first_row = [i for i in icons if i.box.y == whole[0].box.y and i.color != red]
    if locale == "en":  # fills from the left; the partial icon's left part
        assert max(i.box.x for i in whole) < part.box.x
        assert part.clip.x == pytest.approx(part.box.x)
    else:  # mirrored: fills from the right
        assert min(i.box.x for i in whole) > part.box.x
        assert part.clip.right == pytest.approx(part.box.right)
    assert first_row or len(whole) < 8


def test_pictogram_of_200_icons_fits_and_audits_in_its_region() -> None:
    layout = layout_of({"type": "pictogram", "value": 120, "total": 200, "label": "People"})
    icons = items(layout, IconItem)
    assert len(icons) == 200
    assert all(layout.safe.contains(i.box) for i in icons)
    (label,) = items(layout, TextItem)
    assert label.box.y > max(i.box.bottom for i in icons)


# --- progress ----------------------------------------------------------------------------


def _marks(layout: Layout) -> tuple[Any, ...]:
    (shapes,) = items(layout, ShapeItem)
    return shapes.shapes  # type: ignore[no-any-return]


@pytest.mark.parametrize("locale", ["en", "he"])
def test_progress_bar_fills_its_share_from_the_start(locale: str) -> None:
    layout = layout_of({"type": "progress", "value": 30, "min": 10, "max": 90}, locale)
    track, fill = _marks(layout)
    assert isinstance(track, Polyline) and isinstance(fill, Polyline)
    (t0, _), (t1, _) = track.points
    (f0, _), (f1, _) = fill.points
    assert f0 == pytest.approx(t0)
    assert (f1 - f0) / (t1 - t0) == pytest.approx(0.25)  # (30 − 10) / (90 − 10)
    assert (f1 > f0) == (locale == "en")  # RTL: the fill runs right to left
    (value,) = items(layout, TextItem)
    assert "25%" in value.text.text


def test_progress_value_is_written_in_the_locale() -> None:
    block = {"type": "progress", "value": 72.5, "label": "Finanziert"}
    texts = {t.role: t.text.text for t in items(layout_of(block, "de"), TextItem)}
    assert "72,5\u00a0%" in texts["progress.value"]
    texts = {t.role: t.text.text for t in items(layout_of(block, "ar-EG"), TextItem)}
    assert "٧٢٫٥" in texts["progress.value"]
    block = {"type": "progress", "value": 1234, "max": 5000, "format": "unit", "unit": "meter"}
    texts = {t.role: t.text.text for t in items(layout_of(block, "de"), TextItem)}
    assert re.search(r"1\.234\sm$", texts["progress.value"])


def test_gauge_sweeps_its_share_of_a_half_ring_with_the_value_inside() -> None:
    layout = layout_of({"type": "progress", "kind": "gauge", "value": 40, "label": "Battery"})
    track, fill = _marks(layout)
    assert isinstance(track, Wedge) and isinstance(fill, Wedge)
    assert (track.start, track.sweep) == (180.0, 180.0)
    assert fill.sweep == pytest.approx(72.0)
    value = next(t for t in items(layout, TextItem) if t.role == "progress.value")
    hollow = track.inner
    for x, y in ((value.box.x, value.box.y), (value.box.right, value.box.y)):
        assert (x - track.cx) ** 2 + (y - track.cy) ** 2 < hollow**2
    assert value.box.bottom <= track.cy + 0.5


def test_empty_progress_draws_only_the_track() -> None:
    assert len(_marks(layout_of({"type": "progress", "value": 0}))) == 1


# --- table -------------------------------------------------------------------------------

TABLE = {
    "type": "table",
    "header": ["City", "Population", "Metro"],
    "rows": [["Tokyo", 13960000, "✓"], ["Paris", 2161000.5, True], ["Reykjavik", 131136, False]],
    "highlight": "Population",
}


def _cells(layout: Layout, role: str) -> list[TextItem]:
    return [t for t in items(layout, TextItem) if t.role == role]


def test_table_aligns_numbers_to_the_end_and_text_to_the_start() -> None:
    layout = layout_of(TABLE)
    cells = _cells(layout, "table.cell")
    names = [c for c in cells if c.text.text in ("Tokyo", "Paris", "Reykjavik")]
    numbers = [c for c in cells if c not in names]
    assert [c.text.text for c in numbers] == ["13,960,000.0", "2,161,000.5", "131,136.0"]
    assert len({round(c.box.x, 3) for c in names}) == 1
    assert len({round(c.box.right, 3) for c in numbers}) == 1
    assert len({c.text.size for c in cells}) == 1  # one size per role
    assert len({c.text.size for c in _cells(layout, "table.header")}) == 1
    icons = items(layout, IconItem)
    assert [i.name for i in icons] == ["check", "check", "x"]


def test_table_mirrors_its_columns_in_rtl() -> None:
    ltr, rtl = layout_of(TABLE), layout_of(TABLE, "he")
    heads_l = sorted(_cells(ltr, "table.header"), key=lambda t: t.box.x)
    heads_r = sorted(_cells(rtl, "table.header"), key=lambda t: t.box.x)
    assert [t.text.text for t in heads_l] == ["City", "Population", "Metro"]
    assert [t.text.text for t in heads_r] == ["Metro", "Population", "City"]
    number = next(t for t in _cells(rtl, "table.cell") if "960" in t.text.text)
    name = next(t for t in _cells(rtl, "table.cell") if t.text.text == "Tokyo")
    (shapes,) = items(rtl, ShapeItem)
    highlight = shapes.shapes[0]
    assert highlight.box.x == pytest.approx(number.box.x - round(0.5 * number.text.size), 0.5)
    assert name.box.right > number.box.right  # the first column is on the right


def test_narrow_table_wraps_text_columns_and_keeps_numbers_whole() -> None:
    block = {
        "type": "table",
        "header": ["Feature", "Basic plan", "Premium plan"],
        "rows": [["Unlimited storage for every member of the family", 4.99, 12.5]],
    }
    layout = layout_of(block, canvas={"width": 400, "height": 900})
    cells = _cells(layout, "table.cell")
    wrapped = next(c for c in cells if c.text.text.startswith("Unlimited"))
    assert wrapped.box.h > 1.5 * wrapped.text.size * 1.3  # more than one line
    assert all(c.box.h < 1.5 * c.text.size * 1.3 for c in cells if c is not wrapped)


def test_table_that_cannot_fit_says_so() -> None:
    block = {
        "type": "table",
        "header": [f"Column{k}" for k in range(8)],
        "rows": [[f"Incomprehensibilities{k}" for k in range(8)]],
    }
    with pytest.raises(TextOverflowError):
        layout_of(block, canvas={"width": 400, "height": 900})


# --- audit -------------------------------------------------------------------------------


def test_the_audit_treats_icons_as_their_blocks_marks() -> None:
    base = layout_of({"type": "icon", "name": "sun", "label": "Sunny"})
    (icon,) = items(base, IconItem)
    (label,) = items(base, TextItem)
    own = replace(label, box=icon.box)  # its own label on its icon: nesting, not overlap
    assert not audit_layout(replace(base, items=(*base.items, own))).failed("overlap")
    other = replace(label, block_id="title-0", box=icon.box)
    found = audit_layout(replace(base, items=(*base.items, other))).failed("overlap")
    assert len(found) == 1 and "b (icon)" in found[0].message
    outside = replace(icon, box=replace(icon.box, x=-5.0))
    found = audit_layout(replace(base, items=(*base.items, outside))).failed("safe_area")
    assert found and found[0].blocks == ("b",)
