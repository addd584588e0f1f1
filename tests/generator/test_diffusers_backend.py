"""The diffusers backend, on a tiny random-weight Stable Diffusion built here from configs.

No download: the pipeline is made from configs (as diffusers' own tests do), written with
``save_pretrained`` and loaded back through the backend's own ``from_pretrained`` path.
Painting 64×64 in 2 steps takes ~0.1–0.2 s on a CPU.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

import factframe
from factframe import MissingDependencyError, SpecError
from factframe.generator.backends import BACKENDS, DiffusersBackend, clear_cache
from factframe.generator.backends.diffusion import pick_device

torch = pytest.importorskip("torch", reason="the ml extra is not installed")
diffusers = pytest.importorskip("diffusers", reason="the ml extra is not installed")

pytestmark = pytest.mark.slow


def tiny_stable_diffusion() -> Any:
    """A Stable Diffusion pipeline with random weights (UNet 1.4 M parameters, 64 px native)."""
    from tokenizers import pre_tokenizers
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    torch.manual_seed(0)
    unet = diffusers.UNet2DConditionModel(
        block_out_channels=(32, 64),
        layers_per_block=2,
        sample_size=32,
        in_channels=4,
        out_channels=4,
        cross_attention_dim=32,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
    ).eval()
    vae = diffusers.AutoencoderKL(
        block_out_channels=[32, 64],
        in_channels=3,
        out_channels=3,
        latent_channels=4,
        down_block_types=["DownEncoderBlock2D"] * 2,
        up_block_types=["UpDecoderBlock2D"] * 2,
    ).eval()
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            bos_token_id=0,
            eos_token_id=1,
            pad_token_id=1,
            hidden_size=32,
            intermediate_size=37,
            num_attention_heads=4,
            num_hidden_layers=5,
            vocab_size=1000,
        )
    ).eval()
    vocab = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for char in sorted(pre_tokenizers.ByteLevel.alphabet()):
        vocab[char] = len(vocab)
        vocab[char + "</w>"] = len(vocab)
    scheduler = diffusers.DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
    )
    return diffusers.StableDiffusionPipeline(
        unet=unet,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=CLIPTokenizer(vocab=vocab, merges=[], model_max_length=77),
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-sd")
    tiny_stable_diffusion().save_pretrained(folder)
    return folder


@pytest.fixture
def backend(model_dir: Path) -> DiffusersBackend:
    return DiffusersBackend(str(model_dir), steps=2, device="cpu")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


def test_it_loads_a_saved_pipeline_and_paints_the_same_pixels_per_seed(
    backend: DiffusersBackend, model_dir: Path
) -> None:
    first = backend.generate("a lighthouse", (64, 64), seed=1)
    assert first.size == (64, 64) and first.mode == "RGB"
    assert type(backend._pipes[("text2image", str(model_dir))]).__name__ == (
        "StableDiffusionPipeline"
    )
    fresh = DiffusersBackend(str(model_dir), steps=2, device="cpu")  # no shared cache
    assert fresh.generate("a lighthouse", (64, 64), seed=1).tobytes() == first.tobytes()
    assert fresh.generate("a lighthouse", (64, 64), seed=2).tobytes() != first.tobytes()
    pixels = np.asarray(first)
    assert pixels.std() > 1  # painted, not flat


def test_it_paints_near_the_regions_aspect_and_cover_fits(
    backend: DiffusersBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes: list[tuple[int, int]] = []
    run = backend._run

    def spy(pipe: Any, text: Any, seed: int, steps: int, guidance: float, call: Any) -> Any:
        sizes.append((call["width"], call["height"]))
        return run(pipe, text, seed, steps, guidance, call)

    monkeypatch.setattr(backend, "_run", spy)
    picture = backend.generate("dunes", (300, 170), seed=0)
    assert picture.size == (300, 170)
    (work,) = sizes
    assert work == (88, 48)  # 64² px (the native size) in 300:170, in multiples of 8


def test_it_caches_in_memory_and_on_disk(model_dir: Path, tmp_path: Path) -> None:
    painter = DiffusersBackend(str(model_dir), steps=2, device="cpu", cache_dir=tmp_path)
    first = painter.generate("a fox", (64, 64), seed=3)
    assert len(list(tmp_path.glob("*.png"))) == 1

    def fail(*args: Any) -> Any:
        raise AssertionError("painted again instead of using the cache")

    painter._run = fail  # type: ignore[method-assign]
    assert painter.generate("a fox", (64, 64), seed=3).tobytes() == first.tobytes()
    later = DiffusersBackend(str(model_dir), steps=2, device="cpu", cache_dir=tmp_path)
    later._run = fail  # type: ignore[method-assign]
    assert later.generate("a fox", (64, 64), seed=3).tobytes() == first.tobytes()
    assert later._pipes == {}  # a cached picture loads no model


def test_inpainting_keeps_the_unmasked_pixels(backend: DiffusersBackend) -> None:
    original = backend.generate("a field", (64, 64), seed=5)
    mask = Image.new("L", (64, 64), 0)
    mask.paste(255, (16, 16, 48, 48))
    edited = backend.edit(original, mask, "a red barn", seed=5)
    assert edited.size == (64, 64)
    before, after = np.asarray(original).astype(int), np.asarray(edited).astype(int)
    keep = np.asarray(mask) == 0
    assert np.abs(before - after)[keep].max() == 0
    assert np.abs(before - after)[~keep].mean() > 1
    again = backend.edit(original, mask, "a red barn", seed=5)
    assert again.tobytes() == edited.tobytes()


def test_a_reference_picture_goes_through_image_to_image(backend: DiffusersBackend) -> None:
    reference = Image.new("RGB", (120, 80), (200, 40, 40))
    picture = backend.generate("a poppy", (120, 80), refs=[reference], seed=0)
    assert picture.size == (120, 80)
    assert any(kind == "image2image" for kind, _ in backend._pipes)


def test_missing_models_and_packages_say_how_to_fix_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SpecError, match="needs a model") as info:
        DiffusersBackend().generate("x", (64, 64))
    assert info.value.path == "model"
    with pytest.raises(SpecError, match="cannot load model") as info:
        DiffusersBackend(str(tmp_path / "nothing"), device="cpu").generate("x", (64, 64))
    assert info.value.path == "model"
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now fails
    with pytest.raises(MissingDependencyError, match=r"pip install 'factframe\[ml\]'"):
        DiffusersBackend("any/model").generate("x", (64, 64))


def test_the_device_follows_the_hardware() -> None:
    device, dtype = pick_device(torch)
    if torch.cuda.is_available():
        assert device == "cuda" and dtype in (torch.bfloat16, torch.float16)
    elif device == "cpu":
        assert dtype == torch.float32
    assert pick_device(torch, "cpu") == ("cpu", torch.float32)
    assert pick_device(torch, "mps") == ("mps", torch.float16)


def test_a_spec_renders_a_diffusers_picture_end_to_end(model_dir: Path) -> None:
    spec = {
        "canvas": {"width": 360, "height": 300},
        "brand": {"palette": {"primary": "#0b3d91", "accent": "#ffb300"}},
        "blocks": [
            {"type": "title", "text": "Tiny model"},
            {
                "type": "image",
                "prompt": "a harbour at dawn",
                "backend": "diffusers",
                "seed": 2,
                "generate": {"model": str(model_dir), "steps": 2, "guidance": 5},
            },
        ],
    }
    with BACKENDS.enabled("diffusers", DiffusersBackend(device="cpu")):
        first = factframe.render(spec)
        clear_cache()
        with BACKENDS.enabled("diffusers", DiffusersBackend(device="cpu")):
            again = factframe.render(spec)
    assert first.to_bytes("png") == again.to_bytes("png")
    (made,) = first.generated
    assert made.backend == "diffusers" and made.text_check in ("clean", "skipped", "stray_text")
    assert made.used_seed >= 2 and made.attempts >= 1
