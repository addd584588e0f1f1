"""The ``openai`` backend: pictures from OpenAI's Images API (``gpt-image-1``) or a server
that speaks it (``OPENAI_BASE_URL``).

- A new picture: ``POST {base}/images/generations`` with JSON ``{model, prompt, n: 1, size,
  quality}``; the size is the one of ``1024x1024``, ``1536x1024`` and ``1024x1536`` nearest
  to the region's aspect, and the answer's ``data[0].b64_json`` is cover-fitted into the
  region. (``dall-e-*`` models on compatible servers are asked for ``response_format:
  b64_json``; GPT image models always answer in base64 and refuse that field.)
- From reference pictures, or an edit: ``POST {base}/images/edits`` as multipart form data:
  ``image[]`` (PNG), for an edit a ``mask`` PNG whose *transparent* pixels mark the area to
  repaint (factframe's masks are white there, so the mask's inverse becomes the alpha), and
  ``prompt``. Only the masked pixels of the edited picture change.

The key is ``OPENAI_API_KEY`` (``Authorization: Bearer …``). A 400 answer with the code
``moderation_blocked`` or ``content_policy_violation`` raises
:class:`~factframe.errors.SafetyRefusal`; HTTP failures, retries and keys are handled by
:mod:`~factframe.generator.backends.remote`.

Options read: ``model``, ``quality`` (``low``, ``medium``, ``high``, ``auto``),
``negative``, plus ``role``, ``palette`` and ``facts`` from the render.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any, Unpack

from PIL import Image

from factframe.errors import BackendError, SpecError
from factframe.generator.backends.base import Options
from factframe.generator.backends.prompts import Prompt, prompt_from_options
from factframe.generator.backends.remote import (
    RemoteBackend,
    RemoteSettings,
    decode_image,
    encode_png,
)

__all__ = [
    "DEFAULT_OPENAI_MODEL",
    "OPENAI_BASE_URL",
    "OPENAI_SIZES",
    "QUALITIES",
    "REFUSAL_CODES",
    "OpenAIImagesBackend",
    "alpha_mask",
    "openai_size",
]

OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_OPENAI_MODEL = "gpt-image-1"
#: The sizes GPT image models paint.
OPENAI_SIZES = ("1024x1024", "1536x1024", "1024x1536")
QUALITIES = ("low", "medium", "high", "auto")
#: Error codes of a 400 answer that mean the content was refused.
REFUSAL_CODES = frozenset({"moderation_blocked", "content_policy_violation"})
_ENV_KEY = ("OPENAI_API_KEY",)
_ENV_BASE = "OPENAI_BASE_URL"


def openai_size(size: tuple[int, int]) -> str:
    """The paintable size nearest to ``size``'s aspect (compared on a log scale).

    >>> openai_size((1600, 900)), openai_size((800, 800)), openai_size((1080, 1920))
    ('1536x1024', '1024x1024', '1024x1536')
    """
    aspect = math.log(size[0] / size[1])

    def distance(name: str) -> float:
        w, h = (int(x) for x in name.split("x"))
        return abs(math.log(w / h) - aspect)

    return min(OPENAI_SIZES, key=distance)


class OpenAIImagesBackend(RemoteBackend):
    """Paints with OpenAI's Images API.

    The Images API takes no seed: ``seed`` only tells pictures apart in caches, and a retry
    of the stray-text guard asks again. With reference pictures, :meth:`generate` paints
    from them (``images/edits``).

    Args:
        model: the default model (a block's ``generate.model`` overrides it).
        api_key: the key; read from ``OPENAI_API_KEY`` at call time otherwise. Never
            logged, never part of a message or a repr.
        base_url: the API root; ``OPENAI_BASE_URL`` or ``https://api.openai.com/v1``
            otherwise (an OpenAI-compatible server).
        quality: ``low``, ``medium``, ``high`` or ``auto`` unless a block says otherwise
            (unset: the service's default).
        http: the ``httpx.Client`` to send through (tests inject one with a mock transport).
        timeout, max_retries, max_wait, sleep: see
            :class:`~factframe.generator.backends.remote.RemoteHTTP`.
    """

    name = "openai"
    env_vars = _ENV_KEY
    refusals = REFUSAL_CODES

    def __init__(
        self,
        model: str = DEFAULT_OPENAI_MODEL,
        *,
        base_url: str | None = None,
        quality: str | None = None,
        **remote: Unpack[RemoteSettings],
    ) -> None:
        if quality is not None and quality not in QUALITIES:
            raise SpecError(f"must be one of {', '.join(QUALITIES)}", "quality")
        super().__init__(model, **remote)
        self.quality = quality
        self._base_url = base_url

    def __repr__(self) -> str:
        return f"OpenAIImagesBackend(model={self.model!r}, base_url={self.base_url!r})"

    @property
    def base_url(self) -> str:
        """The API root: the one given, else ``OPENAI_BASE_URL``, else OpenAI's."""
        given = self._base_url or os.environ.get(_ENV_BASE, "").strip() or OPENAI_BASE_URL
        return given.rstrip("/")

    # --- requests ------------------------------------------------------------------------

    def _paint(
        self,
        prompt: str,
        size: tuple[int, int],
        refs: Sequence[Image.Image],
        seed: int,
        opts: Options,
    ) -> Image.Image:
        fields = self._fields(prompt_from_options(prompt, opts), size, opts)
        if not refs:
            return self._post(f"{self.base_url}/images/generations", json_body={**fields, "n": 1})
        files = [
            ("image[]", (f"ref{i}.png", encode_png(ref.convert("RGB")), "image/png"))
            for i, ref in enumerate(refs)
        ]
        return self._post(f"{self.base_url}/images/edits", data=fields, files=files)

    def _repaint(
        self,
        original: Image.Image,
        matte: Image.Image,
        prompt: str,
        size: tuple[int, int],
        seed: int,
        opts: Options,
    ) -> Image.Image:
        fields = self._fields(prompt_from_options(prompt, opts), size, opts)
        files = [
            ("image[]", ("image.png", encode_png(original), "image/png")),
            ("mask", ("mask.png", encode_png(alpha_mask(matte)), "image/png")),
        ]
        return self._post(f"{self.base_url}/images/edits", data=fields, files=files)

    def _fields(self, text: Prompt, size: tuple[int, int], opts: Options) -> dict[str, str]:
        model = str(opts.get("model") or self.model)
        fields = {
            "model": model,
            "prompt": f"{text.positive}. No {text.negative}.",
            "n": "1",
            "size": openai_size(size),
        }
        quality = opts.get("quality") or self.quality
        if quality is not None:
            if quality not in QUALITIES:
                raise SpecError(f"must be one of {', '.join(QUALITIES)}", "quality")
            fields["quality"] = str(quality)
        if model.startswith("dall-e"):
            fields["response_format"] = "b64_json"
        return fields

    # --- the answer ----------------------------------------------------------------------

    def auth_headers(self, key: str) -> dict[str, str]:
        """The key as a bearer token."""
        return {"Authorization": f"Bearer {key}"}

    def parse(self, answer: Any) -> Image.Image:
        """The picture in an Images API answer (``data[0].b64_json``).

        Raises:
            BackendError: the answer has no picture, or it does not decode.
        """
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, list) or not data or not isinstance(data[0], dict):
            raise BackendError("the answer has no data[0] image", self.name)
        first = data[0]
        if "b64_json" not in first:
            kind = "a URL" if "url" in first else "no b64_json"
            raise BackendError(f"the answer's image has {kind}, not base64 data", self.name)
        return decode_image(first["b64_json"], self.name)


def alpha_mask(mask: Image.Image) -> Image.Image:
    """An Images API mask from a factframe mask: RGBA, fully transparent where ``mask`` is
    white (the area to repaint), opaque elsewhere."""
    matte = mask.convert("L")
    out = Image.new("RGBA", matte.size, (0, 0, 0, 255))
    out.putalpha(matte.point(lambda v: 255 - v))
    return out
