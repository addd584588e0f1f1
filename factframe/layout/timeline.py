"""Timelines: a list of dated events on a rail (the ``timeline`` strategy).

An item is a dated event when it starts with a date or a time followed by a separator:
``1969: Apollo 11 lands``, ``12 May 2026 — Opening``, ``1707年：宝永噴火``, ``20:30 Doors
open`` (a time needs no separator), in any digits (``١٩٦٩: …``); ``Day 1: …`` is not.
:func:`dated` splits it into the stamp and the event; the separator is not drawn — the
stamp is set apart instead (role ``timeline.date``: bold, the brand's primary colour) and
the event below it in the list's size. A list with a ``style.background`` keeps its card.
An item without a date (a timeline asked for with ``layout: timeline``) is an event
without a stamp.

Vertical (any canvas): a rail in the accent colour along the start side, a dot at each
event's stamp; free height spreads the events apart (up to 1.5 section gaps). Horizontal
(wide canvases, 2–6 events): the rail across the top, the events in equal columns under
their dots. Stamps share one size, events another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import lru_cache

from factframe.layout.context import PlanContext, Under
from factframe.layout.model import Box, Dot, LayoutItem, Rect, Shape, ShapeItem, TextItem
from factframe.layout.nodes import NodeBase
from factframe.spec import Block, ListBlock, parse_color
from factframe.spec_diagrams import iso_date, iso_precision
from factframe.typography import TextBlock, measure

__all__ = [
    "HORIZONTAL_MAX",
    "TimelineNode",
    "dated",
    "dated_list",
    "format_iso_date",
    "one_size",
    "role_sizes",
    "stacked_parts",
    "written_stamp",
]

_TIME = re.compile(
    r"\s*(?P<stamp>\d{1,2}[:.]\d{2}(?:\s*[-–]\s*\d{1,2}[:.]\d{2})?)"
    r"(?:\s*[:：|–—-]\s*|\s+)(?P<rest>\S.*)",
    re.DOTALL,
)
_DATE = re.compile(
    r"\s*(?P<stamp>[^:：|–—\n]{1,24}?)(?:\s*[:：|]\s*|\s+[-–—]\s+|\s*[–—]\s*)(?P<rest>\S.*)",
    re.DOTALL,
)
_MAX_STAMP_WORDS = 4
#: At most this many events go side by side on a horizontal rail.
HORIZONTAL_MAX = 6
_MIN_EVENTS = 3  # for the automatic choice


_YEAR = re.compile(r"\d{3,4}")  # 1969, 1707年, ١٩٦٩
_NUMERIC_DATE = re.compile(r"\d{1,4}\s*[./\-–]\s*\d{1,2}")  # 12.05., 2026-05-12, 5/12
_UNIT_DATE = re.compile(r"\d{1,2}\s*(?:年|月|日|년|월|일)")  # 5月12日, 5월 12일


@lru_cache(maxsize=64)
def _month_names(locale: str) -> frozenset[str]:
    """Month names (wide and abbreviated) of a locale and of English, case-folded."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_month_names

    names: set[str] = set()
    for tag in {locale, "en"}:
        try:
            loc = Locale.parse(tag.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            continue
        for width in ("wide", "abbreviated"):
            names.update(
                n.casefold().rstrip(".") for n in get_month_names(width, locale=loc).values()
            )
    return frozenset(names)


def _is_date(stamp: str, locale: str) -> bool:
    if _YEAR.search(stamp) or _NUMERIC_DATE.search(stamp) or _UNIT_DATE.search(stamp):
        return True
    words = {w.casefold().strip(".,") for w in stamp.split()}
    return any(c.isdigit() for c in stamp) and bool(words & _month_names(locale))


def dated(item: str, locale: str = "en") -> tuple[str, str] | None:
    """``(stamp, event)`` when ``item`` starts with a date or time, else None.

    A date is a year (3–4 digits), a numeric date (``12.05.``, ``2026-05-12``), a day or
    month with its CJK or Korean unit (``5月12日``), or a number with a month name of
    ``locale`` or of English (``12 May``); ``Day 1`` or ``Step 3`` are not.

    >>> dated("1969: Apollo 11 lands on the Moon")
    ('1969', 'Apollo 11 lands on the Moon')
    >>> dated("Day 1: Partly cloudy") is None
    True
    """
    for pattern in (_TIME, _DATE):
        m = pattern.fullmatch(item)
        if m is None:
            continue
        stamp = m.group("stamp").strip()
        if len(stamp.split()) > _MAX_STAMP_WORDS:
            continue
        if pattern is _TIME or _is_date(stamp, locale):
            return stamp, m.group("rest").strip()
    return None


#: The CLDR skeleton an ISO date is written with, by its precision.
_SKELETONS = {"year": "y", "month": "yMMM", "day": "yMMMd"}
_ISO_STAMP = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


def format_iso_date(value: str, locale: str, pattern: str | None = None) -> str:
    """An ISO 8601 date written in ``locale`` with Babel: with ``pattern`` (a CLDR
    skeleton like ``yMMM``, a CLDR pattern like ``d.M.y``, or ``short``…``full``), else
    by its precision (``1969`` → 1969, ``1969-07`` → Jul 1969, ``1969-07-20`` →
    Jul 20, 1969, a date-time with its hour and minute).

    >>> format_iso_date("1969-07-20", "de")
    '20. Juli 1969'

    Raises:
        ValueError: ``value`` is not an ISO date, or ``pattern`` is not a CLDR format.
    """
    from babel import Locale
    from babel.dates import (
        format_date,
        format_datetime,
        format_skeleton,
        format_time,
        get_datetime_format,
    )

    when = iso_date(value)
    loc = Locale.parse(locale.replace("-", "_"))
    moment = when if isinstance(when, datetime) else datetime(when.year, when.month, when.day)
    if pattern is None and isinstance(when, datetime):  # the locale's "date, time"
        day = format_skeleton("yMMMd", moment, locale=loc)
        time = format_time(when, "short", locale=loc)
        return str(get_datetime_format("medium", locale=loc)).format(time, day)
    chosen = pattern or _SKELETONS[iso_precision(value)]
    if chosen in ("short", "medium", "long", "full"):
        if isinstance(when, datetime):
            return str(format_datetime(when, chosen, locale=loc))
        return str(format_date(when, chosen, locale=loc))
    if chosen.isalpha():  # a skeleton adapts to the locale's order and words
        return str(format_skeleton(chosen, moment, locale=loc))
    return str(format_date(moment, chosen, locale=loc))


def written_stamp(stamp: str, locale: str) -> str:
    """A dated list item's stamp as drawn: an ISO date (``2026-05-12``, ``2026-05``)
    written in the locale, anything else as it is."""
    return format_iso_date(stamp, locale) if _ISO_STAMP.fullmatch(stamp) else stamp


def dated_list(block: Block, locale: str = "en") -> bool:
    """Whether a block is a list of at least three dated events (``locale``: the spec's,
    for month names; the block's own ``lang`` wins)."""
    return (
        isinstance(block, ListBlock)
        and len(block.items) >= _MIN_EVENTS
        and all(dated(item, block.lang or locale) is not None for item in block.items)
    )


class TimelineNode(NodeBase):
    """A list's items as events on a rail, vertical or horizontal."""

    def __init__(self, ctx: PlanContext, block: ListBlock, horizontal: bool) -> None:
        self.ctx, self.blocks, self.block, self.horizontal = ctx, [block], block, horizontal
        lang = block.lang or ctx.spec.locale
        self.events = [
            (written_stamp(stamp, lang), event)
            for stamp, event in (dated(item, lang) or ("", item) for item in block.items)
        ]
        self.dot = 9 * ctx.scale
        self.lane = 2 * self.dot + ctx.small_gap  # the rail's lane beside vertical events
        self.stamps: list[TextBlock | None] = []
        self.texts: list[TextBlock | None] = []
        self.heights: list[float] = []
        self.column = 0.0

    @property
    def entry_gap(self) -> float:
        return self.ctx.small_gap * 1.25

    def measure(self, width: float, k: float) -> float:
        ctx, n = self.ctx, len(self.events)
        if self.horizontal:
            self.column = (width - ctx.gap * (n - 1)) / n
            text_w = self.column
        else:
            text_w = width - self.lane
        self.stamps = [
            ctx.fit(self.block, "timeline.date", s, text_w, k) if s else None
            for s, _ in self.events
        ]
        self.texts = [
            ctx.fit(self.block, "list", e, text_w, k) if e else None for _, e in self.events
        ]
        self.stamps = one_size(self.stamps)
        self.texts = one_size(self.texts)
        self.heights = [self._entry(i) for i in range(n)]
        if self.horizontal:
            self.height = 2 * self.dot + ctx.small_gap + max(self.heights)
        else:
            self.height = sum(self.heights) + self.entry_gap * (n - 1)
        return self.height

    def _h(self, text: TextBlock | None) -> float:
        return measure(text, self.ctx.library).height if text is not None else 0.0

    def _entry(self, i: int) -> float:
        stamp, text = self.stamps[i], self.texts[i]
        between = self.ctx.small_gap * 0.25 if stamp and text else 0.0
        return self._h(stamp) + between + self._h(text)

    def wanted(self, width: float) -> float:
        if self.horizontal:
            return self.height
        spread = self.ctx.gap * 1.5 - self.entry_gap
        return self.height + spread * (len(self.events) - 1)

    def sizes(self) -> list[tuple[str, float]]:
        if self.block.style.size is not None or self.block.style.min_size is not None:
            return []
        out = [("timeline.date", s.size) for s in self.stamps[:1] if s]
        return out + [("list", t.size) for t in self.texts if t][:1]

    def _texts(self, i: int, x: float, y: float, w: float) -> list[LayoutItem]:
        bid, out = self.block.id or "", list[LayoutItem]()
        stamp, text = self.stamps[i], self.texts[i]
        if stamp is not None:
            out.append(TextItem(bid, "timeline.date", Box(x, y, w, self._h(stamp)), stamp))
            y += self._h(stamp) + self.ctx.small_gap * 0.25
        if text is not None:
            out.append(TextItem(bid, "list", Box(x, y, w, self._h(text)), text))
        return out

    def _first_line(self, i: int) -> float:
        """Half the height of the first line of entry ``i``: where its dot sits."""
        first = self.stamps[i] or self.texts[i]
        assert first is not None
        return first.size * first.line_height / 2

    def place(self, box: Box) -> list[LayoutItem]:
        ctx, n = self.ctx, len(self.events)
        palette = ctx.spec.brand.palette
        rail_color = parse_color(self.block.style.color or palette.accent)
        dot_color = parse_color(palette.primary)
        rail = max(2.0, round(3 * ctx.scale))
        shapes: list[Shape] = []
        texts: list[LayoutItem] = []
        if self.horizontal:
            cy = box.y + self.dot
            xs = [box.x + i * (self.column + ctx.gap) for i in range(n)]
            shapes.append(
                Rect(Box(xs[0] + self.dot, cy - rail / 2, xs[-1] - xs[0], rail), rail_color)
            )
            for i, x in enumerate(xs):
                shapes.append(Dot(x + self.dot, cy, self.dot, dot_color))
                texts += self._texts(i, x, box.y + 2 * self.dot + ctx.small_gap, self.column)
        else:
            gap = self.entry_gap + max(0.0, box.h - self.height) / max(1, n - 1)
            cx, y, centres = box.x + self.dot, box.y, []
            for i, h in enumerate(self.heights):
                centres.append(y + self._first_line(i))
                texts += self._texts(i, box.x + self.lane, y, box.w - self.lane)
                y += h + gap
            shapes.append(
                Rect(Box(cx - rail / 2, centres[0], rail, centres[-1] - centres[0]), rail_color)
            )
            shapes += [Dot(cx, cy, self.dot, dot_color) for cy in centres]
        return [ShapeItem(self.block.id or "", box, tuple(shapes)), *texts]


def role_sizes(block: Block, texts: Iterable[tuple[str, TextBlock]]) -> list[tuple[str, float]]:
    """``(role, size)`` of each role once (every text of a role has one size), for the
    planner to harmonise; none when the block sets its own sizes."""
    if block.style.size is not None or block.style.min_size is not None:
        return []
    found: dict[str, float] = {}
    for role, text in texts:
        found.setdefault(role, text.size)
    return list(found.items())


def one_size(texts: list[TextBlock | None]) -> list[TextBlock | None]:
    """The texts at the smallest size among them (one role, one size)."""
    sizes = [t.size for t in texts if t is not None]
    return [t.at(min(sizes)) if t is not None else None for t in texts]


#: One row's texts as :func:`stacked_parts` gives them: its (role, text) parts, their heights.
Stack = tuple[tuple[tuple[str, TextBlock], ...], tuple[float, ...]]


def stacked_parts(
    ctx: PlanContext,
    block: Block,
    roles: Sequence[str],
    rows: Sequence[Sequence[str | None]],
    width: float,
    k: float,
    *,
    center: bool,
    under: Under = "card",
) -> list[Stack]:
    """Each row's texts (one per role; None or empty for none, as a timeline's events or
    a process' steps have them) fitted to ``width`` at scale ``k``, every role at one
    size over the block (:func:`one_size`), centred when ``center`` and the block sets no
    alignment; per row its (role, text) parts and their measured heights."""
    columns: dict[str, list[TextBlock | None]] = {role: [] for role in roles}
    for row in rows:
        for role, text in zip(roles, row, strict=True):
            fitted = ctx.fit(block, role, text, width, k, under=under) if text else None
            if fitted is not None and center and block.style.align is None:
                fitted = replace(fitted, align="center")
            columns[role].append(fitted)
    sized = {role: one_size(texts) for role, texts in columns.items()}
    out: list[Stack] = []
    for i in range(len(rows)):
        parts = tuple((role, t) for role in roles if (t := sized[role][i]) is not None)
        out.append((parts, tuple(measure(t, ctx.library).height for _, t in parts)))
    return out
