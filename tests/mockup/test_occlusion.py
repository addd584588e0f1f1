"""Occlusion and the scene under the design: made only over the quad's box, no pixel changed.

A 4K mockup drew the whole scene and made its occlusion foreground over the whole frame;
both are now done where the design goes. These tests hold the box-only work to the
whole-frame result, pixel for pixel.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
import skia
from PIL import Image, ImageDraw, ImageFilter

from factframe.generator.images import load_image
from factframe.generator.mockup import builtin_scene, compose, occlusion_foreground, photo_scene
from factframe.generator.mockup.warp import MockupScene, composite, quad_box
from factframe.generator.scene import ImageOp
from tests.mockup.helpers import as_scene

W, H = 600, 400
QUAD = ((106.2, 48.4), (452.6, 90.1), (435.3, 351.0), (115.1, 380.4))


def photo(alpha: int | None = 255) -> np.ndarray:
    """A busy RGBA picture (RGB when ``alpha`` is None); alpha < 255 makes its left
    quarter fade in from ``alpha``."""
    y, x = np.mgrid[0:H, 0:W]
    rgb = np.dstack([x * 255 // W, y * 255 // H, (x * y) % 251]).astype(np.uint8)
    if alpha is None:
        return rgb
    a = np.full((H, W), 255, np.uint8)
    a[:, : W // 4] = np.linspace(alpha, 255, W // 4).astype(np.uint8)
    return np.dstack([rgb, a])


def post(feather: float = 3) -> Image.Image:
    mask = Image.new("L", (W, H), 0)
    ImageDraw.Draw(mask).rectangle((250, 0, 290, H), fill=255)
    return mask.filter(ImageFilter.GaussianBlur(feather))


def masks() -> dict[str, object]:
    rng = np.random.default_rng(5)
    soft = np.asarray(post())
    png = io.BytesIO()
    post(1).save(png, "PNG")
    return {
        "grey array": soft,
        "colour array": rng.integers(0, 256, (H, W, 3), dtype=np.uint8),
        "alpha array": np.dstack([rng.integers(0, 256, (H, W, 3), dtype=np.uint8), soft]),
        "png bytes": png.getvalue(),
        "pillow": post(5),
    }


def design(translucent: bool = False) -> skia.Image:
    rng = np.random.default_rng(7)
    rgb = rng.integers(0, 256, (150, 200, 3), dtype=np.uint8)
    a = rng.integers(0, 256, (150, 200), dtype=np.uint8)
    if not translucent:
        a[:] = 255
    return skia.Image.fromarray(np.dstack([rgb, a]), colorType=skia.kRGBA_8888_ColorType)


def rgba(image: skia.Image) -> np.ndarray:
    pixels: np.ndarray = image.toarray(
        colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kPremul_AlphaType
    )
    return pixels


@pytest.mark.parametrize("kind", list(masks()))
def test_a_foreground_over_a_box_is_the_whole_one_there_and_clear_elsewhere(kind: str) -> None:
    scene, mask = photo_scene(photo()), masks()[kind]
    box = quad_box(QUAD, W, H)
    assert box is not None
    x0, y0, x1, y1 = box
    whole = rgba(occlusion_foreground(scene, mask))  # type: ignore[arg-type]
    part = rgba(occlusion_foreground(scene, mask, box=box))  # type: ignore[arg-type]
    assert np.array_equal(part[y0:y1, x0:x1], whole[y0:y1, x0:x1])
    part[y0:y1, x0:x1] = 0
    assert not part.any()


def test_a_mask_s_alpha_counts_when_translucent_anywhere_not_only_in_the_box() -> None:
    # opaque inside the quad's box, translucent in a corner: the alpha is the mask (all
    # in front here), not the colour's luminance (black: nothing in front)
    mask = np.zeros((H, W, 4), np.uint8)
    mask[..., 3] = 255
    mask[:5, :5, 3] = 0
    scene = photo_scene(photo())
    front = rgba(occlusion_foreground(scene, mask, box=quad_box(QUAD, W, H)))
    assert front[200, 300, 3] == 255


@pytest.mark.parametrize("translucent", [False, True])
@pytest.mark.parametrize("kind", list(masks()))
def test_an_occluded_mockup_is_the_whole_frame_one(kind: str, translucent: bool) -> None:
    mask: Any = masks()[kind]
    for scene in (photo_scene(photo()), photo_scene(photo(alpha=40))):
        whole = replace(scene, foreground=occlusion_foreground(scene, mask))
        expected = composite(whole, design(translucent), QUAD, gloss=0.35, shading=1.0)
        got = compose(design(translucent), scene, QUAD, fit="stretch", gloss=0.35, occlusion=mask)
        op = got.scene.ops[0]
        assert isinstance(op, ImageOp)
        assert np.array_equal(rgba(op.image), expected.pixels)


def test_a_built_in_scene_s_own_foreground_stays_in_front_with_a_mask() -> None:
    scene = builtin_scene("phone", (W, H))
    mask = np.asarray(post())
    whole = replace(scene, foreground=occlusion_foreground(scene, mask))
    assert scene.quad is not None
    expected = composite(whole, design(), scene.quad, gloss=scene.gloss, shading=scene.shading)
    got = compose(design(), scene, fit="stretch", occlusion=mask)
    assert np.array_equal(got.pixels, expected.pixels)


@pytest.mark.parametrize("alpha", [255, 40, None])
def test_a_photo_array_composites_as_the_same_picture_decoded_does(alpha: int | None) -> None:
    # arrays are taken straight (no mipmaps; opaque ones marked opaque, so they are copied
    # under the design rather than premultiplied): the pixels are those of the picture
    # decoded by Pillow and of the plain straight-alpha image
    pixels = photo(alpha)
    scene = photo_scene(pixels)
    opaque = alpha != 40
    assert (scene.image.alphaType() == skia.kOpaque_AlphaType) == opaque
    others = [MockupScene("photo", load_image(Image.fromarray(pixels)))]
    if pixels.shape[2] == 4:
        others.append(as_scene(pixels))
    got = composite(scene, design(True), QUAD, gloss=0.35, shading=1.0).pixels
    for other in others:
        again = composite(other, design(True), QUAD, gloss=0.35, shading=1.0)
        assert np.array_equal(got, again.pixels)
