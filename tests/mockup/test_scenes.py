"""Built-in scenes: every one at 1080p and 4K, its quad inside, a design shows on it."""

from __future__ import annotations

import numpy as np
import pytest
import skia
from PIL import Image

from factframe.errors import SpecError
from factframe.generator.mockup import as_quad, builtin_scene, scene_names
from factframe.mockups import mockup

SIZES = [(1920, 1080), (3840, 2160)]


def test_the_five_scenes() -> None:
    assert scene_names() == ["billboard", "laptop", "phone", "poster", "shop-window"]


@pytest.mark.parametrize("size", SIZES, ids=["1080p", "4k"])
@pytest.mark.parametrize("name", ["billboard", "laptop", "phone", "poster", "shop-window"])
def test_each_scene_renders_with_a_design_on_its_surface(name: str, size: tuple[int, int]) -> None:
    scene = builtin_scene(name, size)
    assert scene.size == size
    assert scene.quad is not None
    quad = as_quad(scene.quad)  # a valid clockwise convex quad
    w, h = size
    assert all(0 <= x <= w and 0 <= y <= h for x, y in quad)
    design = Image.new("RGB", (800, 600), (230, 20, 120))
    result = mockup(design, name, size=size)
    assert result.size == size
    pixels = result.pixels
    cx = round(sum(x for x, _ in quad) / 4)
    cy = round(sum(y for _, y in quad) / 4)
    r, g, b = (int(v) for v in pixels[cy, cx, :3])
    assert r > 2 * g and r > b  # the design's magenta, shaded but there
    # outside the surface the scene is untouched
    blank = scene.image.toarray(colorType=skia.kRGBA_8888_ColorType)
    assert np.abs(pixels[2:20, 2:20, :3].astype(int) - blank[2:20, 2:20, :3]).max() <= 1


def test_a_4k_scene_is_the_same_scene_twice_as_large() -> None:
    small, large = builtin_scene("billboard"), builtin_scene("billboard", (3840, 2160))
    assert small.quad is not None and large.quad is not None
    assert np.allclose(np.array(large.quad), 2 * np.array(small.quad))


def test_another_aspect_is_covered_and_cropped() -> None:
    square = builtin_scene("poster", (1080, 1080))
    assert square.size == (1080, 1080) and square.quad is not None
    as_quad(square.quad)
    assert all(0 <= x <= 1080 for x, _ in square.quad)


def test_bad_scene_requests() -> None:
    with pytest.raises(SpecError, match="billboard, laptop") as unknown:
        builtin_scene("moon")
    assert unknown.value.path == "scene"
    with pytest.raises(SpecError) as big:
        builtin_scene("poster", (7680, 4320))
    assert big.value.path == "size"


def test_a_design_of_another_shape_is_noted() -> None:
    picture = Image.new("RGB", (500, 500))
    square = mockup(picture, "billboard", fit="stretch")
    assert any("stretched" in note for note in square.layout.notes)
    assert any("cropped" in note for note in mockup(picture, "billboard").layout.notes)
    made_for_it = mockup(Image.new("RGB", (1680, 490)), "billboard", fit="stretch")
    assert made_for_it.layout.notes == made_for_it.layout.notes[:1]  # nothing to fit
    assert "billboard scene" in made_for_it.layout.notes[0]
