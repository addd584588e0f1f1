"""Mockups from the top: a design (rendered here when it is a spec) put into a scene.

Beside :mod:`factframe.pipeline` because a design given as a spec is rendered by it —
at the shape of the surface it goes on, so that nothing is stretched (``fit="auto"``);
the picture work is :mod:`factframe.generator.mockup`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from factframe.errors import LayoutError, SpecError
from factframe.generator import Rendered
from factframe.generator.mockup import (
    ImageSource,
    MockupScene,
    as_quad,
    builtin_scene,
    compose,
    design_image,
    detect_quad,
    photo_scene,
    scene_names,
)
from factframe.generator.mockup.compose import SAME_SHAPE, check_fit, surface_shape
from factframe.pipeline import load_brand_fonts, render, render_bound
from factframe.spec import MAX_SIDE, MIN_SIDE, Spec
from factframe.spec_documents import Document, load_document, parse_document
from factframe.spec_mockup import SPEC_SUFFIXES, MockupSpec, parse_mockup
from factframe.typography import FontLibrary

__all__ = ["fitted_design", "fitted_size", "mockup", "mockup_spec"]

Design = Rendered | Spec | dict[str, Any] | ImageSource
SceneSource = MockupScene | ImageSource


def mockup(
    design: Design,
    scene: SceneSource = "billboard",
    quad: Any = None,
    *,
    fit: str = "auto",
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
        fit: what happens when the design's shape is not the surface's (a square card
            on a 48×14 billboard). ``auto``: a spec, or a :class:`Rendered` that has its
            spec, is rendered again at the surface's shape (:func:`fitted_size`: the
            design's pixel area kept), so the layout re-flows and no glyph is stretched
            (should the blocks not fit that shape, it is letterboxed as by ``contain``); a
            picture is cropped as by ``cover``. ``cover``: the design's centre, cropped to
            the surface's shape. ``contain``: the whole design, letterboxed with its own
            edge colour. ``stretch``: distorted to the surface (text too). The surface's
            shape is the one a built-in scene was drawn for, else it is estimated from the
            quad's perspective (:func:`~factframe.generator.mockup.homography.
            surface_aspect`). The layout's notes say what was done.
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
            counter-clockwise), an unknown scene or ``fit``, no surface found in a photo.
        ImageError: a design, photo or mask that cannot be read.
        MissingDependencyError: detection asked for without OpenCV.

    Example:
        >>> card = {"canvas": "square", "blocks": [{"type": "title", "text": "Open late"}]}
        >>> mockup(card, "billboard").layout.notes[1]  # doctest: +SKIP
        're-rendered the design at 1999×583 (3.43:1; it was 1080×1080) for …'
    """
    # 1. The scene, its surface and the surface's shape
    fit = check_fit(fit)
    place = _scene(scene, size)
    if quad is None:
        quad = place.quad if place.quad is not None else detect_quad(place.image)
    corners = as_quad(quad)
    aspect, surface = surface_shape(place, corners)
    # 2. The design: a spec rendered (at the surface's shape when fit is auto)
    if fit == "auto":
        try:
            rendered, note = fitted_design(
                design, aspect, surface=surface, library=library, offline=offline
            )
        except LayoutError as exc:  # the blocks cannot be laid out at that shape
            rendered, fit = _design(design, library, offline), "contain"
            note = f"the design cannot be laid out at {aspect:.2f}:1 ({exc}); letterboxed"
    else:
        rendered, note = _design(design, library, offline), None
    image = design_image(rendered if rendered is not None else design)  # type: ignore[arg-type]
    # 3. Fit what is left to fit (crop, letterbox, stretch); warp, shade, gloss, occlude
    return compose(
        image,
        place,
        corners,
        fit=fit,
        gloss=gloss,
        shading=shading,
        occlusion=occlusion,
        facts=rendered.facts if rendered is not None else None,
        context=rendered.context if rendered is not None else None,
        library=library,
        notes=(note,) if note else (),
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
        fit=parsed.fit,
        gloss=parsed.gloss,
        shading=parsed.shading,
        occlusion=parsed.occlusion,
        size=parsed.size,
        library=library,
        offline=offline,
    )


def fitted_size(width: int, height: int, aspect: float) -> tuple[int, int]:
    """A canvas ``aspect`` (width / height) wide with about ``width × height`` px.

    Keeping the pixel area keeps the design's resolution and, roughly, its type sizes:
    a 1080×1080 card becomes 1999×583 for a 48×14 billboard. Sides stay within the
    canvas limits (16…8192 px); the shorter side is rounded first and the longer one
    taken from it, so the shape is within half a pixel of ``aspect``.
    """
    area = float(width * height)
    w, h = math.sqrt(area * aspect), math.sqrt(area / aspect)
    shrink = min(1.0, MAX_SIDE / max(w, h))
    grow = max(1.0, MIN_SIDE / min(w, h))
    k = shrink if shrink < 1.0 else grow
    w, h = w * k, h * k
    if w >= h:
        short = max(MIN_SIDE, round(h))
        return min(MAX_SIDE, max(MIN_SIDE, round(short * aspect))), short
    short = max(MIN_SIDE, round(w))
    return short, min(MAX_SIDE, max(MIN_SIDE, round(short / aspect)))


def fitted_design(
    design: Design,
    aspect: float,
    *,
    surface: str = "the surface",
    library: FontLibrary | None = None,
    offline: bool = False,
) -> tuple[Rendered | None, str | None]:
    """The design rendered for a surface ``aspect`` (width / height) wide: what
    ``fit="auto"`` warps.

    A spec (a :class:`Spec`, a dict, a spec file) is rendered at :func:`fitted_size` of
    its canvas with ``library`` and ``offline``. A :class:`Rendered` that has its spec is
    rendered again from that spec (its facts already bound: they are neither fetched nor
    bound again, and go along with its context) with the fonts it was drawn with. The
    planner lays the blocks out afresh on the new canvas, so text keeps its proportions.
    A design already within 1 % of ``aspect`` is rendered (or kept) as it is.

    Args:
        surface: words for the note about where ``aspect`` came from.

    Returns:
        the rendered design (None for a picture, which :func:`mockup` crops), and a note
        for the layout (None when it was not rendered at another shape).
    """
    if isinstance(design, Rendered):
        if design.spec is None:
            return design, None
        canvas = design.spec.canvas
        size = _other_size(canvas.width, canvas.height, aspect)
        if size is None:
            return design, None
        spec = design.spec.with_canvas(f"{size[0]}x{size[1]}")
        # the fonts it was drawn with: a custom library is part of how it was rendered
        redrawn = _redraw(design, spec, library or design._library)
        return redrawn, _note((canvas.width, canvas.height), size, aspect, surface)
    document = _document(design)
    if document is None:
        return None, None
    if not isinstance(document, Spec):  # an annotation or a mockup: a picture here
        return render(document, library=library, offline=offline), None
    canvas = document.canvas
    size = _other_size(canvas.width, canvas.height, aspect)
    if size is None:
        return render(document, library=library, offline=offline), None
    spec = document.with_canvas(f"{size[0]}x{size[1]}")
    rendered = render(spec, library=library, offline=offline)
    return rendered, _note((canvas.width, canvas.height), size, aspect, surface)


def _other_size(width: int, height: int, aspect: float) -> tuple[int, int] | None:
    if abs(math.log(width / height / aspect)) <= math.log(SAME_SHAPE):
        return None
    return fitted_size(width, height, aspect)


def _note(was: tuple[int, int], size: tuple[int, int], aspect: float, surface: str) -> str:
    return (
        f"re-rendered the design at {size[0]}×{size[1]} ({size[0] / size[1]:.2f}:1; it was "
        f"{was[0]}×{was[1]}) for {aspect:.2f}:1 ({surface}), so nothing is stretched"
    )


def _redraw(rendered: Rendered, spec: Spec, library: FontLibrary) -> Rendered:
    """``spec`` (a rendered design's own, at another canvas) planned, built and drawn as
    :func:`factframe.render` does after binding: the facts stay as they were bound."""
    load_brand_fonts(spec, library)
    return render_bound(spec, library, rendered.facts, rendered.context)


def _document(design: Design) -> Document | None:
    """A design given as a spec, validated (a file's relative paths resolved); None for a
    picture."""
    if isinstance(design, Spec):
        return design
    if isinstance(design, dict):
        return parse_document(design)
    if isinstance(design, str | Path) and Path(design).suffix.lower() in SPEC_SUFFIXES:
        return load_document(design)
    return None


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
