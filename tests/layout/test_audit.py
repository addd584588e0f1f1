"""The layout audit: the gallery passes; each check fails on a layout made to break it."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from PIL import Image

import factframe
from factframe.generator import Rendered, build_scene
from factframe.knowledge import KnowledgeStore
from factframe.layout import (
    AA_NORMAL,
    Audit,
    Box,
    CardItem,
    ImageItem,
    Layout,
    TextItem,
    alignment_score,
    audit_layout,
    contrast_ratio,
    is_large_text,
    legibility_floor,
    pixel_contrasts,
    plan,
    safe_area,
)
from factframe.layout.styles import background_colors
from factframe.spec import parse_spec
from factframe.templates import gallery
from factframe.typography import TextRequest, default_library, measure, text_block
from tests.grounding.mock import WEATHER_CARD, mock_client

NOW = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)
W, H = 1080, 1080


def paragraph(text: str, width: float, size: float = 32) -> Any:
    return text_block(TextRequest(text, "t"), size, width, default_library())


def text_item(block_id: str, box: Box, text: str = "Some words") -> TextItem:
    return TextItem(block_id, "text", box, paragraph(text, box.w))


def layout(*items: Any, width: int = W, height: int = H) -> Layout:
    return Layout(width, height, safe_area(width, height), "ltr", tuple(items))


def checks(audit: Audit) -> set[str]:
    return {i.check for i in audit.issues}


def png(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG")
    return out.getvalue()


# --- no false alarms -----------------------------------------------------------------------


@pytest.mark.parametrize("item", gallery(), ids=lambda item: item.name)
def test_the_gallery_passes(item: Any) -> None:
    http = mock_client(WEATHER_CARD) if item.online else None  # the live card over fixtures
    rendered = factframe.render(
        item.spec, offline=not item.online, http=http, now=NOW, store=KnowledgeStore(":memory:")
    )
    audit = rendered.audit
    assert audit.ok, str(audit)
    assert audit.overlap == 0
    assert audit.alignment < 0.01
    texts = [row for row in audit.items if row.size is not None]
    assert len(texts) == len(rendered.layout.texts)
    assert all(row.contrast is not None for row in texts)  # measured on every text
    assert rendered.audit is audit  # computed once


def test_text_on_its_own_card_is_nesting_not_overlap() -> None:
    spec = parse_spec(
        {
            "blocks": [
                {"type": "stat", "id": "a", "value": "6,371", "label": "Mean radius"},
                {"type": "stat", "id": "b", "value": "9.81", "label": "Gravity"},
                {"type": "text", "id": "t", "text": "On a card", "style": {"background": "#eee"}},
            ]
        }
    )
    planned = plan(spec)
    cards = [i for i in planned.items if isinstance(i, CardItem)]
    on_cards = [t for t in planned.texts if any(c.box.contains(t.box) for c in cards)]
    assert len(cards) == 3 and len(on_cards) == 5  # two values, two labels, the carded text
    assert audit_layout(planned).ok
    # the same texts under another block's card do overlap it
    foreign = replace(cards[0], block_id="other")
    overlaps = audit_layout(replace(planned, items=(*planned.items, foreign))).failed("overlap")
    assert [i.blocks for i in overlaps] == [("a", "other"), ("a", "other")]


# --- each check fails when it should ------------------------------------------------------


def test_overlapping_text_boxes() -> None:
    a = text_item("a", Box(100, 100, 400, 100))
    b = text_item("b", Box(300, 150, 400, 100))  # a quarter of each box is shared
    touching = text_item("c", Box(100, 199.8, 150, 100))  # a rounding error, not an overlap
    audit = audit_layout(layout(a, b, touching))
    (issue,) = audit.failed("overlap")
    assert issue.blocks == ("a", "b")
    assert issue.value == pytest.approx(200 * 50 / (400 * 100))
    assert issue.limit == 0
    assert audit.overlap == pytest.approx((0.25 + 0.25 + 0) / 3)  # Ove: mean share covered
    assert not audit.ok


def test_text_over_an_image_overlaps() -> None:
    image = ImageItem("pic", Box(100, 100, 400, 300), b"", "cover", 0.0)
    caption = text_item("cap", Box(100, 350, 400, 100))
    audit = audit_layout(layout(image, caption))
    (issue,) = audit.failed("overlap")
    assert set(issue.blocks) == {"pic", "cap"}
    assert audit.overlap == pytest.approx((50 / 300 + 50 / 100) / 2)


def test_box_outside_the_safe_area() -> None:
    safe = safe_area(W, H)
    assert safe.x == round(0.06 * W)  # the planner's margin: 6 % of the short side
    inside = text_item("in", Box(safe.x, safe.y, 300, 60))
    outside = text_item("out", Box(safe.x - 20, 400, 300, 60))
    audit = audit_layout(layout(inside, outside))
    (issue,) = audit.failed("safe_area")
    assert issue.blocks == ("out",) and issue.value == pytest.approx(20)


def test_font_below_the_floor() -> None:
    spec = {
        "blocks": [
            {
                "type": "text",
                "id": "tiny",
                "text": "Fine print",
                "style": {"size": 10, "min_size": 10},
            }
        ]
    }
    audit = factframe.render(spec).audit
    (issue,) = audit.failed("font_size")
    assert issue.blocks == ("tiny",)
    assert issue.value == 10 and issue.limit == legibility_floor(W)


def test_low_contrast_palette_colour() -> None:
    spec = {
        "canvas": {"width": W, "height": H, "background": "#ffffff"},
        "blocks": [
            {
                "type": "text",
                "id": "pale",
                "text": "Pale grey on white",
                "style": {"color": "#c8c8c8"},
            }
        ],
    }
    audit = factframe.render(spec).audit
    (issue,) = audit.failed("contrast")
    assert issue.blocks == ("pale",)
    expected = contrast_ratio((200, 200, 200, 255), (255, 255, 255, 255))
    assert issue.value == pytest.approx(expected, abs=0.01)  # a flat background: exact


def test_worst_five_percent_not_the_mean() -> None:
    """Black text over a gradient that darkens only at its right end: the mean background
    passes easily, the darkest 5 % does not."""
    spec = {
        "canvas": {
            "width": W,
            "height": H,
            "background": {"type": "linear", "colors": ["#fff", "#fff", "#333"], "angle": 90},
        },
        "blocks": [
            {
                "type": "text",
                "id": "body",
                "text": "Readable on the left, fading into the shadow on the right. " * 2,
                "style": {"color": "#000000", "size": 22},
            }
        ],
    }
    audit = factframe.render(spec).audit
    (row,) = audit.items
    assert row.required == AA_NORMAL  # 22 px regular at 1080: not large text
    assert row.mean_contrast is not None and row.mean_contrast > 3 * AA_NORMAL
    assert row.contrast is not None and row.contrast < AA_NORMAL
    assert audit.failed("contrast")


def test_pixels_catch_what_palette_colours_miss() -> None:
    """The planner picks a text colour readable on a photo's assumed range (mid-grey to
    white); this photo is dark where the text runs, and only its pixels show it."""
    photo = np.full((H, W, 3), 255, np.uint8)
    photo[:, int(W * 0.7) :] = 24  # a dark band under the end of the lines
    spec = {
        "canvas": {"width": W, "height": H, "background": {"type": "image", "src": png(photo)}},
        "blocks": [{"type": "text", "id": "t", "text": "Words that run into the dark. " * 4}],
    }
    parsed = parse_spec(spec)
    layout = plan(parsed, default_library())
    rendered = Rendered(parsed, layout, build_scene(parsed, layout), default_library())
    color = rendered.layout.texts[0].text.color
    assumed = background_colors(rendered.spec.canvas.background, rendered.spec.brand.palette)
    assert min(contrast_ratio(color, bg) for bg in assumed) >= AA_NORMAL  # palette: fine
    assert [i.blocks for i in rendered.audit.failed("contrast")] == [("t",)]
    # a full render sees the pixels before drawing for keeps, and fixes it
    fixed = factframe.render(spec)
    assert fixed.audit.ok and any(n.startswith("contrast: t ") for n in fixed.layout.notes)


def test_overflow_and_missing_glyphs() -> None:
    fitted = text_item("fits", Box(100, 100, 300, 100), "Many words " * 6)
    fitted = replace(fitted, box=replace(fitted.box, h=measure(fitted.text).height))
    squeezed = replace(fitted, block_id="long", box=Box(500, 100, 300, 40))
    tofu = text_item("tofu", Box(100, 600, 300, 60), "A")  # the planner refuses tofu: forge it
    tofu = replace(tofu, text=replace(tofu.text, text="A\U00013000"))
    audit = audit_layout(layout(fitted, squeezed, tofu))
    assert [i.blocks for i in audit.failed("overflow")] == [("long",)]
    assert audit.failed("overflow")[0].value > 40
    assert [(i.blocks, i.value) for i in audit.failed("missing_glyphs")] == [(("tofu",), 1)]
    assert audit.metrics["missing_glyphs"] == 1 and audit.metrics["overflow"] == 1


# --- alignment ----------------------------------------------------------------------------


def test_alignment_of_an_aligned_stack_is_zero_and_of_a_jittered_one_positive() -> None:
    stack = [Box(100, 100 + 150 * k, 600 - 60 * k, 100 + 10 * k) for k in range(4)]
    assert alignment_score(stack, W, H) == pytest.approx(0, abs=1e-12)
    jitter = [
        Box(100 + 37 * k, 100 + 150 * k + 11 * k * k, 600 - 60 * k, 100 + 10 * k) for k in range(4)
    ]
    score = alignment_score(jitter, W, H)
    assert score > 0.005
    # the formula: −log(1 − d_i) averaged, d_i the nearest like edge of another box
    aligned = audit_layout(layout(*(text_item(f"s{k}", b) for k, b in enumerate(stack))))
    jittered = audit_layout(layout(*(text_item(f"j{k}", b) for k, b in enumerate(jitter))))
    assert aligned.alignment == pytest.approx(0, abs=1e-12)
    assert jittered.alignment == pytest.approx(score)


def test_alignment_formula_by_hand() -> None:
    a, b = Box(0, 0, 100, 100), Box(10, 500, 100, 200)  # left edges 10 px apart, nothing closer
    d = 10 / 1000
    assert alignment_score([a, b], 1000, 1000) == pytest.approx(-np.log(1 - d))


# --- pieces -------------------------------------------------------------------------------


def test_pixel_contrasts_match_wcag() -> None:
    rng = np.random.default_rng(7)
    colors = rng.integers(0, 256, (20, 3), dtype=np.uint8)
    text = (30, 60, 90, 255)
    got = pixel_contrasts(text, colors)
    want = [contrast_ratio(text, (int(r), int(g), int(b), 255)) for r, g, b in colors]
    assert got == pytest.approx(want)
    half = pixel_contrasts((0, 0, 0, 128), np.array([[255, 255, 255]], np.uint8))
    assert half[0] == pytest.approx(contrast_ratio((127, 127, 127, 255), (255, 255, 255, 255)))


def test_large_text_scales_with_the_canvas() -> None:
    assert is_large_text(24, 400, 1080) and not is_large_text(23, 400, 1080)
    assert is_large_text(19, 700, 1080) and not is_large_text(19, 400, 1080)
    assert is_large_text(48, 400, 2160) and not is_large_text(47, 400, 2160)


def test_table_and_html() -> None:
    a = text_item("a<b>", Box(100, 100, 400, 100))
    audit = audit_layout(layout(a, text_item("x", Box(120, 120, 100, 50))))
    text = str(audit)
    for column in ("contrast 5%", "overlap", "outside", "overflow", "missing"):
        assert column in text
    assert "issue" in text and "overlaps" in text
    html = audit._repr_html_()
    assert "<table>" in html and "a&lt;b&gt;" in html and "a<b>" not in html
