"""Icon, pictogram, progress and table blocks drawn: pixel goldens in both directions, a
clean audit (overlaps, contrast on the pixels, safe area), fills measured on the pixels,
and vector exports.

Regenerate the goldens on purpose only, and look at each one:
``pytest tests/generator/test_infographics_render.py --update-goldens``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from PIL import Image

import factframe
from factframe.layout import IconItem, Polyline, ShapeItem
from factframe.spec import parse_color

CANVAS = {"width": 800, "height": 600, "background": "#ffffff"}
PRIMARY = parse_color("#0b3d91")
TITLES = {"en": "At a glance", "ar-EG": "نظرة سريعة", "he": "במבט חטוף"}

# block → fields per language (English and one RTL locale)
BLOCKS: dict[str, dict[str, dict[str, Any]]] = {
    "icon": {
        "en": {"type": "icon", "name": "weather:thunderstorm", "label": "Storms after noon"},
        "he": {"type": "icon", "name": "weather:thunderstorm", "label": "סופות אחר הצהריים"},
    },
    "pictogram": {
        "en": {"type": "pictogram", "value": 6.5, "total": 10, "label": "6.5 in 10 return"},
        "ar-EG": {"type": "pictogram", "value": 6.5, "total": 10, "label": "٦٫٥ من كل ١٠ يعودون"},
    },
    "progress": {
        "en": {"type": "progress", "value": 62.5, "label": "Funded so far"},
        "ar-EG": {"type": "progress", "value": 62.5, "label": "تم تمويله حتى الآن"},
    },
    "gauge": {
        "en": {"type": "progress", "kind": "gauge", "value": 38, "label": "Battery"},
        "he": {"type": "progress", "kind": "gauge", "value": 38, "label": "סוללה"},
    },
    "table": {
        "en": {
            "type": "table",
            "header": ["Plan", "Price", "Support"],
            "rows": [["Basic", 4.99, False], ["Team", 12.5, True], ["Company", 1240, "✓"]],
            "highlight": 1,
        },
        "ar-EG": {
            "type": "table",
            "header": ["الخطة", "السعر", "الدعم"],
            "rows": [["أساسية", 4.99, False], ["فريق", 12.5, True], ["شركة", 1240, "✓"]],
            "highlight": 1,
        },
    },
}
CASES = [(name, locale) for name, by in BLOCKS.items() for locale in by]


def spec_for(name: str, locale: str) -> dict[str, Any]:
    block = {"id": "b", **BLOCKS[name][locale]}
    blocks = [{"type": "title", "text": TITLES[locale]}, block]
    return {"canvas": CANVAS, "locale": locale, "blocks": blocks}


@pytest.mark.parametrize(("name", "locale"), CASES, ids=[f"{n}-{loc}" for n, loc in CASES])
def test_infographic_golden_and_clean_audit(
    name: str, locale: str, golden: Callable[..., None]
) -> None:
    rendered = factframe.render(spec_for(name, locale))
    audit = rendered.audit
    assert audit.ok, str(audit)
    assert audit.metrics["contrast_failures"] == 0
    assert all(row.contrast is not None for row in audit.items if row.size is not None)
    direction = "ltr" if locale == "en" else "rtl"
    half = rendered.image.resize((400, 300), Image.Resampling.LANCZOS)
    golden(f"infographic-{name}-{direction}", half, max_mean=0.8, max_fraction=0.002)


def _primary_ink(rendered: factframe.Rendered) -> np.ndarray:
    rgb = rendered.pixels[..., :3].astype(int)
    return np.abs(rgb - np.array(PRIMARY[:3])).sum(axis=2) < 90  # type: ignore[no-any-return]


@pytest.mark.parametrize("locale", ["en", "ar-EG"])
def test_partly_filled_icon_is_filled_on_the_start_side(locale: str) -> None:
    rendered = factframe.render(spec_for("pictogram", locale))
    icons = [i for i in rendered.layout.items if isinstance(i, IconItem)]
    (part,) = [i for i in icons if i.clip is not None]
    x0, y0 = round(part.box.x), round(part.box.y)
    x1, y1 = round(part.box.right), round(part.box.bottom)
    ink = _primary_ink(rendered)[y0:y1, x0:x1]
    left, right = ink[:, : ink.shape[1] // 2 - 2], ink[:, ink.shape[1] // 2 + 2 :]
    start, end = (left, right) if locale == "en" else (right, left)
    assert start.sum() > 20 and end.sum() == 0
    whole = [i for i in icons if i.color == PRIMARY and i.clip is None]
    assert len(whole) == 6
    for icon in whole:  # the whole ones are filled on both halves
        box = _primary_ink(rendered)[
            round(icon.box.y) : round(icon.box.bottom), round(icon.box.x) : round(icon.box.right)
        ]
        assert box[:, : box.shape[1] // 2].sum() > 20 and box[:, box.shape[1] // 2 :].sum() > 20


def test_progress_fill_length_on_the_pixels() -> None:
    rendered = factframe.render(spec_for("progress", "en"))
    (shape,) = [i for i in rendered.layout.items if isinstance(i, ShapeItem)]
    track, fill = shape.shapes
    assert isinstance(track, Polyline) and isinstance(fill, Polyline)
    y = round(fill.points[0][1])
    row = np.flatnonzero(_primary_ink(rendered)[y])
    drawn = row[-1] + 1 - row[0]  # the fill with its round caps
    start, end = track.points[0][0] - track.width / 2, track.points[1][0] + track.width / 2
    assert abs(row[0] - start) <= 1
    wanted = fill.points[1][0] + fill.width / 2 - start
    assert abs(drawn - wanted) <= 1.5
    assert abs((fill.points[1][0] - fill.points[0][0]) / (end - start - track.width) - 0.625) < 1e-6


def test_icons_stay_vector_in_svg_and_pdf() -> None:
    rendered = factframe.render(spec_for("table", "en"))
    svg = rendered.to_bytes("svg").decode()
    assert "<image" not in svg and svg.count("<path") >= 3
    pdf = rendered.to_bytes("pdf")
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" not in pdf
