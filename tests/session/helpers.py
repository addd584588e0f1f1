"""Specs and checks the session tests share."""

from __future__ import annotations

from typing import Any

import numpy as np

from factframe.layout import Box, Layout
from factframe.layout.refit import region_of


def card(**extra: Any) -> dict[str, Any]:
    """A weather-card-like spec: title, subtitle, two stats, body text and a list."""
    return {
        "canvas": {
            "width": 1080,
            "height": 1080,
            "background": {"type": "linear", "colors": ["#0b3d91", "#1e88e5"], "angle": 160},
        },
        "blocks": [
            {"type": "title", "text": "Weather in Lisbon"},
            {"type": "subtitle", "text": "Six-day forecast"},
            {"type": "stat", "id": "high", "value": "24", "label": "high"},
            {"type": "stat", "id": "low", "value": "17", "label": "low"},
            {"type": "text", "text": "Sunny spells, a light breeze from the sea."},
            {
                "type": "list",
                "items": ["Mon: sunny", "Tue: cloudy"],
                "style": {"background": "#ffffff26"},
            },
        ],
        **extra,
    }


def outside(layout: Layout, block_id: str, grow: float = 1.0) -> np.ndarray:
    """A mask of the pixels outside a block's region (the box around all its items),
    grown by ``grow`` px for antialiased edges."""
    region = region_of(layout, block_id)
    assert region is not None
    mask = np.ones((layout.height, layout.width), dtype=bool)
    box = Box(region.x - grow, region.y - grow, region.w + 2 * grow, region.h + 2 * grow)
    x0, y0 = max(0, int(box.x)), max(0, int(box.y))
    mask[y0 : int(box.bottom) + 1, x0 : int(box.right) + 1] = False
    return mask


def changed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A mask of the pixels that differ."""
    mask: np.ndarray = np.any(a != b, axis=2)
    return mask
