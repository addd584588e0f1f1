"""Where every block goes: canvas presets live in the spec; this package plans boxes."""

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
from factframe.layout.contrast import AA_LARGE, AA_NORMAL, is_large_text, pixel_contrasts
from factframe.layout.flow import MARGIN_RATIO, plan, safe_area
from factframe.layout.model import (
    LOGO_ID,
    Box,
    CardItem,
    Dot,
    ImageItem,
    Layout,
    LayoutItem,
    Polygon,
    Polyline,
    Rect,
    RuleItem,
    Shape,
    ShapeItem,
    TextItem,
    Wedge,
)
from factframe.layout.styles import ROLES, contrast_ratio, legibility_floor, relative_luminance

__all__ = [
    "AA_LARGE",
    "AA_NORMAL",
    "LOGO_ID",
    "MARGIN_RATIO",
    "ROLES",
    "Audit",
    "Box",
    "CardItem",
    "Check",
    "Dot",
    "ImageItem",
    "Issue",
    "ItemAudit",
    "Layout",
    "LayoutItem",
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
    "contrast_ratio",
    "is_large_text",
    "layout_chart",
    "legibility_floor",
    "overlap_score",
    "pixel_contrasts",
    "plan",
    "relative_luminance",
    "safe_area",
]
