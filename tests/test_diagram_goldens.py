"""Pixel goldens of the timeline, process and map blocks, left to right and right to
left, at half size; each also audits clean on its pixels.

Regenerate on purpose only, and look at each one:
``pytest tests/test_diagram_goldens.py --update-goldens``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

import factframe

WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "timeline": "Steps into space",
        "events": [
            ("1957-10-04", "Sputnik 1", "The first satellite"),
            ("1961-04-12", "Vostok 1", "A person in orbit"),
            ("1969-07-20", "Apollo 11", "Steps on the Moon"),
            ("1998-11", "ISS", None),
            ("2021", "Perseverance", None),
        ],
        "process": "From facts to pictures",
        "steps": [
            ("Ground", "Facts with their sources"),
            ("Bind", "Into the text"),
            ("Plan", "Fit every line"),
            ("Draw", None),
            ("Audit", "Check the pixels"),
        ],
        "map": "Iberian cities",
        "cities": ["Lisbon", "Porto", "Madrid", "Barcelona", "Seville"],
    },
    "ar": {
        "timeline": "خطوات إلى الفضاء",
        "events": [
            ("1957-10-04", "سبوتنيك 1", "أول قمر صناعي"),
            ("1961-04-12", "فوستوك 1", "إنسان في المدار"),
            ("1969-07-20", "أبولو 11", "خطوات على القمر"),
            ("1998-11", "محطة الفضاء", None),
            ("2021", "برسفيرنس", None),
        ],
        "process": "من الحقائق إلى الصور",
        "steps": [
            ("التحقق", "حقائق مع مصادرها"),
            ("الربط", "داخل النص"),
            ("التخطيط", "ملاءمة كل سطر"),
            ("الرسم", None),
            ("التدقيق", "فحص البكسلات"),
        ],
        "map": "مدن إيبيرية",
        "cities": ["لشبونة", "بورتو", "مدريد", "برشلونة", "إشبيلية"],
    },
}
PLACES = [(38.72, -9.14), (41.15, -8.61), (40.42, -3.70), (41.39, 2.17), (37.39, -5.98)]


def block(name: str, lang: str) -> list[dict[str, Any]]:
    w = WORDS[lang]
    title = {"type": "title", "text": w[name]}
    if name == "timeline":
        events = [{"date": d, "title": t, "text": x} for d, t, x in w["events"]]
        return [title, {"type": "timeline", "events": events}]
    if name == "process":
        steps = [{"title": t, "text": x} for t, x in w["steps"]]
        return [title, {"type": "process", "steps": steps}]
    markers = [
        {"name": n, "lat": lat, "lon": lon}
        for n, (lat, lon) in zip(w["cities"], PLACES, strict=True)
    ]
    return [title, {"type": "map", "region": ["PT", "ES"], "markers": markers}]


CANVAS = {
    "timeline": {"width": 1200, "height": 675},
    "process": {"width": 800, "height": 1000},
    "map": {"width": 800, "height": 800},
}
CASES = [(name, lang) for name in CANVAS for lang in ("en", "ar")]


@pytest.mark.parametrize(("name", "lang"), CASES, ids=[f"{n}-{lang}" for n, lang in CASES])
def test_diagram_golden(name: str, lang: str, golden: Callable[..., None]) -> None:
    spec = {"canvas": CANVAS[name], "locale": lang, "blocks": block(name, lang)}
    rendered = factframe.render(spec)
    audit = rendered.audit
    assert audit.ok, str(audit)
    direction = "rtl" if lang == "ar" else "ltr"
    half = rendered.image.resize((rendered.size[0] // 2, rendered.size[1] // 2), Image.LANCZOS)
    golden(f"diagram-{name}-{direction}", half, max_mean=0.8, max_fraction=0.002)
