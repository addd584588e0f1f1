"""The ``mockup`` spec kind: a design (a nested spec or a picture) put into a scene.

.. code-block:: yaml

    kind: mockup
    design:                      # a nested spec, a spec file, or a picture file
      canvas: {width: 1680, height: 490}
      blocks: [{type: title, text: "Open late, every day"}]
    scene: billboard             # a built-in scene (factframe mockup --list) or a photo
    size: 3840x2160              # a built-in scene's size (default 1920x1080)
    quad: [[120, 80], [900, 120], [880, 560], [130, 600]]   # optional: detected if absent
    fit: auto                    # auto (re-render a spec at the surface's shape), cover,
                                 # contain or stretch: a design of another shape than its surface
    gloss: 0.3                   # 0…1, true for the default sheen; absent: the scene's
    shading: 1.0                 # 0…1; absent: the scene's
    occlusion: mask.png          # optional: white where the scene stays in front

Geometry (a convex, clockwise quad) is checked where the picture is made; everything
else is checked here and named by its path (``design.blocks[0].text``, ``quad``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from factframe.errors import SpecError
from factframe.spec import BLOCK_TYPES, Spec, parse_spec
from factframe.spec_files import read_spec_file, resolve_paths, spec_error

__all__ = ["SPEC_SUFFIXES", "MockupSpec", "load_mockup", "parse_mockup"]

#: File suffixes read as a design *spec* (anything else is a picture).
SPEC_SUFFIXES = (".json", ".yaml", ".yml")
_SIZE = re.compile(r"^\s*(\d+)\s*[x×]\s*(\d+)\s*$")


class MockupSpec(BaseModel):
    """A mockup: ``design`` on the surface of ``scene``.

    Attributes:
        kind: always ``"mockup"``.
        design: a nested spec, or the path of a spec file or of a picture.
        scene: a built-in scene's name or a photo's path.
        size: a built-in scene's size in px, ``(width, height)`` or ``"3840x2160"``.
        quad: the surface's four corners in scene px, clockwise from the one the
            design's top-left goes to; detected when absent and the scene has none.
        fit: a design of another shape than its surface: ``auto`` re-renders a nested
            spec or spec file at the surface's shape and crops a picture as ``cover``;
            ``cover`` crops the centre, ``contain`` letterboxes, ``stretch`` distorts
            (see :func:`factframe.mockup`).
        gloss: specular sheen 0…1 (``true``: the default sheen); None: the scene's own.
        shading: how much of the scene's light the design takes, 0…1; None: the scene's.
        occlusion: a mask picture the scene's size: white where the scene stays in front.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["mockup"] = "mockup"
    design: Spec | str
    scene: str = Field("billboard", min_length=1)
    size: tuple[int, int] | None = None
    quad: (
        tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
        | None
    ) = None
    fit: Literal["auto", "cover", "contain", "stretch"] = "auto"
    gloss: float | None = Field(None, ge=0.0, le=1.0)
    shading: float | None = Field(None, ge=0.0, le=1.0)
    occlusion: str | None = None

    @field_validator("size", mode="before")
    @classmethod
    def _size_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            match = _SIZE.match(value)
            if match is None:
                raise ValueError(f"size must look like 1920x1080, got {value!r}")
            return int(match.group(1)), int(match.group(2))
        return value

    @field_validator("gloss", mode="before")
    @classmethod
    def _gloss_flag(cls, value: Any) -> Any:
        # true: the default sheen (factframe.generator.mockup.DEFAULT_GLOSS), false: none
        if value is True:
            return 0.35
        if value is False:
            return 0.0
        return value

    @field_validator("quad", mode="before")
    @classmethod
    def _flat_quad(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [v for v in re.split(r"[\s,]+", value.strip()) if v]
        if not isinstance(value, list | tuple):
            return value
        if len(value) == 8 and not any(isinstance(v, list | tuple) for v in value):
            return [value[i : i + 2] for i in range(0, 8, 2)]
        if len(value) != 4:
            raise ValueError(
                f"expected four (x, y) corners or eight numbers, got {len(value)} items"
            )
        return value


def parse_mockup(data: Any) -> MockupSpec:
    """Validates a mockup spec given as a dict (or an existing :class:`MockupSpec`).

    Raises:
        SpecError: naming the bad field: ``design.blocks[0].text``, ``quad``, ``gloss``…
    """
    if isinstance(data, MockupSpec):
        return data
    if not isinstance(data, dict):
        raise SpecError(f"a mockup spec must be a mapping, got {type(data).__name__}")
    design = data.get("design")
    if isinstance(design, dict):
        try:
            data = {**data, "design": parse_spec(design)}
        except SpecError as exc:
            message = str(exc).removeprefix(f"{exc.path}: ") if exc.path else str(exc)
            raise SpecError(message, f"design.{exc.path}" if exc.path else "design") from None
    elif design is not None and not isinstance(design, str | Spec):
        raise SpecError(
            f"expected a nested spec or a file path, got {type(design).__name__}", "design"
        )
    try:
        return MockupSpec.model_validate(data)
    except ValidationError as exc:
        raise spec_error(exc, BLOCK_TYPES) from None


def load_mockup(path: str | Path) -> MockupSpec:
    """Loads a mockup spec file (``.json``/``.yaml``); relative paths in it (the design,
    a photo scene, the mask, and the pictures of a nested design) mean "next to the file".

    Raises:
        SpecError: unreadable, not JSON/YAML, or not a valid mockup spec.
    """
    file = Path(path)
    data = read_spec_file(file)
    if isinstance(data, dict):
        data = _resolve(data, file.parent)
    return parse_mockup(data)


def _resolve(data: dict[str, Any], base: Path) -> dict[str, Any]:
    out = dict(data)
    design = out.get("design")
    if isinstance(design, dict):
        out["design"] = resolve_paths(dict(design), base)
    elif isinstance(design, str) and not Path(design).is_absolute():
        out["design"] = str(base / design)
    occlusion = out.get("occlusion")
    if isinstance(occlusion, str) and not Path(occlusion).is_absolute():
        out["occlusion"] = str(base / occlusion)
    scene = out.get("scene")
    # a scene is a built-in name unless a file of that name sits next to the spec
    if isinstance(scene, str) and not Path(scene).is_absolute() and (base / scene).is_file():
        out["scene"] = str(base / scene)
    return out
