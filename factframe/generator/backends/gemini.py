"""The ``gemini`` backend: pictures from Google's Gemini image models ("Nano Banana").

One ``POST {base}/models/{model}:generateContent`` per picture, with the key in the
``x-goog-api-key`` header (``GEMINI_API_KEY``, else ``GOOGLE_API_KEY``). Models:
``gemini-2.5-flash-image`` (the default) and ``gemini-3-pro-image-preview`` (also takes an
image size: ``1K``, ``2K`` or ``4K``).

The request's one user turn holds interleaved parts, in order:

1. the render's knowledge :class:`~factframe.knowledge.Context` when the ``context`` option
   carries one (facts with their sources, the brand, the locale, reference images inlined
   as ``inlineData``, earlier turns), through :meth:`Context.parts` — the model sees each
   fact's value *with* its provenance, as background, and is told not to write it;
2. the reference pictures passed to :meth:`GeminiBackend.generate` (PNG, inlined);
3. the instruction: the prompt built from the subject, the picture's role, the brand's
   colours by name and words from the facts, and "no text, letters, words…".

``generationConfig`` asks for an image (``responseModalities``), the supported aspect ratio
nearest to the region's (``imageConfig.aspectRatio``), the image size for models that take
one, and the seed. The ``search`` option adds Google Search grounding
(``tools: [{"google_search": {}}]``) so the model can look up what a subject looks like.

The picture in the answer (the last ``inlineData`` image part that is not a thought) is
decoded and cover-fitted into the region's exact size. A blocked prompt
(``promptFeedback.blockReason``), a blocked answer (``finishReason`` ``SAFETY``,
``IMAGE_SAFETY``, ``PROHIBITED_CONTENT``…) or an answer without any image raises
:class:`~factframe.errors.SafetyRefusal` with the service's reason; HTTP failures, retries
and keys are handled by :mod:`~factframe.generator.backends.remote`.

Options read (a block's ``generate`` options, or the backend's defaults): ``model``,
``negative``, ``image_size``, ``search``, plus ``role``, ``palette``, ``facts`` and
``context`` from the render.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence
from typing import Any, Unpack

from PIL import Image

from factframe.errors import BackendError, SafetyRefusal, SpecError
from factframe.generator.backends.base import Options
from factframe.generator.backends.prompts import prompt_from_options
from factframe.generator.backends.remote import (
    RemoteBackend,
    RemoteSettings,
    decode_image,
    encode_png,
)

__all__ = [
    "ASPECT_RATIOS",
    "BLOCKING_FINISH_REASONS",
    "DEFAULT_GEMINI_MODEL",
    "ENV_VARS",
    "GEMINI_BASE_URL",
    "GEMINI_MODELS",
    "IMAGE_SIZES",
    "GeminiBackend",
    "context_parts",
    "image_size_for",
    "nearest_aspect_ratio",
]

GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta"
DEFAULT_GEMINI_MODEL = "gemini-2.5-flash-image"
#: The image models this backend is written for (others of the family work the same way).
GEMINI_MODELS = ("gemini-2.5-flash-image", "gemini-3-pro-image-preview")
#: Where the key is read from, first preferred.
ENV_VARS = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
#: The aspect ratios the image models paint.
ASPECT_RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
#: Image sizes (long side ≈ 1024, 2048, 4096 px) for the models that take one.
IMAGE_SIZES = ("1K", "2K", "4K")
#: ``finishReason`` values that mean the answer was blocked.
BLOCKING_FINISH_REASONS = frozenset(
    {
        "SAFETY",
        "IMAGE_SAFETY",
        "PROHIBITED_CONTENT",
        "IMAGE_PROHIBITED_CONTENT",
        "BLOCKLIST",
        "SPII",
        "RECITATION",
        "IMAGE_RECITATION",
    }
)
_REF_MAX_SIDE = 2048
_ROLES = {"user": "The user", "assistant": "The designer", "system": "The system"}


def nearest_aspect_ratio(size: tuple[int, int]) -> str:
    """The supported aspect ratio closest to ``size``'s (compared on a log scale).

    >>> nearest_aspect_ratio((1080, 1350)), nearest_aspect_ratio((1600, 900))
    ('4:5', '16:9')
    """
    aspect = math.log(size[0] / size[1])

    def distance(ratio: str) -> float:
        w, h = (int(x) for x in ratio.split(":"))
        return abs(math.log(w / h) - aspect)

    return min(ASPECT_RATIOS, key=distance)


def image_size_for(size: tuple[int, int]) -> str:
    """The smallest image size whose long side (≈ 1024/2048/4096 px) covers ``size``'s."""
    side = max(size)
    return "1K" if side <= 1024 else "2K" if side <= 2048 else "4K"


def _takes_image_size(model: str) -> bool:
    # gemini-2.5-flash-image paints ~1 megapixel only and rejects imageSize
    return not model.startswith("gemini-2.")


def context_parts(parts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Gemini ``parts`` from neutral context parts (:meth:`Context.parts`): texts as
    ``text``, inline images as ``inlineData``, a turn as a line naming who spoke followed
    by its parts. Images known only by URL are left out: the generator fetches nothing."""
    out: list[dict[str, Any]] = []
    for part in parts:
        kind = part.get("type")
        if kind == "text":
            out.append({"text": str(part["text"])})
        elif kind == "image" and part.get("data"):
            mime = str(part.get("mime") or "image/png")
            out.append({"inlineData": {"mimeType": mime, "data": str(part["data"])}})
        elif kind == "turn":
            who = _ROLES.get(str(part.get("role")), str(part.get("role")))
            out.append({"text": f"{who} said:"})
            out.extend(context_parts(part.get("parts") or []))
    return out


def _inline(image: Image.Image) -> dict[str, Any]:
    picture = image.convert("RGB")
    if max(picture.size) > _REF_MAX_SIDE:
        picture = picture.copy()
        picture.thumbnail((_REF_MAX_SIDE, _REF_MAX_SIDE), Image.Resampling.LANCZOS)
    data = base64.b64encode(encode_png(picture)).decode("ascii")
    return {"inlineData": {"mimeType": "image/png", "data": data}}


class GeminiBackend(RemoteBackend):
    """Paints with a Gemini image model over the REST API.

    Args:
        model: the default model (a block's ``generate.model`` overrides it).
        api_key: the key; read from ``GEMINI_API_KEY`` or ``GOOGLE_API_KEY`` at call time
            otherwise. Never logged, never part of a message or a repr.
        http: the ``httpx.Client`` to send through (tests inject one with a mock transport).
        base_url: the API root (a proxy or a test server).
        search: ground pictures with Google Search unless a block says otherwise.
        image_size: ``1K``, ``2K`` or ``4K`` for models that take one (unset: the smallest
            that covers the region).
        timeout, max_retries, max_wait, sleep: see
            :class:`~factframe.generator.backends.remote.RemoteHTTP`.

    Example:
        >>> from factframe.generator.backends import BACKENDS
        >>> BACKENDS.register("nano-pro", GeminiBackend(  # doctest: +SKIP
        ...     "gemini-3-pro-image-preview", search=True))
    """

    name = "gemini"
    env_vars = ENV_VARS

    def __init__(
        self,
        model: str = DEFAULT_GEMINI_MODEL,
        *,
        base_url: str = GEMINI_BASE_URL,
        search: bool = False,
        image_size: str | None = None,
        **remote: Unpack[RemoteSettings],
    ) -> None:
        if image_size is not None and image_size not in IMAGE_SIZES:
            raise SpecError(f"image_size must be one of {', '.join(IMAGE_SIZES)}", "image_size")
        super().__init__(model, **remote)
        self.base_url = base_url.rstrip("/")
        self.search = search
        self.image_size = image_size

    def __repr__(self) -> str:
        return f"GeminiBackend(model={self.model!r}, base_url={self.base_url!r})"

    # --- the requests --------------------------------------------------------------------

    def _paint(
        self,
        prompt: str,
        size: tuple[int, int],
        refs: Sequence[Image.Image],
        seed: int,
        opts: Options,
    ) -> Image.Image:
        url, body = self.request(prompt, size, refs, seed, options=opts)
        return self._post(url, json_body=body)

    def _repaint(
        self,
        original: Image.Image,
        matte: Image.Image,
        prompt: str,
        size: tuple[int, int],
        seed: int,
        opts: Options,
    ) -> Image.Image:
        text = prompt_from_options(prompt, opts)
        parts = [
            {
                "text": "Edit the first picture: repaint only the area that is white in the "
                "second picture (the mask) and keep everything else as it is. In the area, "
                f"paint: {text.positive}. Do not add any {text.negative}."
            },
            _inline(original),
            _inline(matte.convert("RGB")),
        ]
        url, body = self._body(parts, size, seed, opts)
        return self._post(url, json_body=body)

    def request(
        self,
        prompt: str,
        size: tuple[int, int],
        refs: Sequence[Image.Image] = (),
        seed: int = 0,
        *,
        options: Options | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """The URL and JSON body :meth:`generate` sends (without the key, which travels in
        a header)."""
        opts = options or {}
        text = prompt_from_options(prompt, opts)
        parts: list[dict[str, Any]] = []
        context = _context_of(opts)
        if context:
            parts.append(
                {
                    "text": "Background for the picture (facts with their sources, the brand, "
                    "reference images). Use it for what the picture shows; never write any "
                    "of it as text, numbers or labels in the picture."
                }
            )
            parts += context
        parts += [_inline(ref) for ref in refs]
        parts.append(
            {
                "text": f"Paint a picture: {text.positive}. The picture must contain no "
                f"{text.negative}: all words of the design are set separately."
            }
        )
        return self._body(parts, size, seed, opts)

    def _body(
        self, parts: list[dict[str, Any]], size: tuple[int, int], seed: int, opts: Options
    ) -> tuple[str, dict[str, Any]]:
        model = str(opts.get("model") or self.model)
        if "/" in model or not model:
            raise SpecError(f"{model!r} is not a Gemini model name", "model")
        search = bool(opts.get("search", self.search))
        image_config: dict[str, str] = {"aspectRatio": nearest_aspect_ratio(size)}
        if _takes_image_size(model):
            wanted = opts.get("image_size") or self.image_size or image_size_for(size)
            if wanted not in IMAGE_SIZES:
                raise SpecError(f"must be one of {', '.join(IMAGE_SIZES)}", "image_size")
            image_config["imageSize"] = str(wanted)
        config: dict[str, Any] = {
            # with search the model reads text results, and may answer with text too
            "responseModalities": ["TEXT", "IMAGE"] if search else ["IMAGE"],
            "imageConfig": image_config,
            "seed": seed,
        }
        body: dict[str, Any] = {
            "contents": [{"role": "user", "parts": parts}],
            "generationConfig": config,
        }
        if search:
            body["tools"] = [{"google_search": {}}]
        return f"{self.base_url}/models/{model}:generateContent", body

    # --- the answer ----------------------------------------------------------------------

    def auth_headers(self, key: str) -> dict[str, str]:
        """The key in ``x-goog-api-key``."""
        return {"x-goog-api-key": key}

    def parse(self, answer: Any) -> Image.Image:
        """The picture in a ``generateContent`` answer.

        Raises:
            SafetyRefusal: the prompt or the answer was blocked, or the model answered
                without a picture (its text, if any, is the message).
            BackendError: the answer is not a ``generateContent`` response, or its image
                does not decode.
        """
        if not isinstance(answer, dict):
            raise BackendError("the answer is not a generateContent response", self.name)
        feedback = answer.get("promptFeedback")
        if isinstance(feedback, dict) and feedback.get("blockReason"):
            reason = str(feedback["blockReason"])
            note = str(feedback.get("blockReasonMessage") or "the prompt was blocked")
            raise SafetyRefusal(note, self.name, reason)
        candidates = answer.get("candidates")
        if not isinstance(candidates, list) or not candidates:
            raise BackendError("the answer has no candidates", self.name)
        candidate = candidates[0]
        if not isinstance(candidate, dict):
            raise BackendError("the answer's candidate is not an object", self.name)
        finish = str(candidate.get("finishReason") or "")
        content = candidate.get("content") or {}
        parts = content.get("parts") if isinstance(content, dict) else None
        if finish in BLOCKING_FINISH_REASONS:
            raise SafetyRefusal("the model's answer was blocked", self.name, finish)
        if parts is None and finish in ("", "STOP"):
            raise BackendError("the answer's candidate has no content parts", self.name)
        if not isinstance(parts or [], list):
            raise BackendError("the answer's content parts are not a list", self.name)
        images: list[Any] = []
        said: list[str] = []
        for part in parts or []:
            if not isinstance(part, dict) or part.get("thought"):
                continue
            inline = part.get("inlineData") or part.get("inline_data")
            if isinstance(inline, dict):
                mime = str(inline.get("mimeType") or inline.get("mime_type") or "")
                if mime.startswith("image/"):
                    images.append(inline.get("data"))
            elif isinstance(part.get("text"), str):
                said.append(part["text"])
        if not images:
            words = " ".join(" ".join(said).split())[:300]
            reason = finish if finish and finish != "STOP" else "NO_IMAGE"
            raise SafetyRefusal(words or "the model answered without a picture", self.name, reason)
        return decode_image(images[-1], self.name)


def _context_of(opts: Options) -> list[dict[str, Any]]:
    """Gemini parts from the ``context`` option: a knowledge Context (anything with a
    ``parts()`` method) or a list of neutral parts."""
    given = opts.get("context")
    if given is None:
        return []
    if hasattr(given, "parts"):
        try:
            neutral = given.parts()
        except OSError as exc:
            raise BackendError(f"a context image cannot be read ({exc})", "gemini") from None
    elif isinstance(given, list | tuple):
        neutral = list(given)
    else:
        raise SpecError("must be a knowledge Context or a list of its parts", "context")
    return context_parts(neutral)
