"""Text over pictures: the render recolours or underlays what would fail the audit."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

import factframe
from factframe.generator import Rendered, build_scene, ensure_contrast
from factframe.layout import CardItem, plan
from factframe.spec import parse_spec
from factframe.typography import default_library


def _png(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG")
    return out.getvalue()


def _blotches() -> bytes:
    """Light and dark patches: no single text colour reads everywhere."""
    y, x = np.mgrid[0:1080, 0:1080]
    v = 128 + 110 * np.sin(x / 90.0) * np.cos(y / 70.0)
    return _png(np.stack([v, v * 0.9, v * 0.7], -1).clip(0, 255).astype(np.uint8))


def _flat(value: int) -> bytes:
    return _png(np.full((1080, 1080, 3), value, np.uint8))


def _spec(background: bytes, **title_style: str) -> dict[str, object]:
    return {
        "canvas": {"preset": "square", "background": {"type": "image", "src": background}},
        "blocks": [
            {"type": "title", "text": "Lisbon in spring", "style": title_style},
            {"type": "text", "text": "Light rain in the morning, a sunny afternoon. " * 3},
            {"type": "stat", "value": "21°", "label": "High"},
        ],
    }


def _unfixed(spec_data: dict[str, object]) -> Rendered:
    spec = parse_spec(spec_data)
    library = default_library()
    layout = plan(spec, library)
    return Rendered(spec, layout, build_scene(spec, layout), library)


def test_busy_photo_gets_scrims_and_passes_the_audit() -> None:
    data = _spec(_blotches())
    assert not _unfixed(data).audit.ok  # the planner alone cannot see the photo
    rendered = factframe.render(data)
    assert rendered.audit.ok, rendered.audit
    scrims = [i for i in rendered.layout.items if isinstance(i, CardItem) and i.scrim]
    # the title and the text beside it share one underlay, not two crowded ones
    (scrim,) = scrims
    under = [t.block_id for t in rendered.layout.texts if scrim.box.contains(t.box)]
    assert set(under) == {"title-0", "text-1"}
    notes = [n for n in rendered.layout.notes if n.startswith("contrast:")]
    assert len(notes) == 2 and all("scrim" in n for n in notes)
    assert "one scrim with title-0" in notes[1]
    # clear of the stat card
    card = next(i.box for i in rendered.layout.items if i.block_id == "stat-2")
    assert scrim.box.bottom <= card.y


def test_a_dark_photo_swaps_the_text_colour_without_a_scrim() -> None:
    rendered = factframe.render(_spec(_flat(20)))
    assert rendered.audit.ok, rendered.audit
    assert not any(isinstance(i, CardItem) and i.scrim for i in rendered.layout.items)
    title = next(t for t in rendered.layout.texts if t.block_id == "title-0")
    assert title.text.color[:3] == (255, 255, 255)
    assert any("title-0 recoloured" in n for n in rendered.layout.notes)
    # the pixels agree with the layout: the title's ink is light
    box = title.box
    crop = rendered.pixels[int(box.y) : int(box.bottom), int(box.x) : int(box.right), :3]
    assert crop.max() >= 250


def test_an_explicit_colour_is_kept_and_underlaid() -> None:
    rendered = factframe.render(_spec(_flat(20), color="#1a1a1a"))
    assert rendered.audit.ok, rendered.audit
    title = next(t for t in rendered.layout.texts if t.block_id == "title-0")
    assert title.text.color[:3] == (0x1A, 0x1A, 0x1A)
    scrim = next(i for i in rendered.layout.items if isinstance(i, CardItem) and i.scrim)
    assert scrim.block_id == "title-0" and scrim.box.contains(title.box)


@pytest.mark.parametrize("background", ["#102030", None])
def test_flat_canvases_are_left_alone(background: str | None) -> None:
    canvas: dict[str, object] = {"preset": "square"}
    if background:
        canvas["background"] = background
    spec = parse_spec({"canvas": canvas, "blocks": [{"type": "title", "text": "Hello"}]})
    library = default_library()
    layout = plan(spec, library)
    scene = build_scene(spec, layout)
    fixed_layout, fixed_scene = ensure_contrast(spec, layout, scene, library)
    assert fixed_layout is layout and fixed_scene is scene


def test_neighbours_share_the_scrim_an_explicit_colour_needs() -> None:
    """A subtitle the spec makes white needs a dark underlay; the title beside it (no colour
    set) turns white and joins it, instead of a light scrim of its own."""
    data = _spec(_blotches())
    data["blocks"] = [
        {"type": "title", "text": "Weekend in the hills"},
        {"type": "subtitle", "text": "Sunrise at 07:12", "style": {"color": "#ffffff"}},
    ]
    rendered = factframe.render(data)
    assert rendered.audit.ok, rendered.audit
    (scrim,) = [i for i in rendered.layout.items if isinstance(i, CardItem) and i.scrim]
    assert sum(scrim.color[:3]) < 3 * 128  # dark, under white text
    for text in rendered.layout.texts:
        assert text.text.color[:3] == (255, 255, 255) and scrim.box.contains(text.box)
