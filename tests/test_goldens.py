"""Pixel goldens: mark placement and joining that OCR cannot judge, and the demo gallery.

Regenerate on purpose only: ``pytest tests/test_goldens.py --update-goldens``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np
import pytest
import skia
from PIL import Image

import factframe
from factframe.knowledge import KnowledgeStore
from factframe.templates import gallery
from factframe.typography import default_library
from tests.conftest import image_difference, text_spec
from tests.grounding.mock import WEATHER_CARD, mock_client

NOW = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)

# Thai tone marks stacked over vowels, Devanagari conjuncts and matras, Arabic joining.
SCRIPTS = {
    "thai-marks": ("th", "น้ำใจ ผู้ใหญ่ ที่นี่ กี่ปี เรื่องนี้"),
    "devanagari-marks": ("hi", "क्षत्रिय श्रद्धा द्वितीय हिन्दी"),
    "arabic-joining": ("ar", "الطقس في القاهرة مشمس"),
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_script_golden(name: str, golden: Callable[..., None]) -> None:
    locale, text = SCRIPTS[name]
    image = factframe.render(text_spec(text, locale, size=44)).image
    golden(name, image, max_mean=0.5, max_fraction=0.0005)


def test_golden_check_catches_unshaped_text() -> None:
    """Negative control: the same Thai line drawn without shaping fails the comparison."""
    locale, text = SCRIPTS["thai-marks"]
    rendered = factframe.render(text_spec(text, locale, size=44))
    (item,) = rendered.layout.texts
    lib = default_library()
    font = skia.Font(lib.typeface(item.text.families[0]), item.text.size)
    surface = skia.Surface(rendered.size[0], rendered.size[1])
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorWHITE)
    baseline = item.box.y + item.box.h * 0.72
    canvas.drawString(text, item.box.x, baseline, font, skia.Paint(AntiAlias=True))
    unshaped = surface.makeImageSnapshot().toarray()[..., [2, 1, 0]]
    _, fraction = image_difference(np.asarray(rendered.image), unshaped)
    assert fraction > 0.0005


@pytest.mark.parametrize("item", gallery(), ids=lambda item: item.name)
def test_gallery_golden(item, golden: Callable[..., None]) -> None:  # type: ignore[no-untyped-def]
    """Each gallery spec at a fixed moment; the live weather card over fixtures."""
    http = mock_client(WEATHER_CARD) if item.online else None
    rendered = factframe.render(
        item.spec, offline=not item.online, http=http, now=NOW, store=KnowledgeStore(":memory:")
    )
    half = rendered.image.resize((rendered.size[0] // 2, rendered.size[1] // 2), Image.LANCZOS)
    golden(f"gallery-{item.name}", half, max_mean=0.8, max_fraction=0.002)
