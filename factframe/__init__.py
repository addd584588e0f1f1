"""factframe: real facts into correct pictures.

>>> import factframe
>>> card = factframe.render({"canvas": "square", "blocks": [{"type": "title", "text": "Hi"}]})
>>> card.save("hi.png")  # doctest: +SKIP
"""

import importlib
from typing import TYPE_CHECKING, Any

from factframe.errors import (
    BackendAuthError,
    BackendError,
    BackendRateLimited,
    DraftError,
    EditError,
    FactframeError,
    GroundingError,
    ImageError,
    LayoutError,
    MissingCredentialsError,
    MissingDependencyError,
    MissingGlyphError,
    RenderError,
    SafetyRefusal,
    SpecError,
    TemplateError,
    TextOverflowError,
    UnsafeURLError,
)
from factframe.generator import Rendered
from factframe.generator.backends import ImageBackend, get_backend
from factframe.layout import Audit, Layout
from factframe.pipeline import render
from factframe.spec import (
    Brand,
    Canvas,
    ChartBlock,
    Divider,
    Footer,
    IconBlock,
    ImageBlock,
    ListBlock,
    MapBlock,
    Palette,
    PictogramBlock,
    ProcessBlock,
    ProgressBlock,
    Series,
    Spec,
    Stat,
    Subtitle,
    TableBlock,
    Text,
    TimelineBlock,
    Title,
    load_spec,
    parse_spec,
)
from factframe.typography import FontLibrary

if TYPE_CHECKING:  # imported on first use (see __getattr__), so ``import factframe`` stays fast
    from factframe.annotation import annotate, annotate_spec
    from factframe.brief import plan
    from factframe.edits import (
        AddBlock,
        EditPlan,
        Move,
        RemoveBlock,
        Restyle,
        SetBrand,
        SetCanvas,
        SetFact,
        SetLocale,
        SetText,
    )
    from factframe.mockups import mockup, mockup_spec
    from factframe.session import Session
    from factframe.spec_annotation import AnnotationSpec, CameraPose, Poi
    from factframe.spec_mockup import MockupSpec
    from factframe.templates.batch import batch

_LAZY = {
    "plan": "factframe.brief",
    "Session": "factframe.session",
    "annotate": "factframe.annotation",
    "annotate_spec": "factframe.annotation",
    "mockup": "factframe.mockups",
    "mockup_spec": "factframe.mockups",
    "MockupSpec": "factframe.spec_mockup",
    "batch": "factframe.templates.batch",
    **dict.fromkeys(("AnnotationSpec", "CameraPose", "Poi"), "factframe.spec_annotation"),
    **dict.fromkeys(
        (
            "AddBlock", "EditPlan", "Move", "RemoveBlock", "Restyle", "SetBrand", "SetCanvas",
            "SetFact", "SetLocale", "SetText",
        ),
        "factframe.edits",
    ),
}  # fmt: skip


def __getattr__(name: str) -> Any:
    """Batches, photo annotation, mockups, editing sessions, edit operations and brief
    planning, imported on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'factframe' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "AddBlock",
    "AnnotationSpec",
    "Audit",
    "BackendAuthError",
    "BackendError",
    "BackendRateLimited",
    "Brand",
    "CameraPose",
    "Canvas",
    "ChartBlock",
    "Divider",
    "DraftError",
    "EditError",
    "EditPlan",
    "FactframeError",
    "FontLibrary",
    "Footer",
    "GroundingError",
    "IconBlock",
    "ImageBackend",
    "ImageBlock",
    "ImageError",
    "Layout",
    "LayoutError",
    "ListBlock",
    "MapBlock",
    "MissingCredentialsError",
    "MissingDependencyError",
    "MissingGlyphError",
    "MockupSpec",
    "Move",
    "Palette",
    "PictogramBlock",
    "Poi",
    "ProcessBlock",
    "ProgressBlock",
    "RemoveBlock",
    "RenderError",
    "Rendered",
    "Restyle",
    "SafetyRefusal",
    "Series",
    "Session",
    "SetBrand",
    "SetCanvas",
    "SetFact",
    "SetLocale",
    "SetText",
    "Spec",
    "SpecError",
    "Stat",
    "Subtitle",
    "TableBlock",
    "TemplateError",
    "Text",
    "TextOverflowError",
    "TimelineBlock",
    "Title",
    "UnsafeURLError",
    "__version__",
    "annotate",
    "annotate_spec",
    "batch",
    "get_backend",
    "load_spec",
    "mockup",
    "mockup_spec",
    "parse_spec",
    "plan",
    "render",
]
