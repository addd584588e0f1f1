"""Finding the surface in a picture with OpenCV: a drawn quad and every built-in scene."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import skia
from PIL import Image

from factframe.errors import MissingDependencyError, SpecError
from factframe.generator.mockup import builtin_scene, detect_quad, scene_names
from factframe.mockups import mockup
from tests.mockup.helpers import as_scene

pytest.importorskip("cv2")

QUAD = [(331.3, 207.8), (1402.6, 281.4), (1377.2, 842.9), (352.7, 905.1)]


def textured(width: int, height: int, seed: int = 3) -> np.ndarray:
    """Mid-grey noise with blotches: a background with texture, no straight edges."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(110, 28, (height // 8, width // 8)).clip(0, 255).astype(np.uint8)
    blotchy = np.asarray(Image.fromarray(noise).resize((width, height), Image.BICUBIC))
    fine = rng.normal(0, 12, (height, width))
    gray = np.clip(blotchy + fine, 0, 255).astype(np.uint8)
    return np.dstack([gray, gray, gray, np.full_like(gray, 255)])


def with_quad(pixels: np.ndarray, quad: list[tuple[float, float]], value: int) -> np.ndarray:
    """``pixels`` with ``quad`` filled (anti-aliased) in grey ``value``."""
    surface = skia.Surface(pixels.shape[1], pixels.shape[0])
    canvas = surface.getCanvas()
    canvas.drawImage(skia.Image.fromarray(pixels, colorType=skia.kRGBA_8888_ColorType), 0, 0)
    path = skia.Path()
    path.moveTo(*quad[0])
    for p in quad[1:]:
        path.lineTo(*p)
    path.close()
    canvas.drawPath(path, skia.Paint(AntiAlias=True, Color=skia.Color(value, value, value)))
    out: np.ndarray = surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType)
    return out


def test_finds_a_bright_quad_on_a_textured_background() -> None:
    picture = with_quad(textured(1800, 1100), QUAD, 236)
    found = detect_quad(picture)
    assert np.abs(np.array(found) - np.array(QUAD)).max() < 3.0


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_finds_random_quads_on_random_textures(seed: int) -> None:
    rng = np.random.default_rng(seed)
    w, h = 1600, 1000
    cx, cy = rng.uniform(0.4, 0.6) * w, rng.uniform(0.4, 0.6) * h
    half_w, half_h = rng.uniform(0.15, 0.3) * w, rng.uniform(0.15, 0.3) * h
    quad = [
        (cx - half_w + rng.uniform(-60, 60), cy - half_h + rng.uniform(-60, 60)),
        (cx + half_w + rng.uniform(-60, 60), cy - half_h + rng.uniform(-60, 60)),
        (cx + half_w + rng.uniform(-60, 60), cy + half_h + rng.uniform(-60, 60)),
        (cx - half_w + rng.uniform(-60, 60), cy + half_h + rng.uniform(-60, 60)),
    ]
    picture = with_quad(textured(w, h, seed=seed + 10), quad, int(rng.integers(215, 250)))
    assert np.abs(np.array(detect_quad(picture)) - np.array(quad)).max() < 3.0


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)], ids=["1080p", "4k"])
@pytest.mark.parametrize("name", ["billboard", "laptop", "phone", "poster", "shop-window"])
def test_finds_each_built_in_scene_s_surface(name: str, size: tuple[int, int]) -> None:
    scene = builtin_scene(name, size)
    assert scene.quad is not None
    found = detect_quad(scene.image)
    assert np.abs(np.array(found) - np.array(scene.quad)).max() < 3.0, (found, scene.quad)


def test_a_photo_without_a_quad_is_searched() -> None:
    photo = with_quad(textured(1600, 1000, seed=9), QUAD, 240)
    design = Image.new("RGB", (600, 400), (20, 120, 220))
    found = detect_quad(photo)
    assert np.abs(np.array(found) - np.array(QUAD)).max() < 3.0
    detected = mockup(design, photo, shading=0).pixels
    assert np.array_equal(detected, mockup(design, photo, found, shading=0).pixels)
    assert tuple(detected[550, 850, :3]) == (20, 120, 220)


def test_no_quad_in_plain_noise() -> None:
    with pytest.raises(SpecError, match="pass its four corners") as caught:
        detect_quad(textured(800, 600))
    assert caught.value.path == "quad"


def test_without_opencv_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cv2", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'factframe\[cv\]'"):
        detect_quad(builtin_scene("poster").image)
    # a known quad needs no OpenCV
    mockup(
        Image.new("RGB", (60, 40)),
        as_scene(textured(400, 300)),
        [(10, 10), (200, 20), (190, 150), (20, 140)],
    )


def test_scene_names_are_all_covered() -> None:
    assert len(scene_names()) == 5
