"""Scenes, skia drawing and export."""

from factframe.generator.draw import draw_scene
from factframe.generator.export import FORMATS, encode, rasterize, to_pdf, to_svg
from factframe.generator.images import MAX_IMAGE_PIXELS, load_image
from factframe.generator.legibility import ensure_contrast
from factframe.generator.rendered import Rendered
from factframe.generator.scene import Scene, build_scene

__all__ = [
    "FORMATS",
    "MAX_IMAGE_PIXELS",
    "Rendered",
    "Scene",
    "build_scene",
    "draw_scene",
    "encode",
    "ensure_contrast",
    "load_image",
    "rasterize",
    "to_pdf",
    "to_svg",
]
