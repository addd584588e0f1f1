"""factframe: real facts into correct pictures.

>>> import factframe
>>> card = factframe.render({"canvas": "square", "blocks": [{"type": "title", "text": "Hi"}]})
>>> card.save("hi.png")  # doctest: +SKIP
"""

from factframe.errors import (
    FactframeError,
    GroundingError,
    ImageError,
    LayoutError,
    MissingDependencyError,
    MissingGlyphError,
    RenderError,
    SpecError,
    TemplateError,
    TextOverflowError,
    UnsafeURLError,
)
from factframe.generator import Rendered
from factframe.layout import Audit, Layout
from factframe.pipeline import render
from factframe.spec import (
    Brand,
    Canvas,
    ChartBlock,
    Divider,
    Footer,
    ImageBlock,
    ListBlock,
    Palette,
    Series,
    Spec,
    Stat,
    Subtitle,
    Text,
    Title,
    load_spec,
    parse_spec,
)
from factframe.templates.batch import batch
from factframe.typography import FontLibrary

__version__ = "0.1.0"

__all__ = [
    "Audit",
    "Brand",
    "Canvas",
    "ChartBlock",
    "Divider",
    "FactframeError",
    "FontLibrary",
    "Footer",
    "GroundingError",
    "ImageBlock",
    "ImageError",
    "Layout",
    "LayoutError",
    "ListBlock",
    "MissingDependencyError",
    "MissingGlyphError",
    "Palette",
    "RenderError",
    "Rendered",
    "Series",
    "Spec",
    "SpecError",
    "Stat",
    "Subtitle",
    "TemplateError",
    "Text",
    "TextOverflowError",
    "Title",
    "UnsafeURLError",
    "__version__",
    "batch",
    "load_spec",
    "parse_spec",
    "render",
]
