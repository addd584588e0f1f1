"""Mockups from the top: a design (rendered here when it is a spec) put into a scene.

Beside :mod:`factframe.pipeline` because a design given as a spec is rendered by it;
the picture work is :mod:`factframe.generator.mockup`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factframe.errors import SpecError
from factframe.generator import Rendered
from factframe.generator.mockup import (
    ImageSource,
    MockupScene,
    builtin_scene,
    compose,
    design_image,
    detect_quad,
    photo_scene,
    scene_names,
)
from factframe.pipeline import render
from factframe.spec import Spec
from factframe.spec_mockup import SPEC_SUFFIXES, MockupSpec, parse_mockup
from factframe.typography import FontLibrary

__all__ = ["mockup", "mockup_spec"]

Design = Rendered | Spec | dict[str, Any] | ImageSource
SceneSource = MockupScene | ImageSource


def mockup(
    design: Design,
    scene: SceneSource = "billboard",
    quad: Any = None,
    *,
    gloss: float | bool | None = None,
    shading: float | bool | None = None,
    occlusion: ImageSource | None = None,
    size: tuple[int, int] | None = None,
    library: FontLibrary | None = None,
    offline: bool = False,
) -> Rendered:
    """Puts a design onto a surface of a scene, in perspective, lit by the scene.

    Args:
        design: a :class:`Rendered`, a spec (a :class:`Spec`, a dict, or the path of a
            ``.json``/``.yaml`` spec file: rendered first), or a picture (path, bytes,
            Pillow image, uint8 array).
        scene: a built-in scene (``billboard``, ``poster``, ``phone``, ``laptop``,
            ``shop-window``), a photo (path, bytes, Pillow image, array), or a
            :class:`~factframe.generator.mockup.MockupScene`.
        quad: the surface's four corners in scene px, clockwise from the one the
            design's top-left goes to (``[(x1, y1), …]`` or eight numbers); None: the
            built-in scene's own, or detected in a photo (needs ``factframe[cv]``).
        gloss: a soft specular sheen, 0…1 (True: 0.35); None: the scene's default.
        shading: how much of the scene's light falls on the design, 0…1; None: the
            scene's default (1 for photos and paper, less for screens).
        occlusion: a mask the scene's size, white (or opaque) where the scene's pixels
            stay in front of the design (a lamp post, a hand).
        size: a built-in scene's size in px (default 1920×1080, up to 3840 a side).
        library, offline: passed to :func:`factframe.render` for a design spec.

    Returns:
        a :class:`Rendered` of the scene's size (``.image``, ``.save("ad.png")``); its
        facts and context are the design's, so the sources sidecar goes along.

    Raises:
        SpecError: a bad quad (repeated or collinear corners, crossing sides, not convex,
            counter-clockwise), an unknown scene, no surface found in a photo.
        ImageError: a design, photo or mask that cannot be read.
        MissingDependencyError: detection asked for without OpenCV.

    Example:
        >>> card = {"canvas": {"width": 1680, "height": 490},
        ...         "blocks": [{"type": "title", "text": "Open late"}]}
        >>> mockup(card, "billboard").save("billboard.png")  # doctest: +SKIP
    """
    # 1. The design, rendered when it is a spec
    rendered = _design(design, library, offline)
    image = design_image(rendered if rendered is not None else design)  # type: ignore[arg-type]
    # 2. The scene and its surface
    place = _scene(scene, size)
    if quad is None and place.quad is None:
        quad = detect_quad(place.image)
    # 3. Warp, shade, gloss, occlude
    return compose(
        image,
        place,
        quad,
        gloss=gloss,
        shading=shading,
        occlusion=occlusion,
        facts=rendered.facts if rendered is not None else None,
        context=rendered.context if rendered is not None else None,
        library=library,
    )


def mockup_spec(
    spec: MockupSpec | dict[str, Any],
    *,
    library: FontLibrary | None = None,
    offline: bool = False,
) -> Rendered:
    """Renders a ``kind: mockup`` spec (see :mod:`factframe.spec_mockup`).

    Raises:
        SpecError: the spec is invalid (names the field, ``design.`` for the nested one).
    """
    parsed = parse_mockup(spec)
    return mockup(
        parsed.design,
        parsed.scene,
        parsed.quad,
        gloss=parsed.gloss,
        shading=parsed.shading,
        occlusion=parsed.occlusion,
        size=parsed.size,
        library=library,
        offline=offline,
    )


def _design(design: Design, library: FontLibrary | None, offline: bool) -> Rendered | None:
    if isinstance(design, Rendered):
        return design
    if isinstance(design, Spec | dict):
        return render(design, library=library, offline=offline)
    if isinstance(design, str | Path) and Path(design).suffix.lower() in SPEC_SUFFIXES:
        return render(Path(design), library=library, offline=offline)
    return None


def _scene(scene: SceneSource, size: tuple[int, int] | None) -> MockupScene:
    if isinstance(scene, MockupScene):
        return scene
    if isinstance(scene, str) and scene in scene_names():
        return builtin_scene(scene, size)
    if isinstance(scene, str) and not Path(scene).suffix and not Path(scene).exists():
        raise SpecError(
            f"unknown scene {scene!r}; use one of {', '.join(scene_names())} or a photo's path",
            "scene",
        )
    if size is not None:
        raise SpecError("size is for built-in scenes; a photo keeps its own size", "size")
    return photo_scene(scene)
