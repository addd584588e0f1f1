"""Where every block goes: canvas presets live in the spec; this package plans boxes.

:func:`plan` picks a strategy (:mod:`.choose`: stack, grid, hero, comparison, timeline,
columns, poster; ``spec.layout`` overrides), negotiates sizes and regions, falls back to
other strategies before giving up (:mod:`.planner`), and records what it did on the
:class:`Layout` (``strategy``, ``notes``); :func:`audit_layout` checks the result.
"""

from factframe.layout.audit import (
    Audit,
    Check,
    Issue,
    ItemAudit,
    alignment_score,
    audit_layout,
    overlap_score,
)
from factframe.layout.charts import layout_chart
from factframe.layout.choose import FALLBACKS, Choice, choose
from factframe.layout.context import MARGIN_RATIO, safe_area
from factframe.layout.contrast import AA_LARGE, AA_NORMAL, is_large_text, pixel_contrasts
from factframe.layout.labels import LabelPlacement, LabelRequest, place_labels
from factframe.layout.model import (
    LOGO_ID,
    Box,
    CardItem,
    Dot,
    IconItem,
    ImageItem,
    Layout,
    LayoutItem,
    MapItem,
    Outline,
    Polygon,
    Polyline,
    Rect,
    RuleItem,
    Shape,
    ShapeItem,
    TextItem,
    Wedge,
)
from factframe.layout.planner import STRATEGIES, plan
from factframe.layout.styles import ROLES, contrast_ratio, legibility_floor, relative_luminance

__all__ = [
    "AA_LARGE",
    "AA_NORMAL",
    "FALLBACKS",
    "LOGO_ID",
    "MARGIN_RATIO",
    "ROLES",
    "STRATEGIES",
    "Audit",
    "Box",
    "CardItem",
    "Check",
    "Choice",
    "Dot",
    "IconItem",
    "ImageItem",
    "Issue",
    "ItemAudit",
    "LabelPlacement",
    "LabelRequest",
    "Layout",
    "LayoutItem",
    "MapItem",
    "Outline",
    "Polygon",
    "Polyline",
    "Rect",
    "RuleItem",
    "Shape",
    "ShapeItem",
    "TextItem",
    "Wedge",
    "alignment_score",
    "audit_layout",
    "choose",
    "contrast_ratio",
    "is_large_text",
    "layout_chart",
    "legibility_floor",
    "overlap_score",
    "pixel_contrasts",
    "place_labels",
    "plan",
    "relative_luminance",
    "safe_area",
]
