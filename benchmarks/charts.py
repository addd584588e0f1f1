"""Benchmark: charts at 1080×1080, one row per kind: planning alone and the full render.

Usage::

    python benchmarks/charts.py [--runs N] [--warmup N] [--save DIR]

Each kind is a square card with a title and one chart (the data below). Columns, each the
median (and 90th percentile) of ``--runs`` timed runs (default 15, at least 7) after
``--warmup`` untimed ones:

plan
    ``factframe.layout.plan(spec)``: the flow planner and the chart planner (ticks, text
    fitting and shaping, collision checks), no drawing. The spec is parsed once outside.
plan, cold text
    the same with new label texts every run (a row and run number in every category label,
    never repeated across rows), so the shaping and measuring caches miss: the cost of a
    chart never seen before.
render → PNG
    ``factframe.render(spec_dict).to_bytes("png")``: validation, planning, scene, drawing
    and PNG encoding (level 1), everything included.
audit
    ``audit_layout`` on the drawn pixels (contrast measured per label), for reference.

No peer is measured: none of the chart peers named in the design doc (Chromium + a chart
library, satori) is installed here.
"""

from __future__ import annotations

import random
import statistics
import sys
from typing import Any

from _report import arguments, machine_lines, percentile_90, timed  # beside this script

import factframe
from factframe.layout import audit_layout, plan
from factframe.spec import parse_spec

MIN_RUNS = 7
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _walk(n: int, seed: int = 7) -> list[float]:
    rng = random.Random(seed)
    out, v = [], 50.0
    for _ in range(n):
        v += rng.uniform(-1, 1)
        out.append(round(v, 2))
    out[n * 3 // 5] = 140.0  # one spike
    return out


def charts() -> dict[str, dict[str, Any]]:
    """The chart of each row (``labels`` get a suffix in the cold-text runs)."""
    two = [
        {"name": "Max", "values": [18.5, 21, 19.2, 23, 25.5, 24, 20]},
        {"name": "Min", "values": [12.1, 11.4, 13, 9.8, 14, 13.5, 12]},
    ]
    return {
        "bar": {"kind": "bar", "labels": DAYS, "values": [12, 19, 3, 5, 2, 3, 9]},
        "bar, horizontal": {
            "kind": "bar",
            "orientation": "horizontal",
            "labels": ["Portugal", "Spain", "France", "Germany", "Italy"],
            "values": [10.3, 47.4, 68.1, 83.2, -5.9],
            "unit": "percent",
        },
        "bar, grouped": {"kind": "bar", "labels": DAYS, "series": two},
        "bar, stacked": {"kind": "bar", "stacked": True, "labels": DAYS, "series": two},
        "line (7 points)": {
            "kind": "line",
            "labels": DAYS,
            "values": two[0]["values"],
            "unit": "temperature-celsius",
        },
        "line, 2 series": {"kind": "line", "labels": DAYS, "series": two},
        "area": {"kind": "area", "labels": DAYS, "values": [5, 9, 7, 12, 15, 11, 8]},
        "donut": {
            "kind": "donut",
            "labels": ["Asia", "Africa", "Europe", "Americas", "Oceania"],
            "values": [4.7, 1.4, 0.74, 1.0, 0.045],
        },
        "pie": {"kind": "pie", "labels": ["Yes", "No", "Unsure"], "values": [62, 30, 8]},
        "sparkline": {"kind": "sparkline", "values": [3, 4, 3.5, 5, 6, 5.5, 7, 8, 7.5, 9]},
        "line, 10,000 points": {"kind": "line", "values": _walk(10_000)},
        "line, 100,000 points": {"kind": "line", "values": _walk(100_000)},
    }


def card(name: str, chart: dict[str, Any], suffix: str = "") -> dict[str, Any]:
    chart = dict(chart)
    if suffix and "labels" in chart:
        chart["labels"] = [f"{label} {suffix}" for label in chart["labels"]]
    return {
        "canvas": "square",
        "locale": "en",
        "blocks": [{"type": "title", "text": f"Chart: {name}"}, {"type": "chart", **chart}],
    }


def cell(samples: list[float]) -> str:
    return f"{statistics.median(samples):8.2f} {percentile_90(samples):7.2f}"


def main(argv: list[str] | None = None) -> int:
    args = arguments(
        "Times each chart kind at 1080×1080.",
        argv,
        runs=15,
        warmup=3,
        save="also write each chart as PNG into DIR",
        runs_help=f"timed runs (≥ {MIN_RUNS})",
        warmup_help="untimed runs first",
        min_runs=MIN_RUNS,
    )
    for line in machine_lines():
        print(line)
    print(f"runs     : {args.runs} per cell after {args.warmup} warm-up runs; GC left on")
    print()
    header = (
        f"{'chart (1080×1080)':<22} {'plan ms':>8} {'p90':>7}  {'plan, cold':>10} {'p90':>7}"
        f"  {'render→PNG':>10} {'p90':>7}  {'audit ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for index, (name, chart) in enumerate(charts().items()):
        spec_dict = card(name, chart)
        spec = parse_spec(spec_dict)
        plans = timed(lambda s=spec: plan(s), args.runs, args.warmup)
        # the row's index in the suffix too: six kinds share the day labels, and "Mon #0"
        # shaped for the bar chart would be a cache hit for the grouped bars after it
        suffixes = [f"#{index}.{k}" for k in range(args.runs)]
        cold_specs = iter([parse_spec(card(name, chart, suffix)) for suffix in suffixes])
        cold = timed(lambda c=cold_specs: plan(next(c)), args.runs, 0)
        renders = timed(
            lambda d=spec_dict: factframe.render(d).to_bytes("png"), args.runs, args.warmup
        )
        rendered = factframe.render(spec_dict)
        audits = timed(lambda r=rendered: audit_layout(r.layout, r.pixels), MIN_RUNS, 1)
        verdict = "ok" if rendered.audit.ok else "AUDIT FAILED"
        print(
            f"{name:<22} {cell(plans)}  {cell(cold):>18}  {cell(renders):>18}"
            f"  {statistics.median(audits):8.1f}  {verdict}"
        )
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
            rendered.save(args.save / f"{slug}.png")
    print()
    print("plan: layout only (no drawing); render→PNG: everything from the spec dict.")
    print("No chart peer is installed here, so none is measured.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
