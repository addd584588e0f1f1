"""Draws the sample product pictures of ``product-promo.csv`` with Pillow (no network).

Usage::

    python examples/make_product_images.py      # writes examples/product-*.png

The pictures are simple flat illustrations (a mug and a bottle on a transparent ground),
drawn at 4x and scaled down for smooth edges. They are committed, so the example runs
without this script; it documents how they were made and remakes them byte for byte.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).parent
SIZE = 480
K = 4  # supersampling


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGBA", (SIZE * K, SIZE * K), (0, 0, 0, 0))
    return image, ImageDraw.Draw(image)


def _shadow(image: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    ImageDraw.Draw(layer).ellipse([v * K for v in box], fill=(40, 25, 10, 90))
    layer = layer.filter(ImageFilter.GaussianBlur(12 * K))
    return Image.alpha_composite(layer, image)


def _finish(image: Image.Image, shadow: tuple[int, int, int, int], name: str) -> None:
    image = _shadow(image, shadow)
    image = image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    image.save(HERE / name, optimize=True)


def mug() -> None:
    image, draw = _canvas()
    body, rim, glaze = (196, 90, 40, 255), (228, 128, 70, 255), (150, 62, 26, 255)
    draw.ellipse([v * K for v in (312, 170, 430, 330)], outline=body, width=26 * K)  # handle
    draw.rectangle([v * K for v in (90, 130, 350, 390)], fill=body)
    draw.ellipse([v * K for v in (90, 350, 350, 420)], fill=body)
    draw.rectangle([v * K for v in (90, 300, 350, 340)], fill=glaze)
    draw.ellipse([v * K for v in (90, 95, 350, 165)], fill=rim)
    draw.ellipse([v * K for v in (106, 106, 334, 156)], fill=(70, 38, 20, 255))  # coffee
    draw.rectangle([v * K for v in (120, 170, 150, 290)], fill=(222, 124, 80, 255))  # shine
    _finish(image, (70, 395, 410, 450), "product-mug.png")


def bottle() -> None:
    image, draw = _canvas()
    steel, dark, cap = (46, 110, 150, 255), (30, 80, 112, 255), (32, 36, 44, 255)
    draw.rounded_rectangle([v * K for v in (170, 120, 310, 430)], radius=40 * K, fill=steel)
    draw.rectangle([v * K for v in (170, 330, 310, 360)], fill=dark)
    draw.rounded_rectangle([v * K for v in (195, 70, 285, 130)], radius=14 * K, fill=cap)
    draw.rounded_rectangle([v * K for v in (215, 40, 265, 80)], radius=12 * K, fill=cap)
    draw.rectangle([v * K for v in (190, 150, 208, 300)], fill=(86, 146, 186, 255))  # shine
    _finish(image, (140, 410, 340, 455), "product-bottle.png")


if __name__ == "__main__":
    mug()
    bottle()
