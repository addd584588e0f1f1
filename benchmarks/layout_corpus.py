"""Benchmark: a generated corpus of specs, planned, rendered and audited.

Usage::

    python benchmarks/layout_corpus.py [--specs 300] [--seed 7] [--max-side 4096] [--save DIR]

Each spec is a random mix of blocks (title, subtitle, stats, paired stats compared,
text, lists, lists of dated events, pictures, charts, icons, pictograms, progress bars
and gauges, tables, timelines, processes, maps, divider, footer) with random text
lengths in one of 12 languages (en, de, es, ru, vi, ar, he, hi, th, ja, zh, ko) on one of
the canvas presets from 9:16 to 21:9 (4K and 8K included); some ask for a layout
strategy, the others let the planner choose. Pictures are small PNGs painted here with
Pillow; charts have inline values. For each spec the table counts what the audit
(``Rendered.audit``) finds: overlapping boxes, text that could not fit
(``TextOverflowError``/``LayoutError``: the planner gave up), contrast failures measured
on the pixels, safe-area violations, fonts below the floor — the goal is 0 everywhere —
and reports mean Ove and Ali, how often each strategy was used (and its mean Ali), and
the time per layout (planning only, no drawing; median, each spec's text never planned
before) and per full render + audit.

Canvases larger than ``--max-side`` are planned and audited at full size but rendered for
the contrast check at that side (the audit's pixel check scales with the canvas); the
table says how many were.
"""

from __future__ import annotations

import argparse
import io
import platform
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

import factframe
from factframe.errors import LayoutError
from factframe.layout import plan
from factframe.spec import LAYOUTS, parse_spec
from factframe.typography import default_library

LANGUAGES: dict[str, dict[str, list[str]]] = {
    "en": {
        "title": ["Weather this week", "Our city in numbers", "Summer travel guide"],
        "words": ["Rain is likely on Tuesday", "the museum opens at nine",
                  "trains run every ten minutes", "the river is calm today",
                  "tickets are free for children", "the old town is car-free"],
        "label": ["Visitors", "Temperature", "Population", "Rainfall", "Hours of sun"],
    },
    "de": {
        "title": ["Das Wetter dieser Woche", "Unsere Stadt in Zahlen", "Reiseführer Sommer"],
        "words": ["Am Dienstag regnet es wahrscheinlich", "das Museum öffnet um neun Uhr",
                  "die Züge fahren alle zehn Minuten", "der Fluss ist heute ruhig",
                  "Kinder haben freien Eintritt", "die Altstadt ist autofrei"],
        "label": ["Besucher", "Temperatur", "Einwohner", "Niederschlag", "Sonnenstunden"],
    },
    "es": {
        "title": ["El tiempo de esta semana", "Nuestra ciudad en cifras", "Guía de verano"],
        "words": ["Es probable que llueva el martes", "el museo abre a las nueve",
                  "los trenes pasan cada diez minutos", "el río está tranquilo hoy",
                  "la entrada es gratuita para niños", "el casco antiguo es peatonal"],
        "label": ["Visitantes", "Temperatura", "Población", "Lluvia", "Horas de sol"],
    },
    "ru": {
        "title": ["Погода на этой неделе", "Наш город в цифрах", "Летний путеводитель"],
        "words": ["Во вторник вероятен дождь", "музей открывается в девять",
                  "поезда ходят каждые десять минут", "сегодня река спокойна",
                  "для детей вход бесплатный", "в старом городе нет машин"],
        "label": ["Посетители", "Температура", "Население", "Осадки", "Солнечные часы"],
    },
    "vi": {
        "title": ["Thời tiết tuần này", "Thành phố qua những con số", "Cẩm nang du lịch hè"],
        "words": ["Thứ Ba có khả năng mưa", "bảo tàng mở cửa lúc chín giờ",
                  "tàu chạy mười phút một chuyến", "hôm nay dòng sông yên ả",
                  "trẻ em được vào cửa miễn phí", "phố cổ không có ô tô"],
        "label": ["Khách tham quan", "Nhiệt độ", "Dân số", "Lượng mưa", "Giờ nắng"],
    },
    "ar": {
        "title": ["الطقس هذا الأسبوع", "مدينتنا بالأرقام", "دليل السفر الصيفي"],
        "words": ["من المرجح أن تمطر يوم الثلاثاء", "يفتح المتحف في الساعة التاسعة",
                  "تسير القطارات كل عشر دقائق", "النهر هادئ اليوم",
                  "الدخول مجاني للأطفال", "المدينة القديمة خالية من السيارات"],
        "label": ["الزوار", "درجة الحرارة", "السكان", "الأمطار", "ساعات الشمس"],
    },
    "he": {
        "title": ["מזג האוויר השבוע", "העיר שלנו במספרים", "מדריך טיולים לקיץ"],
        "words": ["ביום שלישי צפוי גשם", "המוזיאון נפתח בתשע",
                  "הרכבות יוצאות כל עשר דקות", "הנהר שקט היום",
                  "הכניסה חינם לילדים", "העיר העתיקה ללא מכוניות"],
        "label": ["מבקרים", "טמפרטורה", "אוכלוסייה", "משקעים", "שעות שמש"],
    },
    "hi": {
        "title": ["इस सप्ताह का मौसम", "आंकड़ों में हमारा शहर", "गर्मियों की यात्रा गाइड"],
        "words": ["मंगलवार को बारिश की संभावना है", "संग्रहालय नौ बजे खुलता है",
                  "हर दस मिनट में ट्रेन चलती है", "आज नदी शांत है",
                  "बच्चों के लिए प्रवेश निःशुल्क है", "पुराने शहर में गाड़ियाँ नहीं चलतीं"],
        "label": ["आगंतुक", "तापमान", "जनसंख्या", "वर्षा", "धूप के घंटे"],
    },
    "th": {
        "title": ["สภาพอากาศสัปดาห์นี้", "เมืองของเราในตัวเลข", "คู่มือเที่ยวหน้าร้อน"],
        "words": ["วันอังคารมีโอกาสฝนตก", "พิพิธภัณฑ์เปิดเก้าโมงเช้า",
                  "รถไฟออกทุกสิบนาที", "วันนี้แม่น้ำสงบ",
                  "เด็กเข้าชมฟรี", "เมืองเก่าไม่มีรถยนต์"],
        "label": ["ผู้เยี่ยมชม", "อุณหภูมิ", "ประชากร", "ปริมาณฝน", "ชั่วโมงแดด"],
    },
    "ja": {
        "title": ["今週の天気", "数字で見る私たちの街", "夏の旅行ガイド"],
        "words": ["火曜日は雨が降りそうです", "博物館は九時に開館します",
                  "電車は十分ごとに走っています", "今日は川が穏やかです",
                  "子どもは入場無料です", "旧市街は車が通れません"],
        "label": ["来場者", "気温", "人口", "降水量", "日照時間"],
    },
    "zh": {
        "title": ["本周天气", "数字里的城市", "夏季旅行指南"],
        "words": ["周二可能下雨", "博物馆九点开门", "火车每十分钟一班",
                  "今天河面很平静", "儿童免费入场", "老城区禁止机动车"],
        "label": ["游客", "气温", "人口", "降雨量", "日照时数"],
    },
    "ko": {
        "title": ["이번 주 날씨", "숫자로 보는 우리 도시", "여름 여행 안내서"],
        "words": ["화요일에는 비가 올 가능성이 높습니다", "박물관은 아홉 시에 문을 엽니다",
                  "기차는 십 분마다 운행합니다", "오늘은 강이 잔잔합니다",
                  "어린이는 무료로 입장합니다", "구시가지에는 차가 다니지 않습니다"],
        "label": ["방문객", "기온", "인구", "강수량", "일조 시간"],
    },
}  # fmt: skip
# the two things a comparison compares, per language
PAIRS = {
    "en": ("North", "South"), "de": ("Nord", "Süd"), "es": ("Norte", "Sur"),
    "ru": ("Север", "Юг"), "vi": ("Miền Bắc", "Miền Nam"), "ar": ("الشمال", "الجنوب"),
    "he": ("צפון", "דרום"), "hi": ("उत्तर", "दक्षिण"), "th": ("ภาคเหนือ", "ภาคใต้"),
    "ja": ("北部", "南部"), "zh": ("北部", "南部"), "ko": ("북부", "남부"),
}  # fmt: skip
CHART_KINDS = ["bar", "bar", "line", "area", "donut", "pie", "sparkline"]
ICONS = ["user", "house", "droplet", "sun", "thermometer", "car", "train-front", "heart",
         "weather:rain", "weather:clear:night", "weather:partly-cloudy"]  # fmt: skip
INFOGRAPHICS = ["icon", "pictogram", "progress", "table"]
CANVASES = ["square", "portrait", "story", "landscape", "og", "4k", "8k", "a4", "letter",
            "2560x1080", "1080x1920", "1920x1080"]  # fmt: skip
_FULL_STOP = {"ja": "。", "zh": "。", "hi": "।", "th": " ", "ar": ".", "he": "."}


def sentence(rng: random.Random, lang: str, count: int) -> str:
    words = LANGUAGES[lang]["words"]
    stop = _FULL_STOP.get(lang, ".")
    parts = [rng.choice(words) for _ in range(count)]
    joiner = stop if lang in ("ja", "zh", "th") else f"{stop} "
    text = joiner.join(parts) + stop
    return text[0].upper() + text[1:] if lang in ("en", "de", "es", "ru", "vi") else text


@cache
def picture(index: int) -> bytes:
    """A small PNG painted with Pillow: a two-colour gradient and a few discs."""
    rng = random.Random(index)
    w, h = rng.choice([(96, 64), (64, 96), (80, 80), (120, 50)])
    a = [rng.randrange(256) for _ in range(3)]
    b = [rng.randrange(256) for _ in range(3)]
    image = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(image)
    for y in range(h):
        t = y / max(1, h - 1)
        draw.line([(0, y), (w, y)], fill=tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3)))
    for _ in range(4):
        x, y, r = rng.randrange(w), rng.randrange(h), rng.randrange(4, 20)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def chart(rng: random.Random, lang: str) -> dict[str, Any]:
    kind = rng.choice(CHART_KINDS)
    block: dict[str, Any] = {
        "type": "chart",
        "values": [round(rng.uniform(1, 90), 1) for _ in range(5)],
    }
    block["kind"] = kind
    if kind == "bar" and rng.random() < 0.4:
        block["orientation"] = "horizontal"
    if kind != "sparkline":
        block["labels"] = LANGUAGES[lang]["label"]
    if rng.random() < 0.4:
        block["caption"] = sentence(rng, lang, 1)
    return block


def infographic(rng: random.Random, lang: str) -> dict[str, Any]:
    """An icon, a pictogram, a progress bar or gauge, or a table, with text in ``lang``."""
    bank = LANGUAGES[lang]
    kind = rng.choice(INFOGRAPHICS)
    if kind == "icon":
        return {"type": "icon", "name": rng.choice(ICONS), "label": rng.choice(bank["label"])}
    if kind == "pictogram":
        total = rng.choice([5, 8, 10, 10, 20, 50, 100])
        block: dict[str, Any] = {
            "type": "pictogram",
            "total": total,
            "value": round(rng.uniform(0, total) * 4) / 4,
            "icon": rng.choice(ICONS[:8]),
            "label": sentence(rng, lang, 1),
        }
        if rng.random() < 0.3:
            block["caption"] = sentence(rng, lang, 1)
        return block
    if kind == "progress":
        low = rng.choice([0, 0, 10])
        high = low + rng.choice([100, 50, 1000])
        return {
            "type": "progress",
            "kind": rng.choice(["bar", "bar", "gauge"]),
            "min": low,
            "max": high,
            "value": round(rng.uniform(low, high), rng.choice([0, 1])),
            "format": rng.choice(["percent", "percent", "number"]),
            "label": rng.choice(bank["label"]),
        }
    columns = rng.randint(2, 4)
    header = [PAIRS[lang][0], *rng.sample(bank["label"], columns - 1)]
    rows = []
    for _ in range(rng.randint(2, 5)):
        row: list[Any] = [rng.choice(bank["words"]).split()[0]]
        for k in range(1, columns):
            row.append(rng.choice([True, False, "✓"]) if k == 2 else round(rng.uniform(0, 5e4), 1))
        rows.append(row)
    table = {"type": "table", "header": header, "rows": rows, "zebra": rng.random() < 0.7}
    if rng.random() < 0.4:
        table["highlight"] = rng.randrange(columns)
    return table


# (region, markers): places far enough apart for their labels at the map's scale
MAPS: list[tuple[Any, list[tuple[float, float]]]] = [
    (["PT", "ES"], [(38.72, -9.14), (40.42, -3.70), (41.39, 2.17)]),
    (["JP"], [(35.68, 139.69), (34.69, 135.50), (43.06, 141.35)]),
    ("world", [(30.04, 31.24), (35.68, 139.69), (-33.87, 151.21), (40.71, -74.01)]),
    (None, [(48.86, 2.35), (52.52, 13.40), (41.90, 12.50)]),
    ([-10.0, 35.0, 30.0, 60.0], [(51.51, -0.13), (59.33, 18.07)]),
]


def diagram(rng: random.Random, lang: str) -> dict[str, Any]:
    """A timeline (ISO dates of every precision), a process or a map, text in ``lang``."""
    bank = LANGUAGES[lang]
    kind = rng.choice(["timeline", "process", "map"])
    if kind == "map":
        region, places = MAPS[rng.randrange(len(MAPS))]
        markers = [
            {"name": bank["label"][i % len(bank["label"])], "lat": lat, "lon": lon}
            for i, (lat, lon) in enumerate(places)
        ]
        return {"type": "map", "region": region, "markers": markers}
    parts = []
    year = rng.randrange(1900, 1990)
    for _ in range(rng.randint(2, 6)):
        part: dict[str, Any] = {"title": rng.choice(bank["label"])}
        if rng.random() < 0.4:
            part["text"] = rng.choice(bank["words"])
        year += rng.randint(1, 6)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        part["date"] = rng.choice(
            [f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"]
        )
        parts.append(part)
    if kind == "timeline":
        return {"type": "timeline", "events": parts}
    return {
        "type": "process",
        "steps": [{k: v for k, v in p.items() if k != "date"} for p in parts],
    }


def dated_events(rng: random.Random, lang: str) -> list[str]:
    year = rng.randrange(1850, 1990)
    items = []
    for _ in range(rng.randint(3, 5)):
        year += rng.randint(2, 15)
        stamp = f"{year}年" if lang in ("ja", "zh") else str(year)
        colon = "：" if lang in ("ja", "zh") else ": "
        items.append(f"{stamp}{colon}{sentence(rng, lang, 1)}")
    return items


def comparison(rng: random.Random, lang: str) -> list[dict[str, Any]]:
    a, b = PAIRS[lang]
    blocks: list[dict[str, Any]] = []
    for label in rng.sample(LANGUAGES[lang]["label"], rng.randint(2, 4)):
        blocks.append({"type": "text", "text": label})
        for name in (a, b):
            value = rng.choice(["12", "3.4K", "27°", "85%", "1,204", "9 h"])
            blocks.append({"type": "stat", "value": value, "label": name})
    return blocks


def make_spec(
    rng: random.Random,
    index: int,
    extras: random.Random | None = None,
    diagrams: random.Random | None = None,
) -> dict[str, Any]:
    """One random spec: a block mix, text lengths, language, canvas and perhaps a layout.
    The infographic blocks are drawn from ``extras`` (``rng`` when not given), so that
    the rest of the corpus stays as it was before they were added."""
    extras = extras or rng
    diagrams = diagrams or rng  # timelines, processes and maps: a stream of their own
    lang = list(LANGUAGES)[index % len(LANGUAGES)]
    bank = LANGUAGES[lang]
    blocks: list[dict[str, Any]] = [{"type": "title", "text": rng.choice(bank["title"])}]
    if rng.random() < 0.7:
        blocks.append({"type": "subtitle", "text": sentence(rng, lang, 1)})
    if rng.random() < 0.25:
        image = {"type": "image", "src": picture(rng.randrange(8))}
        if rng.random() < 0.4:
            image["aspect"] = rng.choice([1.0, 1.5, 0.75, 2.0])
        blocks.append(image)
    if rng.random() < 0.12:
        blocks += comparison(rng, lang)
    else:
        for _ in range(rng.choice([0, 0, 2, 3, 4, 4, 6])):
            value = rng.choice(["12", "3.4K", "27°", "85%", "1,204", "9 h"])
            blocks.append({"type": "stat", "value": value, "label": rng.choice(bank["label"])})
    if rng.random() < 0.6:
        blocks.append({"type": "text", "text": sentence(rng, lang, rng.randint(1, 4))})
    if extras.random() < 0.4:
        blocks.append(infographic(extras, lang))
    if diagrams.random() < 0.3:
        blocks.append(diagram(diagrams, lang))
    if rng.random() < 0.25:
        blocks.append(chart(rng, lang))
    if rng.random() < 0.3:
        blocks.append({"type": "divider"})
    if rng.random() < 0.15:
        blocks.append({"type": "list", "items": dated_events(rng, lang)})
    elif rng.random() < 0.5:
        items = [sentence(rng, lang, 1) for _ in range(rng.randint(2, 5))]
        blocks.append({"type": "list", "items": items})
    if rng.random() < 0.6:
        blocks.append({"type": "footer", "text": sentence(rng, lang, 1)})
    spec = {"canvas": CANVASES[rng.randrange(len(CANVASES))], "locale": lang, "blocks": blocks}
    if rng.random() < 0.15:
        spec["layout"] = rng.choice(LAYOUTS[1:])
    return spec


def make_corpus(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng, extras = random.Random(seed), random.Random(seed + 1_000_003)
    diagrams = random.Random(seed + 2_000_003)
    return [make_spec(rng, i, extras, diagrams) for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--specs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-side", type=int, default=4096)
    parser.add_argument("--save", type=Path, help="write each render here")
    args = parser.parse_args()

    library = default_library()
    corpus = make_corpus(args.specs, args.seed)
    counts: Counter[str] = Counter()
    plans: list[float] = []
    renders: list[float] = []
    ove: list[float] = []
    ali: list[float] = []
    by_strategy: dict[str, list[float]] = defaultdict(list)
    fallbacks = 0
    scaled = 0
    failures: list[str] = []
    for i, raw in enumerate(corpus):
        spec = parse_spec(raw)
        started = time.perf_counter()
        try:
            layout = plan(spec, library)
        except LayoutError as exc:
            counts["overflow"] += 1
            failures.append(f"#{i} {raw['locale']} {raw['canvas']}: {exc}")
            continue
        plans.append((time.perf_counter() - started) * 1000)
        chosen = layout.notes[0].removeprefix("chose ").split(":")[0]
        fallbacks += chosen != layout.strategy
        if max(spec.canvas.width, spec.canvas.height) > args.max_side:
            spec, scaled = spec.with_canvas("4k"), scaled + 1
        started = time.perf_counter()
        rendered = factframe.render(spec, library=library)
        audit = rendered.audit
        renders.append((time.perf_counter() - started) * 1000)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            rendered.save(args.save / f"{i:03d}-{raw['locale']}-{layout.strategy}.png")
        ove.append(audit.overlap)
        ali.append(audit.alignment)
        by_strategy[layout.strategy].append(audit.alignment)
        for issue in audit.issues:
            counts[issue.check] += 1
            failures.append(
                f"#{i} {raw['locale']} {raw['canvas']} {layout.strategy}: {issue.message}"
            )

    print(f"machine : {platform.platform()}, CPython {platform.python_version()}")
    print(
        f"corpus  : {len(corpus)} specs, seed {args.seed}, 12 languages, {len(CANVASES)} "
        f"canvases; {scaled} larger than {args.max_side} px rendered at 4K for the audit"
    )
    print()
    print(f"{'check':<28}{'count':>8}{'goal':>8}")
    print("-" * 44)
    for check in ("overlap", "overflow", "contrast", "safe_area", "font_size", "missing_glyphs"):
        verdict = "PASS" if counts[check] == 0 else "FAIL"
        print(f"{check:<28}{counts[check]:>8}{'0':>8} {verdict}")
    print(f"{'mean Ove':<28}{statistics.fmean(ove or [0]):>8.4f}")
    print(f"{'mean Ali':<28}{statistics.fmean(ali or [0]):>8.4f}")
    print(f"{'plan, median ms':<28}{statistics.median(plans or [0]):>8.2f}{'< 5':>8}")
    print(f"{'plan, 90th percentile ms':<28}{_percentile(plans, 0.9):>8.2f}")
    print(f"{'render + audit, median ms':<28}{statistics.median(renders or [0]):>8.1f}")
    print()
    print(f"{'strategy':<28}{'specs':>8}{'mean Ali':>10}")
    print("-" * 46)
    for name in sorted(by_strategy, key=lambda n: -len(by_strategy[n])):
        values = by_strategy[name]
        print(f"{name:<28}{len(values):>8}{statistics.fmean(values):>10.4f}")
    print(f"{'(fell back from the choice)':<28}{fallbacks:>8}")
    for line in failures[:20]:
        print("  " + line)
    sys.exit(0 if not failures else 1)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values) or [0.0]
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


if __name__ == "__main__":
    main()
