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
from factframe.spec import ChartBlock, Spec, load_spec, parse_spec
from factframe.typography import FontLibrary, default_library

if TYPE_CHECKING:
    from factframe.grounding import HttpClient

__all__ = ["load_brand_fonts", "render"]


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
    spec: Spec | dict[str, Any] | str | Path,
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
        spec: a :class:`Spec`, a dict, or the path of a JSON/YAML spec file.
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
    # 1. Validate the spec
    if isinstance(spec, str | Path):
        spec = load_spec(spec)
    spec = parse_spec(spec)
    lib = library or default_library()
    load_brand_fonts(spec, lib)
    # 2. Resolve facts and bind them into the blocks' text, with a sources line
    report = None
    if spec.facts or _has_templates(spec):
        spec, report = _ground(spec, store, offline, now, max_stale, http, data)
    elif any(isinstance(b, ChartBlock) and _needs_binding(b) for b in spec.blocks):
        from factframe.templates.bind import bind_spec

        spec, _ = bind_spec(spec, {}, data)  # tables and label formats; no facts
    # 3. Plan the layout (text is shaped and fitted here)
    layout = plan(spec, lib)
    # 4. Build the scene (pictures decoded or painted here); pixels are drawn when first
    #    asked for
    scene = build_scene(spec, layout, report.facts if report is not None else None)
    # 5. Text over pictures the planner could not see: recolour or underlay what fails
    layout, scene = ensure_contrast(spec, layout, scene, lib)
    ctx = (context or Context()).add(LocaleItem(locale=spec.locale), BrandItem(brand=spec.brand))
    if report is not None:
        ctx = ctx.add_facts(dict(report.facts), report.stale)
    return Rendered(spec, layout, scene, lib, facts=report, context=ctx)


def _has_templates(spec: Spec) -> bool:
    return any("{{" in s or "{%" in s for b in spec.blocks for s in _texts(b))


def _texts(block: Any) -> list[str]:
    if isinstance(block, ChartBlock):
        return block.template_strings()
    fields = [getattr(block, f, None) for f in ("text", "value", "label", "unit", "caption")]
    return [f for f in [*fields, *getattr(block, "items", [])] if isinstance(f, str)]


def _needs_binding(block: ChartBlock) -> bool:
    return not block.is_bound or block.label_format is not None


def _ground(
    spec: Spec,
    store: KnowledgeStore | None,
    offline: bool,
    now: datetime | None,
    max_stale: timedelta | None,
    http: HttpClient | None,
    data: Mapping[str, Any] | None = None,
) -> tuple[Spec, FactReport]:
    from factframe.grounding.resolve import DEFAULT_MAX_STALE, resolve, run_coroutine
    from factframe.templates.bind import apply_brand, bind_spec, with_sources

    moment = now or datetime.now(UTC)
    facts: dict[str, Fact] = {}
    stale: frozenset[str] = frozenset()
    if spec.facts:
        own = store is None
        db = KnowledgeStore() if own else store
        try:
            resolution = run_coroutine(
                resolve(
                    spec.facts,
                    store=db,
                    http=http,
                    offline=offline,
                    locale=spec.locale,
                    now=moment,
                    max_stale=max_stale or DEFAULT_MAX_STALE,
                )
            )
        finally:
            if own and db is not None:
                db.close()
        facts, stale = resolution.facts, resolution.stale
    bound, used_by = bind_spec(apply_brand(spec, facts), facts, data)
    report = FactReport(facts, stale, used_by, moment)
    return with_sources(bound, report), report
