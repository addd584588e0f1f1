"""The chart planner: a ``chart`` block's marks and text inside the box the flow gave it.

:func:`layout_chart` returns one :class:`~factframe.layout.model.ShapeItem` (bars, lines,
slices, grid, swatches) followed by :class:`~factframe.layout.model.TextItem` s (ticks,
value labels, legend, caption), each set through the typography stack like any other text
(shaping, bidi, the locale's font chain), numbers written by
:func:`~factframe.typography.numbers.format_number` in the locale (its grouping and its
digits: ``de`` 1.234,5; ``ar-EG`` ١٬٢٣٤٫٥; ``hi-IN`` 12,34,567). The kinds live in
:mod:`~factframe.layout.bars` (vertical and horizontal, grouped and stacked),
:mod:`~factframe.layout.lines` (line, area, sparkline) and :mod:`~factframe.layout.radial`
(donut, pie); their axes in :mod:`~factframe.layout.axes`.

Rules every kind follows:

- One size per role (``chart.tick``, ``chart.value``, ``chart.legend``,
  ``chart.caption``), never below the legibility floor; the planner tries the role's size
  and steps down only as far as the text needs.
- No text overlaps another text or a mark: labels keep
  :func:`~factframe.layout.plotting.clearance` from bars, lines and dots, and grid lines
  are cut around value labels (the ring the audit measures contrast over stays clean).
  When labels do not fit, the fallbacks are, in order: a smaller size (down to the
  floor); thinning category labels (every 2nd, 3rd …); the compact number format on a
  value axis too wide for its numbers; value labels inside the bar's end instead of past
  it; and finally no value labels (or a :class:`~factframe.errors.LayoutError` when
  ``value_labels: true`` asked for them). Labels are never rotated, clipped or
  ellipsised; a donut's or pie's values go in its legend, which moves under the circle
  when there is no room beside it.
- Geometry is planned left to right; the flow mirrors it for RTL locales, so categories
  run right to left and the value axis stands on the right.
- Series colours follow the palette roles in
  :data:`~factframe.layout.plotting.COLOR_ORDER` (primary, accent, secondary, muted),
  skipping a role whose contrast with the chart's background is under 3:1 (WCAG non-text
  contrast) or that looks like one already taken, then colour-blind-safe extras
  (Okabe–Ito); a series' ``color`` (a role or a colour) overrides.
"""

from __future__ import annotations

from factframe.errors import SpecError
from factframe.layout.bars import plan_bars
from factframe.layout.lines import plan_line, plan_sparkline
from factframe.layout.model import Box, LayoutItem, ShapeItem
from factframe.layout.plotting import (
    ChartData,
    ChartStyle,
    ChartText,
    Legend,
    Marks,
    clearance,
    show_legend,
)
from factframe.layout.radial import plan_radial
from factframe.layout.styles import ROLES
from factframe.spec import ChartBlock

__all__ = ["ASPECT", "chart_heights", "layout_chart"]

#: Width / height a chart's region takes, when the block sets no ``aspect``.
ASPECT = {"bar": 1.6, "line": 1.8, "area": 1.8, "donut": 2.0, "pie": 2.0, "sparkline": 5.0}
_SPARK_MIN = 0.08  # of the height available to the blocks
_PLOT_MIN = 0.2


def _check_bound(block: ChartBlock, style: ChartStyle) -> None:
    if not block.is_bound:
        raise SpecError(
            "the chart's data table or fact templates are not bound yet; factframe.render() "
            "binds them (pass tables as render(spec, data={...}))",
            style.block_id,
        )


def _series_legend(block: ChartBlock, data: ChartData, texts: ChartText) -> Legend | None:
    """The series' legend under a bar, line or area chart (a sparkline has none; a donut's
    and a pie's name their slices, see :mod:`~factframe.layout.radial`)."""
    if block.kind in ("donut", "pie", "sparkline") or not show_legend(block, data):
        return None
    names = [name or "" for name in data.names]
    return Legend(texts, list(zip(names, data.colors, strict=True)))


def chart_heights(
    block: ChartBlock, width: float, style: ChartStyle, available: float
) -> tuple[float, float]:
    """(smallest, wanted) height of a chart ``width`` px wide: room for its caption and a
    readable plot at least; wanted follows ``aspect`` (or :data:`ASPECT`)."""
    _check_bound(block, style)
    texts = ChartText(style)
    tick = style.sizes["chart.tick"][0] * ROLES["chart.tick"].line_height
    chrome = 0.0
    if block.caption:
        caption = texts.fitted(block.caption, "chart.caption", width)
        chrome += caption.h + clearance(caption.text.size)
    legend = _series_legend(block, ChartData.of(block, style), texts)
    if legend is not None:
        floor = style.sizes["chart.legend"][1]
        chrome += legend.below_height(width, floor) + clearance(floor)
    if block.kind == "sparkline":
        plot = max(_SPARK_MIN * available, 2.4 * tick)
    else:
        plot = max(_PLOT_MIN * available, 6 * tick)
    wanted = width / (block.aspect or ASPECT[block.kind])
    return chrome + plot, max(chrome + plot, wanted)


def layout_chart(block: ChartBlock, box: Box, style: ChartStyle) -> list[LayoutItem]:
    """Plans a bound chart inside ``box`` (left to right; the flow mirrors RTL).

    Returns:
        one :class:`ShapeItem` with every mark, then the text items.

    Raises:
        SpecError: the chart still has a data table or a template (``render`` binds them).
        LayoutError: ``value_labels: true`` but the values cannot be written without
            collisions.
        TextOverflowError: its text does not fit even at the floor.
    """
    _check_bound(block, style)
    texts = ChartText(style)
    data = ChartData.of(block, style)
    marks = Marks()
    region = box
    if block.caption:
        caption = texts.fitted(block.caption, "chart.caption", box.w)
        marks.texts.append(caption.at(style.block_id, box.x, box.bottom - caption.h))
        region = Box(box.x, box.y, box.w, box.h - caption.h - clearance(caption.text.size))
    if block.kind in ("donut", "pie"):
        plan_radial(block, data, region, texts, marks)
    else:
        legend = _series_legend(block, data, texts)
        if legend is not None:
            height = legend.fit_below(region.w, 0.3 * region.h)
            legend.place_below(Box(region.x, region.bottom - height, region.w, height), marks)
            region = Box(region.x, region.y, region.w, region.h - height - clearance(legend.size))
        if block.kind == "bar":
            plan_bars(block, data, region, texts, marks)
        elif block.kind == "sparkline":
            plan_sparkline(block, data, region, texts, marks)
        else:
            plan_line(block, data, region, texts, marks)
    return [ShapeItem(style.block_id, box, tuple(marks.shapes)), *marks.texts]
