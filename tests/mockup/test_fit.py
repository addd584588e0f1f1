"""A design of another shape than its surface: re-rendered, cropped, letterboxed or stretched."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import skia
from PIL import Image
from typer.testing import CliRunner

import factframe
from factframe.cli import app
from factframe.errors import LayoutError, SpecError
from factframe.generator.mockup import builtin_scene, design_image
from factframe.generator.mockup.compose import edge_colour, fit_image
from factframe.generator.mockup.homography import (
    homography,
    rect_corners,
    skia_matrix,
    surface_aspect,
)
from factframe.mockups import fitted_design, fitted_size, mockup, mockup_spec
from factframe.spec_mockup import parse_mockup
from tests.mockup.helpers import as_scene, plain

BILLBOARD = 48 / 14
CARD = {"canvas": "square", "blocks": [{"type": "title", "text": "O"}]}
# an axis-aligned 250×250 surface in a 600×400 grey photo: no perspective, so each scene
# pixel inside shows the design's pixel at the same relative place
SQUARE = [(100, 50), (350, 50), (350, 300), (100, 300)]
WIDE = [(100, 100), (500, 100), (500, 300), (100, 300)]  # 2:1


def glyph_ratio(pixels: np.ndarray) -> float:
    """Width / height of the box around the dark pixels (the one glyph drawn)."""
    dark = pixels[..., :3].astype(np.float64) @ [0.2126, 0.7152, 0.0722] < 110
    ys, xs = np.nonzero(dark)
    assert len(xs) > 50, "no glyph found"
    return float(xs.max() - xs.min() + 1) / float(ys.max() - ys.min() + 1)


def unwarp(result: factframe.Rendered, quad: object, size: tuple[int, int]) -> np.ndarray:
    """The surface of a mockup, mapped back to a flat ``size`` rectangle."""
    w, h = size
    surface = skia.Surface.MakeRaster(skia.ImageInfo.MakeN32Premul(w, h))
    canvas = surface.getCanvas()
    canvas.concat(skia_matrix(homography(quad, rect_corners(w, h))))  # type: ignore[arg-type]
    picture = np.ascontiguousarray(result.pixels)
    canvas.drawImage(skia.Image.fromarray(picture, colorType=skia.kRGBA_8888_ColorType), 0, 0)
    pixels: np.ndarray = surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType)
    return pixels[8:-8, 8:-8]  # off the frame's anti-aliased edge


def bands(width: int, height: int) -> np.ndarray:
    """Red, green, blue columns: the middle half green, a quarter each side."""
    pixels = plain(width, height, 0)
    pixels[:, : width // 4, :3] = (220, 30, 30)
    pixels[:, width // 4 : 3 * width // 4, :3] = (30, 200, 60)
    pixels[:, 3 * width // 4 :, :3] = (30, 60, 220)
    return pixels


# --- the surface's shape --------------------------------------------------------------------


def test_the_aspect_of_a_rectangle_seen_in_perspective() -> None:
    # a 2.5:1 board seen by a camera turned 35° and tilted 12°, f = 1.1 × the longer side
    width, height, f = 1600, 1200, 1.1 * 1600
    yaw, pitch = math.radians(35), math.radians(12)
    ry = np.array(
        [[math.cos(yaw), 0, math.sin(yaw)], [0, 1, 0], [-math.sin(yaw), 0, math.cos(yaw)]]
    )
    rx = np.array(
        [[1, 0, 0], [0, math.cos(pitch), -math.sin(pitch)], [0, math.sin(pitch), math.cos(pitch)]]
    )
    corners = np.array([(-1.25, -0.5, 0), (1.25, -0.5, 0), (1.25, 0.5, 0), (-1.25, 0.5, 0)])
    cam = corners @ (rx @ ry).T + (0.3, -0.1, 4.0)
    quad = [(f * x / z + width / 2, f * y / z + height / 2) for x, y, z in cam]
    aspect, how = surface_aspect(quad, (width, height))  # type: ignore[arg-type]
    assert how == "solved"
    assert aspect == pytest.approx(2.5, rel=1e-6)
    # the sides' lengths alone are well off
    (a, b, c, d) = quad
    sides = (math.dist(a, b) + math.dist(d, c)) / (math.dist(a, d) + math.dist(b, c))
    assert abs(sides / 2.5 - 1) > 0.05


def test_a_quad_without_perspective_has_its_sides_ratio() -> None:
    aspect, how = surface_aspect(WIDE, (600, 400))  # type: ignore[arg-type]
    assert how == "assumed" and aspect == pytest.approx(2.0)


def test_built_in_scenes_report_the_shape_they_were_drawn_for() -> None:
    scene = builtin_scene("billboard")
    assert scene.quad is not None
    estimated, _ = surface_aspect(scene.quad, scene.size)
    assert abs(estimated / BILLBOARD - 1) < 0.05  # the estimate is close…
    result = mockup(Image.new("RGB", (100, 100)), "billboard")
    assert "3.43:1 (the billboard scene's surface)" in result.layout.notes[1]  # …the table exact


def test_fitted_size_keeps_the_area_and_the_limits() -> None:
    w, h = fitted_size(1080, 1080, BILLBOARD)
    assert (w, h) == (1999, 583)
    assert abs(w / h / BILLBOARD - 1) < 0.5 / h + 1e-9
    assert abs(w * h / 1080**2 - 1) < 0.01
    assert max(fitted_size(8000, 8000, 10.0)) <= 8192
    assert min(fitted_size(16, 16, 0.1)) >= 16


# --- fit="auto": a spec is rendered again at the surface's shape ----------------------------


def test_auto_renders_a_square_card_at_the_billboard_s_shape() -> None:
    square = factframe.render(CARD)
    rendered, note = fitted_design(CARD, BILLBOARD)
    assert rendered is not None and note is not None
    w, h = rendered.size
    assert abs(w / h / BILLBOARD - 1) < 0.02
    assert "re-rendered the design at 1999×583" in note
    # the glyph keeps its shape on the flattened design: laid out afresh, not stretched
    assert glyph_ratio(rendered.pixels) == pytest.approx(glyph_ratio(square.pixels), rel=0.03)


def test_auto_puts_text_on_the_billboard_unstretched() -> None:
    # measured on the board mapped back flat (48:14); at 4K, where the glyph is ~50 px high
    square = glyph_ratio(factframe.render(CARD).pixels)
    size, flat = (3840, 2160), (3428, 1000)
    scene = builtin_scene("billboard", size)
    auto = mockup(CARD, "billboard", size=size, shading=0, gloss=0)
    assert any("re-rendered" in note for note in auto.layout.notes)
    assert glyph_ratio(unwarp(auto, scene.quad, flat)) == pytest.approx(square, rel=0.05)
    stretched = mockup(CARD, "billboard", fit="stretch", size=size, shading=0, gloss=0)
    ratio = glyph_ratio(unwarp(stretched, scene.quad, flat))
    assert ratio == pytest.approx(square * BILLBOARD, rel=0.05)  # an O made 3.4× as wide


def test_auto_renders_a_rendered_design_again_with_its_facts() -> None:
    rendered = factframe.render(CARD)
    again, note = fitted_design(rendered, 0.5)
    assert again is not None and again is not rendered and note is not None
    assert again.size == fitted_size(1080, 1080, 0.5)
    assert again.spec is not None and again.spec.blocks == rendered.spec.blocks  # type: ignore[union-attr]
    assert again.facts is rendered.facts and again.context is rendered.context


def test_auto_leaves_a_design_of_the_right_shape_alone() -> None:
    made = {"canvas": {"width": 1680, "height": 490}, "blocks": [{"type": "title", "text": "O"}]}
    rendered, note = fitted_design(made, BILLBOARD)
    assert rendered is not None and rendered.size == (1680, 490) and note is None
    picture, nothing = fitted_design(Image.new("RGB", (10, 10)), BILLBOARD)
    assert picture is None and nothing is None


def test_auto_renders_a_spec_file_at_the_surface_s_shape(tmp_path: Path) -> None:
    (tmp_path / "card.yaml").write_text("canvas: square\nblocks:\n  - {type: title, text: Hi}\n")
    result = mockup(tmp_path / "card.yaml", "phone")
    assert any("re-rendered the design at" in note for note in result.layout.notes)


def test_auto_crops_a_picture() -> None:
    result = mockup(bands(400, 200), as_scene(plain(600, 400, 90)), SQUARE, shading=0, gloss=0)
    assert any("cropped" in note for note in result.layout.notes)
    assert tuple(result.pixels[175, 105, :3]) == (30, 200, 60)


# --- cover, contain, stretch ----------------------------------------------------------------


def test_cover_keeps_the_centre() -> None:
    design = bands(400, 200)
    cropped, note = fit_image(design_image(design), 1.0, "cover")
    assert (cropped.width(), cropped.height()) == (200, 200)
    kept = cropped.toarray(colorType=skia.kRGBA_8888_ColorType)
    assert np.array_equal(kept, design[:, 100:300])  # the green middle, and only it
    assert note is not None and "x 100…300, y 0…200" in note
    # onto a square surface: the surface is all green, no red or blue survives
    result = mockup(design, as_scene(plain(600, 400, 90)), SQUARE, fit="cover", shading=0)
    inside = result.pixels[55:295, 105:345, :3].reshape(-1, 3)
    assert (inside == (30, 200, 60)).all()
    # a tall picture on a wide surface: the middle rows
    tall, _ = fit_image(design_image(np.rot90(design).copy()), 1.0, "cover")
    assert (tall.width(), tall.height()) == (200, 200)


def test_contain_letterboxes_with_the_edge_colour() -> None:
    design = plain(200, 200, 0)
    design[..., :3] = (20, 110, 120)  # a teal card…
    design[60:140, 60:140, :3] = (250, 250, 250)  # …with a white square in the middle
    result = mockup(design, as_scene(plain(600, 400, 90)), WIDE, fit="contain", shading=0)
    note = result.layout.notes[-1]
    assert "letterboxed the design (200×200) into 400×200" in note and "#146e78" in note
    pixels = result.pixels
    assert tuple(pixels[200, 120, :3]) == (20, 110, 120)  # the pad, left
    assert tuple(pixels[200, 480, :3]) == (20, 110, 120)  # the pad, right
    assert tuple(pixels[200, 300, :3]) == (250, 250, 250)  # the design, whole, in the middle
    # the white square keeps its shape (the padded design is the surface's size here)
    white = (pixels[..., :3] == 250).all(axis=2)
    ys, xs = np.nonzero(white)
    assert xs.max() - xs.min() + 1 == pytest.approx(80, abs=2)
    assert ys.max() - ys.min() + 1 == pytest.approx(80, abs=2)


def test_contain_with_transparent_edges_lets_the_surface_show() -> None:
    design = np.zeros((200, 200, 4), np.uint8)
    design[50:150, 50:150] = (200, 40, 40, 255)
    assert edge_colour(design_image(design)) == (0, 0, 0, 0)
    result = mockup(design, as_scene(plain(600, 400, 90)), WIDE, fit="contain", shading=0)
    assert "transparent" in result.layout.notes[-1]
    assert tuple(result.pixels[200, 120, :3]) == (90, 90, 90)  # the photo's surface
    assert tuple(result.pixels[200, 300, :3]) == (200, 40, 40)


def test_stretch_is_today_s_behaviour() -> None:
    result = mockup(bands(400, 200), as_scene(plain(600, 400, 90)), SQUARE, fit="stretch")
    assert any("stretched" in note for note in result.layout.notes)
    assert tuple(result.pixels[175, 105, :3]) == (220, 30, 30)  # red at the left edge
    assert tuple(result.pixels[175, 345, :3]) == (30, 60, 220)  # blue at the right


# --- the spec kind and the command line -----------------------------------------------------


def test_the_spec_kind_takes_fit() -> None:
    assert parse_mockup({"design": "a.png"}).fit == "auto"
    assert parse_mockup({"design": "a.png", "fit": "contain"}).fit == "contain"
    with pytest.raises(SpecError) as bad:
        parse_mockup({"design": "a.png", "fit": "squash"})
    assert bad.value.path == "fit"
    result = mockup_spec({"design": CARD, "scene": "poster", "fit": "cover"})
    assert any("cropped" in note for note in result.layout.notes)


def test_a_bad_fit_names_the_field() -> None:
    with pytest.raises(SpecError, match="auto, cover, contain, stretch") as bad:
        mockup(CARD, "poster", fit="squash")
    assert bad.value.path == "fit"


def test_the_command_line_takes_fit(tmp_path: Path) -> None:
    runner = CliRunner()
    Image.new("RGB", (600, 600), (30, 90, 200)).save(tmp_path / "ad.png")
    out = str(tmp_path / "out.png")
    result = runner.invoke(app, ["mockup", str(tmp_path / "ad.png"), "--fit", "contain", "-o", out])
    assert result.exit_code == 0, result.output
    assert "letterboxed" in result.output
    bad = runner.invoke(app, ["mockup", str(tmp_path / "ad.png"), "--fit", "squash", "-o", out])
    assert bad.exit_code == 2 and "fit:" in bad.output and "Traceback" not in bad.output


def test_auto_letterboxes_a_spec_that_cannot_take_the_surface_s_shape(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def too_narrow(*args: object, **kwargs: object) -> None:
        raise LayoutError("the title does not fit", "title")

    monkeypatch.setattr("factframe.mockups.fitted_design", too_narrow)
    result = mockup(CARD, "billboard")
    notes = " ".join(result.layout.notes)
    assert "cannot be laid out at 3.43:1 (the title does not fit)" in notes
    assert "letterboxed the design (1080×1080) into 3703×1080" in notes
