"""What every chart kind shares: style, text setting, colours, data, numbers, legend.

:class:`ChartStyle` is what the flow hands a chart (fonts, sizes, colours, direction);
:class:`ChartText` sets each label through the typography stack, one size per role;
:func:`clearance` is the gap every label keeps from every mark; :func:`series_colors`
picks the series' colours; :class:`Legend` lays out swatches and names. The planners of
the kinds (:mod:`~factframe.layout.bars`, :mod:`~factframe.layout.lines`,
:mod:`~factframe.layout.radial`) build on these; :mod:`~factframe.layout.charts` is the
entry point.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from factframe.layout.model import Box, Rect, Shape, TextItem
from factframe.layout.styles import ROLES, contrast_ratio
from factframe.spec import ChartBlock, Palette, parse_color
from factframe.typography import (
    FontLibrary,
    TextBlock,
    TextRequest,
    fit_text,
    measure,
    text_block,
    typeset,
)
from factframe.typography.numbers import NumberStyle, decimals_of, format_number

__all__ = [
    "COLOR_ORDER",
    "RGBA",
    "ChartData",
    "ChartStyle",
    "ChartText",
    "Label",
    "Legend",
    "Marks",
    "clearance",
    "grid_color",
    "number_style",
    "on_color",
    "series_colors",
    "show_legend",
    "value_style",
    "write",
]

RGBA = tuple[int, int, int, int]
Direction = Literal["ltr", "rtl"]

#: Palette roles in the order series take them.
COLOR_ORDER = ("primary", "accent", "secondary", "muted")
# Okabe & Ito's colour-blind-safe set, after the palette's own colours.
_EXTRA = ("#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442")
_NON_TEXT_CONTRAST = 3.0
_DISTINCT = 60.0  # RGB distance below which two automatic colours count as the same
_UNBOUNDED = 1e9


@dataclass(frozen=True)
class ChartStyle:
    """What a chart takes from the planner.

    Attributes:
        block_id: the chart block's id.
        locale: the language of its text and numbers (BCP 47).
        direction: the layout's direction (labels align to it; the flow mirrors geometry).
        families: preferred font families (block style, then brand).
        weight: a weight overriding every role's, or None.
        sizes: role → (largest size, floor) in px, at the planner's text scale.
        colors: role → text colour, readable on what the chart sits on.
        backgrounds: the colours the chart sits on.
        palette: the brand palette (series colours).
        scale: the canvas' short side / 1080 (line widths, gaps).
        library: the fonts.
    """

    block_id: str
    locale: str
    direction: Direction
    families: tuple[str, ...]
    weight: int | None
    sizes: Mapping[str, tuple[float, float]]
    colors: Mapping[str, RGBA]
    backgrounds: tuple[RGBA, ...]
    palette: Palette
    scale: float
    library: FontLibrary


def clearance(size: float) -> float:
    """Space in px kept between a label of ``size`` px and any mark. The audit measures a
    text's contrast on the pixels within ``max(4, size / 4)`` px of its ink (2 px beyond
    other ink), so marks stay out of that ring."""
    return max(4.0, round(0.25 * size)) + 4.0


@dataclass(frozen=True)
class Label:
    """A one-paragraph text, set and measured: its box is ``w`` × ``h`` px."""

    text: TextBlock
    w: float
    h: float
    role: str

    def at(self, block_id: str, x: float, y: float) -> TextItem:
        """The label as a text item with its box's top-left at ``(x, y)``."""
        return TextItem(block_id, self.role, Box(x, y, self.w, self.h), self.text)


class ChartText:
    """Sets and measures a chart's text with the block's fonts, locale and colours."""

    def __init__(self, style: ChartStyle) -> None:
        self.style = style
        self._natural: dict[tuple[str, str, float], float] = {}
        self._labels: dict[tuple[str, str, float, RGBA | None, float | None, str], Label] = {}

    def request(
        self, text: str, role: str, align: Literal["start", "center", "end"], color: RGBA | None
    ) -> TextRequest:
        rs = ROLES[role]
        return TextRequest(
            text=text,
            block_id=self.style.block_id,
            locale=self.style.locale,
            families=self.style.families,
            weight=self.style.weight or rs.weight,
            color=color or self.style.colors[role],
            align=align,
            line_height=rs.line_height,
            direction=self.style.direction,
        )

    def natural(self, text: str, role: str, size: float) -> float:
        """The width of ``text`` on one line at ``size`` px (shaped, no inset)."""
        key = (text, role, size)
        if key not in self._natural:
            lib = self.style.library
            block = text_block(self.request(text, role, "start", None), size, _UNBOUNDED, lib)
            self._natural[key] = float(typeset(block, lib).MaxIntrinsicWidth)
        return self._natural[key]

    def estimate(self, text: str, role: str, size: float) -> float:
        """The width of a one-line label box at ``size``, scaled from the role's largest
        size (shaped widths scale with the size; the final labels are measured exactly)."""
        ref = self.style.sizes[role][0]
        return math.ceil(self.natural(text, role, ref) * size / ref + 0.05) + _pad(size)

    def label(
        self,
        text: str,
        role: str,
        size: float,
        *,
        color: RGBA | None = None,
        width: float | None = None,
        align: Literal["start", "center", "end"] = "center",
    ) -> Label:
        """``text`` set at ``size``: on one line in a box just wide enough, or wrapped to
        ``width``."""
        key = (text, role, size, color, width, align)
        if key not in self._labels:
            lib = self.style.library
            w = (
                width
                if width is not None
                else math.ceil(self.natural(text, role, size)) + _pad(size)
            )
            block = text_block(self.request(text, role, align, color), size, w, lib)
            self._labels[key] = Label(block, w, measure(block, lib).height, role)
        return self._labels[key]

    def fitted(
        self, text: str, role: str, width: float, align: Literal["start", "center", "end"] = "start"
    ) -> Label:
        """``text`` wrapped to ``width`` at the largest size of the role that fits."""
        largest, floor = self.style.sizes[role]
        lib = self.style.library
        block = fit_text(
            self.request(text, role, align, None), width, _UNBOUNDED, largest, floor, lib
        )
        return Label(block, width, measure(block, lib).height, role)

    def size_steps(self, role: str) -> list[float]:
        """Sizes to try for a role, largest first, down to its floor."""
        largest, floor = self.style.sizes[role]
        step = max(1.0, 0.06 * largest)
        sizes = [largest]
        while sizes[-1] - step > floor:
            sizes.append(round(sizes[-1] - step, 2))
        if sizes[-1] > floor:
            sizes.append(floor)
        return sizes


def _pad(size: float) -> float:
    """What a one-line box adds to the text's width: the paragraph inset on both sides
    (see :class:`~factframe.typography.TextBlock`) and 1 px of slack."""
    return 2 * TextBlock("", (), size, 1.0).inset + 1


@dataclass
class Marks:
    """What a chart planner produces: vector marks, then text items."""

    shapes: list[Shape] = field(default_factory=list)
    texts: list[TextItem] = field(default_factory=list)


# --- colours and data --------------------------------------------------------------------


def series_colors(
    palette: Palette, backgrounds: Sequence[RGBA], wanted: Sequence[str | None]
) -> list[RGBA]:
    """One colour per entry of ``wanted`` (a palette role, a ``#rrggbbaa`` colour, or None
    for the next automatic colour: :data:`COLOR_ORDER`, then the extras, then darker and
    lighter shades of those, each reaching 3:1 against every background and distinct from
    the colours already taken; past that they repeat)."""

    def resolve(name: str) -> RGBA:
        return parse_color(getattr(palette, name) if name in Palette.model_fields else name)

    fixed = [resolve(w) for w in wanted if w is not None]
    auto: list[RGBA] = []

    def take(pool: Sequence[RGBA]) -> None:
        for color in pool:
            readable = all(contrast_ratio(color, bg) >= _NON_TEXT_CONTRAST for bg in backgrounds)
            if readable and all(_distance(color, t) >= _DISTINCT for t in [*fixed, *auto]):
                auto.append(color)

    take([resolve(r) for r in COLOR_ORDER] + [parse_color(c) for c in _EXTRA])
    if len(auto) < len(wanted):  # many slices: darker and lighter shades of those
        base = list(auto)
        take(
            [_mix(c, (0, 0, 0, 255), 0.4) for c in base] + [_mix(c, (255,) * 4, 0.4) for c in base]
        )
    auto = auto or [resolve("text")]
    out: list[RGBA] = []
    k = 0
    for w in wanted:
        if w is not None:
            out.append(resolve(w))
        else:
            out.append(auto[k % len(auto)])
            k += 1
    return out


def _distance(a: RGBA, b: RGBA) -> float:
    return math.dist(a[:3], b[:3])


def _mix(a: RGBA, b: RGBA, t: float) -> RGBA:
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a[:3], b[:3], strict=False))
    return (r, g, bl, a[3])


def on_color(fill: RGBA, style: ChartStyle) -> RGBA:
    """A text colour readable (4.5:1) on ``fill``: the chart's value colour, black or white."""
    candidates = [style.colors["chart.value"], (0, 0, 0, 255), (255, 255, 255, 255)]
    return max(candidates, key=lambda c: (contrast_ratio(c, fill) >= 4.5, contrast_ratio(c, fill)))


def grid_color(style: ChartStyle) -> RGBA:
    """Grid lines: the tick colour, faint."""
    r, g, b, _ = style.colors["chart.tick"]
    return (r, g, b, 56)


@dataclass(frozen=True)
class ChartData:
    """A bound chart's numbers, names and colours.

    Attributes:
        labels: one per value, or None.
        names: series names (None: unnamed).
        values: per series, one number or None (a gap) per label.
        colors: per series (donut/pie: per slice).
        n: values per series.
    """

    labels: tuple[str, ...] | None
    names: tuple[str | None, ...]
    values: tuple[tuple[float | None, ...], ...]
    colors: tuple[RGBA, ...]
    n: int

    @classmethod
    def of(cls, block: ChartBlock, style: ChartStyle) -> ChartData:
        series = block.all_series
        values = tuple(tuple(s.values) for s in series if isinstance(s.values, list))
        labels = tuple(block.labels) if isinstance(block.labels, list) else None
        n = len(values[0])
        if block.kind in ("donut", "pie"):
            colors = series_colors(style.palette, style.backgrounds, [None] * n)
        else:
            colors = series_colors(style.palette, style.backgrounds, [s.color for s in series])
        return cls(labels, tuple(s.name for s in series), values, tuple(colors), n)

    def present(self) -> list[float]:
        return [v for row in self.values for v in row if v is not None]


def number_style(block: ChartBlock, digits: int) -> NumberStyle:
    """How a chart writes its numbers: ``format``, else ``unit`` when it has a unit."""
    kind = block.format or ("unit" if block.unit else "number")
    return NumberStyle(kind, digits, block.unit)


def write(value: float, number: NumberStyle, locale: str) -> str:
    return format_number(value, locale, number.kind, number.digits, number.unit)


def value_style(block: ChartBlock, values: Sequence[float]) -> NumberStyle:
    """Value labels show each number as given (up to 4 fraction digits)."""
    kind = block.format or ("unit" if block.unit else "number")
    return number_style(block, 1 if kind == "compact" else decimals_of(list(values)))


# --- legend ------------------------------------------------------------------------------


class Legend:
    """Colour swatches with names: in centred rows under a chart, or a column beside it."""

    def __init__(self, texts: ChartText, entries: Sequence[tuple[str, RGBA]]) -> None:
        self.texts, self.entries = texts, list(entries)
        self.size = texts.style.sizes["chart.legend"][0]

    def _swatch(self, size: float) -> float:
        return round(0.75 * size)

    def _gap(self, size: float) -> float:
        return clearance(size)

    def rows(self, width: float, size: float) -> list[list[int]]:
        """Entries per row when they flow in rows of ``width`` px."""
        rows: list[list[int]] = [[]]
        used = 0.0
        for k, (name, _) in enumerate(self.entries):
            w = self.entry_width(name, size, width)
            extra = w + (1.2 * size if rows[-1] else 0.0)
            if rows[-1] and used + extra > width:
                rows.append([])
                used, extra = 0.0, w
            rows[-1].append(k)
            used += extra
        return rows

    def entry_width(self, name: str, size: float, width: float) -> float:
        """Swatch, gap and name (at most ``width``) of one entry."""
        text_w = min(self.texts.estimate(name, "chart.legend", size), width)
        return self._swatch(size) + self._gap(size) + text_w

    def _text_width(self, name: str, size: float, width: float) -> float | None:
        """None: one line fits; else the width to wrap the name to."""
        room = width - self._swatch(size) - self._gap(size)
        return None if self.texts.estimate(name, "chart.legend", size) <= room else room

    def below_height(self, width: float, size: float) -> float:
        heights = []
        for row in self.rows(width, size):
            heights.append(max(self._label(self.entries[k][0], size, width).h for k in row))
        return sum(heights) + 0.35 * size * (len(heights) - 1)

    def fit_below(self, width: float, limit: float) -> float:
        """The largest legend size whose rows stay within ``limit`` px; its height."""
        for size in self.texts.size_steps("chart.legend"):
            self.size = size
            height = self.below_height(width, size)
            if height <= limit:
                return height
        return height

    def _label(self, name: str, size: float, width: float) -> Label:
        wrap = self._text_width(name, size, width)
        return self.texts.label(name, "chart.legend", size, width=wrap, align="start")

    def place_below(self, box: Box, marks: Marks) -> None:
        """Rows centred in ``box`` (its width), from its top."""
        size, y = self.size, box.y
        for row in self.rows(box.w, size):
            labels = [self._label(self.entries[k][0], size, box.w) for k in row]
            widths = [self._swatch(size) + self._gap(size) + lab.w for lab in labels]
            total = sum(widths) + 1.2 * size * (len(row) - 1)
            x = box.x + max(0.0, (box.w - total) / 2)
            for k, lab, w in zip(row, labels, widths, strict=True):
                self._entry(marks, k, lab, x, y)
                x += w + 1.2 * size
            y += max(lab.h for lab in labels) + 0.35 * size

    def column_height(self, width: float, size: float) -> float:
        heights = [self._label(name, size, width).h for name, _ in self.entries]
        return sum(heights) + 0.35 * size * (len(heights) - 1)

    def place_column(self, box: Box, marks: Marks) -> None:
        """One entry a line, the column centred vertically in ``box``."""
        size = self.size
        y = box.y + max(0.0, (box.h - self.column_height(box.w, size)) / 2)
        for k, (name, _) in enumerate(self.entries):
            lab = self._label(name, size, box.w)
            self._entry(marks, k, lab, box.x, y)
            y += lab.h + 0.35 * size

    def _entry(self, marks: Marks, k: int, lab: Label, x: float, y: float) -> None:
        side = self._swatch(self.size)
        first_line = min(lab.h, self.size * ROLES["chart.legend"].line_height)
        marks.shapes.append(
            Rect(Box(x, y + (first_line - side) / 2, side, side), self.entries[k][1])
        )
        marks.texts.append(lab.at(self.texts.style.block_id, x + side + self._gap(self.size), y))


def show_legend(block: ChartBlock, data: ChartData) -> bool:
    if block.legend is not None:
        return block.legend
    if block.kind in ("donut", "pie"):
        return True
    return len(data.names) > 1 and all(data.names)
