"""The layout audit: is a picture legible, tidy and inside its margins?

:func:`audit_layout` checks a :class:`Layout` (and, when given, the pixels drawn from it) and
returns an :class:`Audit`: typed :class:`Issue` records, one measured row per text and image
item, and two layout metrics from the layout-generation literature. The checks and the exact
formulas:

overlap (check, and the metric ``Ove`` as in PosterLayout / LayoutGAN++)
    The subjects are text and image items; each is compared with every other item (text,
    image, card, rule, shapes). Text on a card of its own block that contains it is nesting,
    not an overlap (that is how the planner represents stat cards and carded blocks: a
    :class:`CardItem` and text items with the same ``block_id``); so is a chart's text among
    its own marks (a shape item of the same block: the chart planner keeps its labels clear
    of its bars and lines, and the contrast check reads what is around them), and so is a
    map's labels on its basemap (a :class:`MapItem` of the same block: the map planner keeps
    them inside it, clear of every marker). Intersections
    thinner than 0.5 px are touching edges, not overlaps. Each overlapping pair is an issue
    valued ``|a ∩ b| / min(|a|, |b|)``; the metric is
    ``Ove = 1/N · Σ_i Σ_{j ∈ P(i)} |b_i ∩ b_j| / |b_i|`` over the N subjects i and their
    partners P(i).

alignment (metric only, ``Ali`` as in LayoutGAN / LayoutGAN++ / content-aware layout GAN)
    For every item i of the layout with edges ``x_l, x_c, x_r`` divided by the canvas width
    and ``y_t, y_c, y_b`` divided by its height,
    ``d_i = min_{j ≠ i} min_{k ∈ {l, c, r, t, c, b}} |e_i^k − e_j^k|`` (like edges only:
    left with left, middle with middle…) and ``Ali = 1/N · Σ_i −log(1 − d_i)``; 0 for a
    perfectly aligned layout and for fewer than two items.

safe area (check)
    Every item lies inside the planner's safe area, :func:`safe_area` (margins of
    ``MARGIN_RATIO`` of the short side), within 0.5 px. The issue's value is how many px it
    sticks out. Backdrop is bounded by the canvas instead: a backdrop photo (an
    :class:`ImageItem` with ``backdrop``), marks pinned to places in it (a
    :class:`ShapeItem` with ``pinned``: an annotation's highlights and leader lines) and
    scrims (a :class:`CardItem` with ``scrim``: an underlay drawn below every text so text
    reads on a picture); the overlap check leaves them out (what lies on a backdrop is meant
    to; the annotation planner keeps leaders off labels exactly, not by bounding boxes).

notices (not a check)
    What the picture does not show and a reader should know (an annotation's points culled
    behind the camera or left without a label): ``Layout.notices``, carried as they are.

font size (check)
    Every text item's size ≥ its role's legibility floor
    (:func:`~factframe.layout.styles.legibility_floor`; the lower floor for the small roles,
    captions and footers). A block's ``style.min_size`` may let the planner go lower; the
    audit still flags it.

contrast (check, WCAG 2.x, measured on the pixels)
    The text is painted again onto a coverage mask and its colour compared with the opaque
    background pixels around its ink; it passes when the **5th percentile** of those
    contrast ratios reaches 4.5:1, or 3:1 for large text. The exact rules are in
    :mod:`factframe.layout.contrast`.

missing glyphs, overflow (checks; 0 expected)
    The pipeline raises :class:`~factframe.errors.MissingGlyphError` and
    :class:`~factframe.errors.TextOverflowError` before drawing, so a rendered layout should
    have neither; the audit checks again: every character against the text's font chain, and
    the measured paragraph (line boxes and ink, :func:`~factframe.typography.measure`)
    against its box, within 1 px.

stray text (check; 0 expected)
    A picture a model painted still showed text after every retry of the stray-text guard
    (:mod:`factframe.generator.backends.generation`); models paint pictures, never words.
    Added by :attr:`factframe.generator.Rendered.audit`, which knows how pictures were made.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from factframe.errors import MissingGlyphError
from factframe.layout.context import safe_area
from factframe.layout.contrast import (
    CONTRAST_PERCENTILE,
    ink_coverage,
    required_contrast,
    text_contrast,
)
from factframe.layout.model import (
    LOGO_ID,
    Box,
    CardItem,
    ImageItem,
    Layout,
    LayoutItem,
    ShapeItem,
    TextItem,
)
from factframe.layout.styles import ROLES, legibility_floor
from factframe.typography import FontLibrary, check_coverage, default_library, measure

__all__ = [
    "Audit",
    "Check",
    "Issue",
    "ItemAudit",
    "alignment_score",
    "audit_layout",
    "overlap_score",
]

# Intersections thinner than this (px) are edges touching, not an overlap.
_TOUCH = 0.5
# How far (px) a box may stick out of the safe area, and ink out of its box.
_SAFE_TOLERANCE = 0.5
_OVERFLOW_TOLERANCE = 1.0

Check = Literal[
    "overlap", "safe_area", "font_size", "contrast", "missing_glyphs", "overflow", "stray_text"
]


@dataclass(frozen=True)
class Issue:
    """One failed check.

    Attributes:
        check: which check failed.
        blocks: the block id(s) involved (two for an overlap).
        value: what was measured (overlap ratio, px outside, font px, contrast ratio,
            missing characters, px of overflow).
        limit: the bound it broke (0 for overlaps, px outside, overflow and glyphs; the floor
            for font sizes; 4.5 or 3 for contrast).
        message: a sentence saying what is wrong and where.
    """

    check: Check
    blocks: tuple[str, ...]
    value: float
    limit: float
    message: str


@dataclass(frozen=True)
class ItemAudit:
    """What the audit measured on one text or image item.

    Attributes:
        block_id: the block the item belongs to (``@logo`` for the brand logo).
        role: the text role (``title``, ``stat.value``…), or ``image`` / ``logo``.
        box: the item's box in px.
        size: font size in px (None for images).
        floor: the legibility floor of the role in px (None for images).
        contrast: the 5th percentile of the WCAG contrast ratios of the text colour against
            its background pixels (None for images, without pixels, or with no opaque
            background pixels to measure).
        mean_contrast: the mean of the same ratios, for comparison.
        required: 4.5 or 3.0 (large text); None for images.
        overlap: Σ |box ∩ other| / |box| over the items it overlaps (0 expected).
        outside: px the box sticks out of the safe area (0 expected).
        overflow: px the measured text sticks out of the box (0 expected).
        missing: characters no font of the chain covers (0 expected).
    """

    block_id: str
    role: str
    box: Box
    size: float | None = None
    floor: float | None = None
    contrast: float | None = None
    mean_contrast: float | None = None
    required: float | None = None
    overlap: float = 0.0
    outside: float = 0.0
    overflow: float = 0.0
    missing: int = 0

    @property
    def ok(self) -> bool:
        """Whether every check passed for this item."""
        contrast_ok = self.contrast is None or self.contrast >= (self.required or 0.0)
        return (
            self.overlap == 0
            and self.outside <= _SAFE_TOLERANCE
            and (self.size is None or self.floor is None or self.size >= self.floor)
            and contrast_ok
            and self.overflow <= _OVERFLOW_TOLERANCE
            and self.missing == 0
        )


_COLUMNS = (
    "block",
    "role",
    "size",
    "floor",
    "contrast 5%",
    "mean",
    "needs",
    "overlap",
    "outside",
    "overflow",
    "missing",
    "ok",
)


@dataclass(frozen=True)
class Audit:
    """The audit of one layout (and its pixels): issues, measurements and metrics.

    ``str(audit)`` is a plain-text table; notebooks show an HTML table.

    Attributes:
        width, height: the canvas in px.
        safe: the safe area the items were checked against.
        items: one row per text and image item, in drawing order.
        issues: every failed check; empty when the layout passes.
        overlap: the ``Ove`` metric (0 = no overlaps).
        alignment: the ``Ali`` metric (0 = every element aligned with another).
        pixels_checked: whether contrast was measured (pixels were given).
        strategy: the planner's strategy that made the layout (``Layout.strategy``).
        notices: what the picture does not show (``Layout.notices``); they do not fail it.
    """

    width: int
    height: int
    safe: Box
    items: tuple[ItemAudit, ...]
    issues: tuple[Issue, ...]
    overlap: float
    alignment: float
    pixels_checked: bool = True
    strategy: str = ""
    notices: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return not self.issues

    def failed(self, check: Check) -> list[Issue]:
        """The issues of one check."""
        return [i for i in self.issues if i.check == check]

    @property
    def metrics(self) -> dict[str, float | int | None]:
        """Numbers for dashboards and benchmarks: the two layout metrics, the smallest font
        and its floor, the worst text contrast (5th percentile) and the count of each
        check's issues."""
        texts = [i for i in self.items if i.size is not None]
        smallest = min(texts, key=lambda i: i.size or 0.0, default=None)
        measured = [i.contrast for i in texts if i.contrast is not None]
        counts = {check: len(self.failed(check)) for check in _CHECKS}
        return {
            "overlap": self.overlap,
            "alignment": self.alignment,
            "min_font_size": smallest.size if smallest else None,
            "min_font_floor": smallest.floor if smallest else None,
            "worst_contrast": min(measured, default=None),
            "overlaps": counts["overlap"],
            "outside_safe_area": counts["safe_area"],
            "below_floor": counts["font_size"],
            "contrast_failures": counts["contrast"],
            "missing_glyphs": sum(i.missing for i in self.items),
            "overflow": counts["overflow"],
        }

    def table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        """The column names and one row of formatted cells per item."""
        rows: list[tuple[str, ...]] = [
            (
                item.block_id,
                item.role,
                _num(item.size, 1),
                _num(item.floor, 1),
                _num(item.contrast, 2),
                _num(item.mean_contrast, 2),
                _num(item.required, 1),
                f"{item.overlap:.3f}",
                f"{item.outside:.1f}",
                f"{item.overflow:.1f}",
                str(item.missing),
                "✓" if item.ok else "✗",
            )
            for item in self.items
        ]
        return _COLUMNS, rows

    def summary(self) -> str:
        """One line: verdict, metrics and the smallest font."""
        m = self.metrics
        verdict = "ok" if self.ok else f"{len(self.issues)} issue(s)"
        parts = [
            f"audit {self.width}×{self.height}: {verdict}",
            f"Ove {self.overlap:.4f}",
            f"Ali {self.alignment:.4f}",
        ]
        if m["min_font_size"] is not None:
            size, floor = m["min_font_size"], m["min_font_floor"]
            parts.append(f"smallest font {size:.1f} px (floor {floor:.1f})")
        if m["worst_contrast"] is not None:
            parts.append(f"worst contrast {m['worst_contrast']:.2f}:1")
        elif not self.pixels_checked:
            parts.append("contrast not measured (no pixels)")
        if self.strategy:
            parts.append(f"layout {self.strategy}")
        return " · ".join(parts)

    def __str__(self) -> str:
        columns, rows = self.table()
        widths = [max(len(c), *(len(r[k]) for r in rows)) for k, c in enumerate(columns)]
        left = 2  # block and role are text: left-aligned; numbers right-aligned

        def line(cells: Sequence[str]) -> str:
            return "  ".join(
                c.ljust(w) if k < left else c.rjust(w)
                for k, (c, w) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()

        out = [self.summary(), line(columns), *(line(r) for r in rows)]
        if self.issues:
            out.append("issues:")
            out += [f"  {i.check}: {i.message}" for i in self.issues]
        if self.notices:
            out.append("notices:")
            out += [f"  {n}" for n in self.notices]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        columns, rows = self.table()
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        issues = "".join(
            f"<li><b>{html.escape(i.check)}</b>: {html.escape(i.message)}</li>" for i in self.issues
        )
        notices = "".join(f"<li>{html.escape(n)}</li>" for n in self.notices)
        return (
            f"<div><p>{html.escape(self.summary())}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            + (f"<ul>{issues}</ul>" if issues else "")
            + (f"<p>notices:</p><ul>{notices}</ul>" if notices else "")
            + "</div>"
        )

    def __repr__(self) -> str:
        return f"<Audit {self.summary()}>"


_CHECKS: tuple[Check, ...] = get_args(Check)


def _num(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


# --- geometry ----------------------------------------------------------------------------


def _intersection(a: Box, b: Box) -> float:
    w = min(a.right, b.right) - max(a.x, b.x)
    h = min(a.bottom, b.bottom) - max(a.y, b.y)
    return w * h if w > _TOUCH and h > _TOUCH else 0.0


def _area(box: Box) -> float:
    return max(0.0, box.w) * max(0.0, box.h)


def _nested(item: LayoutItem, other: LayoutItem) -> bool:
    """Text on a card of its own block, inside it (carded blocks), or among its own block's
    vector marks (a chart's labels and bars)."""
    if not isinstance(item, TextItem) or other.block_id != item.block_id:
        return False
    if isinstance(other, CardItem):
        return other.box.contains(item.box)
    return not isinstance(other, TextItem | ImageItem)  # a shape item (or a rule)


def _on_backdrop(item: LayoutItem) -> bool:
    """A backdrop photo, marks pinned to places in it, or a scrim under text: bounded by
    the canvas and left out of the box overlap check."""
    return (
        (isinstance(item, ImageItem) and item.backdrop)
        or (isinstance(item, ShapeItem) and item.pinned)
        or (isinstance(item, CardItem) and item.scrim)
    )


def _subjects(layout: Layout) -> list[int]:
    return [k for k, i in enumerate(layout.items) if isinstance(i, TextItem | ImageItem)]


def _overlaps(layout: Layout) -> dict[int, list[tuple[int, float]]]:
    """For each subject (text or image item, by index): the other items it overlaps and
    the intersection area in px²."""
    items = layout.items
    found: dict[int, list[tuple[int, float]]] = {}
    for k in _subjects(layout):
        item = items[k]
        hits = []
        for j, other in enumerate(items):
            if j == k or _nested(item, other) or _nested(other, item):
                continue
            if _on_backdrop(item) or _on_backdrop(other):
                continue
            area = _intersection(item.box, other.box)
            if area > 0:
                hits.append((j, area))
        found[k] = hits
    return found


def overlap_score(layout: Layout) -> float:
    """The ``Ove`` metric: mean over text and image items of the share of each box covered
    by other items (its own card excluded); 0 when nothing overlaps."""
    return _ove(layout, _overlaps(layout))


def _ove(layout: Layout, found: dict[int, list[tuple[int, float]]]) -> float:
    if not found:
        return 0.0
    ratios = []
    for k, hits in found.items():
        area = _area(layout.items[k].box)
        ratios.append(sum(a for _, a in hits) / area if area > 0 else 0.0)
    return float(np.mean(ratios))


def alignment_score(boxes: Sequence[Box], width: float, height: float) -> float:
    """The ``Ali`` metric of boxes on a ``width`` × ``height`` canvas.

    ``Ali = 1/N · Σ_i −log(1 − d_i)`` where ``d_i`` is the smallest distance between a
    like edge (left, centre, right; top, middle, bottom) of box i and of any other box, x
    divided by the width and y by the height. 0 when every box shares an edge line with
    another, and for fewer than two boxes.
    """
    n = len(boxes)
    if n < 2:
        return 0.0
    edges = np.array([[b.x, b.x + b.w / 2, b.right, b.y, b.y + b.h / 2, b.bottom] for b in boxes])
    edges = edges / np.array([width, width, width, height, height, height])  # (n, 6)
    diff = np.abs(edges[:, None, :] - edges[None, :, :]).min(axis=2)  # (n, n)
    np.fill_diagonal(diff, np.inf)
    d = np.clip(diff.min(axis=1), 0.0, 1.0 - 1e-9)
    return float(np.mean(-np.log1p(-d)))


# --- text checks -------------------------------------------------------------------------


def _floor(role: str, short_side: int) -> float:
    style = ROLES.get(role) or ROLES.get(role.split(".")[0])
    return legibility_floor(short_side, small=style.small if style else False)


def _missing(item: TextItem, library: FontLibrary) -> int:
    try:
        check_coverage(item.text.text, item.text.families, item.block_id, library)
    except MissingGlyphError as exc:
        return len(exc.chars)
    return 0


def _overflow(item: TextItem, library: FontLibrary) -> float:
    """How far (px) the measured lines or ink reach beyond the item's box."""
    m = measure(item.text, library)
    return max(0.0, m.height - item.box.h, -m.ink_left, m.ink_right - item.box.w)


# --- the audit ---------------------------------------------------------------------------


def _outside(box: Box, safe: Box) -> float:
    return max(
        0.0, safe.x - box.x, safe.y - box.y, box.right - safe.right, box.bottom - safe.bottom
    )


def _name(item: LayoutItem) -> str:
    if isinstance(item, TextItem):
        return f"{item.block_id} ({item.role})"
    if isinstance(item, ImageItem):
        return "the logo" if item.block_id == LOGO_ID else f"{item.block_id} (image)"
    return f"{item.block_id} ({type(item).__name__.removesuffix('Item').lower()})"


def audit_layout(
    layout: Layout, pixels: np.ndarray | None = None, library: FontLibrary | None = None
) -> Audit:
    """Checks a layout and the pixels drawn from it.

    Args:
        layout: the planned layout.
        pixels: the picture drawn from it, (height, width, 4) RGBA uint8; without it the
            contrast check is skipped.
        library: the fonts the layout was set with (the default library otherwise).

    Returns:
        the :class:`Audit`; ``audit.ok`` is True when no check failed.

    Example:
        >>> audit = audit_layout(rendered.layout, rendered.pixels)  # doctest: +SKIP
        >>> audit.ok, audit.metrics["alignment"]  # doctest: +SKIP
    """
    lib = library or default_library()
    short = min(layout.width, layout.height)
    safe = safe_area(layout.width, layout.height)
    items = layout.items
    issues: list[Issue] = []

    # 1. Overlaps: each pair once
    found = _overlaps(layout)
    seen: set[tuple[int, int]] = set()
    for k, hits in found.items():
        for j, area in hits:
            pair = (min(k, j), max(k, j))
            if pair in seen:
                continue
            seen.add(pair)
            a, b = items[k], items[j]
            ratio = area / min(_area(a.box), _area(b.box))
            issues.append(
                Issue(
                    "overlap",
                    (a.block_id, b.block_id),
                    ratio,
                    0.0,
                    f"{_name(a)} overlaps {_name(b)} by {area:.0f} px² "
                    f"({ratio:.1%} of the smaller box)",
                )
            )

    # 2. Safe area: every item
    canvas = Box(0, 0, layout.width, layout.height)
    outside = {
        k: _outside(item.box, canvas if _on_backdrop(item) else safe)
        for k, item in enumerate(items)
    }
    for k, px in outside.items():
        if px > _SAFE_TOLERANCE:
            issues.append(
                Issue(
                    "safe_area",
                    (items[k].block_id,),
                    px,
                    0.0,
                    f"{_name(items[k])} reaches {px:.1f} px outside the safe area "
                    f"({safe.x:.0f} px margins)",
                )
            )

    # 3. Text: floor, contrast, glyphs, overflow
    all_ink = None
    if pixels is not None:
        if pixels.shape[:2] != (layout.height, layout.width):
            raise ValueError(
                f"pixels are {pixels.shape[1]}×{pixels.shape[0]}, "
                f"the layout {layout.width}×{layout.height}"
            )
        all_ink = ink_coverage(layout.texts, 0, 0, layout.width, layout.height, lib)
    rows: list[ItemAudit] = []
    for k in _subjects(layout):
        item = items[k]
        area = _area(item.box)
        covered = sum(a for _, a in found[k]) / area if area > 0 else 0.0
        if isinstance(item, ImageItem):
            role = "logo" if item.block_id == LOGO_ID else "image"
            rows.append(
                ItemAudit(item.block_id, role, item.box, overlap=covered, outside=outside[k])
            )
            continue
        assert isinstance(item, TextItem)
        rows.append(row := _text_row(item, short, covered, outside[k], pixels, all_ink, lib))
        issues += _text_issues(row)
    return Audit(
        layout.width,
        layout.height,
        safe,
        tuple(rows),
        tuple(issues),
        overlap=_ove(layout, found),
        alignment=alignment_score([i.box for i in items], layout.width, layout.height),
        pixels_checked=pixels is not None,
        strategy=layout.strategy,
        notices=layout.notices,
    )


def _text_row(
    item: TextItem,
    short: int,
    covered: float,
    outside: float,
    pixels: np.ndarray | None,
    all_ink: np.ndarray | None,
    library: FontLibrary,
) -> ItemAudit:
    measured = None
    if pixels is not None and all_ink is not None:
        measured = text_contrast(item, pixels, all_ink, library)
    return ItemAudit(
        item.block_id,
        item.role,
        item.box,
        size=item.text.size,
        floor=_floor(item.role, short),
        contrast=measured[0] if measured else None,
        mean_contrast=measured[1] if measured else None,
        required=required_contrast(item, short, library),
        overlap=covered,
        outside=outside,
        overflow=_overflow(item, library),
        missing=_missing(item, library),
    )


def _text_issues(row: ItemAudit) -> list[Issue]:
    assert row.size is not None and row.floor is not None and row.required is not None
    name, contrast = f"{row.block_id} ({row.role})", row.contrast or 0.0
    found: list[tuple[bool, Check, float, float, str]] = [
        (
            row.size < row.floor - 1e-6,
            "font_size",
            row.size,
            row.floor,
            f"{name} is set at {row.size:.1f} px, below the legibility floor {row.floor:.1f} px",
        ),
        (
            row.contrast is not None and row.contrast < row.required,
            "contrast",
            contrast,
            row.required,
            f"{name}: the worst {CONTRAST_PERCENTILE:g} % of its background has contrast "
            f"{contrast:.2f}:1 (mean {row.mean_contrast or 0:.2f}:1), below "
            f"{row.required:g}:1; darken or lighten the text or its background",
        ),
        (
            row.missing > 0,
            "missing_glyphs",
            row.missing,
            0.0,
            f"{name}: {row.missing} character(s) have no glyph in its fonts",
        ),
        (
            row.overflow > _OVERFLOW_TOLERANCE,
            "overflow",
            row.overflow,
            _OVERFLOW_TOLERANCE,
            f"{name}: its text reaches {row.overflow:.1f} px beyond its box",
        ),
    ]
    return [Issue(c, (row.block_id,), v, lim, msg) for bad, c, v, lim, msg in found if bad]
