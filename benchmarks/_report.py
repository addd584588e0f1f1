"""What the benchmarks share: their options, the machine lines, the timing loop, and the
table of medians.

A benchmark script imports this module from its own folder (``from _report import …``;
Python puts a script's folder first on ``sys.path``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import skia
from PIL import Image

import factframe


def arguments(
    description: str,
    argv: Sequence[str] | None = None,
    *,
    runs: int,
    warmup: int,
    save: str,
    runs_help: str | None = None,
    warmup_help: str | None = None,
    min_runs: int | None = None,
) -> argparse.Namespace:
    """The options every timing benchmark takes: ``--runs``, ``--warmup`` and ``--save``
    (a path), with these defaults and help texts; with ``min_runs``, fewer runs or a
    negative warm-up are refused."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=runs, help=runs_help)
    parser.add_argument("--warmup", type=int, default=warmup, help=warmup_help)
    parser.add_argument("--save", type=Path, help=save)
    args = parser.parse_args(argv)
    if min_runs is not None and (args.runs < min_runs or args.warmup < 0):
        parser.error(f"--runs must be >= {min_runs} and --warmup >= 0")
    return args


def cpu_model() -> str:
    """The processor's name, from ``/proc/cpuinfo`` where there is one."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def machine_lines(*, load: bool = False, libraries: Sequence[str] = ()) -> list[str]:
    """The machine a benchmark ran on: platform, CPU (cores, usable cores and, with
    ``load``, the load average), Python, and the versions of the libraries that draw
    (``libraries`` adds more, as ``"name version"``)."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    cores = f"{os.cpu_count()} cores, {usable} usable"
    if load:
        average = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        cores += f", load {average:.1f}"
    versions = ", ".join(
        (
            f"factframe {factframe.__version__}",
            f"skia-python {skia.__version__}",
            f"Pillow {Image.__version__}",
            f"numpy {np.__version__}",
            *libraries,
        )
    )
    return [
        f"platform : {platform.platform()}",
        f"cpu      : {cpu_model()} ({cores})",
        f"python   : {platform.python_implementation()} {platform.python_version()}",
        f"libraries: {versions}",
    ]


def timed(fn: Callable[[], object], runs: int, warmup: int) -> list[float]:
    """Runs ``fn`` ``warmup`` times untimed, then returns ``runs`` wall times in ms."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def percentile_90(samples: Sequence[float]) -> float:
    """The 90th percentile (linear interpolation, as numpy's default)."""
    return float(np.percentile(samples, 90))


@dataclass
class Row:
    """One measurement of a table: its samples in ms, and what it is compared with."""

    name: str
    samples_ms: list[float]
    budget: str = ""
    verdict: str = ""
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)


def print_table(
    rows: Sequence[Row],
    *,
    last: str = "budget",
    decimals: int = 2,
    rule_extra: int = 22,
    p90: Callable[[Sequence[float]], float] = percentile_90,
    p90_width: int = 9,
    n_width: int = 4,
) -> None:
    """Prints a row a measurement: name, median, 90th percentile, number of samples, then
    the budget and verdict (under the heading ``last``) and the note in parentheses.
    ``rule_extra`` lengthens the rule under the header over the longest budget."""
    name_w = max(len(r.name) for r in rows)
    header = (
        f"{'measurement':<{name_w}}  {'median ms':>10}  {'p90 ms':>{p90_width}}  "
        f"{'n':>{n_width}}  {last}"
    )
    print(header)
    print("-" * (len(header) + rule_extra))
    for r in rows:
        budget = f"{r.budget} {r.verdict}".strip()
        line = (
            f"{r.name:<{name_w}}  {r.median:>10.{decimals}f}  "
            f"{p90(r.samples_ms):>{p90_width}.{decimals}f}  {len(r.samples_ms):>{n_width}}"
        )
        line += f"  {budget}" if budget else ""
        print(line + (f"  ({r.note})" if r.note else ""))
