"""The timeline, process and map blocks: spec errors naming the field, planning rules
(orientation, alternating labels, rows of one height, RTL flow, marker positions) and
facts bound into them."""

from __future__ import annotations

from typing import Any

import pytest

import factframe
from factframe.errors import LayoutError, SpecError
from factframe.knowledge import KnowledgeStore
from factframe.layout import Dot, MapItem, Polygon, Rect, ShapeItem, TextItem, plan
from factframe.layout.audit import _intersection
from factframe.layout.geomap import label_candidates
from factframe.layout.projection import place_marker
from factframe.layout.timeline import format_iso_date
from factframe.spec import parse_spec

EVENTS = [
    {"date": "1969-07-20", "title": "Apollo 11", "text": "First steps on the Moon"},
    {"date": "1971", "title": "Salyut 1"},
    {"date": "1981-04", "title": "Space Shuttle"},
    {"date": "1998-11-20", "title": "ISS begins"},
    {"date": "2021-02-18", "title": "Perseverance"},
    {"date": "2024-09", "title": "Europa Clipper"},
]
STEPS = [{"title": "Collect"}, {"title": "Bind"}, {"title": "Plan"}, {"title": "Draw"}]
CITIES = {
    "Lisbon": (38.72, -9.14),
    "Porto": (41.15, -8.61),
    "Madrid": (40.42, -3.70),
    "Barcelona": (41.39, 2.17),
    "Seville": (37.39, -5.98),
}


def spec(block: dict[str, Any], canvas: str = "landscape", locale: str = "en") -> dict[str, Any]:
    return {"canvas": canvas, "locale": locale, "blocks": [{"type": "title", "text": "T"}, block]}


def bad(block: dict[str, Any]) -> SpecError:
    with pytest.raises(SpecError) as info:
        factframe.render(spec(block))
    return info.value


def no_overlaps(texts: list[TextItem]) -> None:
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            assert _intersection(a.box, b.box) == 0, (a.text.text, b.text.text)


# --- bad input -------------------------------------------------------------------------


def test_a_timeline_without_events_names_the_field() -> None:
    error = bad({"type": "timeline", "events": []})
    assert error.path == "blocks[1].events" and "at least one event" in str(error)


@pytest.mark.parametrize(
    ("date", "reason"),
    [("2026-02-30", "not a date"), ("May 2026", "not an ISO 8601 date"), ("26-05-12", "ISO")],
)
def test_bad_dates_name_the_event(date: str, reason: str) -> None:
    error = bad(
        {
            "type": "timeline",
            "events": [{"date": "2020", "title": "a"}, {"date": date, "title": "b"}],
        }
    )
    assert error.path == "blocks[1].events[1].date" and reason in str(error)


def test_events_out_of_order_are_refused() -> None:
    error = bad(
        {
            "type": "timeline",
            "events": [{"date": "2020", "title": "a"}, {"date": "2019-05", "title": "b"}],
        }
    )
    assert error.path == "blocks[1].events[1].date" and "date order" in str(error)


def test_a_process_without_steps_names_the_field() -> None:
    assert bad({"type": "process", "steps": []}).path == "blocks[1].steps"


@pytest.mark.parametrize(("field", "value"), [("lat", 91.0), ("lat", -90.5), ("lon", 180.5)])
def test_coordinates_out_of_range_name_the_marker(field: str, value: float) -> None:
    marker = {"name": "x", "lat": 10.0, "lon": 10.0, field: value}
    error = bad({"type": "map", "markers": [{"name": "ok", "lat": 1, "lon": 1}, marker]})
    assert error.path == f"blocks[1].markers[1].{field}" and "outside" in str(error)


def test_a_marker_needs_both_coordinates() -> None:
    error = bad({"type": "map", "markers": [{"name": "x", "lat": 10.0}]})
    assert error.path == "blocks[1].markers[0].lon"


def test_an_unknown_country_code_names_its_place_in_the_region() -> None:
    error = bad({"type": "map", "region": ["PT", "XQ"]})
    assert error.path == "blocks[1].region[1]" and "unknown country code 'XQ'" in str(error)


def test_a_malformed_region_is_refused_before_planning() -> None:
    assert bad({"type": "map", "region": ["P1"]}).path == "blocks[1].region"
    assert "lon_min" in str(bad({"type": "map", "region": [10, 0, 5, 1]}))


def test_a_marker_outside_the_region_is_an_error() -> None:
    error = bad(
        {"type": "map", "region": ["PT"], "markers": [{"name": "Tokyo", "lat": 35.7, "lon": 139.7}]}
    )
    assert error.path == "blocks[1].markers[0]" and "outside the map's region" in str(error)


# --- timeline --------------------------------------------------------------------------


def test_dates_are_written_in_the_locale() -> None:
    assert format_iso_date("1969-07-20", "en") == "Jul 20, 1969"
    assert format_iso_date("1969-07-20", "de") == "20. Juli 1969"
    assert format_iso_date("1969-07", "ja") == "1969年7月"
    assert format_iso_date("1969-07-20", "en", "yMMM") == "Jul 1969"
    layout = factframe.render(spec({"type": "timeline", "events": EVENTS[:3]}, locale="de")).layout
    dates = [t.text.text for t in layout.texts if t.role == "timeline.date"]
    assert any("20. Juli 1969" in d for d in dates), dates


def test_a_wide_region_gets_a_horizontal_rail_and_a_narrow_one_a_vertical_rail() -> None:
    wide = plan(parse_spec(spec({"type": "timeline", "events": EVENTS[:4]})))
    tall = plan(parse_spec(spec({"type": "timeline", "events": EVENTS[:4]}, canvas="story")))
    (rail,) = [s for s in _shapes(wide, "timeline-1") if isinstance(s, Rect) and s.box.w > 100]
    assert rail.box.w > 5 * rail.box.h  # across
    dots = [s for s in _shapes(tall, "timeline-1") if isinstance(s, Dot)]
    assert len({round(d.cx) for d in dots}) == 1 and len({round(d.cy) for d in dots}) == 4


def test_crowded_labels_alternate_above_and_below_without_overlapping() -> None:
    events = [{"date": f"{2000 + i}", "title": f"Event number {i}"} for i in range(10)]
    layout = plan(
        parse_spec(
            spec(
                {"type": "timeline", "events": events, "orientation": "horizontal"}, canvas="square"
            )
        )
    )
    dots = [s for s in _shapes(layout, "timeline-1") if isinstance(s, Dot)]
    rail_y = dots[0].cy
    dates = [t for t in layout.texts if t.role == "timeline.date"]
    above = [t for t in dates if t.box.bottom < rail_y]
    below = [t for t in dates if t.box.y > rail_y]
    assert len(above) == 5 and len(below) == 5
    no_overlaps([t for t in layout.texts if t.block_id == "timeline-1"])
    for t in layout.texts:  # and no label touches a dot
        for d in dots:
            assert not _hits_disc(t, d)


def test_rtl_timeline_runs_right_to_left() -> None:
    layout = plan(parse_spec(spec({"type": "timeline", "events": EVENTS[:3]}, locale="ar")))
    dates = [t for t in layout.texts if t.role == "timeline.date"]
    xs = [t.box.x for t in dates]
    assert xs == sorted(xs, reverse=True)


# --- process ---------------------------------------------------------------------------


def _cards(layout: Any, block_id: str) -> list[Any]:
    from factframe.layout import CardItem

    return [i for i in layout.items if isinstance(i, CardItem) and i.block_id == block_id]


def _shapes(layout: Any, block_id: str) -> list[Any]:
    return [
        s
        for i in layout.items
        if isinstance(i, ShapeItem) and i.block_id == block_id
        for s in i.shapes
    ]


def _hits_disc(text: TextItem, dot: Dot) -> bool:
    nx = min(max(dot.cx, text.box.x), text.box.right)
    ny = min(max(dot.cy, text.box.y), text.box.bottom)
    return (nx - dot.cx) ** 2 + (ny - dot.cy) ** 2 < dot.r**2


def test_a_wide_process_is_one_row_of_equal_boxes_with_one_text_size() -> None:
    steps = [{"title": "Collect", "text": "Facts from several sources with provenance"}, *STEPS[1:]]
    layout = plan(parse_spec(spec({"type": "process", "steps": steps})))
    cards = _cards(layout, "process-1")
    assert len({round(c.box.y) for c in cards}) == 1
    assert len({round(c.box.h, 3) for c in cards}) == 1  # one height, though one has more text
    titles = [t for t in layout.texts if t.role == "step.title"]
    assert len({t.text.size for t in titles}) == 1
    heads = [s for s in _shapes(layout, "process-1") if isinstance(s, Polygon)]
    assert len(heads) == 3
    assert all(max(p[0] for p in h.points) == h.points[0][0] for h in heads)  # tips point right


def test_rtl_reverses_the_flow_and_the_arrowheads() -> None:
    layout = plan(parse_spec(spec({"type": "process", "steps": STEPS}, locale="he")))
    cards = _cards(layout, "process-1")
    xs = [c.box.x for c in cards]
    numbers = [t for t in layout.texts if t.role == "step.number"]
    assert [n.text.text.strip("\u2067\u2069") for n in sorted(numbers, key=lambda t: -t.box.x)] == [
        "1",
        "2",
        "3",
        "4",
    ]
    assert xs == sorted(xs, reverse=True)  # in step order: step 1 is rightmost
    heads = [s for s in _shapes(layout, "process-1") if isinstance(s, Polygon)]
    assert all(min(p[0] for p in h.points) == h.points[0][0] for h in heads)  # tips point left


def test_a_narrow_process_snakes_and_a_very_narrow_one_is_a_column() -> None:
    steps = [{"title": f"Step {i}"} for i in range(7)]
    snake = plan(parse_spec(spec({"type": "process", "steps": steps}, canvas="portrait")))
    rows = sorted({round(c.box.y) for c in _cards(snake, "process-1")})
    assert 1 < len(rows) < 7
    first, second = (
        [c for c in _cards(snake, "process-1") if round(c.box.y) == y] for y in rows[:2]
    )
    assert abs(first[-1].box.x - second[0].box.x) < 1  # the turn goes straight down
    column = plan(
        parse_spec(spec({"type": "process", "steps": steps[:3], "arrangement": "column"}))
    )
    assert len({round(c.box.x) for c in _cards(column, "process-1")}) == 1


# --- map -------------------------------------------------------------------------------


def map_block(**fields: Any) -> dict[str, Any]:
    markers = [{"name": n, "lat": lat, "lon": lon} for n, (lat, lon) in CITIES.items()]
    return {"type": "map", "markers": markers, **fields}


@pytest.mark.parametrize("locale", ["en", "ar"])
@pytest.mark.parametrize("region", [["PT", "ES"], None, [-12, 34, 6, 45]])
def test_markers_land_on_their_projected_positions(region: Any, locale: str) -> None:
    rendered = factframe.render(spec(map_block(region=region), canvas="square", locale=locale))
    (item,) = [i for i in rendered.layout.items if isinstance(i, MapItem)]
    dots = [s for s in _shapes(rendered.layout, "map-1") if isinstance(s, Dot)]
    for lat, lon in CITIES.values():
        x, y = place_marker(item.transform, lon, lat)
        assert min((d.cx - x) ** 2 + (d.cy - y) ** 2 for d in dots) <= 2.0**2
    assert rendered.audit.ok, str(rendered.audit)


def test_lisbon_is_where_equal_earth_puts_it_on_a_world_map() -> None:
    rendered = factframe.render(
        spec(
            {
                "type": "map",
                "region": "world",
                "markers": [{"name": "Lisbon", "lat": 38.72, "lon": -9.14}],
            }
        )
    )
    (item,) = [i for i in rendered.layout.items if isinstance(i, MapItem)]
    x0, y0, x1, y1 = item.bounds
    # the map's box holds the whole Equal Earth world: ±2.7066 × ±1.3174 in unit space
    assert x1 - x0 == pytest.approx(2 * 2.7066, abs=1e-3) and y1 - y0 == pytest.approx(
        2 * 1.3174, abs=1e-3
    )
    ex = item.box.x + (-9.14 * 0.0 + 1) * 0  # the map's own transform, written out
    t = item.transform
    lon, lat = -9.14, 38.72
    import math

    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    theta = math.asin(math.sqrt(3) / 2 * math.sin(math.radians(lat)))
    px = (
        2
        * math.sqrt(3)
        * math.radians(lon)
        * math.cos(theta)
        / (3 * (9 * a4 * theta**8 + 7 * a3 * theta**6 + 3 * a2 * theta**2 + a1))
    )
    py = theta * (a1 + a2 * theta**2 + theta**6 * (a3 + a4 * theta**2))
    ex, ey = t.x0 + t.scale * px, t.y0 - t.scale * py
    (dot,) = [s for s in _shapes(rendered.layout, "map-1") if isinstance(s, Dot) and s.r < 8]
    assert abs(dot.cx - ex) <= 2 and abs(dot.cy - ey) <= 2
    # and the pixel under it is the marker's colour, drawn over the basemap
    r, g, b = rendered.image.getpixel((round(dot.cx), round(dot.cy)))[:3]
    assert (r, g, b) == pytest.approx((11, 61, 145), abs=12)


def test_labels_stay_inside_the_map_clear_of_markers_and_each_other() -> None:
    for canvas in ("square", "landscape", "story"):
        layout = plan(parse_spec(spec(map_block(region=["PT", "ES"]), canvas=canvas)))
        (item,) = [i for i in layout.items if isinstance(i, MapItem)]
        labels = [t for t in layout.texts if t.role == "map.label"]
        assert len(labels) == len(CITIES)
        no_overlaps(labels)
        dots = [s for s in _shapes(layout, "map-1") if isinstance(s, Dot)]
        for label in labels:
            assert item.box.contains(label.box)
            assert not any(_hits_disc(label, d) for d in dots)


def test_rtl_moves_the_map_but_never_mirrors_the_geography() -> None:
    ltr = plan(parse_spec(spec(map_block(region=["PT", "ES"]), canvas="square")))
    rtl = plan(parse_spec(spec(map_block(region=["PT", "ES"]), canvas="square", locale="ar")))
    for layout in (ltr, rtl):
        dots = {round(d.cx) for d in _shapes(layout, "map-1") if isinstance(d, Dot)}
        (item,) = [i for i in layout.items if isinstance(i, MapItem)]
        lisbon = place_marker(item.transform, -9.14, 38.72)[0]
        barcelona = place_marker(item.transform, 2.17, 41.39)[0]
        assert lisbon < barcelona and round(lisbon) in dots  # west stays on the left


def test_too_many_labels_for_a_small_map_fail_with_the_marker_named() -> None:
    markers = [
        {"name": f"Place number {i}", "lat": 40 + i * 0.01, "lon": -4 + i * 0.01} for i in range(12)
    ]
    with pytest.raises(LayoutError, match=r"markers\[\d+\]"):
        plan(parse_spec(spec({"type": "map", "region": "world", "markers": markers}, canvas="og")))


def test_label_candidates_put_the_label_after_the_marker_in_the_reading_direction() -> None:
    ltr = label_candidates(100, 100, 10, 40, 20, rtl=False)[0]
    rtl = label_candidates(100, 100, 10, 40, 20, rtl=True)[0]
    assert ltr.x == 110 and rtl.right == 90


# --- facts -----------------------------------------------------------------------------


def test_place_and_date_facts_bind_into_markers_and_events() -> None:
    raw = {
        "canvas": "square",
        "facts": {"city": {"provider": "geocode", "name": "Lisbon"}},
        "blocks": [
            {"type": "title", "text": "{{ city.name }}"},
            {
                "type": "map",
                "markers": [{"place": "{{ city }}"}, {"name": "Porto", "lat": 41.15, "lon": -8.61}],
            },
            {
                "type": "process",
                "steps": [{"title": "Visit {{ city.name }}"}, {"title": "Go home"}],
            },
        ],
    }
    rendered = factframe.render(raw, offline=True, store=KnowledgeStore(":memory:"))
    marker = rendered.spec.blocks[1].markers[0]  # type: ignore[union-attr]
    assert marker.name == "Lisbon" and marker.lat == pytest.approx(38.7, abs=0.1)
    assert any(t.text.text.endswith("Visit Lisbon") for t in rendered.layout.texts)
    assert rendered.facts is not None and set(rendered.facts.used_by["city"]) >= {
        "map-1",
        "process-2",
    }


def test_a_place_template_must_give_a_location() -> None:
    from factframe.errors import TemplateError

    raw = {
        "facts": {"city": {"provider": "geocode", "name": "Lisbon"}},
        "blocks": [{"type": "map", "markers": [{"place": "{{ city.name }}"}]}],
    }
    with pytest.raises(TemplateError) as info:
        factframe.render(raw, offline=True, store=KnowledgeStore(":memory:"))
    assert info.value.path == "blocks[0].markers[0].place"


def test_a_step_icon_is_resolved_and_an_unknown_one_names_its_field() -> None:
    from factframe.layout import IconItem

    steps = [{"title": "Rain", "icon": "weather:rain"}, {"title": "Home", "icon": "house"}]
    layout = plan(parse_spec(spec({"type": "process", "steps": steps})))
    icons = [i for i in layout.items if isinstance(i, IconItem)]
    assert [i.name for i in icons] == ["cloud-rain", "house"]
    cards = _cards(layout, "process-1")
    assert all(c.box.contains(i.box) for c, i in zip(cards, icons, strict=True))
    error = bad({"type": "process", "steps": [{"title": "x", "icon": "hause"}]})
    assert error.path == "blocks[1].steps[0].icon" and "house" in str(error)


def test_the_audit_nests_a_maps_labels_but_flags_another_blocks_text_on_it() -> None:
    from dataclasses import replace

    from factframe.layout import audit_layout

    layout = plan(parse_spec(spec(map_block(region=["PT", "ES"]), canvas="square")))
    assert not audit_layout(layout).failed("overlap")  # its labels lie on its own map
    (item,) = [i for i in layout.items if isinstance(i, MapItem)]
    label = next(t for t in layout.texts if t.role == "map.label")
    stray = replace(label, block_id="title-0")
    issues = audit_layout(replace(layout, items=(*layout.items, stray))).failed("overlap")
    assert any(set(i.blocks) == {"title-0", "map-1"} for i in issues)
    assert item.box.contains(label.box)


def test_the_timeline_strategy_writes_iso_stamps_of_dated_lists_in_the_locale_too() -> None:
    items = ["2026-05-12: Opening", "2026-06: Summer program", "2027: Tenth season"]
    layout = plan(parse_spec({"locale": "de", "blocks": [{"type": "list", "items": items}]}))
    assert layout.strategy == "timeline"
    dates = [t.text.text for t in layout.texts if t.role == "timeline.date"]
    assert ["12. Mai 2026" in d for d in dates] == [True, False, False], dates
    assert "Juni 2026" in dates[1] and "2027" in dates[2]


def test_a_map_beside_a_title_on_a_wide_canvas_fills_its_column() -> None:
    layout = plan(parse_spec(spec(map_block(region=["PT", "ES"]))))
    (item,) = [i for i in layout.items if isinstance(i, MapItem)]
    assert layout.strategy == "poster"
    assert item.box.h >= 0.55 * layout.height  # a visual that grows, not a text-sized map


@pytest.mark.parametrize(("locale", "first"), [("ar-EG", "١"), ("hi-IN", "1"), ("en", "1")])
def test_step_and_list_numbers_use_the_locales_digits(locale: str, first: str) -> None:
    spec = {
        "canvas": "square",
        "locale": locale,
        "blocks": [
            {"type": "process", "id": "p", "steps": [{"title": "A"}, {"title": "B"}]},
            {"type": "list", "id": "l", "ordered": True, "items": ["x", "y"]},
        ],
    }
    isolates = "\u2066\u2067\u2068\u2069"  # the bidi isolates prepared text carries
    texts = [(t, t.text.text.strip(isolates)) for t in plan(factframe.parse_spec(spec)).texts]
    step = [s for t, s in texts if t.block_id == "p" and t.role == "step.number"]
    assert step[0] == first
    assert any(s.lstrip(isolates).startswith(f"{first}.") for t, s in texts if t.block_id == "l")
