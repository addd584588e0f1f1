"""Image backends: what paints the pictures of generated ``image`` blocks.

A backend turns a prompt into a picture of an exact size, deterministically per seed
(:class:`ImageBackend`); it never draws an infographic's text. Built in:

- ``procedural`` (the default): brand-coloured abstract art, no model, a few ms
  (:class:`ProceduralBackend`);
- ``diffusers``: open-weights diffusion models through diffusers, with the ``ml`` extra
  (:class:`DiffusersBackend`);
- ``gemini``: Google's Gemini image models over REST, key ``GEMINI_API_KEY``
  (:class:`GeminiBackend`);
- ``openai``: OpenAI's Images API (``gpt-image-1``) or a compatible server, key
  ``OPENAI_API_KEY`` (:class:`OpenAIImagesBackend`).

Others register in :data:`BACKENDS`, from code (``BACKENDS.register("mine", MyBackend())``)
or through the entry-point group ``factframe.backends``. Pictures painted by a model pass
the stray-text guard (:mod:`~factframe.generator.backends.generation`).
"""

from factframe.generator.backends.base import (
    BACKENDS,
    ArtPalette,
    ImageBackend,
    Options,
    art_palette,
    cover_fit,
    get_backend,
    model_size,
)
from factframe.generator.backends.diffusion import DiffusersBackend
from factframe.generator.backends.gemini import GeminiBackend
from factframe.generator.backends.generation import (
    MAX_RETRIES,
    GeneratedImage,
    TextCheck,
    clear_cache,
    paint,
    paint_block,
)
from factframe.generator.backends.openai_images import OpenAIImagesBackend
from factframe.generator.backends.procedural import STYLES, ProceduralBackend, pick_style
from factframe.generator.backends.prompts import NEGATIVE, Prompt, build_prompt, color_name
from factframe.generator.backends.stray_text import find_stray_text, ocr_unavailable

__all__ = [
    "BACKENDS",
    "MAX_RETRIES",
    "NEGATIVE",
    "STYLES",
    "ArtPalette",
    "DiffusersBackend",
    "GeminiBackend",
    "GeneratedImage",
    "ImageBackend",
    "OpenAIImagesBackend",
    "Options",
    "ProceduralBackend",
    "Prompt",
    "TextCheck",
    "art_palette",
    "build_prompt",
    "clear_cache",
    "color_name",
    "cover_fit",
    "find_stray_text",
    "get_backend",
    "model_size",
    "ocr_unavailable",
    "paint",
    "paint_block",
    "pick_style",
]

BACKENDS.register("procedural", ProceduralBackend())
BACKENDS.register("diffusers", DiffusersBackend())
# the remote backends read their keys and open their HTTP clients (httpx) on first use
BACKENDS.register("gemini", GeminiBackend())
BACKENDS.register("openai", OpenAIImagesBackend())
