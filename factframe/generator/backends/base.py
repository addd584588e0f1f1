"""The image backend contract, the registry of backends, and what backends share.

A backend paints a picture for a prompt at an exact pixel size; it never draws the text of
an infographic (factframe typesets that) and it is deterministic: the same prompt, size,
seed and options give the same pixels. Per-call options arrive as a mapping; each backend
reads the keys it knows and ignores the others:

``palette``
    the brand's colours: a mapping of palette roles (``background``, ``primary``,
    ``secondary``, ``accent``) to colours, or a sequence of colours, the background first.
``style``, ``model``, ``steps``, ``guidance``, ``negative``
    the block's ``generate`` options (:class:`~factframe.spec_images.ImageGeneration`).
``role``
    what the picture is for (``illustration``, ``background``, ``hero``).
``facts``
    short phrases about the subject, from the spec's facts (``Lisbon``, ``light rain``).
``context``
    the render's knowledge :class:`~factframe.knowledge.Context` (the facts with their
    provenance, reference images, earlier turns); remote models turn
    :meth:`~factframe.knowledge.Context.parts` into their message format.
``quality``, ``image_size``, ``search``
    remote models: OpenAI's quality, Gemini's image size and Google Search grounding.

Backends register by name in :data:`BACKENDS`; third parties add an entry point in the
group ``factframe.backends`` naming a backend object (or a class taking no arguments).
A backend raises :class:`~factframe.errors.SpecError` whose ``path`` is the option's name
for a bad option (the scene builder turns it into the spec path), and
:class:`~factframe.errors.EditNotSupportedError` from ``edit`` when it cannot edit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from PIL import Image, ImageOps

from factframe.errors import SpecError
from factframe.registry import Registry
from factframe.spec import MAX_SIDE, Palette, parse_color

__all__ = [
    "BACKENDS",
    "ArtPalette",
    "ImageBackend",
    "Options",
    "art_palette",
    "check_size",
    "cover_fit",
    "edit_inputs",
    "from_oklab",
    "get_backend",
    "model_size",
    "to_oklab",
]

#: Per-call options of a backend (see the module's documentation for the keys).
Options = Mapping[str, Any]
RGB = tuple[int, int, int]


class ImageBackend(Protocol):
    """Paints pictures for prompts; models paint pictures only, never an infographic's text.

    Attributes:
        name: the name specs use (``backend: procedural``).
        uses_model: whether a learned model paints (then the stray-text guard checks the
            pictures for letters); False for procedural art.
    """

    name: str
    uses_model: bool

    def generate(
        self,
        prompt: str,
        size: tuple[int, int],
        refs: Sequence[Image.Image] = (),
        seed: int = 0,
        *,
        options: Options | None = None,
    ) -> Image.Image:
        """A new picture of exactly ``size`` (width, height) px.

        Args:
            prompt: what to paint.
            size: the region's size in px.
            refs: reference pictures (a backend may start from the first one).
            seed: the random seed; the same seed gives the same picture.
            options: per-call options (palette, style, model, steps…).

        Raises:
            SpecError: a bad option (``path`` is the option's name).
            BackendError: the backend failed.
            MissingDependencyError: the backend's packages are not installed.
        """
        ...

    def edit(
        self,
        image: Image.Image,
        mask: Image.Image,
        prompt: str,
        seed: int = 0,
        *,
        options: Options | None = None,
    ) -> Image.Image:
        """``image`` repainted where ``mask`` is white (mode ``L``); elsewhere unchanged.

        Raises:
            EditNotSupportedError: the backend cannot edit pictures.
        """
        ...


#: Every image backend by name (entry-point group ``factframe.backends``).
BACKENDS: Registry[ImageBackend] = Registry("image backend", group="factframe.backends")


def get_backend(name: str) -> ImageBackend:
    """The backend registered as ``name``; a class from an entry point is instantiated
    once and kept.

    Raises:
        UnknownNameError: naming the known backends.
    """
    backend = BACKENDS.get(name)
    if isinstance(backend, type):
        backend = BACKENDS.register(name, backend(), replace=True)
    return backend


def check_size(size: tuple[int, int]) -> tuple[int, int]:
    """``size`` as two ints in 1…:data:`~factframe.spec.MAX_SIDE`.

    Raises:
        SpecError: a side is out of range (``path`` is ``size``).
    """
    width, height = (int(side) for side in size)
    if not (1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE):
        raise SpecError(f"a picture must be 1…{MAX_SIDE} px a side, got {width}×{height}", "size")
    return width, height


def cover_fit(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scales ``image`` to cover ``size`` and crops the middle (as CSS ``object-fit: cover``)."""
    if image.size == size:
        return image
    return ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)


def edit_inputs(
    image: Image.Image, mask: Image.Image
) -> tuple[tuple[int, int], Image.Image, Image.Image]:
    """The checked inputs of an edit: (size, ``image`` as RGB, ``mask`` as mode ``L``).

    Raises:
        SpecError: ``mask`` is not the size of ``image`` (``path`` ``mask``), or a side is
            out of range (``path`` ``size``).
    """
    if mask.size != image.size:
        raise SpecError(f"the mask is {mask.size}, the picture {image.size}", "mask")
    size = check_size(image.size)
    return size, image.convert("RGB"), mask.convert("L")


def model_size(size: tuple[int, int], native: int, multiple: int = 8) -> tuple[int, int]:
    """The size to ask a model for: ``size``'s aspect, sides a multiple of ``multiple``, no
    more pixels than the model's ``native`` square (nor than ``size`` itself: a small region
    is painted small), and no side longer than twice ``native`` (a long banner is painted
    smaller and scaled up).

    >>> model_size((1000, 500), native=512)
    (728, 360)
    >>> model_size((300, 170), native=512)
    (304, 168)
    """
    width, height = size
    scale = min(1.0, native / math.sqrt(width * height), 2 * native / max(width, height))
    return (
        max(multiple, round(width * scale / multiple) * multiple),
        max(multiple, round(height * scale / multiple) * multiple),
    )


@dataclass(frozen=True)
class ArtPalette:
    """Colours for a picture: a ``background`` and the ``inks`` painted on it, strongest
    first (the brand's primary, secondary and accent)."""

    background: RGB
    inks: tuple[RGB, ...]

    @property
    def hex(self) -> tuple[str, ...]:
        """Every colour as ``#rrggbb``, the background first."""
        return tuple(f"#{r:02x}{g:02x}{b:02x}" for r, g, b in (self.background, *self.inks))


_INK_ROLES = ("primary", "secondary", "accent")


def art_palette(options: Options | None) -> ArtPalette:
    """The palette an option mapping gives (factframe's default brand palette without one).

    Raises:
        SpecError: a colour is not a colour (``path`` is ``palette``).
    """
    given = (options or {}).get("palette")
    default = Palette()
    try:
        if given is None or isinstance(given, Mapping):
            roles = {**default.model_dump(), **(given or {})}
            colors = [roles["background"], *(roles[r] for r in _INK_ROLES)]
        elif isinstance(given, Sequence) and not isinstance(given, str) and given:
            colors = list(given)
            if len(colors) == 1:
                colors.append(default.primary)
        else:
            raise ValueError("give a mapping of palette roles or a list of colours")
        rgb = [parse_color(str(c))[:3] for c in colors]
    except ValueError as exc:
        raise SpecError(str(exc), "palette") from None
    return ArtPalette(rgb[0], tuple(rgb[1:]))


# --- colour ------------------------------------------------------------------------------

_TO_LMS = np.array(
    [[0.4122214708, 0.5363325363, 0.0514459929],
     [0.2119034982, 0.6806995451, 0.1073969566],
     [0.0883024619, 0.2817188376, 0.6299787005]], dtype=np.float32,
)  # fmt: skip
_LMS_TO_LAB = np.array(
    [[0.2104542553, 0.7936177850, -0.0040720468],
     [1.9779984951, -2.4285922050, 0.4505937099],
     [0.0259040371, 0.7827717662, -0.8086757660]], dtype=np.float32,
)  # fmt: skip


_LAB_TO_LMS = np.linalg.inv(_LMS_TO_LAB).astype(np.float32)
_LMS_TO_RGB = np.linalg.inv(_TO_LMS).astype(np.float32)


def to_oklab(rgb: np.ndarray) -> np.ndarray:
    """sRGB 0–255 → OKLab, where mixing two colours does not pass through grey mud."""
    c = rgb / np.float32(255)
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return np.cbrt(linear @ _TO_LMS.T) @ _LMS_TO_LAB.T


def from_oklab(lab: np.ndarray) -> np.ndarray:
    """OKLab → sRGB 0–255 (float, clipped to the gamut)."""
    linear = (lab @ _LAB_TO_LMS.T) ** 3 @ _LMS_TO_RGB.T
    linear = np.clip(linear, 0.0, 1.0)
    c = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)
    return c * np.float32(255)  # type: ignore[no-any-return]
