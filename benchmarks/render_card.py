"""Benchmark: the reference 1080×1080 weather card, spec → PNG, with a Pillow peer.

Usage::

    python benchmarks/render_card.py [--runs N] [--warmup N] [--save DIR]

Every row is timed ``--runs`` times (default 50; at least 30 for the budget verdicts) after
``--warmup`` untimed runs, and reported as median and 90th percentile in milliseconds. The
process is warm (fonts loaded, shaping caches filled) except where a row says otherwise:

(a) spec dict → PNG bytes: ``factframe.render(spec).to_bytes("png")``, everything included.
(b) the same with a new title every run, so the shaping/fitting caches miss for it.
(c) draw only: ``rasterize`` of a scene built once.
(d) encode only: PNG at zlib level 1 (the default) and level 6 for reference.
(e) encode only: JPEG quality 90.
(f) ``import factframe`` in a fresh interpreter (median of 5), and a whole first render there.
(g) peak RSS (``resource.getrusage``).

Peers installed here are measured in the same run: Pillow drawing a comparable card (a
gradient from a resized strip, a translucent rounded rectangle, the same text at the same
sizes and places) and encoding it as PNG. Chromium and satori + resvg are not installed;
their numbers from the design doc are printed for context only.
"""

from __future__ import annotations

import io
import itertools
import json
import resource
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from _report import Row, arguments, machine_lines, print_table, timed  # beside this script
from PIL import Image, ImageColor, ImageDraw, ImageFont, features

import factframe
from factframe.generator import build_scene, encode, rasterize
from factframe.layout import CardItem, Layout, plan
from factframe.spec import parse_spec
from factframe.typography import default_library

SPEC_TO_PNG_BUDGET_MS = 20.0
IMPORT_BUDGET_S = 0.5
MIN_RUNS_FOR_VERDICT = 30
IMPORT_RUNS = 5

# Reported in the design doc for the same card on the authors' machine; not measured here.
REPORTED_PEERS = [
    ("Chromium (Playwright, warm page) → PNG", 87.0),
    ("satori + resvg → PNG", 107.0),
]

GRADIENT = ("#0b3d91", "#1e88e5")
ROWS = [f"Day {n}: Partly cloudy 18°C" for n in range(1, 7)]


def weather_card(title: str = "Weather in Lisbon") -> dict[str, Any]:
    """The reference card as a spec dict: the six rows are a ``list`` block whose
    ``style.background`` puts them on a translucent rounded card."""
    return {
        "canvas": {
            "width": 1080,
            "height": 1080,
            "background": {"type": "linear", "colors": list(GRADIENT), "angle": 160},
        },
        "locale": "en",
        "blocks": [
            {"type": "title", "text": title, "style": {"size": 72}},
            {"type": "subtitle", "text": "Six-day forecast", "style": {"size": 36}},
            {"type": "list", "items": ROWS, "style": {"background": "#ffffff26"}},
        ],
    }


# --- timing -------------------------------------------------------------------------------


def verdict(value: float, budget: float, enough_runs: bool) -> str:
    if not enough_runs:
        return "n/a (<30 runs)"
    return "PASS" if value <= budget else "MISS"


# --- fresh processes ----------------------------------------------------------------------

_IMPORT_PROBE = """
import time
t = time.perf_counter()
import factframe
print(time.perf_counter() - t)
"""

_COLD_RENDER_PROBE = """
import json, resource, sys, time
t = time.perf_counter()
import factframe
spec = json.loads(sys.argv[1])
data = factframe.render(spec).to_bytes("png")
elapsed = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(elapsed, rss * (1 if sys.platform == "darwin" else 1024))
"""


def in_fresh_process(code: str, *args: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    return out.stdout.split()


def peak_rss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux reports KiB


# --- the Pillow peer ----------------------------------------------------------------------


def system_font(pattern: str) -> str | None:
    """A font file for a fontconfig pattern, or None (no fc-match, or nothing found)."""
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    path = out.stdout.strip()
    return path if path and Path(path).is_file() else None


@dataclass
class PillowCard:
    """Draws the weather card with Pillow at the places and sizes factframe planned."""

    texts: list[tuple[tuple[float, float], str, ImageFont.FreeTypeFont | ImageFont.ImageFont]]
    card: tuple[float, float, float, float]
    font_note: str

    @classmethod
    def from_layout(cls, layout: Layout) -> PillowCard:
        bold_file, regular_file = system_font("Noto Sans:bold"), system_font("Noto Sans")
        fonts: dict[tuple[bool, float], Any] = {}

        def font(bold: bool, size: float) -> Any:
            key = (bold, size)
            if key not in fonts:
                file = bold_file if bold else regular_file
                if file:
                    fonts[key] = ImageFont.truetype(file, round(size))
                else:
                    fonts[key] = ImageFont.load_default(size=round(size))
            return fonts[key]

        texts = [
            ((item.box.x, item.box.y), item.text.text, font(item.role == "title", item.text.size))
            for item in layout.texts
        ]
        (box,) = [i.box for i in layout.items if isinstance(i, CardItem)]
        card = (box.x, box.y, box.right, box.bottom)
        if bold_file and regular_file:
            note = f"{Path(bold_file).name} / {Path(regular_file).name} via fc-match"
        else:
            note = "Pillow's default font (fc-match found no Noto Sans)"
        engine = "raqm" if features.check("raqm") else "basic"
        return cls(texts, card, f"{note}, {engine} layout")

    def draw(self) -> Image.Image:
        # A vertical 256-step strip stretched to the canvas: an approximation of the 160° CSS
        # gradient (Pillow has no angled gradients).
        top, bottom = (np.array(ImageColor.getrgb(c), dtype=np.float64) for c in GRADIENT)
        t = np.linspace(0.0, 1.0, 256)[:, None]
        strip = (top * (1 - t) + bottom * t).round().astype(np.uint8).reshape(256, 1, 3)
        image = Image.fromarray(strip, "RGB").resize((1080, 1080), Image.Resampling.BILINEAR)
        # "RGBA" drawing mode blends translucent fills onto the RGB picture.
        draw = ImageDraw.Draw(image, "RGBA")
        draw.rounded_rectangle(self.card, radius=28, fill=(255, 255, 255, 38))
        for xy, text, font in self.texts:
            draw.text(xy, text, font=font, fill=(255, 255, 255))
        return image


def pillow_png(image: Image.Image, level: int = 1) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=level)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    args = arguments(
        "Times the reference weather card, spec → PNG, and a Pillow peer.",
        argv,
        runs=50,
        warmup=5,
        save="also write both cards as PNG into DIR",
        runs_help="timed runs per row (default 50)",
        warmup_help="untimed runs first (default 5)",
        min_runs=1,
    )
    runs, warmup = args.runs, args.warmup
    enough = runs >= MIN_RUNS_FOR_VERDICT

    for line in machine_lines():
        print(line)
    print(f"runs     : {runs} per row after {warmup} warm-up runs; GC left on")
    print()

    spec_dict = weather_card()
    library = default_library()
    reference = factframe.render(spec_dict)
    png = reference.to_bytes("png")
    with Image.open(io.BytesIO(png)) as check:  # sanity: a real 1080×1080 PNG
        if check.size != (1080, 1080):
            raise SystemExit(f"the reference card came out {check.size}, not 1080×1080")

    rows: list[Row] = []

    # (a) the whole pipeline, warm
    a = Row(
        "(a) spec dict → PNG (warm)",
        timed(lambda: factframe.render(spec_dict).to_bytes("png"), runs, warmup),
        f"≤ {SPEC_TO_PNG_BUDGET_MS:.0f} ms",
        note="",
    )
    a.verdict = verdict(a.median, SPEC_TO_PNG_BUDGET_MS, enough)
    rows.append(a)

    # (b) a title never seen before on every run: its shaping and fitting miss the caches
    counter = itertools.count()
    rows.append(
        Row(
            "(b) spec dict → PNG, fresh title",
            timed(
                lambda: factframe.render(
                    weather_card(f"Weather in Lisbon {next(counter)}")
                ).to_bytes("png"),
                runs,
                warmup,
            ),
            note="title shaped anew; other blocks cached",
        )
    )

    # stages, for where the time of (a) goes
    spec = parse_spec(spec_dict)
    layout = plan(spec, library)
    scene = build_scene(spec, layout)
    pixels = rasterize(scene, library)
    rows.append(
        Row("    validate (parse_spec)", timed(lambda: parse_spec(spec_dict), runs, warmup))
    )
    rows.append(
        Row("    plan (layout, warm caches)", timed(lambda: plan(spec, library), runs, warmup))
    )
    rows.append(Row("    build_scene", timed(lambda: build_scene(spec, layout), runs, warmup)))

    # (c) draw only
    rows.append(
        Row("(c) draw only (rasterize)", timed(lambda: rasterize(scene, library), runs, warmup))
    )

    # (d) encode only
    sizes = {level: len(encode(pixels, "png", compress_level=level)) for level in (1, 6)}
    for level in (1, 6):
        rows.append(
            Row(
                f"(d) PNG encode, level {level}",
                timed(lambda lv=level: encode(pixels, "png", compress_level=lv), runs, warmup),
                note=f"{sizes[level] / 1024:.0f} KiB",
            )
        )

    # (e) JPEG
    jpeg_size = len(encode(pixels, "jpeg", quality=90))
    rows.append(
        Row(
            "(e) JPEG encode, q90",
            timed(lambda: encode(pixels, "jpeg", quality=90), runs, warmup),
            note=f"{jpeg_size / 1024:.0f} KiB",
        )
    )

    # (g) peak RSS of this process so far (before the peer runs)
    rss_bench = peak_rss_bytes()

    # (f) import and first render in fresh interpreters
    import_s = [float(in_fresh_process(_IMPORT_PROBE)[0]) for _ in range(IMPORT_RUNS)]
    imp = Row(
        "(f) import factframe (fresh process)",
        [s * 1000 for s in import_s],
        f"< {IMPORT_BUDGET_S * 1000:.0f} ms",
    )
    imp.verdict = "PASS" if statistics.median(import_s) < IMPORT_BUDGET_S else "MISS"
    rows.append(imp)
    cold = [in_fresh_process(_COLD_RENDER_PROBE, json.dumps(spec_dict)) for _ in range(IMPORT_RUNS)]
    rows.append(
        Row(
            "    import + first render → PNG (fresh)",
            [float(c[0]) * 1000 for c in cold],
            note="includes loading fonts; caches empty",
        )
    )
    rss_cold = statistics.median(int(c[1]) for c in cold)

    # peers
    peer = PillowCard.from_layout(layout)
    peer_image = peer.draw()
    peer_rows = [
        Row(
            "Pillow: draw card",
            timed(peer.draw, runs, warmup),
            note=f"{peer.font_note}; vertical gradient",
        ),
        Row("Pillow: PNG encode, level 1", timed(lambda: pillow_png(peer_image), runs, warmup)),
        Row(
            "Pillow: draw + PNG level 1",
            timed(lambda: pillow_png(peer.draw()), runs, warmup),
            note=f"{len(pillow_png(peer_image)) / 1024:.0f} KiB",
        ),
    ]

    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        reference.save(args.save / "factframe.png")
        peer_image.save(args.save / "pillow.png")

    print("factframe, reference 1080×1080 weather card")
    print_table(rows)
    print()
    print(f"(g) peak RSS: {rss_bench / 2**20:.0f} MiB in this benchmark process (before peers);")
    print(f"    {rss_cold / 2**20:.0f} MiB in a fresh process importing and rendering once")
    print()
    print("peers, measured here in the same run")
    print_table(peer_rows)
    print()
    print("peers, reported in the design doc, not measured here")
    for name, ms in REPORTED_PEERS:
        print(f"  {name:<40} {ms:>6.0f} ms")
    print()
    if not enough:
        print(f"note: fewer than {MIN_RUNS_FOR_VERDICT} runs; medians are indicative only")
    print(
        f"budget: spec → PNG median {a.median:.1f} ms vs ≤ {SPEC_TO_PNG_BUDGET_MS:.0f} ms: "
        f"{a.verdict}; import median {statistics.median(import_s) * 1000:.0f} ms "
        f"vs < {IMPORT_BUDGET_S * 1000:.0f} ms: {imp.verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
