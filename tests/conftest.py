"""Shared fixtures: golden-image comparison and small spec builders."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

GOLDENS = Path(__file__).parent / "goldens"


@pytest.fixture(autouse=True)
def _private_fact_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the user's real fact store."""
    monkeypatch.setenv("FACTFRAME_STORE", str(tmp_path_factory.mktemp("store") / "facts.sqlite"))


_LOCAL = {"localhost", "127.0.0.1", "::1"}
_getaddrinfo = socket.getaddrinfo


def _local_only(host: Any, *args: Any, **kwargs: Any) -> Any:
    if str(host) not in _LOCAL:
        raise socket.gaierror(socket.EAI_NONAME, f"tests do not use the network ({host})")
    return _getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches the network: names other than localhost do not resolve."""
    monkeypatch.setattr(socket, "getaddrinfo", _local_only)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite golden images from the current renders (only on purpose)",
    )


def image_difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(mean absolute channel difference, fraction of pixels differing by more than 48)."""
    diff = np.abs(a.astype(np.int16) - b.astype(np.int16))
    return float(diff.mean()), float((diff.max(axis=2) > 48).mean())


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """``golden(name, image, max_mean=…, max_fraction=…)`` compares with tests/goldens/name.png."""
    update = request.config.getoption("--update-goldens")

    def check(
        name: str, image: Image.Image, max_mean: float = 0.6, max_fraction: float = 0.001
    ) -> None:
        path = GOLDENS / f"{name}.png"
        rgb = image.convert("RGB")
        if update or not path.exists():
            if not update:
                pytest.fail(f"golden {path.name} is missing; run pytest --update-goldens")
            rgb.save(path, optimize=True)
            return
        expected = np.asarray(Image.open(path).convert("RGB"))
        actual = np.asarray(rgb)
        assert actual.shape == expected.shape, f"{name}: size {actual.shape} != {expected.shape}"
        mean, fraction = image_difference(actual, expected)
        if mean > max_mean or fraction > max_fraction:
            out = Path(__file__).parent / "_failures"
            out.mkdir(exist_ok=True)
            rgb.save(out / f"{name}.png")
            pytest.fail(
                f"{name}: differs from golden (mean {mean:.3f} > {max_mean} or "
                f"{fraction:.4f} of pixels > {max_fraction}); actual saved in tests/_failures"
            )

    return check


def text_spec(text: str, locale: str = "en", **style: Any) -> dict[str, Any]:
    """A one-block spec on a small white canvas."""
    return {
        "canvas": {"width": 900, "height": 160, "background": "#ffffff"},
        "locale": locale,
        "blocks": [{"type": "text", "text": text, "style": {"color": "#000000", **style}}],
    }
