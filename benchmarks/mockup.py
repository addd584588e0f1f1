"""Benchmark: a design put into a 3840×2160 scene (issue #5: goal < 250 ms), detection apart.

Usage::

    python benchmarks/mockup.py [--runs N] [--warmup N] [--save DIR]

The design is a 1920×560 card rendered once (rendering it is the render benchmark's job).
Each row is timed ``--runs`` times (default 30) after ``--warmup`` untimed runs and reported
as median and 90th percentile in milliseconds:

(a) ``factframe.mockup(design, scene)`` into each built-in scene at 3840×2160: warp,
    shading, the scene's gloss and layers, the pixels read back. The scene is drawn once
    and cached, as it is across a batch; (a′) drawing a scene at 4K, uncached, apart.
    The default ``fit="auto"`` renders the card again from its spec at the surface's shape
    wherever the card's 3.43:1 is not the surface's (all scenes but the billboard), so
    that row includes a render; (a″) is ``fit="stretch"``, the old default: no render;
    (a‴) is that render alone (the card at the phone screen's shape, drawn to pixels).
(b) the same into a 3840×2160 "photo" with a given quad and gloss 0.35 (the quad's
    shape is estimated from its perspective: 0.70:1, so the card is rendered again);
    (b″) with ``fit="stretch"``.
(c) the quad detected in that photo (OpenCV) — not part of (b), for photos without a quad.
(d) (b) and the PNG bytes (zlib level 1), what ``factframe mockup -o x.png`` writes.
(e) (b) with an occlusion mask the photo's size (a soft-edged post in front of the
    surface, a (h, w) uint8 array).

No peer is installed here; OpenCV's ``warpPerspective`` (INTER_CUBIC, full frame, then a
multiply and an alpha blend in numpy) is timed for context on the same inputs when
OpenCV is present.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

import numpy as np
import skia
from _report import arguments, machine_lines  # beside this script
from _report import timed as wall_times

import factframe
from factframe.generator.mockup import builtin_scene, design_image, detect_quad, scene_names
from factframe.generator.mockup.scenes import _draw
from factframe.mockups import fitted_design

BUDGET_MS = 250.0
SIZE = (3840, 2160)
CARD = {
    "canvas": {
        "width": 1920,
        "height": 560,
        "background": {"type": "linear", "colors": ["#0b3d91", "#7b2ff7"], "angle": 90},
    },
    "brand": {"palette": {"text": "#ffffff", "muted": "#e8e8ff"}},
    "blocks": [
        {"type": "title", "text": "Open late, every day"},
        {"type": "subtitle", "text": "Fresh bread from 6 am · Market Street 12"},
    ],
}


def _cv_version() -> str:
    try:
        import cv2
    except ImportError:
        return "not installed"
    return str(cv2.__version__)


def timed(fn: Callable[[], object], runs: int, warmup: int) -> tuple[float, float, float]:
    """Median, 90th percentile and minimum of ``fn``'s wall time, in ms (the minimum shows
    what the machine does when nothing else runs on it: on a shared machine the median
    and the minimum drift apart)."""
    times = sorted(wall_times(fn, runs, warmup))
    p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
    return statistics.median(times), p90, times[0]


def _pixels(rendered: factframe.Rendered | None) -> object:
    return rendered.pixels if rendered is not None else None


def photo(scene: str = "shop-window") -> tuple[np.ndarray, object]:
    """A 4K "photo": a built-in scene's pixels, without its layers, and its quad."""
    drawn = builtin_scene(scene, SIZE)
    pixels = drawn.image.toarray(colorType=skia.kRGBA_8888_ColorType)
    return pixels, drawn.quad


def post_mask(quad: object) -> np.ndarray:
    """A 4K occlusion mask: a post 80 px wide, its edges soft over 8 px, in front of the
    middle of the quad, top to bottom of the picture."""
    xs = [float(x) for x, _ in quad]  # type: ignore[attr-defined]
    middle = sum(xs) / len(xs)
    distance = np.abs(np.arange(SIZE[0]) + 0.5 - middle) - 40  # < 0 inside the post
    row = (np.clip(0.5 - distance / 8, 0, 1) * 255).round().astype(np.uint8)
    return np.broadcast_to(row, (SIZE[1], SIZE[0])).copy()


def opencv_peer(design: np.ndarray, scene: np.ndarray, quad: object) -> Callable[[], object]:
    import cv2

    h, w = design.shape[:2]
    src = np.array([(0, 0), (w, 0), (w, h), (0, h)], np.float32) - 0.5
    dst = np.array(quad, np.float32) - 0.5
    matrix = cv2.getPerspectiveTransform(src, dst)
    alpha = np.full((h, w), 255, np.uint8)
    gray = cv2.cvtColor(scene[..., :3], cv2.COLOR_RGB2GRAY).astype(np.float32)
    light = cv2.GaussianBlur(gray, (0, 0), 20) / 255.0

    def run() -> object:
        size = (scene.shape[1], scene.shape[0])
        warped = cv2.warpPerspective(design[..., :3], matrix, size, flags=cv2.INTER_CUBIC)
        mask = cv2.warpPerspective(alpha, matrix, size, flags=cv2.INTER_LINEAR) / 255.0
        shaded = warped * light[..., None]
        out = scene[..., :3] * (1 - mask[..., None]) + shaded * mask[..., None]
        return out.astype(np.uint8)

    return run


def main() -> None:
    args = arguments(
        __doc__.split("\n", 1)[0], runs=30, warmup=3, save="write each mockup here as PNG"
    )
    runs, warmup = args.runs, args.warmup

    card = factframe.render(CARD)
    design = design_image(card)
    rows: list[tuple[str, tuple[float, float, float], str]] = []
    for name in scene_names():
        builtin_scene(name, SIZE)  # drawn once, cached
        stats = timed(lambda n=name: factframe.mockup(card, n, size=SIZE), runs, warmup)
        again = "re-rendered" in " ".join(factframe.mockup(card, name, size=SIZE).layout.notes)
        rows.append((f"(a) mockup → {name}, 4K{' (render)' if again else ''}", stats, "budget"))
        stats = timed(
            lambda n=name: factframe.mockup(card, n, size=SIZE, fit="stretch"), runs, warmup
        )
        rows.append((f"(a″) mockup → {name}, 4K, fit=stretch", stats, "budget"))
        if args.save:
            factframe.mockup(card, name, size=SIZE).save(args.save / f"mockup-{name}-4k.png")
    stats = timed(lambda: _draw.__wrapped__("billboard", *SIZE), max(5, runs // 3), 1)
    rows.append(("(a′) draw the billboard scene at 4K, uncached", stats, ""))
    phone = builtin_scene("phone", SIZE).aspect or 1.0
    stats = timed(lambda: _pixels(fitted_design(card, phone)[0]), runs, warmup)
    rows.append(("(a‴) what auto adds: the card rendered at 704×1525", stats, ""))

    pixels, quad = photo()
    stats = timed(lambda: factframe.mockup(card, pixels, quad, gloss=0.35), runs, warmup)
    rows.append(("(b) mockup → 4K photo, quad given, gloss (render)", stats, "budget"))
    stats = timed(
        lambda: factframe.mockup(card, pixels, quad, gloss=0.35, fit="stretch"), runs, warmup
    )
    rows.append(("(b″) the same, fit=stretch", stats, "budget"))
    try:
        stats = timed(lambda: detect_quad(pixels), max(5, runs // 3), 1)
        rows.append(("(c) detect the quad in the 4K photo (OpenCV)", stats, ""))
    except ImportError:
        nan = float("nan")
        rows.append(("(c) detect the quad: OpenCV not installed", (nan, nan, nan), ""))
    stats = timed(
        lambda: factframe.mockup(card, pixels, quad, gloss=0.35).to_bytes("png"),
        max(5, runs // 3),
        1,
    )
    rows.append(("(d) (b) + PNG bytes (zlib level 1)", stats, ""))
    mask = post_mask(quad)
    stats = timed(
        lambda: factframe.mockup(card, pixels, quad, gloss=0.35, occlusion=mask), runs, warmup
    )
    rows.append(("(e) (b) with an occlusion mask (a post in front)", stats, "budget"))

    peer = None
    try:
        rgba = card.pixels
        peer = timed(opencv_peer(rgba, pixels, quad), max(5, runs // 3), 1)
    except ImportError:
        pass

    print(
        f"factframe mockups into a {SIZE[0]}×{SIZE[1]} scene; design {design.width()}×"
        f"{design.height()}"
    )
    for line in machine_lines(load=True, libraries=[f"opencv {_cv_version()}"]):
        print(line)
    print(f"runs     : {runs} per row after {warmup} warm-up runs (fewer where marked)")
    print()
    header = f"{'':<50} {'median':>9} {'p90':>9} {'min':>9}"
    print(header)
    print("-" * (len(header) + 14))
    for label, (med, p90, low), note in rows:
        verdict = ""
        if note == "budget":
            verdict = "  ok" if med < BUDGET_MS else f"  OVER {BUDGET_MS:.0f} ms"
        print(f"{label:<50} {med:>6.1f} ms {p90:>6.1f} ms {low:>6.1f} ms{verdict}")
    print()
    if peer is not None:
        print("peer, measured here (not a like-for-like: no mipmaps, no anti-aliased edge,")
        print("full-frame work, no gloss or layers)")
        label = "OpenCV warpPerspective cubic + numpy blend"
        print(f"  {label:<48} {peer[0]:>6.1f} ms {peer[1]:>6.1f} ms {peer[2]:>6.1f} ms")
        print()
    print(f"goal (issue #5): mockup into a 4K scene < {BUDGET_MS:.0f} ms median")


if __name__ == "__main__":
    main()
