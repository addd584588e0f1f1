"""Benchmark: annotate a 4000×3000 photo with 30 points of interest (goal < 300 ms).

Usage::

    python benchmarks/annotate.py [--runs N] [--warmup N] [--save FILE]

The photo is generated (a procedural landscape, JPEG quality 90, 12 MP) and the points are
30 peaks 2–15 km ahead of the camera inside its 60° field of view. Rows, each the median
(and 90th percentile) of ``--runs`` timed runs (default 15, at least 7) after ``--warmup``
untimed ones:

(a) photo bytes → pixels: ``factframe.annotate(jpeg, pois, pose).pixels`` — photo size,
    projection and culling, card text, label placement, JPEG decode, drawing. The decoded
    photo is not reused between runs (the image cache is emptied before each run), so
    every run decodes the 12 MP JPEG, as a new photo would.
(b) the same, encoded as JPEG (quality 90), the usual output for a photo.
(c) the stages of (a): decode (Pillow → skia, EXIF-rotated), layout (text shaping warm,
    label placement), draw (rasterize the scene), and the placement with new label texts
    every run (shaping cold).
(d) the audit of the result (contrast measured on the 12 MP pixels), for reference.

No peer is measured: no other tool that places labels from camera geometry is installed
here (image models that "annotate" a photo take 15–70 s and invent the labels' places).
"""

from __future__ import annotations

import io
import itertools
import math
import sys
from typing import Any

import numpy as np
from _report import Row, arguments, machine_lines, print_table, timed  # beside this script
from PIL import Image

import factframe
from factframe.generator import encode, images, load_image, rasterize
from factframe.layout import audit_layout
from factframe.spec_annotation import CameraPose

GOAL_MS = 300.0
MIN_RUNS = 7
WIDTH, HEIGHT = 4000, 3000
LAT, LON, ALT = 46.0, 7.7, 1500.0
POSE = CameraPose(lat=LAT, lon=LON, alt=ALT, heading=0, hfov=60)


def photo() -> bytes:
    """A 4000×3000 landscape (sky gradient, a jagged ridge, grain) as JPEG bytes."""
    rng = np.random.default_rng(0)
    y = np.linspace(0, 1, HEIGHT, dtype=np.float32)[:, None, None]
    pixels = np.broadcast_to(
        np.array([90, 150, 230], np.float32) + y * np.array([100, 80, 20], np.float32),
        (HEIGHT, WIDTH, 3),
    ).copy()
    x = np.arange(WIDTH)
    ridge = HEIGHT * (0.45 + 0.08 * np.sin(x / WIDTH * 9)) + np.cumsum(rng.normal(0, 2, WIDTH))
    rock = np.arange(HEIGHT)[:, None] > ridge[None, :]
    pixels[rock] = (70, 80, 60)
    pixels += rng.normal(0, 6, (HEIGHT, WIDTH, 1)).astype(np.float32)
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=90)
    return out.getvalue()


def peaks(n: int = 30, suffix: str = "") -> list[dict[str, Any]]:
    rng = np.random.default_rng(7)
    points = []
    for i in range(n):
        d = float(rng.uniform(2000, 15000))
        b = math.radians(float(rng.uniform(-25, 25)))
        points.append(
            {
                "name": f"Peak {chr(65 + i % 26)}{i}{suffix}",
                "lat": LAT + d * math.cos(b) / 111_132.0,
                "lon": LON + d * math.sin(b) / (111_320.0 * math.cos(math.radians(LAT))),
                "alt": ALT + d * math.tan(math.radians(float(rng.uniform(1, 10)))),
                "importance": float(rng.uniform(0.5, 2.0)),
            }
        )
    return points


def fresh_decode() -> None:
    """Forget decoded pictures, so the next run decodes the photo again."""
    images._cache.clear()


def main(argv: list[str] | None = None) -> int:
    args = arguments(
        "Times annotating a 12 MP photo, 30 points.",
        argv,
        runs=15,
        warmup=3,
        save="also write the annotated photo (JPEG)",
        runs_help=f"timed runs (≥ {MIN_RUNS})",
        warmup_help="untimed runs first",
        min_runs=MIN_RUNS,
    )
    for line in machine_lines():
        print(line)
    print(f"runs     : {args.runs} per row after {args.warmup} warm-up runs; GC left on")
    data = photo()
    pois = peaks()
    result = factframe.annotate(data, pois, POSE)
    labelled, *_ = result.layout.notes
    print(f"photo    : {WIDTH}×{HEIGHT} JPEG q90, {len(data) / 1e6:.1f} MB; {labelled}")
    print()

    def full() -> None:
        fresh_decode()
        _ = factframe.annotate(data, pois, POSE).pixels

    def to_jpeg() -> None:
        fresh_decode()
        factframe.annotate(data, pois, POSE).to_bytes("jpeg", quality=90)

    def decode() -> None:
        fresh_decode()
        load_image(data, "photo")

    layout_only = factframe.annotate(data, pois, POSE)
    counter = itertools.count()
    cold = [peaks(suffix=f"-{next(counter)}") for _ in range(args.runs + args.warmup)]

    def plan_warm() -> None:
        factframe.annotate(data, pois, POSE)  # the photo stays decoded: layout only

    # every run, warm-up or timed, labels texts no run before it shaped
    picks = iter(cold)

    def plan_cold() -> None:
        factframe.annotate(data, next(picks), POSE)

    goal = f"< {GOAL_MS:.0f} ms"
    a = Row("(a) photo bytes → pixels", timed(full, args.runs, args.warmup), goal)
    a.verdict = "PASS" if a.median < GOAL_MS else "MISS"
    rows = [
        a,
        Row("(b) photo bytes → JPEG bytes", timed(to_jpeg, args.runs, args.warmup)),
        Row("    decode JPEG → skia image", timed(decode, args.runs, args.warmup)),
        Row("    layout (text warm)", timed(plan_warm, args.runs, args.warmup)),
        Row("    layout (new label texts)", timed(plan_cold, args.runs, args.warmup)),
        Row(
            "    draw (rasterize)",
            timed(lambda: rasterize(layout_only.scene), args.runs, args.warmup),
        ),
        Row(
            "    encode JPEG q90",
            timed(lambda: encode(layout_only.pixels, "jpeg"), args.runs, args.warmup),
        ),
        Row(
            "(d) audit (12 MP pixels)",
            timed(lambda: audit_layout(layout_only.layout, layout_only.pixels), MIN_RUNS, 1),
        ),
    ]
    print_table(rows, last="goal", decimals=1, rule_extra=16)
    audit = layout_only.audit
    print()
    print(audit.summary())
    if args.save:
        layout_only.save(args.save)
        print(f"wrote {args.save}")
    return 0 if audit.ok else 1


if __name__ == "__main__":
    sys.exit(main())
