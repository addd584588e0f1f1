"""Mockups: a design put onto a surface of a scene (built-in or a photo) in perspective."""

from factframe.generator.mockup.compose import (
    ImageSource,
    compose,
    design_image,
    occlusion_foreground,
    photo_scene,
)
from factframe.generator.mockup.detect import detect_quad
from factframe.generator.mockup.homography import Quad, as_quad, homography, map_points
from factframe.generator.mockup.scenes import (
    DEFAULT_SIZE,
    MAX_SCENE_SIDE,
    SCENES,
    builtin_scene,
    scene_names,
)
from factframe.generator.mockup.warp import DEFAULT_GLOSS, MockupScene, composite

__all__ = [
    "DEFAULT_GLOSS",
    "DEFAULT_SIZE",
    "MAX_SCENE_SIDE",
    "SCENES",
    "ImageSource",
    "MockupScene",
    "Quad",
    "as_quad",
    "builtin_scene",
    "compose",
    "composite",
    "design_image",
    "detect_quad",
    "homography",
    "map_points",
    "occlusion_foreground",
    "photo_scene",
    "scene_names",
]
