"""The vertical-flow planner: safe area, hierarchy, shared sizes, RTL mirroring, overflow."""

from __future__ import annotations

import pytest

from factframe import TextOverflowError, parse_spec
from factframe.layout import Box, CardItem, TextItem, legibility_floor, plan

STATS = [
    {"type": "title", "text": "Earth in numbers"},
    {"type": "stat", "id": "a", "value": "6,371", "unit": "km", "label": "Mean radius"},
    {"type": "stat", "id": "b", "value": "9.81", "label": "Surface gravity"},
    {"type": "stat", "id": "c", "value": "1", "label": "Moon"},
    {"type": "text", "text": "About 71% of the surface is water."},
    {"type": "footer", "text": "Source: NASA"},
]


def overlaps(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


@pytest.mark.parametrize("canvas", ["square", "portrait", "story", "landscape", "og", "4k"])
def test_everything_inside_the_safe_area_and_apart(canvas: str) -> None:
    layout = plan(parse_spec({"canvas": canvas, "blocks": STATS}))
    texts = layout.texts
    for item in layout.items:
        assert layout.safe.contains(item.box), item
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            assert not overlaps(a.box, b.box), (a.block_id, a.role, b.block_id, b.role)


def test_hierarchy_and_shared_stat_sizes() -> None:
    layout = plan(parse_spec({"blocks": STATS}))
    size = {(t.block_id, t.role): t.text.size for t in layout.texts}
    values = {size[k, "stat.value"] for k in "abc"}
    assert len(values) == 1  # siblings share one size
    assert size["title-0", "title"] > size["text-4", "text"] > size["footer-5", "footer"]


def test_text_on_cards_is_inside_its_card() -> None:
    layout = plan(parse_spec({"blocks": STATS}))
    cards = {c.block_id: c.box for c in layout.items if isinstance(c, CardItem)}
    for item in layout.texts:
        if item.block_id in cards:
            assert cards[item.block_id].contains(item.box)


def test_rtl_mirrors_the_layout() -> None:
    ltr = plan(parse_spec({"locale": "en", "blocks": STATS}))
    rtl = plan(parse_spec({"locale": "ar", "blocks": STATS}))
    card_x = {c.block_id: c.box.x for c in rtl.items if isinstance(c, CardItem)}
    assert card_x["a"] > card_x["b"] > card_x["c"]  # first stat on the right
    assert rtl.direction == "rtl"
    title_ltr = next(t for t in ltr.texts if t.role == "title")
    title_rtl = next(t for t in rtl.texts if t.role == "title")
    assert title_ltr.text.align == "left" and title_rtl.text.align == "right"


def test_shrinks_together_before_giving_up() -> None:
    long = {"type": "text", "text": "A paragraph that goes on. " * 90}
    layout = plan(parse_spec({"canvas": "og", "blocks": [STATS[0], long]}))
    assert layout.text_scale < 1.0
    floor = legibility_floor(630)
    assert min(t.text.size for t in layout.texts) >= floor


def test_overflow_names_a_block_and_the_shortfall() -> None:
    long = {"type": "text", "id": "essay", "text": "Far too much text to fit. " * 300}
    with pytest.raises(TextOverflowError) as info:
        plan(parse_spec({"canvas": "og", "blocks": [long]}))
    assert info.value.block == "essay"
    assert info.value.needed > info.value.available


def test_list_markers_sit_before_the_items() -> None:
    spec = {"blocks": [{"type": "list", "id": "l", "ordered": True, "items": ["one", "two"]}]}
    for locale, before in (
        ("en", lambda m, i: m.right <= i.x + 0.5),
        ("he", lambda m, i: m.x >= i.right - 0.5),
    ):
        layout = plan(parse_spec({**spec, "locale": locale}))
        markers = [t for t in layout.texts if t.role == "list.marker"]
        items = [t for t in layout.texts if t.role == "list"]
        assert len(markers) == len(items) == 2
        for m, i in zip(markers, items, strict=True):
            assert before(m.box, i.box)
            assert isinstance(m, TextItem)


def test_background_puts_any_block_on_a_card() -> None:
    spec = {
        "canvas": {"width": 1080, "height": 1080, "background": "#0b3d91"},
        "blocks": [
            {
                "type": "list",
                "id": "rows",
                "items": ["Day 1: 18°C", "Day 2: 21°C"],
                "style": {"background": "#ffffff"},
            },
            {"type": "text", "id": "note", "text": "Windy", "style": {"background": "#ffffff26"}},
        ],
    }
    layout = plan(parse_spec(spec))
    cards = {c.block_id: c for c in layout.items if isinstance(c, CardItem)}
    assert set(cards) == {"rows", "note"}
    assert cards["rows"].shadow and not cards["note"].shadow  # no shadow under glass
    for item in layout.texts:
        assert cards[item.block_id].box.contains(item.box)
    rows_text = next(t for t in layout.texts if t.role == "list")
    note_text = next(t for t in layout.texts if t.block_id == "note")
    assert rows_text.text.color[:3] != (255, 255, 255)  # dark text on the white card
    assert note_text.text.color[:3] == (255, 255, 255)  # light text over the dark page


def test_brand_logo_shares_the_footer_row(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from factframe.layout import LOGO_ID

    blocks = [*STATS]
    for locale in ("en", "ar"):
        spec = parse_spec({"locale": locale, "brand": {"logo": b"png bytes"}, "blocks": blocks})
        layout = plan(spec)
        (logo,) = layout.boxes(LOGO_ID)
        (footer,) = layout.boxes("footer-5")
        assert layout.safe.contains(logo) and not overlaps(logo, footer)
        end_side = logo.right == pytest.approx(layout.safe.right)
        assert end_side if locale == "en" else logo.x == pytest.approx(layout.safe.x)


def test_a_stats_size_is_its_values_and_the_rest_keep_their_proportion() -> None:
    spec = parse_spec(
        {
            "canvas": "square",
            "blocks": [
                {"type": "stat", "value": "21°", "label": "High", "caption": "Lisbon",
                 "style": {"size": 110}},
            ],
        }
    )  # fmt: skip
    sizes = {t.role: t.text.size for t in plan(spec).texts}
    assert sizes["stat.value"] == 110
    assert sizes["stat.label"] == pytest.approx(110 * 28 / 84)
    assert sizes["stat.caption"] == pytest.approx(110 * 24 / 84)
