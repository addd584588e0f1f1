"""The layout of an annotated photo: highlights on the points, callout cards, leader lines.

:func:`plan_callouts` turns points already projected into the photo (:class:`Callout`) into
an ordinary :class:`~factframe.layout.Layout`, so the scene builder, the exporters and the
audit work on it as on any other picture:

- the photo: one :class:`ImageItem` over the whole canvas, marked ``backdrop``;
- per point: a ``pinned`` :class:`ShapeItem` with its leader (a white line on a dark
  casing, readable on any photo) and its highlight (pin, ring, box or glow);
- per label: a :class:`CardItem` and its text (:mod:`factframe.typography`: shaped, RTL
  aware), placed by :func:`~factframe.layout.labels.place_labels`;
- a sources line on a scrim when the points came from grounded facts.

A card has up to four lines: the name; the distance and the elevation (``▲``) in the
locale's units (Babel/CLDR); a one-line description; opening hours. Crowded photos fall
back to the name and the distance, then the name alone, before a label is dropped; each
drop and each point without a label is a notice on the layout (and so on the audit).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from factframe.layout.labels import LabelRequest, place_labels
from factframe.layout.model import (
    RGBA,
    Box,
    CardItem,
    Dot,
    ImageItem,
    Layout,
    LayoutItem,
    Outline,
    Polygon,
    Polyline,
    Shape,
    ShapeItem,
    TextItem,
)
from factframe.layout.styles import legibility_floor, readable
from factframe.spec import Brand, parse_color
from factframe.typography import (
    FontLibrary,
    TextBlock,
    TextRequest,
    default_library,
    locale_info,
    measure,
    text_block,
    typeset,
)
from factframe.typography.numbers import format_number

__all__ = ["PHOTO_ID", "SOURCES_ID", "Callout", "format_distance", "format_height", "plan_callouts"]

#: Block id of the photo's item; of the sources line.
PHOTO_ID = "photo"
SOURCES_ID = "sources"
Style = Literal["pin", "ring", "box", "glow"]
Units = Literal["metric", "imperial"]

# px at a 1080 px short side, scaled with the photo
_NAME_PX = 30.0
_DETAIL_PX = 23.0
_PAD_PX = 14.0
_MARK_PX = 13.0
_LEADER_PX = 2.5
_MAX_CARD = 0.34  # a card's widest, as a share of the short side
# territories that give distances in miles (CLDR's "US" and "UK" measurement systems)
_MILES = {"US", "LR", "MM", "GB"}
_FEET = {"US", "LR", "MM"}
_BLACK = (0, 0, 0, 255)
_WHITE = (255, 255, 255, 255)
_CASING = (0, 0, 0, 150)


@dataclass(frozen=True)
class Callout:
    """A point to label, already in photo pixels.

    Attributes:
        id: the label's block id.
        name: the label's first line.
        x, y: where the point is (px).
        box: the highlighted region for a box point (px), else None.
        distance: metres from the camera, when known.
        elevation: metres above sea level to show, or None.
        description: a short line, or None.
        hours: opening hours text, or None.
        priority: higher wins room first.
    """

    id: str
    name: str
    x: float
    y: float
    box: Box | None = None
    distance: float | None = None
    elevation: float | None = None
    description: str | None = None
    hours: str | None = None
    priority: float = 1.0


def _units(locale: str, units: Units | None) -> tuple[bool, bool]:
    """(miles for distances, feet for heights)."""
    if units is not None:
        return units == "imperial", units == "imperial"
    import babel

    territory = babel.Locale.parse(locale.replace("_", "-"), sep="-").territory
    return territory in _MILES, territory in _FEET


def format_distance(meters: float, locale: str, units: Units | None = None) -> str:
    """A distance as a reader of ``locale`` writes it (CLDR units, the locale's digits):
    ``850 m``, ``2.3 km``, ``12 km``; ``0.4 mi`` / ``900 ft`` where miles are used (or
    ``units="imperial"``)."""
    miles, _ = _units(locale, units)
    if miles:
        mi = meters / 1609.344
        if mi < 0.1:
            return format_number(round(meters / 0.3048, -1), locale, "unit", 0, "length-foot")
        return format_number(mi, locale, "unit", 1 if mi < 10 else 0, "length-mile")
    if meters < 1000:
        return format_number(max(10, round(meters, -1)), locale, "unit", 0, "length-meter")
    km = meters / 1000
    return format_number(km, locale, "unit", 1 if km < 10 else 0, "length-kilometer")


def format_height(meters: float, locale: str, units: Units | None = None) -> str:
    """An elevation in metres or (US, Liberia, Myanmar, or ``imperial``) feet."""
    _, feet = _units(locale, units)
    if feet:
        return format_number(meters / 0.3048, locale, "unit", 0, "length-foot")
    return format_number(meters, locale, "unit", 0, "length-meter")


def _snug(request: TextRequest, size: float, most: float, library: FontLibrary) -> TextBlock:
    """``request`` set at ``size``, wrapped to ``most`` px and as wide as its longest line."""
    block = text_block(request, size, most, library)
    longest = typeset(block, library).LongestLine  # the line boxes; no ink raster needed
    return block.at(size, min(most, math.ceil(longest + 2 * block.inset + 1)))


@dataclass(frozen=True)
class _Card:
    """A label's forms: lines (role, block) at their final width, and the card's size."""

    forms: tuple[tuple[tuple[tuple[str, TextBlock], ...], float, float], ...]


class _Cards:
    def __init__(
        self,
        locale: str,
        brand: Brand,
        units: Units | None,
        short: int,
        library: FontLibrary,
    ) -> None:
        self.locale, self.units, self.library = locale, units, library
        scale = short / 1080
        self.name_px = max(legibility_floor(short), _NAME_PX * scale)
        self.detail_px = max(legibility_floor(short, small=True), _DETAIL_PX * scale)
        self.pad = _PAD_PX * scale
        self.max_width = _MAX_CARD * short
        palette = brand.palette
        self.surface = parse_color(palette.surface)
        self.direction = locale_info(locale).direction
        on = [self.surface]
        self.name_color = readable(parse_color(palette.text), [_BLACK, _WHITE], on, 4.5)
        self.detail_color = readable(parse_color(palette.muted), [_BLACK, _WHITE], on, 4.5)
        self.heading = tuple(brand.fonts.heading)
        self.body = tuple(brand.fonts.body)

    def _line(self, callout: Callout, role: str, text: str) -> tuple[str, TextBlock]:
        name = role == "label.name"
        request = TextRequest(
            text=text,
            block_id=callout.id,
            locale=self.locale,
            families=self.heading if name else self.body,
            weight=700 if name else 400,
            color=self.name_color if name else self.detail_color,
            line_height=1.2,
            direction=self.direction,
        )
        size = self.name_px if name else self.detail_px
        return role, _snug(request, size, self.max_width - 2 * self.pad, self.library)

    def card(self, callout: Callout) -> _Card:
        meta = []
        if callout.distance is not None:
            meta.append(format_distance(callout.distance, self.locale, self.units))
        if callout.elevation is not None:
            meta.append("▲ " + format_height(callout.elevation, self.locale, self.units))
        name = self._line(callout, "label.name", callout.name)
        detail = [self._line(callout, "label.detail", " · ".join(meta))] if meta else []
        extra = [
            self._line(callout, "label.detail", text)
            for text in (callout.description, callout.hours)
            if text
        ]
        variants = [[name, *detail, *extra], [name, *detail], [name]]
        forms: list[tuple[tuple[tuple[str, TextBlock], ...], int, int]] = []
        for lines in variants:
            if forms and len(lines) == len(forms[-1][0]):
                continue
            width = max(b.width for _, b in lines) + 2 * self.pad
            height = sum(measure(b, self.library).height for _, b in lines) + 2 * self.pad
            forms.append((tuple(lines), math.ceil(width), math.ceil(height)))
        return _Card(tuple((lines, float(w), float(h)) for lines, w, h in forms))


def _pin(x: float, y: float, r: float) -> tuple[float, float, tuple[tuple[float, float], ...]]:
    """A map pin with its tip at (x, y): the head's centre and the outline's points."""
    d = 2.4 * r
    cy = y - d
    beta = math.acos(r / d)  # from straight down (towards the tip) to the tangent points
    first, sweep = math.pi / 2 + beta, 2 * math.pi - 2 * beta
    steps = 24
    arc = [
        (x + r * math.cos(first + sweep * k / steps), cy + r * math.sin(first + sweep * k / steps))
        for k in range(steps + 1)
    ]
    return x, cy, ((x, y), *arc)


def _highlight(
    c: Callout, style: Style, r: float, accent: RGBA
) -> tuple[list[Shape], Box, float, float]:
    """The marks of a point, their box, and where its leader starts."""
    w = max(1.5, r * 0.28)
    if c.box is not None:
        b = c.box
        rad = min(b.w, b.h) * 0.06
        shapes: list[Shape] = [Outline(b, rad, _CASING, w * 2.2)]
        if style == "glow":
            shapes = [Outline(b, rad, accent, w * 3, blur=r * 0.6)]
        shapes.append(Outline(b, rad, accent, w))
        return shapes, b, c.x, c.y
    x, y = c.x, c.y
    square = Box(x - r, y - r, 2 * r, 2 * r)
    if style == "pin":
        hx, hy, outline = _pin(x, y, r)
        shapes = [
            Polygon(tuple((px, py + w * 0.6) for px, py in outline), _CASING),
            Polygon(outline, accent),
            Dot(hx, hy, r * 0.42, _WHITE),
        ]
        return shapes, Box(x - r, hy - r, 2 * r, y - hy + r), hx, hy
    if style == "ring":
        shapes = [
            Outline(square, r, _CASING, w * 2.2),
            Outline(square, r, accent, w),
            Dot(x, y, w * 0.9, accent),
        ]
    elif style == "box":
        shapes = [
            Outline(square, r * 0.2, _CASING, w * 2.2),
            Outline(square, r * 0.2, accent, w),
        ]
    else:  # glow
        shapes = [
            Outline(square, r, accent, w * 3.5, blur=r * 0.5),
            Outline(square, r, _WHITE, w * 0.8),
            Dot(x, y, w, _WHITE),
        ]
    reach = r + w * 2
    return shapes, Box(x - reach, y - reach, 2 * reach, 2 * reach), x, y


def _sources_line(
    text: str, width: int, height: int, safe: Box, cards: _Cards
) -> tuple[list[LayoutItem], Box]:
    request = TextRequest(
        text=text,
        block_id=SOURCES_ID,
        locale=cards.locale,
        families=cards.body,
        color=cards.detail_color,
        line_height=1.2,
        direction=cards.direction,
    )
    size = max(legibility_floor(min(width, height), small=True), 18 * min(width, height) / 1080)
    block = _snug(request, size, safe.w - 2 * cards.pad, cards.library)
    tw, th = block.width, math.ceil(measure(block, cards.library).height)
    pad = cards.pad * 0.6
    bw, bh = tw + 2 * pad, th + 2 * pad
    bx = safe.right - bw if cards.direction == "rtl" else safe.x
    card = Box(bx, safe.bottom - bh, bw, bh)
    items: list[LayoutItem] = [
        CardItem(SOURCES_ID, card, pad, cards.surface, shadow=False),
        TextItem(SOURCES_ID, "footer", Box(bx + pad, card.y + pad, tw, th), block),
    ]
    return items, card


def plan_callouts(
    width: int,
    height: int,
    photo: str | bytes,
    callouts: Sequence[Callout],
    *,
    style: Style = "pin",
    locale: str = "en",
    brand: Brand | None = None,
    units: Units | None = None,
    sources: str | None = None,
    notices: Sequence[str] = (),
    library: FontLibrary | None = None,
) -> Layout:
    """The layout of a photo annotated with callouts.

    Args:
        width, height: the canvas (the photo's size, or scaled to fit 8192 px).
        photo: the photo (path or bytes), drawn over the whole canvas.
        callouts: the points inside the frame, in photo pixels.
        style: the highlight: ``pin``, ``ring``, ``box`` or ``glow``.
        locale: the text's language, direction and units.
        units: ``metric`` or ``imperial``; None follows the locale.
        sources: a credit line to set at the bottom (for grounded points).
        notices: notices the caller has already (culled points); labels dropped for lack
            of room are added.

    Raises:
        MissingGlyphError: a character of a label has no font.
    """
    from factframe.layout.context import safe_area

    lib = library or default_library()
    brand = brand or Brand()
    short = min(width, height)
    safe = safe_area(width, height)
    cards = _Cards(locale, brand, units, short, lib)
    accent = parse_color(brand.palette.accent)
    r = _MARK_PX * short / 1080
    items: list[LayoutItem] = [
        ImageItem(PHOTO_ID, Box(0, 0, width, height), photo, "cover", 0.0, backdrop=True)
    ]
    obstacles: list[Box] = []
    footer: list[LayoutItem] = []
    if sources:
        footer, sources_box = _sources_line(sources, width, height, safe, cards)
        obstacles.append(sources_box)
    marks = [_highlight(c, style, r, accent) for c in callouts]
    built = [cards.card(c) for c in callouts]
    requests = [
        LabelRequest(
            (hx, hy),
            mark,
            tuple((w, h) for _, w, h in card.forms),
            c.priority,
            from_edge=c.box is not None,
        )
        for c, (_, mark, hx, hy), card in zip(callouts, marks, built, strict=True)
    ]
    gap = max(4.0, 8 * short / 1080)
    placement = place_labels(
        requests, safe, gap=gap, obstacles=obstacles, direction=cards.direction
    )
    lw = max(1.0, _LEADER_PX * short / 1080)
    shape_items: list[LayoutItem] = []
    card_items: list[LayoutItem] = []
    for k, c in enumerate(callouts):
        shapes, mark, _, _ = marks[k]
        leader = placement.leaders[k]
        lines: list[Shape] = []
        extent = [mark]
        if leader is not None:
            (x0, y0), (x1, y1) = leader
            length = math.hypot(x1 - x0, y1 - y0)
            if c.box is None and style != "pin" and length > r:
                # a ring, box or glow stays clear inside: the leader starts on its edge
                x0, y0 = x0 + (x1 - x0) * r / length, y0 + (y1 - y0) * r / length
            pts = ((x0, y0), (x1, y1))
            lines = [Polyline(pts, _CASING, lw * 2.4), Polyline(pts, _WHITE, lw)]
            extent.append(Box(min(x0, x1) - lw, min(y0, y1) - lw, abs(x1 - x0) + 2 * lw,
                              abs(y1 - y0) + 2 * lw))  # fmt: skip
        shape_items.append(ShapeItem(c.id, Box.around(extent), (*lines, *shapes), pinned=True))
        box, form = placement.boxes[k], placement.forms[k]
        if box is None or form is None:
            continue
        lines_form, _, _ = built[k].forms[form]
        card_items.append(CardItem(c.id, box, cards.pad * 0.8, cards.surface, shadow=True))
        y = box.y + cards.pad
        for role, block in lines_form:
            h = measure(block, lib).height
            x = (
                box.right - cards.pad - block.width
                if cards.direction == "rtl"
                else box.x + cards.pad
            )
            card_items.append(TextItem(c.id, role, Box(x, y, block.width, h), block))
            y += h
    notes = list(notices)
    for k in placement.dropped:
        notes.append(
            f"{callouts[k].id} ({callouts[k].name}): highlighted without a label; no free "
            "room for one (lowest priority dropped first)"
        )
    compact = [callouts[k].id for k, f in enumerate(placement.forms) if f]
    plan_notes = [
        f"{len(callouts) - len(placement.dropped)} of {len(callouts)} points labelled",
        f"{len(placement.crossings)} leader crossing(s), "
        f"{len(placement.covered)} point(s) under another label",
    ]
    if compact:
        plan_notes.append(f"shorter cards for lack of room: {', '.join(compact)}")
    return Layout(
        width,
        height,
        safe,
        cards.direction,
        tuple(items + shape_items + card_items + footer),
        strategy="annotation",
        notes=tuple(plan_notes),
        notices=tuple(notes),
    )
