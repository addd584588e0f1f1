"""The fields of a *generated* ``image`` block; part of :mod:`factframe.spec`.

An image block shows a file (``src``) or a picture painted for it (``prompt``), never both.
A generated picture is painted at its region's pixel size by an image backend
(:mod:`factframe.generator.backends`): ``procedural`` (the default: brand-coloured abstract
art, no model) or ``diffusers`` (an open-weights diffusion model), or any backend a package
registers. Models paint pictures only: the stray-text guard rejects a picture with letters
in it and tries the next seed. ::

    {type: image, prompt: "calm harbour at dawn", seed: 7}
    {type: image, prompt: "rolling hills", generate: {style: contours}}
    {type: image, prompt: "a lighthouse, flat illustration", backend: diffusers,
     generate: {model: stabilityai/sd-turbo, steps: 2, guidance: 0}}
    {type: image, prompt: "watercolour of {{ city.name }}", backend: gemini,
     generate: {model: gemini-3-pro-image-preview, image_size: 2K, search: true}}

The same prompt, backend, options, seed, size and palette give the same pixels.

This module holds a mixin so that :mod:`factframe.spec` can keep ``ImageBlock`` next to
the other blocks without growing past one concern per module.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

__all__ = ["MAX_PROMPT_CHARS", "MAX_SEED", "ImageGeneration", "ImageGenerationFields"]

MAX_PROMPT_CHARS = 2000
MAX_SEED = 2**32 - 1

# Checked with Python's re (and shown to editors as a JSON Schema pattern): a pydantic
# ``pattern`` is compiled again (by the Rust regex crate, slowly for \w) for every schema
# that holds the field, ~14 ms of import time.
_NAME = re.compile(r"[A-Za-z][\w.-]{0,63}")
_STYLE = re.compile(r"[a-z][a-z0-9_-]{0,31}")


def _backend_name(value: str) -> str:
    if not _NAME.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a backend name (a letter, then letters, digits, '.', '_' or '-')"
        )
    return value


def _style_name(value: str) -> str:
    if not _STYLE.fullmatch(value):
        raise ValueError(f"{value!r} is not a style name (lower-case letters, digits, '-', '_')")
    return value


class ImageGeneration(BaseModel):
    """Options for the backend that paints a generated picture; each backend reads the ones
    it knows (unset ones take the backend's defaults).

    Attributes:
        style: ``procedural``: ``mesh``, ``geometric``, ``contours``, ``halftone`` or
            ``waves`` (unset: chosen from the prompt).
        model: ``diffusers``: a hub id or a local pipeline folder.
        steps: denoising steps (model backends).
        guidance: classifier-free guidance scale (model backends; 0 turns it off).
        negative: more things to keep out of the picture, added to the built-in
            "text, letters, words, watermark, logo, caption" (model backends).
        quality: ``openai``: ``low``, ``medium``, ``high`` or ``auto``.
        image_size: ``gemini`` models that take one: ``1K``, ``2K`` or ``4K`` (unset: the
            smallest covering the region).
        search: ``gemini``: ground the picture with Google Search.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    style: (
        Annotated[
            str,
            AfterValidator(_style_name),
            Field(json_schema_extra={"pattern": f"^{_STYLE.pattern}$"}),
        ]
        | None
    ) = None
    model: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    steps: Annotated[int, Field(ge=1, le=200)] | None = None
    guidance: Annotated[float, Field(ge=0, le=50, allow_inf_nan=False)] | None = None
    negative: Annotated[str, Field(max_length=500)] | None = None
    quality: Literal["low", "medium", "high", "auto"] | None = None
    image_size: Literal["1K", "2K", "4K"] | None = None
    search: bool | None = None

    def options(self) -> dict[str, Any]:
        """The options that are set, as the mapping a backend receives."""
        return self.model_dump(exclude_none=True)


#: The generation fields' defaults, in the order errors name them.
_UNSET: dict[str, Any] = {
    "prompt": None,
    "backend": "procedural",
    "seed": 0,
    "generate": ImageGeneration(),
}


class ImageGenerationFields(BaseModel):
    """The source of an image block: ``src`` or ``prompt`` (+ backend, seed, options).

    Mixed into :class:`factframe.spec.ImageBlock`, which defines ``src``.
    """

    prompt: Annotated[str, Field(min_length=1, max_length=MAX_PROMPT_CHARS)] | None = Field(
        None, description="what to paint, instead of src (a generated picture)"
    )
    backend: Annotated[str, AfterValidator(_backend_name)] = Field(
        "procedural",
        json_schema_extra={"pattern": f"^{_NAME.pattern}$"},
        description="the image backend that paints the prompt: procedural (default, no "
        "model), diffusers, or one a package registers",
    )
    seed: int = Field(0, ge=0, le=MAX_SEED, description="same seed, same picture")
    generate: ImageGeneration = Field(
        default_factory=ImageGeneration, description="options for the backend"
    )

    @model_validator(mode="after")
    def _src_or_prompt(self) -> Any:
        src = getattr(self, "src", None)
        if src is None and self.prompt is None:
            raise PydanticCustomError(
                "image_source",
                "an image needs src (a file, bytes or a data: URI) or prompt (a picture "
                "painted by an image backend)",
                {"field": "src"},
            )
        if src is not None:
            # compared with the defaults, not model_fields_set, so that a full dump of a
            # block validates again
            given = [f for f, default in _UNSET.items() if getattr(self, f) != default]
            if given:
                raise PydanticCustomError(
                    "image_source",
                    "'{name}' is for generated pictures; give either src or prompt, not both",
                    {"name": given[0], "field": given[0]},
                )
        return self

    @property
    def generated(self) -> bool:
        """Whether the picture is painted from ``prompt`` rather than read from ``src``."""
        return self.prompt is not None
