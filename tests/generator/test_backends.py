"""Image backends: the procedural art, generated image blocks, the cache, the stray-text guard."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import factframe
from factframe import SpecError
from factframe.errors import EditNotSupportedError
from factframe.generator.backends import (
    BACKENDS,
    STYLES,
    ProceduralBackend,
    art_palette,
    build_prompt,
    clear_cache,
    color_name,
    cover_fit,
    find_stray_text,
    get_backend,
    model_size,
    paint,
    pick_style,
    stray_text,
)
from tests.ocr import requires_tesseract

BRAND = {"background": "#ffffff", "primary": "#d32f2f", "secondary": "#2e7d32", "accent": "#1565c0"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


def art(
    style: str, seed: int = 0, size: tuple[int, int] = (320, 240), **palette: str
) -> np.ndarray:
    options = {"style": style, "palette": {**BRAND, **palette}}
    picture = ProceduralBackend().generate("harbour at dawn", size, seed=seed, options=options)
    assert picture.mode == "RGB" and picture.size == size
    return np.asarray(picture)


# --- procedural --------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_procedural_is_deterministic_per_prompt_size_seed_and_palette(style: str) -> None:
    first = art(style, seed=4)
    assert np.array_equal(first, art(style, seed=4))
    assert not np.array_equal(first, art(style, seed=5))
    assert not np.array_equal(first, art(style, seed=4, primary="#6a1b9a"))
    other_prompt = ProceduralBackend().generate(
        "mountains", (320, 240), seed=4, options={"style": style, "palette": BRAND}
    )
    assert not np.array_equal(first, np.asarray(other_prompt))


@pytest.mark.parametrize("style", STYLES)
def test_procedural_paints_with_the_brand_inks(style: str) -> None:
    pixels = art(style, size=(400, 400)).astype(np.int16)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    # each ink (red, green, blue) shows as pixels where its channel clearly dominates
    for name, dominant in {
        "primary": r - np.maximum(g, b),
        "secondary": g - np.maximum(r, b),
        "accent": b - np.maximum(r, g),
    }.items():
        share = float((dominant > 40).mean())
        assert share > 0.005, f"{style}: the {name} ink covers only {share:.2%}"


# Not halftone: tesseract reads some dot screens as words ("toy", "fee"), one reason the
# guard checks only what models paint.
@pytest.mark.slow
@pytest.mark.parametrize("style", [s for s in STYLES if s != "halftone"])
def test_smooth_procedural_art_reads_as_no_text(style: str) -> None:
    if stray_text.ocr_unavailable():
        pytest.skip(stray_text.ocr_unavailable() or "")
    picture = ProceduralBackend().generate("x", (540, 540), seed=1, options={"style": style})
    assert find_stray_text(picture) == ()


_SPEED = """
import statistics, time
from factframe.generator.backends import STYLES, ProceduralBackend
backend, lines = ProceduralBackend(), []
for style in STYLES:
    times = []
    for seed in range(5):
        start = time.perf_counter()
        backend.generate("speed", (1080, 1080), seed=seed, options={"style": style})
        times.append((time.perf_counter() - start) * 1000)
    lines.append(f"{style} {statistics.median(times[1:]):.1f} ms")
print(", ".join(lines))
"""


def test_procedural_speed_at_1080() -> None:
    # in a fresh process: once torch is imported (the diffusers tests), numpy's OpenBLAS
    # threads contend with torch's OpenMP ones and matrix products get ~40x slower
    out = subprocess.run([sys.executable, "-c", _SPEED], capture_output=True, text=True, check=True)
    print("procedural 1080×1080 median:", out.stdout.strip())
    # "a few ms" (README); the bound is loose for slow CI machines but still catches a
    # backend that fell off its vectorised path (seconds a picture)
    medians = dict(part.removesuffix(" ms").split() for part in out.stdout.strip().split(", "))
    assert set(medians) == set(STYLES)
    slow = {style: ms for style, ms in medians.items() if float(ms) > 250}
    assert not slow, f"procedural styles over 250 ms at 1080×1080: {slow}"


def test_style_comes_from_the_prompt_when_unset() -> None:
    assert pick_style("a") == pick_style("a")
    assert {pick_style(f"prompt {i}") for i in range(60)} == set(STYLES)
    unset = ProceduralBackend().generate("tea fields", (64, 48), seed=2)
    chosen = ProceduralBackend().generate(
        "tea fields", (64, 48), seed=2, options={"style": pick_style("tea fields")}
    )
    assert unset.tobytes() == chosen.tobytes()


def test_procedural_refuses_bad_options_and_edits() -> None:
    backend = ProceduralBackend()
    with pytest.raises(SpecError, match="unknown style 'plaid'") as info:
        backend.generate("x", (10, 10), options={"style": "plaid"})
    assert info.value.path == "style"
    with pytest.raises(SpecError) as info:
        backend.generate("x", (10, 10), options={"palette": {"primary": "blue-ish"}})
    assert info.value.path == "palette"
    with pytest.raises(SpecError):
        backend.generate("x", (0, 10))
    with pytest.raises(EditNotSupportedError, match="cannot edit"):
        backend.edit(Image.new("RGB", (8, 8)), Image.new("L", (8, 8)), "x")


def test_palette_as_a_list_puts_the_background_first() -> None:
    palette = art_palette({"palette": ["#000000", "#ff0000"]})
    assert palette.background == (0, 0, 0) and palette.inks == ((255, 0, 0),)
    assert art_palette(None).hex[1] == "#0b3d91"  # factframe's default primary


# --- shared helpers ------------------------------------------------------------------------


def test_model_size_keeps_the_aspect_in_multiples_of_8() -> None:
    assert model_size((64, 64), native=512) == (64, 64)  # small regions are painted small
    w, h = model_size((1080, 400), native=1024)
    assert w % 8 == 0 and h % 8 == 0 and abs(w / h - 2.7) < 0.05 and w * h <= 1024**2
    assert model_size((3000, 10), native=512, multiple=16) == (1024, 16)


def test_cover_fit_fills_an_odd_region() -> None:
    picture = Image.new("RGB", (64, 64), (255, 0, 0))
    assert cover_fit(picture, (300, 170)).size == (300, 170)


def test_prompt_names_colours_and_keeps_text_out() -> None:
    assert color_name("#0b3d91") == "navy" and color_name("#ffb300") == "amber"
    palette = art_palette({"palette": {"primary": "#0b3d91", "accent": "#ffb300"}})
    prompt = build_prompt("a harbour", palette=palette, facts=["Lisbon"], negative="people")
    assert prompt.positive.startswith("a harbour, about Lisbon, editorial illustration")
    assert "navy" in prompt.positive and "amber" in prompt.positive
    assert prompt.negative == "text, letters, words, watermark, logo, caption, people"


# --- generated image blocks -----------------------------------------------------------------


def card(image: dict[str, Any]) -> dict[str, Any]:
    return {
        "canvas": {"width": 480, "height": 480},
        "brand": {"palette": {"primary": "#0b3d91", "accent": "#ffb300"}},
        "blocks": [{"type": "title", "text": "Harbour"}, {"type": "image", **image}],
    }


def image_region(rendered: factframe.Rendered) -> np.ndarray:
    box = next(i.box for i in rendered.layout.items if i.block_id == "image-1")
    x, y, w, h = (round(v) for v in (box.x, box.y, box.w, box.h))
    return rendered.pixels[y + 20 : y + h - 20, x + 20 : x + w - 20, :3]


def test_a_generated_block_renders_the_same_pixels_for_the_same_seed() -> None:
    spec = card({"prompt": "harbour at dawn", "seed": 3, "generate": {"style": "waves"}})
    first = factframe.render(spec)
    clear_cache()
    again = factframe.render(spec)
    assert first.to_bytes("png") == again.to_bytes("png")
    other = factframe.render(card({"prompt": "harbour at dawn", "seed": 4}))
    assert not np.array_equal(image_region(first), image_region(other))
    (made,) = first.generated
    box = next(i.box for i in first.layout.items if i.block_id == "image-1")
    assert made.size == (round(box.w), round(box.h))
    assert (made.backend, made.seed, made.text_check) == ("procedural", 3, "not_needed")
    assert first.audit.ok
    assert first.to_bytes("pdf").startswith(b"%PDF") and b"<svg" in first.to_bytes("svg")


def test_generated_block_errors_name_the_field() -> None:
    with pytest.raises(SpecError) as info:
        factframe.render(card({}))
    assert info.value.path == "blocks[1].src"
    with pytest.raises(SpecError) as info:
        factframe.render(card({"src": "a.png", "prompt": "x"}))
    assert info.value.path == "blocks[1].prompt"
    with pytest.raises(SpecError) as info:
        factframe.render(card({"src": "a.png", "seed": 2}))
    assert info.value.path == "blocks[1].seed"
    with pytest.raises(SpecError) as info:
        factframe.render(card({"prompt": "x", "generate": {"steps": 0}}))
    assert info.value.path == "blocks[1].generate.steps"
    with pytest.raises(SpecError, match="unknown style") as info:
        factframe.render(card({"prompt": "x", "generate": {"style": "plaid"}}))
    assert info.value.path == "blocks[1].generate.style"
    with pytest.raises(SpecError, match=r"known: .*procedural") as info:
        factframe.render(card({"prompt": "x", "backend": "nope"}))
    assert info.value.path == "blocks[1].backend"
    with pytest.raises(SpecError, match="needs a model") as info:
        factframe.render(card({"prompt": "x", "backend": "diffusers"}))
    assert info.value.path == "blocks[1].generate.model"


def test_a_generated_block_round_trips_through_json() -> None:
    spec = factframe.parse_spec(card({"prompt": "x", "seed": 9, "generate": {"style": "mesh"}}))
    again = factframe.parse_spec(spec.model_dump(mode="json"))
    assert again == spec and again.blocks[1].generate.options() == {"style": "mesh"}


class Counting:
    """A backend that paints flat colour and counts its calls."""

    name = "counting"
    uses_model = False

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[int, int], int]] = []

    def generate(
        self,
        prompt: str,
        size: tuple[int, int],
        refs: Sequence[Image.Image] = (),
        seed: int = 0,
        *,
        options: Any = None,
    ) -> Image.Image:
        self.calls.append((prompt, size, seed))
        return Image.new("RGB", size, (seed % 256, 90, 160))

    def edit(
        self, image: Image.Image, mask: Image.Image, prompt: str, seed: int = 0, **_: Any
    ) -> Image.Image:
        raise EditNotSupportedError(self.name)


def test_rerenders_take_generated_pictures_from_the_cache() -> None:
    backend = Counting()
    with BACKENDS.enabled("counting", backend):
        spec = card({"prompt": "x", "backend": "counting", "seed": 7})
        first = factframe.render(spec).to_bytes("png")
        second = factframe.render(spec).to_bytes("png")
        assert first == second and len(backend.calls) == 1
        factframe.render(card({"prompt": "x", "backend": "counting", "seed": 8}))
        assert len(backend.calls) == 2
    assert "counting" not in BACKENDS.names()


def test_an_entry_point_class_is_instantiated_once() -> None:
    with BACKENDS.enabled("klass", Counting):  # type: ignore[arg-type]
        backend = get_backend("klass")
        assert isinstance(backend, Counting) and get_backend("klass") is backend


# --- the stray-text guard ----------------------------------------------------------------------


class Scribbler:
    """A fake model: paints words for the first ``texty`` seeds it is given, then a clean
    picture; real text drawn with a real font, so tesseract reads it."""

    name = "scribbler"
    uses_model = True

    def __init__(self, texty: int) -> None:
        self.texty = texty
        self.seeds: list[int] = []

    def generate(
        self,
        prompt: str,
        size: tuple[int, int],
        refs: Sequence[Image.Image] = (),
        seed: int = 0,
        *,
        options: Any = None,
    ) -> Image.Image:
        self.seeds.append(seed)
        picture = Image.new("RGB", size, (236, 240, 246))
        if len(self.seeds) <= self.texty:
            font = ImageFont.load_default(size=max(12, size[1] // 5))
            ImageDraw.Draw(picture).text((size[0] // 10, size[1] // 3), "SALE 50", (0, 0, 0), font)
        return picture

    def edit(
        self, image: Image.Image, mask: Image.Image, prompt: str, seed: int = 0, **_: Any
    ) -> Image.Image:
        raise EditNotSupportedError(self.name)


@pytest.mark.slow
@requires_tesseract("eng")
def test_stray_text_is_found_and_painted_again_with_the_next_seed() -> None:
    backend = Scribbler(texty=1)
    with BACKENDS.enabled("scribbler", backend):
        picture, made = paint("scribbler", "a shop", (480, 240), seed=10)
    assert backend.seeds == [10, 11]
    assert (made.text_check, made.used_seed, made.attempts) == ("clean", 11, 2)
    assert find_stray_text(picture) == ()


@pytest.mark.slow
@requires_tesseract("eng")
def test_text_in_every_try_is_kept_and_flagged() -> None:
    backend = Scribbler(texty=99)
    with BACKENDS.enabled("scribbler", backend):
        rendered = factframe.render(card({"prompt": "a shop", "backend": "scribbler", "seed": 1}))
    assert backend.seeds == [1, 2, 3, 4]
    (made,) = rendered.generated
    assert made.text_check == "stray_text" and made.used_seed == 4 and made.attempts == 4
    assert any("SALE" in word for word in made.stray_text)
    assert list(rendered.stray_text) == ["image-1"]
    (issue,) = rendered.audit.failed("stray_text")
    assert issue.blocks == ("image-1",) and not rendered.audit.ok


def test_without_tesseract_the_check_is_skipped_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(stray_text, "_tesseract", lambda: "the tesseract program is not installed")
    backend = Scribbler(texty=99)
    with BACKENDS.enabled("scribbler", backend):
        _, made = paint("scribbler", "a shop", (200, 100), seed=0)
    assert backend.seeds == [0]
    assert made.text_check == "skipped" and "not installed" in made.note
