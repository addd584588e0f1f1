"""The ``diffusers`` backend: pictures from open-weights diffusion models.

Any pipeline diffusers' auto-pipelines know (Stable Diffusion 1.x/2.x, SDXL and its turbo
and lightning variants, SD3, FLUX, Kandinsky…) loads by hub id or from a local folder
written by ``save_pretrained``: text-to-image through ``AutoPipelineForText2Image``,
reference pictures through ``AutoPipelineForImage2Image``, edits through
``AutoPipelineForInpainting`` (sharing the weights already loaded). torch, diffusers and
transformers are imported on first use (``pip install 'factframe[ml]'``), so
``import factframe`` stays light.

Steps of one picture:

1. build the prompt from the subject, the picture's role, the brand's colours by name and
   words from the facts, always with the negatives "text, letters, words, watermark, logo,
   caption" (:mod:`~factframe.generator.backends.prompts`);
2. pick the model's size: the region's aspect, sides a multiple of 8 (16 for transformer
   models), about the model's native pixel count (:func:`~.base.model_size`);
3. paint with ``torch.Generator(device).manual_seed(seed)`` (same seed, same pixels);
4. cover-fit into the region.

Results are cached by (model, task, prompt, negative, seed, size, steps, guidance, and the
input pictures) in memory and, with ``cache_dir``, on disk as PNG files.

The device is picked automatically (CUDA, then Apple MPS, then the CPU) with a dtype to
match (bfloat16 on CUDA when supported, else float16; float16 on MPS; float32 on the CPU);
``cpu_offload=True`` keeps each model part on the CPU until it runs (big models on small
GPUs).
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import os
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PIL import Image

from factframe.errors import BackendError, MissingDependencyError, SpecError
from factframe.generator.backends.base import (
    Options,
    check_size,
    cover_fit,
    edit_inputs,
    model_size,
)
from factframe.generator.backends.prompts import Prompt, prompt_from_options

__all__ = ["DiffusersBackend", "pick_device"]

_INSTALL = "pip install 'factframe[ml]'"
_TASKS = {
    "text2image": "AutoPipelineForText2Image",
    "image2image": "AutoPipelineForImage2Image",
    "inpainting": "AutoPipelineForInpainting",
}


def _modules() -> tuple[Any, Any]:
    """torch and diffusers, imported on first use."""
    try:
        import diffusers
        import torch
    except ImportError as exc:
        raise MissingDependencyError(
            f"the diffusers backend needs torch, diffusers and transformers ({exc.name} is "
            f"missing): {_INSTALL}"
        ) from None
    return torch, diffusers


def pick_device(torch: Any, device: str | None = None) -> tuple[str, Any]:
    """(device, dtype): CUDA with bfloat16 (float16 without bf16 support), else MPS with
    float16, else the CPU with float32; ``device`` picks the device and keeps the rule for
    its dtype."""
    if device is None:
        mps = getattr(torch.backends, "mps", None)
        if torch.cuda.is_available():
            device = "cuda"
        elif mps is not None and mps.is_available():
            device = "mps"
        else:
            device = "cpu"
    kind = device.split(":", 1)[0]
    if kind == "cuda":
        return device, torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return device, torch.float16 if kind == "mps" else torch.float32


class DiffusersBackend:
    """Paints with a diffusers pipeline.

    Args:
        model: the default model, a hub id or a local folder (a block's
            ``generate.model`` overrides it).
        device: ``cuda``, ``mps``, ``cpu`` (unset: picked, see :func:`pick_device`).
        dtype: ``float32``, ``float16`` or ``bfloat16`` (unset: the device's).
        cpu_offload: keep model parts on the CPU until they run (needs accelerate).
        steps: denoising steps unless a block says otherwise.
        guidance: classifier-free guidance unless a block says otherwise.
        strength: how far a reference picture may be changed (image-to-image), 0–1.
        cache_dir: a folder for painted pictures, kept across processes.
        cache_size: pictures kept in memory.
        load_options: more arguments for ``from_pretrained`` (``variant="fp16"``,
            ``local_files_only=True``…).

    Example:
        >>> from factframe.generator.backends import BACKENDS
        >>> BACKENDS.register("sdxl", DiffusersBackend(  # doctest: +SKIP
        ...     "stabilityai/sdxl-turbo", steps=2, guidance=0.0), replace=True)
    """

    name = "diffusers"
    uses_model = True

    def __init__(
        self,
        model: str | None = None,
        *,
        device: str | None = None,
        dtype: str | None = None,
        cpu_offload: bool = False,
        steps: int = 30,
        guidance: float = 7.0,
        strength: float = 0.75,
        cache_dir: str | os.PathLike[str] | None = None,
        cache_size: int = 32,
        load_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.model = model
        self.device = device
        self.dtype = dtype
        self.cpu_offload = cpu_offload
        self.steps = steps
        self.guidance = guidance
        self.strength = strength
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.cache_size = cache_size
        self.load_options = dict(load_options or {})
        self._pipes: dict[tuple[str, str], Any] = {}
        self._cache: OrderedDict[str, Image.Image] = OrderedDict()

    # --- the backend contract ------------------------------------------------------------

    def generate(
        self,
        prompt: str,
        size: tuple[int, int],
        refs: Sequence[Image.Image] = (),
        seed: int = 0,
        *,
        options: Options | None = None,
    ) -> Image.Image:
        """A picture of exactly ``size``; from the first of ``refs`` when given.

        Raises:
            SpecError: no model, a model that cannot be loaded (``path`` ``model``), or a
                bad option.
            MissingDependencyError: torch or diffusers is not installed.
            BackendError: the pipeline failed.
        """
        opts = options or {}
        size = check_size(size)
        model, text = self._model(opts), prompt_from_options(prompt, opts)
        task = "image2image" if refs else "text2image"
        steps, guidance = self._steps(opts), self._guidance(opts)
        strength = float(opts.get("strength", self.strength))
        inputs = [refs[0]] if refs else []
        # the key needs no pipeline: a cached picture loads no model
        key = _key(model, task, text, seed, size, steps, guidance, inputs, strength)
        cached = self._cached(key)
        if cached is not None:
            return cached
        pipe = self._pipeline(task, model)
        work = model_size(size, _native_side(pipe), _multiple(pipe))
        call: dict[str, Any] = {"height": work[1], "width": work[0]}
        if refs:
            call.update(image=cover_fit(refs[0].convert("RGB"), work), strength=strength)
        image = self._run(pipe, text, seed, steps, guidance, call)
        return self._keep(key, cover_fit(image.convert("RGB"), size))

    def edit(
        self,
        image: Image.Image,
        mask: Image.Image,
        prompt: str,
        seed: int = 0,
        *,
        options: Options | None = None,
    ) -> Image.Image:
        """``image`` repainted where ``mask`` is white; every other pixel is kept exactly.

        Raises:
            SpecError: as :meth:`generate`; or ``mask`` is not the size of ``image``.
        """
        opts = options or {}
        size, original, matte = edit_inputs(image, mask)
        model, text = self._model(opts), prompt_from_options(prompt, opts)
        steps, guidance = self._steps(opts), self._guidance(opts)
        strength = float(opts.get("strength", 1.0))
        key = _key(
            model, "inpainting", text, seed, size, steps, guidance, [original, matte], strength
        )
        painted = self._cached(key)
        if painted is None:
            pipe = self._pipeline("inpainting", model)
            work = model_size(size, _native_side(pipe), _multiple(pipe))
            call = {
                "image": original.resize(work, Image.Resampling.LANCZOS),
                "mask_image": matte.resize(work),
                "height": work[1],
                "width": work[0],
                "strength": strength,
            }
            result = self._run(pipe, text, seed, steps, guidance, call)
            painted = self._keep(key, result.convert("RGB").resize(size, Image.Resampling.LANCZOS))
        # the model re-encodes the whole picture; only the masked part may change
        return Image.composite(painted, original, matte)

    # --- helpers -------------------------------------------------------------------------

    def _steps(self, opts: Options) -> int:
        return int(opts.get("steps") or self.steps)

    def _guidance(self, opts: Options) -> float:
        value = opts.get("guidance")
        return float(self.guidance if value is None else value)

    def _model(self, opts: Options) -> str:
        model = opts.get("model") or self.model
        if not model:
            raise SpecError(
                "the diffusers backend needs a model: a hub id (stabilityai/sd-turbo) or a "
                "local folder written by save_pretrained",
                "model",
            )
        return str(model)

    def _pipeline(self, task: str, model: str) -> Any:
        """The pipeline for a task, loaded once; other tasks of a loaded model share its
        weights (``from_pipe``)."""
        pipe = self._pipes.get((task, model))
        if pipe is not None:
            return pipe
        torch, diffusers = _modules()
        auto = getattr(diffusers, _TASKS[task])
        loaded = self._pipes.get(("text2image", model)) or next(
            (p for (_, m), p in self._pipes.items() if m == model), None
        )
        if loaded is not None:
            pipe = auto.from_pipe(loaded)
        else:
            device, dtype = self._device(torch)
            try:
                pipe = auto.from_pretrained(model, dtype=dtype, **self.load_options)
            except (OSError, ValueError) as exc:
                raise SpecError(f"cannot load model {model!r}: {exc}", "model") from None
            if self.cpu_offload and device != "cpu":
                pipe.enable_model_cpu_offload(device=device)
            else:
                pipe.to(device)
        pipe.set_progress_bar_config(disable=True)
        self._pipes[(task, model)] = pipe
        return pipe

    def _device(self, torch: Any) -> tuple[str, Any]:
        device, dtype = pick_device(torch, self.device)
        return device, getattr(torch, self.dtype) if self.dtype is not None else dtype

    def _run(
        self, pipe: Any, text: Prompt, seed: int, steps: int, guidance: float, call: dict[str, Any]
    ) -> Image.Image:
        torch, _ = _modules()
        device = getattr(pipe, "_execution_device", None) or getattr(pipe, "device", "cpu")
        generator = torch.Generator(str(device)).manual_seed(seed)
        wanted = {
            "prompt": text.positive,
            "negative_prompt": text.negative,
            "num_inference_steps": steps,
            "guidance_scale": guidance,
            "generator": generator,
            "output_type": "pil",
            **call,
        }
        accepted = inspect.signature(pipe.__call__).parameters
        try:
            with torch.inference_mode():
                result = pipe(**{k: v for k, v in wanted.items() if k in accepted})
        except (RuntimeError, ValueError) as exc:
            raise BackendError(str(exc), self.name) from exc
        image: Image.Image = result.images[0]
        return image

    def _cached(self, key: str) -> Image.Image | None:
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit.copy()
        if self.cache_dir is not None:
            path = self.cache_dir / f"{key}.png"
            if path.is_file():
                with Image.open(path) as stored:
                    image = stored.convert("RGB")
                self._remember(key, image)
                return image.copy()
        return None

    def _keep(self, key: str, image: Image.Image) -> Image.Image:
        self._remember(key, image)
        if self.cache_dir is not None:
            # imported here: the exporters' modules import the backends
            from factframe.generator.export import write_atomically

            buffer = io.BytesIO()
            image.save(buffer, "PNG")
            write_atomically(self.cache_dir / f"{key}.png", buffer.getvalue())
        return image.copy()

    def _remember(self, key: str, image: Image.Image) -> None:
        self._cache[key] = image
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)


def _native_side(pipe: Any) -> int:
    """The side of the square the model was trained at, in px (512 when unknown)."""
    scale = int(getattr(pipe, "vae_scale_factor", 8) or 8)
    sample = getattr(pipe, "default_sample_size", None)
    for part in ("unet", "transformer"):
        if sample is None:
            sample = getattr(
                getattr(getattr(pipe, part, None), "config", None), "sample_size", None
            )
    if isinstance(sample, list | tuple):
        sample = sample[0]
    return int(sample) * scale if isinstance(sample, int) and sample > 0 else 512


def _multiple(pipe: Any) -> int:
    """What the sides must divide by: 8, or the latent patch for transformer models."""
    scale = int(getattr(pipe, "vae_scale_factor", 8) or 8)
    patch = 2 if getattr(pipe, "transformer", None) is not None else 1
    return max(8, scale * patch)


def _key(
    model: str,
    task: str,
    text: Prompt,
    seed: int,
    size: tuple[int, int],
    steps: int,
    guidance: float,
    pictures: Sequence[Image.Image],
    strength: float,
) -> str:
    """The cache key of a picture: everything that decides its pixels."""
    digests = [f"{hashlib.sha256(p.tobytes()).hexdigest()}{p.mode}{p.size}" for p in pictures]
    record = [model, task, text.positive, text.negative, seed, size, steps, guidance]
    record += [digests, strength if pictures else None]
    return hashlib.sha256(json.dumps(record).encode()).hexdigest()
