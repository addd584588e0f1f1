"""Type roles, legibility floors and readable colours.

Sizes are px on a 1080 px canvas (short side) and scale with it, so a spec looks the same
at 1080 and at 8K. Colours come from the brand palette; a text colour is checked against
the background it sits on (WCAG 2.x contrast) and swapped for a readable one if needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from factframe.spec import Background, Palette, parse_color

__all__ = [
    "REFERENCE_SIDE",
    "ROLES",
    "RoleStyle",
    "background_colors",
    "contrast_ratio",
    "legibility_floor",
    "readable",
    "relative_luminance",
]

REFERENCE_SIDE = 1080
RGBA = tuple[int, int, int, int]
PaletteRole = Literal["primary", "secondary", "accent", "background", "surface", "text", "muted"]


@dataclass(frozen=True)
class RoleStyle:
    """Default typography of a text role."""

    size: float
    weight: int
    color: PaletteRole
    line_height: float
    small: bool = False  # captions and footers have the lower floor


ROLES: dict[str, RoleStyle] = {
    "title": RoleStyle(76, 700, "text", 1.15),
    "subtitle": RoleStyle(40, 400, "muted", 1.3),
    "text": RoleStyle(32, 400, "text", 1.45),
    "list": RoleStyle(32, 400, "text", 1.4),
    "stat.value": RoleStyle(84, 700, "primary", 1.1),
    "stat.label": RoleStyle(28, 600, "text", 1.25),
    "stat.caption": RoleStyle(24, 400, "muted", 1.3, small=True),
    "stat.hero": RoleStyle(168, 700, "primary", 1.05),  # the lead number of a hero layout
    "timeline.date": RoleStyle(30, 700, "primary", 1.25),  # a timeline event's date
    # diagram blocks: a timeline event's title and text, a process step's number, title and
    # text, a map marker's label
    "event.title": RoleStyle(28, 700, "text", 1.2),
    "event.text": RoleStyle(24, 400, "muted", 1.3, small=True),
    "step.number": RoleStyle(24, 700, "primary", 1.2, small=True),
    "step.title": RoleStyle(28, 700, "text", 1.2),
    "step.text": RoleStyle(24, 400, "text", 1.3, small=True),
    "map.label": RoleStyle(24, 600, "text", 1.2, small=True),
    # an annotated photo's callout cards: the point's name; its distance, description, hours
    "label.name": RoleStyle(30, 700, "text", 1.2),
    "label.detail": RoleStyle(23, 400, "muted", 1.2, small=True),
    "footer": RoleStyle(22, 400, "muted", 1.3, small=True),
    # chart text: axis ticks and category labels, values by their marks, legend, caption
    "chart.tick": RoleStyle(24, 400, "muted", 1.2, small=True),
    "chart.value": RoleStyle(24, 600, "text", 1.2, small=True),
    "chart.legend": RoleStyle(26, 400, "text", 1.25, small=True),
    "chart.caption": RoleStyle(24, 400, "muted", 1.3, small=True),
    # infographic blocks: an icon's label, a pictogram's label and caption, a progress
    # value and label, a table's header and cells
    "icon.label": RoleStyle(28, 600, "text", 1.25),
    "pictogram.label": RoleStyle(30, 600, "text", 1.25),
    "pictogram.caption": RoleStyle(24, 400, "muted", 1.3, small=True),
    "progress.value": RoleStyle(44, 700, "primary", 1.1),
    "progress.label": RoleStyle(28, 600, "text", 1.25),
    "table.header": RoleStyle(26, 700, "text", 1.25),
    "table.cell": RoleStyle(26, 400, "text", 1.3),
    "table.caption": RoleStyle(24, 400, "muted", 1.3, small=True),
}


def legibility_floor(short_side: int, small: bool = False) -> float:
    """The smallest font size allowed: 2 % of the short side and ≥ 14 px for body text;
    1.5 % and ≥ 12 px for captions and footers."""
    return max(12.0, 0.015 * short_side) if small else max(14.0, 0.02 * short_side)


def relative_luminance(color: RGBA) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (alpha ignored)."""

    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGBA, b: RGBA) -> float:
    """WCAG 2.x contrast ratio, 1…21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def background_colors(background: Background | None, palette: Palette) -> list[RGBA]:
    """The colours text may sit on: a fill, every gradient stop, or a dimmed photo's likely
    range (its mid-grey and white, darkened by ``dim``)."""
    if background is None:
        return [parse_color(palette.background)]
    if isinstance(background, str):
        return [parse_color(background)]
    if background.type == "image":
        keep = 1 - background.dim
        return [(round(v * keep), round(v * keep), round(v * keep), 255) for v in (128, 255)]
    return [parse_color(c) for c in background.colors]


def readable(preferred: RGBA, fallbacks: list[RGBA], on: list[RGBA], minimum: float) -> RGBA:
    """``preferred`` if it reaches ``minimum`` contrast on every colour of ``on``, else the
    candidate with the best worst-case contrast."""

    def worst(color: RGBA) -> float:
        return min(contrast_ratio(color, bg) for bg in on)

    if worst(preferred) >= minimum:
        return preferred
    return max([preferred, *fallbacks], key=worst)
