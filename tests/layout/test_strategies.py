"""Planner strategies: the automatic choice (each rule), the override, the fallback order,
the error when nothing fits, and what every strategy keeps: the safe area, no overlaps,
the hierarchy, shared sizes, the legibility floor, the spacing scale and RTL mirroring."""

from __future__ import annotations

import io
import itertools
from typing import Any

import pytest
from PIL import Image

from factframe import SpecError, TextOverflowError, parse_spec
from factframe.layout import (
    FALLBACKS,
    STRATEGIES,
    Box,
    CardItem,
    Dot,
    ImageItem,
    Layout,
    ShapeItem,
    TextItem,
    audit_layout,
    choose,
    legibility_floor,
    plan,
)
from factframe.layout import planner as planner_module
from factframe.layout.choose import fallback_order
from factframe.layout.comparison import stat_pairs
from factframe.layout.grid import grid_columns
from factframe.layout.strategies import NotApplicable
from factframe.layout.timeline import dated
from factframe.spec import LAYOUTS, Spec


def png(width: int = 60, height: int = 40) -> bytes:
    image = Image.new("RGB", (width, height), (40, 120, 200))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


TITLE = {"type": "title", "text": "Earth in numbers"}
SUB = {"type": "subtitle", "text": "Key facts about our planet"}
TEXT = {"type": "text", "text": "About 71% of the surface is water."}
LONG = {"type": "text", "text": "The planet is the third from the Sun. " * 14}
FOOTER = {"type": "footer", "text": "Source: NASA"}
IMAGE = {"type": "image", "src": png()}
CHART = {"type": "chart", "kind": "bar", "labels": ["a", "b", "c"], "values": [3, 5, 4]}
EVENTS = {
    "type": "list",
    "items": ["1969: Apollo 11 lands", "1972: Apollo 17, the last crew", "2024: Artemis"],
}


def stat(i: int, label: str | None = None) -> dict[str, Any]:
    return {"type": "stat", "value": f"{i * 7 + 3}", "label": label or f"Measure {i}"}


def pairs(n: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(n):
        out += [{"type": "text", "text": f"Row {i}"}, stat(i, "North"), stat(i + 1, "South")]
    return out


def spec(*blocks: dict[str, Any], canvas: Any = "square", **extra: Any) -> Spec:
    return parse_spec({"canvas": canvas, "blocks": list(blocks), **extra})


def overlaps(a: Box, b: Box) -> bool:
    return (
        a.x < b.right - 0.5
        and b.x < a.right - 0.5
        and a.y < b.bottom - 0.5
        and b.y < a.bottom - 0.5
    )


# --- the automatic choice: one case per rule ---------------------------------------------

RULES = [
    ("timeline", spec(TITLE, EVENTS)),
    ("comparison", spec(TITLE, *pairs(3))),
    ("poster", spec(TITLE, IMAGE, TEXT, canvas="landscape")),
    ("columns", spec(TITLE, SUB, IMAGE, stat(1), stat(2), stat(3), LONG, canvas="landscape")),
    ("poster", spec(TITLE, IMAGE, TEXT, canvas="portrait")),
    ("grid", spec(TITLE, stat(1), stat(2), stat(3), stat(4), TEXT)),
    ("hero", spec(TITLE, stat(1), stat(2), stat(3), TEXT, canvas="portrait")),
    ("columns", spec(TITLE, stat(1), stat(2), LONG, LONG, canvas="2560x1080")),
    ("stack", spec(TITLE, SUB, stat(1), stat(2), stat(3), TEXT)),
]


@pytest.mark.parametrize(
    ("expected", "the_spec"), RULES, ids=[f"{i}-{r[0]}" for i, r in enumerate(RULES)]
)
def test_each_rule_of_the_automatic_choice(expected: str, the_spec: Spec) -> None:
    choice = choose(the_spec)
    assert choice.strategy == expected, choice.reason
    layout = plan(the_spec)
    assert layout.strategy == expected
    assert layout.notes[0].startswith(f"chose {expected}:")
    assert layout.notes[-1].startswith("used ")


def test_rules_depend_on_the_canvas() -> None:
    blocks = (TITLE, stat(1), stat(2), stat(3), TEXT)
    assert choose(spec(*blocks, canvas="portrait")).strategy == "hero"
    assert choose(spec(*blocks, canvas="square")).strategy == "stack"
    chart = (TITLE, CHART, LONG)
    assert choose(spec(*chart, canvas="landscape")).strategy == "columns"
    assert choose(spec(*chart, canvas="portrait")).strategy == "stack"  # a chart is no poster


def test_a_chart_alone_on_a_wide_canvas_makes_a_poster() -> None:
    layout = plan(spec(TITLE, SUB, CHART, canvas="og"))
    assert layout.strategy == "poster"
    shape = next(i for i in layout.items if isinstance(i, ShapeItem))
    title = next(t for t in layout.texts if t.role == "title")
    assert shape.box.x > title.box.right  # the visual beside the band, on the end side


# --- the override -------------------------------------------------------------------------


@pytest.mark.parametrize("name", LAYOUTS[1:])
def test_the_spec_overrides_the_choice(name: str) -> None:
    blocks = [TITLE, SUB, IMAGE, *pairs(2), EVENTS, FOOTER]
    the_spec = spec(*blocks, canvas="landscape", layout=name)
    layout = plan(the_spec)
    assert layout.strategy == name
    assert layout.notes[0] == f"chose {name}: asked for by the spec"
    assert audit_layout(layout).ok


def test_an_unknown_layout_names_the_field() -> None:
    with pytest.raises(SpecError) as info:
        spec(TITLE, layout="mosaic")
    assert info.value.path == "layout"
    assert "stack" in str(info.value)
    assert spec(TITLE, layout="Grid").layout == "grid"
    assert spec(TITLE).with_layout("hero").layout == "hero"


def test_a_strategy_that_does_not_apply_falls_back() -> None:
    layout = plan(spec(TITLE, TEXT, layout="comparison"))
    assert layout.strategy == "stack"
    assert any(n.startswith("comparison does not apply") for n in layout.notes)


# --- the fallback order ---------------------------------------------------------------------


def test_fallback_order_table() -> None:
    assert set(FALLBACKS) == set(STRATEGIES)
    for name, order in FALLBACKS.items():
        assert fallback_order(name) == [name, *order]
        assert name not in order
    assert fallback_order("hero") == ["hero", "stack", "columns"]
    assert fallback_order("poster") == ["poster", "columns", "stack"]


def test_fallbacks_are_tried_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[str] = []

    def failing(name: str) -> Any:
        def strategy(*args: Any) -> Any:
            tried.append(name)
            raise TextOverflowError("title-0", 900 + len(tried), 500)

        return strategy

    monkeypatch.setitem(planner_module.STRATEGIES, "hero", failing("hero"))
    monkeypatch.setitem(planner_module.STRATEGIES, "stack", failing("stack"))
    layout = plan(spec(TITLE, stat(1), stat(2), TEXT, canvas="portrait"))
    assert tried == ["hero", "stack"]
    assert layout.strategy == "columns"
    assert [n.split(" ")[0] for n in layout.notes[1:3]] == ["hero", "stack"]


def test_shrunken_text_tries_the_fallbacks_for_larger_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planner_module, "SHRINK_LIMIT", 1.01)  # every strategy "shrinks"
    layout = plan(spec(TITLE, stat(1), stat(2), TEXT, canvas="portrait"))
    assert layout.strategy == "hero"  # a tie keeps the chosen one
    assert any("trying the next" in n for n in layout.notes)


def test_the_error_when_nothing_fits_names_the_block_and_by_how_much() -> None:
    essay = {"type": "text", "id": "essay", "text": "Far too much text to fit here. " * 300}
    with pytest.raises(TextOverflowError) as info:
        plan(spec(TITLE, essay, stat(1), stat(2), canvas="og"))
    err = info.value
    assert err.block == "essay"
    assert err.needed > err.available > 0
    assert f"{err.needed:.0f} px" in str(err) and f"{err.available:.0f} px" in str(err)
    assert "tried columns, stack" in str(err)  # wide, much text: columns first


# --- detectors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("1969: Apollo 11 lands", ("1969", "Apollo 11 lands")),
        ("12 May 2026 — Opening night", ("12 May 2026", "Opening night")),
        ("2026-05-12 | Doors", ("2026-05-12", "Doors")),
        ("1707年：宝永噴火", ("1707年", "宝永噴火")),
        ("20:30 Doors open", ("20:30", "Doors open")),
        ("19:00–21:00: Concert", ("19:00–21:00", "Concert")),
        ("١٩٦٩: الهبوط على القمر", ("١٩٦٩", "الهبوط على القمر")),
        ("12 May — Opening night", ("12 May", "Opening night")),
        ("5月12日：開幕", ("5月12日", "開幕")),
        ("Day 1: Partly cloudy", None),
        ("Step 3: Add water", None),
        ("Bring a towel", None),
        ("Note: nothing dated here", None),
        ("1969", None),
    ],
)
def test_dated_events(item: str, expected: tuple[str, str] | None) -> None:
    assert dated(item) == expected


def test_month_names_of_the_locale() -> None:
    assert dated("12 Mai: Eröffnung", "de") == ("12 Mai", "Eröffnung")
    assert dated("12 Mai: Eröffnung", "en") is None


def test_a_timeline_keeps_its_card() -> None:
    events = {**EVENTS, "style": {"background": "#ffffff"}}
    layout = plan(spec(TITLE, events, canvas="portrait"))
    assert layout.strategy == "timeline"
    (card,) = [c for c in layout.items if isinstance(c, CardItem)]
    for item in layout.items:
        if item.block_id == card.block_id and item is not card:
            assert card.box.contains(item.box)


def test_stat_pairs() -> None:
    blocks = spec(TITLE, *pairs(2), TEXT).blocks
    found = stat_pairs(blocks)
    assert found is not None
    start, end, rows = found
    assert (start, end, len(rows)) == (1, 7, 2)
    assert rows[0].name is not None and rows[0].name.text == "Row 0"
    assert stat_pairs(spec(TITLE, stat(1), stat(2), stat(3)).blocks) is None  # a run of three
    assert stat_pairs(spec(*pairs(1), IMAGE, *pairs(1)).blocks) is None  # something between


def test_grid_columns_follow_the_region() -> None:
    assert grid_columns(4, 950, 700, 32)[0] == 2  # 2 × 2 on a square
    assert grid_columns(4, 1800, 390, 32)[0] == 4  # 4 × 1 on a wide canvas
    assert grid_columns(6, 950, 1000, 32)[0] == 2


def test_not_applicable_strategies_say_why() -> None:
    the_spec = spec(TITLE, TEXT)
    from factframe.layout.context import make_context
    from factframe.typography import default_library

    ctx = make_context(the_spec, default_library())
    body = Box(0, 0, 900, 900)
    for name in ("grid", "hero", "comparison", "timeline", "columns", "poster"):
        with pytest.raises(NotApplicable):
            STRATEGIES[name](ctx, the_spec.blocks, body)


# --- what every strategy keeps --------------------------------------------------------------

CASES: dict[str, list[dict[str, Any]]] = {
    "stack": [TITLE, SUB, stat(1), stat(2), stat(3), TEXT, FOOTER],
    "grid": [TITLE, SUB, *(stat(i) for i in range(6)), FOOTER],
    "hero": [TITLE, SUB, stat(1), stat(2), stat(3), TEXT, FOOTER],
    "comparison": [TITLE, SUB, *pairs(3), TEXT, FOOTER],
    "timeline": [TITLE, SUB, EVENTS, TEXT, FOOTER],
    "columns": [TITLE, SUB, IMAGE, stat(1), stat(2), TEXT, FOOTER],
    "poster": [TITLE, SUB, IMAGE, TEXT, FOOTER],
}
CANVASES = ["portrait", "square", "landscape", "story", "2560x1080", "4k"]


def sizes_by_role(layout: Layout) -> dict[str, set[float]]:
    found: dict[str, set[float]] = {}
    for t in layout.texts:
        found.setdefault(t.role, set()).add(round(t.text.size, 3))
    return found


@pytest.mark.parametrize(("name", "canvas"), list(itertools.product(CASES, CANVASES)))
def test_every_strategy_keeps_the_rules(name: str, canvas: str) -> None:
    the_spec = spec(*CASES[name], canvas=canvas, layout=name)
    layout = plan(the_spec)
    assert layout.strategy == name
    audit = audit_layout(layout)  # no pixels: overlap, safe area, floor, overflow
    assert audit.ok, str(audit)
    for item in layout.items:
        assert layout.safe.contains(item.box), item
    subjects = [i for i in layout.items if isinstance(i, TextItem | ImageItem)]
    for a, b in itertools.combinations(subjects, 2):
        if a.block_id != b.block_id:
            assert not overlaps(a.box, b.box), (a.block_id, b.block_id)
    sizes = sizes_by_role(layout)
    for role, found in sizes.items():  # siblings share one size
        if role not in ("chart.tick", "chart.value"):
            assert len(found) == 1, (role, found)
    (title,) = sizes["title"]
    (subtitle,) = sizes["subtitle"]
    assert title > subtitle  # the hierarchy
    for body in ("text", "list"):
        if body in sizes:
            assert subtitle > max(sizes[body])
    floor = legibility_floor(the_spec.canvas.short_side)
    small = legibility_floor(the_spec.canvas.short_side, small=True)
    for t in layout.texts:
        assert (
            t.text.size
            >= (
                small
                if t.role in ("footer", "stat.caption") or t.role.startswith("chart")
                else floor
            )
            - 1e-6
        )


@pytest.mark.parametrize("name", CASES)
def test_every_strategy_mirrors_for_rtl(name: str) -> None:
    ltr = plan(spec(*CASES[name], canvas="landscape", layout=name))
    rtl = plan(spec(*CASES[name], canvas="landscape", layout=name, locale="ar"))
    assert rtl.direction == "rtl" and rtl.strategy == name
    width = ltr.width

    def key(item: Any) -> tuple[str, str, str]:
        return (item.block_id, type(item).__name__, getattr(item, "role", ""))

    left = {}
    for item in ltr.items:
        left.setdefault(key(item), []).append(item.box)
    right = {}
    for item in rtl.items:
        right.setdefault(key(item), []).append(item.box)
    assert left.keys() == right.keys()
    for k, boxes in left.items():  # (the Arabic locale's line heights differ: x only)
        mirrored = sorted(round(width - b.right, 1) for b in boxes)
        assert mirrored == sorted(round(b.x, 1) for b in right[k]), k


def test_stack_centres_its_content_and_keeps_to_the_spacing_scale() -> None:
    layout = plan(spec(TITLE, SUB, TEXT, canvas="story"))
    top = min(i.box.y for i in layout.items)
    bottom = max(i.box.bottom for i in layout.items)
    above, below = top - layout.safe.y, layout.safe.bottom - bottom
    assert above > 0.25 * layout.safe.h  # not stuck at the top
    assert abs(above - below) < 2  # centred
    title, subtitle, text = sorted(layout.texts, key=lambda t: t.box.y)
    scale = 1080 / 1080
    steps = {round(s * scale, 3) for s in (4, 8, 16, 24, 32, 48, 64)}
    assert round(subtitle.box.y - title.box.bottom, 3) in steps  # inside the group: small
    assert round(text.box.y - subtitle.box.bottom, 3) == 64  # sections opened up the scale


def test_pictures_take_the_free_height_before_the_gaps() -> None:
    layout = plan(spec(TITLE, IMAGE, TEXT, canvas="story", layout="stack"))
    (image,) = [i for i in layout.items if isinstance(i, ImageItem)]
    assert image.box.h > 0.6 * layout.safe.h


def test_grid_cards_fill_and_share_sizes() -> None:
    layout = plan(spec(TITLE, *(stat(i) for i in range(4)), canvas="portrait"))
    assert layout.strategy == "grid"
    cards = [c for c in layout.items if isinstance(c, CardItem)]
    assert len({round(c.box.w) for c in cards}) == 1 and len(cards) == 4
    assert len({round(c.box.y) for c in cards}) == 2  # two rows of two
    assert cards[0].box.h > 1.5 * (cards[0].box.w * 0.3)  # stretched into the free height


def test_hero_sets_the_lead_stat_large_on_a_readable_panel() -> None:
    layout = plan(spec(TITLE, stat(1), stat(2), stat(3), TEXT, canvas="portrait"))
    hero = next(t for t in layout.texts if t.role == "stat.hero")
    values = [t for t in layout.texts if t.role == "stat.value"]
    assert len(values) == 2 and hero.text.size > values[0].text.size
    panel = next(c for c in layout.items if isinstance(c, CardItem) and c.block_id == hero.block_id)
    assert panel.box.contains(hero.box)
    assert hero.text.color[:3] == (255, 255, 255)  # white reads on the dark primary


def test_comparison_heads_its_columns_once() -> None:
    layout = plan(spec(TITLE, *pairs(3), canvas="portrait"))
    heads = [t for t in layout.texts if t.role == "stat.label"]
    assert [h.text.text for h in heads] == ["North", "South"]
    names = [t for t in layout.texts if t.role == "text"]
    values = [t for t in layout.texts if t.role == "stat.value"]
    assert len(values) == 6 and len({t.text.size for t in values}) == 1
    for name in names:  # each measure's name sits between its two values
        row = [
            v for v in values if abs((v.box.y + v.box.h / 2) - (name.box.y + name.box.h / 2)) < 60
        ]
        assert len(row) == 2 and row[0].box.right < name.box.x < name.box.right < row[1].box.x


@pytest.mark.parametrize(("canvas", "horizontal"), [("portrait", False), ("landscape", True)])
def test_timeline_rail_and_dots(canvas: str, horizontal: bool) -> None:
    layout = plan(spec(TITLE, EVENTS, canvas=canvas))
    assert layout.strategy == "timeline"
    (rail,) = [i for i in layout.items if isinstance(i, ShapeItem)]
    dots = [s for s in rail.shapes if isinstance(s, Dot)]
    stamps = [t for t in layout.texts if t.role == "timeline.date"]
    assert [s.text.text for s in stamps] == ["1969", "1972", "2024"]
    assert len(dots) == 3
    if horizontal:
        assert len({round(d.cy) for d in dots}) == 1
        assert all(s.box.y > dots[0].cy for s in stamps)
    else:
        assert len({round(d.cx) for d in dots}) == 1
        assert all(s.box.x > dots[0].cx + dots[0].r for s in stamps)
