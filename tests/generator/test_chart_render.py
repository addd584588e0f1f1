"""Charts drawn: pixel goldens of every kind in both directions, bar lengths measured on the
pixels, a 10,000-point spike on the pixels, vector exports, and a clean audit.

Regenerate the goldens on purpose only, and look at each one:
``pytest tests/generator/test_chart_render.py --update-goldens``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from PIL import Image

import factframe
from factframe.layout import Polyline, Rect, ShapeItem
from factframe.spec import parse_color

CANVAS = {"width": 800, "height": 600, "background": "#f5f7fb"}
EN_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"]
AR_DAYS = ["السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء"]
HE_DAYS = ["ראשון", "שני", "שלישי", "רביעי", "חמישי"]
TWO = [[18.5, 21, 19.2, 23, 25.5], [12.1, 11.4, 13, 9.8, 14]]

# kind → (chart fields for English, the RTL locale, its labels, its series names)
KINDS: dict[str, dict[str, Any]] = {
    "bar": {"kind": "bar", "values": [12.5, 30, 7, -4, 22], "unit": "millimeter"},
    "bar-horizontal": {
        "kind": "bar",
        "orientation": "horizontal",
        "values": [1234.5, 2210, 1890.25, 1500, 980],
    },
    "bar-grouped": {"kind": "bar", "series": TWO},
    "bar-stacked": {"kind": "bar", "stacked": True, "series": [[3, 4, 5, 4, 6], [6, 2, 4, 7, 3]]},
    "line": {"kind": "line", "series": TWO, "unit": "temperature-celsius"},
    "area": {"kind": "area", "values": [5, 9, 7, 12, 15], "caption": "Rainfall, mm"},
    "donut": {"kind": "donut", "values": [4.7, 1.4, 0.74, 1.0, 0.045]},
    "pie": {"kind": "pie", "values": [55, 25, 10, 6, 4], "format": "percent"},
    "sparkline": {"kind": "sparkline", "values": [3, 4, 3.5, 5, 6, 5.5, 7, 8, 7.5, 9]},
}
RTL = {
    "bar": "ar-EG",
    "bar-horizontal": "he",
    "bar-grouped": "ar-EG",
    "bar-stacked": "he",
    "line": "ar-EG",
    "area": "he",
    "donut": "ar-EG",
    "pie": "he",
    "sparkline": "ar-EG",
}
NAMES = {"en": ["Max", "Min"], "ar-EG": ["العظمى", "الصغرى"], "he": ["מקסימום", "מינימום"]}
SOURCES = {"en": ["Solar", "Wind"], "ar-EG": ["الشمس", "الرياح"], "he": ["שמש", "רוח"]}
TITLES = {"en": "Five days", "ar-EG": "خمسة أيام", "he": "חמישה ימים"}
CAPTIONS = {"en": "Rainfall, mm", "ar-EG": "الأمطار بالملليمتر", "he": "גשם במ״מ"}


def chart_spec(name: str, locale: str) -> dict[str, Any]:
    chart = dict(KINDS[name])
    days = {"en": EN_DAYS, "ar-EG": AR_DAYS, "he": HE_DAYS}[locale]
    if chart["kind"] != "sparkline":
        chart["labels"] = days
    if "series" in chart:
        names = (SOURCES if chart.get("stacked") else NAMES)[locale]
        chart["series"] = [
            {"name": names[j], "values": values} for j, values in enumerate(chart["series"])
        ]
    if "caption" in chart:
        chart["caption"] = CAPTIONS[locale]
    blocks = [{"type": "title", "text": TITLES[locale]}, {"type": "chart", "id": "c", **chart}]
    return {"canvas": CANVAS, "locale": locale, "blocks": blocks}


CASES = [(name, locale) for name in KINDS for locale in ("en", RTL[name])]


@pytest.mark.parametrize(("name", "locale"), CASES, ids=[f"{n}-{loc}" for n, loc in CASES])
def test_chart_golden_and_clean_audit(name: str, locale: str, golden: Callable[..., None]) -> None:
    rendered = factframe.render(chart_spec(name, locale))
    audit = rendered.audit
    assert audit.ok, str(audit)
    assert audit.metrics["overlaps"] == 0 and audit.metrics["contrast_failures"] == 0
    direction = "rtl" if locale != "en" else "ltr"
    half = rendered.image.resize((400, 300), Image.LANCZOS)
    golden(f"chart-{name}-{direction}", half, max_mean=0.8, max_fraction=0.002)


def test_bar_lengths_on_the_pixels() -> None:
    """Measured on the picture (white background): each bar's top edge from its column's
    coverage, the zero line from the baseline's rows between two bars; the lengths are
    proportional to the values within 1 px."""
    values = [10, 25, 40, 5]
    spec = {
        "canvas": {"width": 600, "height": 600, "background": "#ffffff"},
        "blocks": [
            {"type": "chart", "labels": list("abcd"), "values": values, "value_labels": False}
        ],
    }
    rendered = factframe.render(spec)
    (shape,) = [i for i in rendered.layout.items if isinstance(i, ShapeItem)]
    primary = parse_color("#0b3d91")
    rects = [s for s in shape.shapes if isinstance(s, Rect) and s.color == primary]
    red = rendered.pixels[..., 0].astype(float)
    ink = np.clip((255 - red) / (255 - primary[0]), 0, 1)  # coverage by the bar colour
    gap = round((rects[0].box.right + rects[1].box.x) / 2)
    line = np.flatnonzero(ink[:, gap] > 0.5)  # the opaque baseline (grid lines are faint)
    zero = (line * ink[line, gap]).sum() / ink[line, gap].sum()  # its centre line
    zero += 0.5  # pixel row k covers [k, k + 1)
    lengths = []
    for rect in rects:
        column = ink[:, round(rect.box.x + rect.box.w / 2)]
        body = np.flatnonzero(column > 0.98)
        first = body[0]
        top = first - column[first - 1]  # the row above is covered in part
        lengths.append(zero - top)
        assert abs(lengths[-1] - rect.box.h) <= 1.0
    px_per_unit = lengths[2] / 40
    for length, value in zip(lengths, values, strict=True):
        assert abs(length - value * px_per_unit) <= 1.0


def test_ten_thousand_points_render_with_their_spike() -> None:
    values = [math.sin(i / 40) for i in range(10_000)]
    values[2_500] = 30.0
    spec = {
        "canvas": {"width": 800, "height": 500, "background": "#ffffff"},
        "blocks": [{"type": "chart", "kind": "line", "values": values}],
    }
    rendered = factframe.render(spec)
    (shape,) = [i for i in rendered.layout.items if isinstance(i, ShapeItem)]
    points = [p for s in shape.shapes if isinstance(s, Polyline) for p in s.points]
    x, y = min(points, key=lambda p: p[1])
    rgb = rendered.pixels[..., :3].astype(int)
    line = np.abs(rgb - np.array(parse_color("#0b3d91")[:3])).sum(axis=2) < 60
    rows = np.flatnonzero(line[:, round(x)])
    assert rows.size and abs(rows[0] - y) <= 3  # the line reaches the spike's top
    elsewhere = np.flatnonzero(line.any(axis=0))
    tops = [np.flatnonzero(line[:, c])[0] for c in elsewhere if abs(c - x) > 4]
    assert min(tops) > y + 100  # and nothing else comes near it
    assert rendered.audit.ok


def test_charts_stay_vector_in_pdf_and_svg() -> None:
    rendered = factframe.render(chart_spec("donut", "en"))
    svg = rendered.to_bytes("svg").decode()
    assert svg.count("<path") >= 5  # the slices are paths, not a bitmap
    assert "<image" not in svg
    pdf = rendered.to_bytes("pdf")
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" not in pdf


def test_same_chart_same_bytes() -> None:
    spec = chart_spec("line", "ar-EG")
    assert factframe.render(spec).to_bytes("png") == factframe.render(spec).to_bytes("png")
