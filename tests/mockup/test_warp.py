"""Warping, shading, gloss and occlusion, measured on the pixels."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import skia
from PIL import Image, ImageDraw, ImageFilter

import factframe
from factframe.errors import ImageError, SpecError
from factframe.generator.mockup import compose, design_image, homography, map_points, photo_scene
from factframe.generator.mockup.warp import shading_map
from factframe.knowledge import KnowledgeStore
from factframe.mockups import mockup
from tests.mockup.helpers import as_scene, checkerboard, edge_lines, plain

QUAD = [(212.4, 96.7), (905.3, 180.2), (870.6, 702.1), (230.2, 760.9)]


def luminance(pixels: np.ndarray) -> np.ndarray:
    return pixels[..., :3].astype(np.float64) @ [0.2126, 0.7152, 0.0722]


def test_a_white_design_fills_the_quad_to_its_exact_corners() -> None:
    # white on black, no shading: each pixel's value is how much of it the design covers
    white = Image.new("RGB", (640, 480), "white")
    result = mockup(white, as_scene(plain(1200, 800, 0)), QUAD, shading=0, gloss=0)
    coverage = luminance(result.pixels) / 255
    corners = edge_lines(coverage, QUAD)
    assert np.abs(corners - np.array(QUAD)).max() < 1.0
    # the whole area is covered: sum of coverage = the quad's area (shoelace)
    x, y = np.array(QUAD).T
    area = 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))
    assert coverage.sum() == pytest.approx(area, rel=2e-3)


def test_a_checkerboard_lands_on_the_quad_within_a_pixel() -> None:
    cv2 = pytest.importorskip("cv2")
    cols, rows, cell = 9, 7, 80
    board = checkerboard(cols, rows, cell)
    # stretched: the board's corners go to the quad's corners exactly
    scene = as_scene(plain(1200, 800, 128))
    result = mockup(board, scene, QUAD, fit="stretch", shading=0, gloss=0)
    gray = np.clip(luminance(result.pixels), 0, 255).astype(np.uint8)
    found, corners = cv2.findChessboardCornersSB(gray, (cols - 1, rows - 1))
    assert found
    detected = corners.reshape(-1, 2).astype(np.float64) + 0.5  # pixel centres → edges
    # the inner corners of the design, in the same order (OpenCV may start at either end)
    ys, xs = np.mgrid[1:rows, 1:cols]
    truth = np.c_[xs.ravel() * cell, ys.ravel() * cell].astype(np.float64)
    if np.linalg.norm(detected[0] - detected[-1]) and detected[0][0] > detected[-1][0]:
        detected = detected[::-1]
    h, _ = cv2.findHomography(truth, detected)
    w, ht = cols * cell, rows * cell
    frame = np.array([[(0, 0), (w, 0), (w, ht), (0, ht)]], np.float64)
    outer = cv2.perspectiveTransform(frame, h)[0]
    assert np.abs(outer - np.array(QUAD)).max() < 1.0
    # every inner corner sits where the perspective puts it
    expected = map_points(homography([(0, 0), (w, 0), (w, ht), (0, ht)], QUAD), truth)
    assert np.abs(detected - expected).max() < 0.5


def test_edges_are_anti_aliased() -> None:
    white = Image.new("RGB", (400, 300), "white")
    result = mockup(white, as_scene(plain(1200, 800, 0)), QUAD, shading=0)
    value = luminance(result.pixels)
    # along the left side, the pixels the edge crosses are partly covered, in many shades
    partial = []
    for y in range(200, 700, 5):
        row = value[y, 200:260]
        partial.extend(row[(row > 2) & (row < 253)].round().tolist())
    assert len(partial) >= 0.8 * len(range(200, 700, 5))
    assert len(set(partial)) > 30
    # a hard edge would be 0 or 255 only: no such jump between neighbours here
    assert np.abs(np.diff(value[200:700, 200:260], axis=1)).max() < 255


def test_shading_darkens_the_design_where_the_scene_is_dark() -> None:
    scene = plain(1200, 800, 235)
    scene[:, 600:, :3] = 80  # the right half of the surface is in shadow
    white = Image.new("RGB", (640, 480), "white")
    shaded = luminance(mockup(white, as_scene(scene), QUAD, shading=1.0).pixels)
    flat = luminance(mockup(white, as_scene(scene), QUAD, shading=0.0).pixels)
    assert shaded[430, 400] > 240  # lit half: as white as the design
    assert shaded[430, 780] < 0.45 * 255  # shadowed half: about 80/235 of white
    assert flat[430, 780] > 250  # no shading: the design as it is
    half = luminance(mockup(white, as_scene(scene), QUAD, shading=0.5).pixels)
    assert shaded[430, 780] < half[430, 780] < flat[430, 780]


def test_gloss_brightens_inside_the_quad_only() -> None:
    grey = Image.new("RGB", (640, 480), (90, 90, 90))
    scene = as_scene(plain(1200, 800, 30))
    dull = mockup(grey, scene, QUAD, shading=0, gloss=0).pixels
    shiny = mockup(grey, scene, QUAD, shading=0, gloss=1.0).pixels
    assert luminance(shiny)[140, 260] > luminance(dull)[140, 260] + 40  # near the top-left
    outside = np.ones(dull.shape[:2], bool)
    outside[90:770, 205:912] = False
    assert np.array_equal(shiny[outside], dull[outside])


def test_the_occlusion_mask_keeps_the_scene_in_front() -> None:
    scene = plain(1200, 800, 60)
    scene[:, 500:540, :3] = (200, 40, 40)  # a red post in front of the surface
    mask = np.zeros((800, 1200), np.uint8)
    mask[:, 500:540] = 255
    design = Image.new("RGB", (640, 480), (20, 120, 220))
    result = mockup(design, as_scene(scene), QUAD, shading=0, occlusion=mask).pixels
    assert tuple(result[400, 520, :3]) == (200, 40, 40)
    assert tuple(result[400, 450, :3]) == (20, 120, 220)
    with pytest.raises(ImageError, match="scene's"):
        mockup(design, as_scene(scene), QUAD, occlusion=np.zeros((10, 10), np.uint8))


BOARD = [(520, 170), (1230, 230), (1215, 760), (530, 800)]


def board_behind_a_post(feather: float = 0) -> tuple[np.ndarray, np.ndarray]:
    """A light board on a brown wall with a dark post in front of it (x 1010…1045), and
    the post's mask, its edges blurred by ``feather`` px (the photo's pixels along them
    mixed as the mask says)."""
    wall = Image.new("RGB", (1600, 1000), (150, 120, 96))
    ImageDraw.Draw(wall).polygon(BOARD, fill=(238, 236, 230))
    post = Image.new("L", wall.size, 0)
    ImageDraw.Draw(post).rectangle((1010, 0, 1045, 999), fill=255)
    if feather:
        post = post.filter(ImageFilter.GaussianBlur(feather))
    a = np.asarray(post, np.float32)[..., None] / 255
    rgb = np.asarray(wall, np.float32) * (1 - a) + np.array([40, 44, 48], np.float32) * a
    scene = np.dstack([rgb.round().astype(np.uint8), np.full(a.shape[:2], 255, np.uint8)])
    return scene, np.asarray(post)


@pytest.mark.parametrize("feather", [0, 3])
def test_an_occluder_casts_no_shade_onto_the_design(feather: float) -> None:
    # the post is not the board: it is left out of the board's light, so the design is
    # as white right up to it as anywhere (it read 201 at 5 px from it, 237 at 15 px)
    scene, mask = board_behind_a_post(feather)
    white = Image.new("RGB", (700, 520), "white")
    row = mockup(white, scene, quad=BOARD, occlusion=mask).pixels[480]
    assert (row[mask[480] == 255, :3] == (40, 44, 48)).all()  # the post stays in front
    # every pixel of the design the mask leaves clear, up to the post's (feathered) edge
    clear = np.flatnonzero(mask[480] == 0)
    clear = clear[(clear > 560) & (clear < 1200)]
    assert 1009 - 3 * feather in clear and 1046 + 3 * feather in clear
    assert row[clear, :3].min() >= 252
    # a shadow that does fall on the board still darkens the design beside the post
    scene[:, :800, :3] = scene[:, :800, :3] // 2
    shaded = luminance(mockup(white, scene, quad=BOARD, occlusion=mask).pixels)
    assert shaded[480, 640] < 0.6 * 255
    assert shaded[480, 1000] > 250 and shaded[480, 1056] > 250


def test_the_shading_map_leaves_out_what_stands_in_front() -> None:
    scene, mask = board_behind_a_post()
    lighting = skia.Image.fromarray(scene, colorType=skia.kRGBA_8888_ColorType)
    front = np.zeros_like(scene)
    front[..., 3] = mask
    occluder = skia.Image.fromarray(front, colorType=skia.kRGBA_8888_ColorType)
    box = (519, 169, 1231, 801)
    seen = shading_map(lighting, BOARD, box, 1.0, occluder).toarray()[..., 0]
    blind = shading_map(lighting, BOARD, box, 1.0).toarray()[..., 0]
    # the maps are small (~96 px on the short side); the post's neighbourhood in them:
    h, w = seen.shape
    near = (slice(h // 3, 2 * h // 3), slice(round(w * 460 / 712), round(w * 560 / 712)))
    assert blind[near].min() < 200  # the post read as a shadow
    assert seen[near].min() >= 252
    # a surface hidden altogether has no light to give: the map is white
    everything = np.zeros_like(scene)
    everything[..., 3] = 255
    hidden = skia.Image.fromarray(everything, colorType=skia.kRGBA_8888_ColorType)
    assert shading_map(lighting, BOARD, box, 1.0, hidden).toarray()[..., 0].min() == 255


def test_a_quad_partly_outside_the_scene_is_clipped() -> None:
    design = Image.new("RGB", (640, 480), (20, 120, 220))
    quad = [(-300, -100), (700, 40), (650, 500), (-250, 600)]
    result = mockup(design, as_scene(plain(800, 600, 0)), quad, shading=0)
    assert result.size == (800, 600)
    assert tuple(result.pixels[200, 10, :3]) == (20, 120, 220)
    nowhere = mockup(
        design, as_scene(plain(800, 600, 0)), [(900, 0), (1000, 0), (1000, 90), (900, 90)]
    )
    assert not nowhere.pixels[..., :3].any()


def test_the_result_is_a_rendered_picture() -> None:
    card = {"canvas": "square", "blocks": [{"type": "title", "text": "Hello"}]}
    rendered = factframe.render(card)
    result = mockup(rendered, "poster")
    assert result.spec is None and result.size == (1920, 1080)
    assert result.image.size == (1920, 1080) and result.image.mode == "RGB"
    assert result.audit.ok
    assert "composited" in repr(result)
    png = result.to_bytes("png")
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")), result.pixels)
    assert result.to_bytes("pdf").startswith(b"%PDF")
    assert result.to_bytes("jpeg")[:2] == b"\xff\xd8"


def test_the_design_s_facts_go_along(tmp_path: Path) -> None:
    spec = {
        "facts": {"city": {"provider": "geocode", "name": "Tokyo"}},
        "blocks": [{"type": "title", "text": "{{ city.name }}"}],
    }
    store = KnowledgeStore(tmp_path / "facts.sqlite")
    rendered = factframe.render(
        spec, store=store, offline=True, now=datetime(2026, 1, 1, tzinfo=UTC)
    )
    result = mockup(rendered, "billboard")
    # drawn again at the board's shape from its bound spec: the facts are not fetched again
    assert any("re-rendered" in note for note in result.layout.notes)
    assert result.facts is rendered.facts
    path = result.save(tmp_path / "ad.png")
    store.close()
    sidecar = json.loads(result.sidecar_path(path).read_text(encoding="utf-8"))
    assert "geocode" in json.dumps(sidecar)


def test_inputs_are_checked() -> None:
    design = Image.new("RGB", (64, 48), "white")
    with pytest.raises(SpecError, match="pass its four corners") as caught:
        compose(design_image(design), photo_scene(plain(100, 80, 10)))
    assert caught.value.path == "quad"
    with pytest.raises(SpecError) as bad:
        mockup(design, "poster", gloss=1.5)
    assert bad.value.path == "gloss"
    with pytest.raises(SpecError, match="bow-tie"):
        mockup(design, "poster", [(0, 0), (100, 0), (0, 100), (100, 100)])
    with pytest.raises(SpecError, match="unknown scene") as unknown:
        mockup(design, "moon")
    assert unknown.value.path == "scene"
    with pytest.raises(ImageError):
        mockup(b"not a picture", "poster")
