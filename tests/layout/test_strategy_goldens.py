"""Pixel goldens of every planner strategy, left to right and mirrored right to left, at
half size; each also audits clean on its pixels.

Regenerate on purpose only, and look at each one:
``pytest tests/layout/test_strategy_goldens.py --update-goldens``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image, ImageDraw

import factframe


def picture() -> bytes:
    """A small, fixed PNG: a sky-to-sea gradient, a sun and a hill."""
    image = Image.new("RGB", (120, 80))
    draw = ImageDraw.Draw(image)
    for y in range(80):
        t = y / 79
        draw.line(
            [(0, y), (120, y)],
            fill=(round(255 - 190 * t), round(183 - 60 * t), round(77 + 120 * t)),
        )
    draw.ellipse([70, 12, 96, 38], fill=(255, 236, 170))
    draw.ellipse([-30, 52, 90, 130], fill=(31, 92, 74))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Lisbon in numbers",
        "subtitle": "A city on seven hills",
        "text": "Trams have climbed its hills since 1873.",
        "labels": ["Residents", "Sunny days", "Bridges", "Hills", "Museums", "Beaches"],
        "pair": ("Lisbon", "Porto"),
        "measures": ["Residents", "Rain days", "Bridges"],
        "events": [
            "1755: The great earthquake",
            "1873: The first trams",
            "1998: The World Expo",
            "2025: A new metro line",
        ],
        "footer": "Source: INE, city of Lisbon",
        "chart": ["Jan", "Apr", "Jul", "Oct"],
    },
    "ar": {
        "title": "لشبونة بالأرقام",
        "subtitle": "مدينة على سبعة تلال",
        "text": "تصعد عربات الترام تلالها منذ عام ١٨٧٣.",
        "labels": ["السكان", "أيام مشمسة", "الجسور", "التلال", "المتاحف", "الشواطئ"],
        "pair": ("لشبونة", "بورتو"),
        "measures": ["السكان", "أيام المطر", "الجسور"],
        "events": [
            "١٧٥٥: الزلزال الكبير",
            "١٨٧٣: أول ترام",
            "١٩٩٨: المعرض العالمي",
            "٢٠٢٥: خط مترو جديد",
        ],
        "footer": "المصدر: المعهد الوطني للإحصاء",
        "chart": ["يناير", "أبريل", "يوليو", "أكتوبر"],
    },
}
VALUES = ["545,000", "290", "2", "7", "64", "10"]


def blocks(name: str, lang: str) -> list[dict[str, Any]]:
    w = WORDS[lang]
    head = [{"type": "title", "text": w["title"]}, {"type": "subtitle", "text": w["subtitle"]}]
    text = {"type": "text", "text": w["text"]}
    foot = {"type": "footer", "text": w["footer"]}

    def stats(n: int) -> list[dict[str, Any]]:
        return [{"type": "stat", "value": VALUES[i], "label": w["labels"][i]} for i in range(n)]

    if name == "stack":
        return [*head, *stats(3), text, foot]
    if name == "grid":
        return [*head, *stats(6), foot]
    if name == "hero":
        return [*head, *stats(3), text, foot]
    if name == "comparison":
        rows: list[dict[str, Any]] = []
        for i, measure in enumerate(w["measures"]):
            rows.append({"type": "text", "text": measure})
            rows += [
                {"type": "stat", "value": VALUES[i], "label": w["pair"][0]},
                {"type": "stat", "value": VALUES[i + 2], "label": w["pair"][1]},
            ]
        return [*head, *rows, text, foot]
    if name == "timeline":
        return [*head, {"type": "list", "items": w["events"]}, foot]
    chart = {"type": "chart", "kind": "bar", "labels": w["chart"], "values": [14.5, 17, 23.5, 19]}
    image = {"type": "image", "src": picture()}
    if name == "columns":
        return [*head, image, chart, *stats(3), text, foot]
    return [*head, image, text, foot]  # poster


CANVAS = {
    "stack": {"width": 800, "height": 800},
    "grid": {"width": 800, "height": 1000},
    "hero": {"width": 800, "height": 1000},
    "comparison": {"width": 800, "height": 1000},
    "timeline": {"width": 800, "height": 1000},
    "columns": {"width": 1200, "height": 675},
    "poster": {"width": 800, "height": 1000},
}
RTL = {"stack": "ar", "grid": "ar", "hero": "ar", "comparison": "ar", "timeline": "ar",
       "columns": "ar", "poster": "ar"}  # fmt: skip
CASES = [(name, lang) for name in CANVAS for lang in ("en", RTL[name])]


@pytest.mark.parametrize(("name", "lang"), CASES, ids=[f"{n}-{lang}" for n, lang in CASES])
def test_strategy_golden(name: str, lang: str, golden: Callable[..., None]) -> None:
    canvas = {**CANVAS[name], "background": {"type": "linear", "colors": ["#f8fafc", "#e2e8f0"]}}
    spec = {"canvas": canvas, "locale": lang, "layout": "auto", "blocks": blocks(name, lang)}
    rendered = factframe.render(spec)
    assert rendered.layout.strategy == name, rendered.layout.notes
    audit = rendered.audit
    assert audit.ok, str(audit)
    direction = "rtl" if lang != "en" else "ltr"
    half = rendered.image.resize((rendered.size[0] // 2, rendered.size[1] // 2), Image.LANCZOS)
    golden(f"strategy-{name}-{direction}", half, max_mean=0.8, max_fraction=0.002)
