"""The orchestration: spec → facts → bound text → layout → scene → rendered picture."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factframe.errors import SpecError
from factframe.generator import Rendered, build_scene, ensure_contrast
from factframe.knowledge import BrandItem, Context, Fact, FactReport, KnowledgeStore, LocaleItem
from factframe.layout import plan
from factframe.spec import (
    ChartBlock,
    MapBlock,
    ProcessBlock,
    Spec,
    TimelineBlock,
    parse_spec,
)
from factframe.typography import FontLibrary, default_library

if TYPE_CHECKING:
    from factframe.grounding import HttpClient
    from factframe.spec_annotation import AnnotationSpec
    from factframe.spec_mockup import MockupSpec

__all__ = ["bind_facts", "load_brand_fonts", "render", "render_bound"]


def load_brand_fonts(spec: Spec, library: FontLibrary) -> None:
    """Adds the brand's font files to the library (once per file and process).

    Raises:
        SpecError: a font file is missing or not a font (names ``brand.fonts.files[i]``).
    """
    for i, file in enumerate(spec.brand.fonts.files):
        try:
            library.add_file(file)
        except (OSError, ValueError) as exc:
            raise SpecError(str(exc), f"brand.fonts.files[{i}]") from None


def render(
    spec: Spec | AnnotationSpec | MockupSpec | dict[str, Any] | str | Path,
    *,
    library: FontLibrary | None = None,
    store: KnowledgeStore | None = None,
    offline: bool = False,
    now: datetime | None = None,
    max_stale: timedelta | None = None,
    context: Context | None = None,
    http: HttpClient | None = None,
    data: Mapping[str, Any] | None = None,
) -> Rendered:
    """Renders a spec to a picture, resolving and binding its facts first.

    Args:
        spec: a :class:`Spec`, a dict, or the path of a JSON/YAML spec file; a document
            with ``kind: annotation`` (a photo labelled, :func:`factframe.annotate_spec`)
            or ``kind: mockup`` (a design in a scene, :func:`factframe.mockup_spec`) too.
        library: fonts to use; the process-wide default library otherwise.
        store: the fact store (cache); the default store in the user's cache folder
            otherwise (``FACTFRAME_STORE`` overrides its path).
        offline: use only the store and offline providers: no network.
        now: the moment facts are resolved at (reproducible renders and tests).
        max_stale: how long past its expiry a stored fact may stand in for a failed fetch.
        context: earlier context (reference images, turns) the render's context extends.
        http: the HTTP client providers use (a new one per render otherwise).
        data: tables for charts, by the name their ``data`` field gives: pandas
            DataFrames, mappings of columns, or lists of row mappings.

    Returns:
        a :class:`Rendered`: ``.image``, ``.to_bytes("png")``, ``.save("out.pdf")``,
        ``.layout``, ``.facts`` (each fact with provenance and the blocks that used it),
        ``.context`` (the given context + the locale, the brand and the facts, in order).

    Raises:
        SpecError: the spec is invalid (the message names the field).
        GroundingError: facts could not be resolved (each one is named, with the reason).
        TemplateError: a block's text template is wrong (names the block field).
        MissingGlyphError: a character has no font.
        TextOverflowError: the text does not fit even at the legibility floor.
        ImageError: a picture is missing, unreadable or too large.
        BackendError: an image backend failed to paint a generated picture.

    Example:
        >>> render({"canvas": "og", "blocks": [{"type": "title", "text": "Hi"}]}).size
        (1200, 630)
    """
    # 1. Validate the spec; a photo annotation or a mockup goes its own way
    other_kind = (isinstance(spec, dict) and "kind" in spec) or not isinstance(spec, Spec | dict)
    if isinstance(spec, str | Path) or other_kind:
        from factframe.spec_documents import load_document, parse_document

        doc = load_document(spec) if isinstance(spec, str | Path) else parse_document(spec)
        if not isinstance(doc, Spec):
            return _render_document(doc, library, store, offline, now, max_stale, http)
        spec = doc
    spec = parse_spec(spec)
    lib = library or default_library()
    load_brand_fonts(spec, lib)
    # 2. Resolve facts and bind them into the blocks' text, with a sources line
    moment = now or datetime.now(UTC)
    facts, stale = _resolve(spec, store, offline, moment, max_stale, http)
    spec, report = bind_facts(spec, facts, stale, moment, data)
    ctx = (context or Context()).add(LocaleItem(locale=spec.locale), BrandItem(brand=spec.brand))
    if report is not None:
        ctx = ctx.add_facts(dict(report.facts), report.stale)
    # 3.–5. Plan the layout, build the scene, fix the contrast
    return render_bound(spec, lib, report, ctx)


def render_bound(
    spec: Spec, library: FontLibrary, report: FactReport | None, context: Context
) -> Rendered:
    """Renders a spec whose facts are bound already (steps 3–5 of :func:`render`, which a
    mockup repeats to draw a rendered design again at another shape).

    Args:
        report: the facts bound into ``spec`` (None when it has none).
        context: the render's context (a model backend is given it).
    """
    # 3. Plan the layout (text is shaped and fitted here)
    layout = plan(spec, library)
    # 4. Build the scene (pictures decoded or painted here); pixels are drawn when first
    #    asked for (a model backend is given the context: references, turns, locale, brand,
    #    facts)
    scene = build_scene(spec, layout, report.facts if report is not None else None, context)
    # 5. Text over pictures the planner could not see: recolour or underlay what fails
    layout, scene = ensure_contrast(spec, layout, scene, library)
    return Rendered(spec, layout, scene, library, facts=report, context=context)


def _render_document(
    doc: AnnotationSpec | MockupSpec,
    library: FontLibrary | None,
    store: KnowledgeStore | None,
    offline: bool,
    now: datetime | None,
    max_stale: timedelta | None,
    http: HttpClient | None,
) -> Rendered:
    """An annotation (photo, pose, points of interest) or a mockup (design, scene)."""
    if doc.kind == "annotation":
        from factframe.annotation import annotate_spec

        return annotate_spec(
            doc, store=store, offline=offline, http=http, now=now, max_stale=max_stale,
            library=library,
        )  # fmt: skip
    from factframe.mockups import mockup_spec

    return mockup_spec(doc, library=library, offline=offline)


def _has_templates(spec: Spec) -> bool:
    return any("{{" in s or "{%" in s for b in spec.blocks for s in _texts(b))


def _texts(block: Any) -> list[str]:
    if isinstance(block, ChartBlock | TimelineBlock | ProcessBlock | MapBlock):
        return block.template_strings()
    names = ("text", "value", "label", "unit", "caption", "prompt")
    fields = [getattr(block, f, None) for f in names]
    return [f for f in [*fields, *getattr(block, "items", [])] if isinstance(f, str)]


def _needs_binding(block: ChartBlock) -> bool:
    return not block.is_bound or block.label_format is not None


def _resolve(
    spec: Spec,
    store: KnowledgeStore | None,
    offline: bool,
    now: datetime,
    max_stale: timedelta | None,
    http: HttpClient | None,
) -> tuple[dict[str, Fact], frozenset[str]]:
    """The spec's facts, resolved (none without fact requests), and the stale ones."""
    if not spec.facts:
        return {}, frozenset()
    from factframe.grounding.resolve import resolve_in_store

    resolution = resolve_in_store(
        spec.facts,
        store=store,
        http=http,
        offline=offline,
        locale=spec.locale,
        now=now,
        max_stale=max_stale,
    )
    return resolution.facts, resolution.stale


def bind_facts(
    spec: Spec,
    facts: Mapping[str, Fact],
    stale: frozenset[str] = frozenset(),
    now: datetime | None = None,
    data: Mapping[str, Any] | None = None,
) -> tuple[Spec, FactReport | None]:
    """Binds facts resolved earlier into a spec's text and charts, with a sources line, as
    :func:`render` does (an editing session resolves its facts once and binds them after
    every edit).

    Returns:
        the bound spec, and the fact report (None when the spec needs no facts).

    Raises:
        TemplateError: a block's text template is wrong (names the block field).
        SpecError: a bound block is invalid (names the field).
    """
    from factframe.templates.bind import apply_brand, bind_spec, with_sources

    if spec.facts or _has_templates(spec):
        known = dict(facts)
        bound, used_by = bind_spec(apply_brand(spec, known), known, data)
        report = FactReport(known, stale, used_by, now or datetime.now(UTC))
        return with_sources(bound, report), report
    if any(isinstance(b, ChartBlock) and _needs_binding(b) for b in spec.blocks):
        return bind_spec(spec, {}, data)[0], None
    return spec, None
