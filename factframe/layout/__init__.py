"""Where every block goes: canvas presets live in the spec; this package plans boxes."""

from factframe.layout.flow import plan
from factframe.layout.model import (
    LOGO_ID,
    Box,
    CardItem,
    ImageItem,
    Layout,
    LayoutItem,
    RuleItem,
    TextItem,
)
from factframe.layout.styles import ROLES, contrast_ratio, legibility_floor, relative_luminance

__all__ = [
    "LOGO_ID",
    "ROLES",
    "Box",
    "CardItem",
    "ImageItem",
    "Layout",
    "LayoutItem",
    "RuleItem",
    "TextItem",
    "contrast_ratio",
    "legibility_floor",
    "plan",
    "relative_luminance",
]
