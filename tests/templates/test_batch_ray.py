"""The Ray executor on a local Ray instance: the same item function, the same bytes.

One local cluster for the module (starting Ray takes seconds): ``num_cpus=2``, no dashboard.
On a real cluster the same code joins the cluster named by ``RAY_ADDRESS``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import factframe

pytestmark = pytest.mark.slow
ray = pytest.importorskip("ray")

NOW = datetime(2026, 6, 21, 12, 0, tzinfo=UTC)
ROWS = [
    {"city": city, "date": "2026-06-21"}
    for city in ("Lisbon", "Tokyo", "Cairo", "Nairobi", "Lima", "Oslo")
]


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Any]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        yield ray
    finally:
        ray.shutdown()


def test_ray_tasks_render_the_same_bytes_as_a_local_run(local_ray: Any, tmp_path: Path) -> None:
    options: dict[str, Any] = {
        "sizes": ["square"],
        "locales": ["en", "ja"],
        "offline": True,
        "now": NOW,
    }
    on_ray = list(
        factframe.batch("weather-card", ROWS, output=tmp_path / "ray", executor="ray", **options)
    )
    here = list(
        factframe.batch("weather-card", ROWS, output=tmp_path / "here", workers=0, **options)
    )
    assert len(on_ray) == 12 and all(r.status == "ok" for r in on_ray)
    assert {r.id: r.sha256 for r in on_ray} == {r.id: r.sha256 for r in here}
    for result in on_ray:  # the driver wrote the bytes the tasks returned
        assert all(p.is_file() for p in result.outputs)
    assert not list((tmp_path / "ray").glob(".*"))
    assert local_ray.is_initialized()  # a Ray the caller started is left running
