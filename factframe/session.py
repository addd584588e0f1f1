"""A multi-turn editing session: typed edits, undo and redo, and only changed layers drawn.

>>> from factframe import Session, SetText, Restyle
>>> s = Session({"canvas": "square", "blocks": [{"type": "title", "text": "Hi"}]})
>>> s.apply(Restyle(block="title-0", color="#d32f2f")).size
(1080, 1080)
>>> s.undo().spec.blocks[0].style.color is None
True

How an edit is drawn:

- **Facts** are resolved once per set of fact requests (and locale) and bound into the
  edited spec's text again after each edit; nothing is fetched again unless an edit asks
  for a new fact (:class:`~factframe.edits.SetFact`) or another locale.
- **Layout**: when an edit leaves the canvas, locale, brand and the order of the blocks as
  they were, every block whose (bound) content changed is refitted inside the region it
  already has (:func:`~factframe.layout.refit.refit_block`), and every other block keeps
  its place, so no pixel outside the edited blocks' regions changes. When a changed block
  no longer fits its region, or the edit adds, removes or moves blocks or changes the
  canvas, locale or brand, the whole layout is planned again (``last.how`` says which).
  :meth:`Session.relayout` plans afresh on purpose.
- **Pixels**: the picture is a stack of cached layers (:mod:`factframe.generator.layers`);
  only layers whose content changed are built (pictures painted, text recorded), and only
  the rectangle they cover is re-drawn; ``cache.hits`` / ``cache.misses`` count it.
- **History**: the session's :class:`~factframe.knowledge.Context` (locale, brand, facts)
  gets one turn per applied edit (its operations as JSON) and, for :meth:`Session.edit`,
  the user's instruction before it. :meth:`undo` and :meth:`redo` step through whole
  states, so pixels after an undo are those from before the edit, exactly.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

from factframe.edits import EditOp, EditPlan, apply_ops
from factframe.errors import EditError
from factframe.generator import Rendered, ensure_contrast
from factframe.generator.layers import Compositor, Layer, LayerCache, layered_scene
from factframe.knowledge import BrandItem, Context, Fact, FactReport, KnowledgeStore, LocaleItem
from factframe.layout import Layout, plan
from factframe.layout.refit import refit_block
from factframe.llm import ask, ungrounded_numbers, written_numbers
from factframe.pipeline import bind_facts, load_brand_fonts
from factframe.spec import Spec, load_spec, parse_spec
from factframe.typography import FontLibrary, default_library

if TYPE_CHECKING:
    from factframe.grounding import HttpClient

__all__ = ["Session", "SessionStep"]

_EDIT_SYSTEM = (
    "You edit a picture described by a JSON spec. Answer with an EditPlan: the edit "
    "operations that do what the user asks, in order. Name blocks by their id. Never write "
    "a number yourself: show numbers through facts as {{ fact.field }} templates (add a "
    "fact request with set_fact when the spec lacks one; places come from a geocode fact, "
    "e.g. place: '{{ city }}'), or use numbers the user wrote. Keep everything else as it is."
)


@dataclass(frozen=True)
class SessionStep:
    """How the current picture was made.

    Attributes:
        how: ``planned`` (the whole layout planned), ``refitted`` (changed blocks refitted
            in their regions, the rest kept), ``kept`` (no block's layout changed) or
            ``restored`` (undo/redo).
        changed: ids of the blocks whose content changed.
        built: block ids of the layers built (the others came from the cache).
        redrawn: the rectangle re-drawn ``(left, top, right, bottom)``; None when no
            pixel changed.
    """

    how: str
    changed: tuple[str, ...] = ()
    built: tuple[str, ...] = ()
    redrawn: tuple[int, int, int, int] | None = None


@dataclass(frozen=True)
class _State:
    spec: Spec  # as the user edits it: templates unbound
    bound: Spec
    report: FactReport | None
    planned: Layout  # before contrast fixes (what refits start from)
    layout: Layout
    layers: tuple[Layer, ...]
    context: Context
    step: SessionStep = field(default_factory=lambda: SessionStep("planned"))


class Session:
    """An editing session over one spec.

    Args:
        spec: a :class:`Spec`, a dict, or the path of a JSON/YAML spec file.
        llm: a langchain-core chat model for :meth:`edit` (extra ``llm``).
        cache_size: how many layers the layer cache keeps.
        library, store, offline, now, max_stale, http, data, context: as for
            :func:`factframe.render`.

    Attributes:
        llm: the chat model :meth:`edit` asks (may be set later).
        cache: the layer cache; ``cache.hits`` and ``cache.misses`` count layers reused
            and built.

    Raises:
        SpecError, GroundingError, TemplateError, MissingGlyphError, TextOverflowError,
        ImageError, BackendError: as :func:`factframe.render` does, for the first picture.
    """

    def __init__(
        self,
        spec: Spec | dict[str, Any] | str | Path,
        *,
        llm: Any = None,
        library: FontLibrary | None = None,
        store: KnowledgeStore | None = None,
        offline: bool = False,
        now: datetime | None = None,
        max_stale: timedelta | None = None,
        http: HttpClient | None = None,
        data: Mapping[str, Any] | None = None,
        context: Context | None = None,
        cache_size: int = 512,
    ) -> None:
        if isinstance(spec, str | Path):
            spec = load_spec(spec)
        self.llm = llm
        self._library = library or default_library()
        self._store, self._offline, self._http, self._data = store, offline, http, data
        self._now = now
        self._max_stale = max_stale
        self._base = context or Context()
        self._resolved: dict[Hashable, tuple[dict[str, Fact], frozenset[str], datetime]] = {}
        self.cache = LayerCache(self._library, cache_size)
        self._compositor = Compositor()
        self._undo: list[_State] = []
        self._redo: list[_State] = []
        self._state = self._build(parse_spec(spec), None, self._base)
        self._rendered: Rendered | None = None

    # --- what the session shows --------------------------------------------------------

    @property
    def spec(self) -> Spec:
        """The spec as edited (fact templates unbound)."""
        return self._state.spec

    @property
    def layout(self) -> Layout:
        return self._state.layout

    @property
    def rendered(self) -> Rendered:
        """The current picture (pixels composed from the cached layers)."""
        if self._rendered is None:
            state = self._state
            w, h = state.layout.width, state.layout.height
            pixels = self._compositor.draw(state.layers, w, h)
            self._state = state = _with_redrawn(state, self._compositor.redrawn)
            scene = layered_scene(state.layers, w, h)
            self._rendered = Rendered(
                state.bound,
                state.layout,
                scene,
                self._library,
                facts=state.report,
                context=state.context,
                pixels=pixels,
            )
        return self._rendered

    @property
    def image(self) -> Image.Image:
        """The current picture as a Pillow image."""
        return self.rendered.image

    @property
    def history(self) -> Context:
        """The interleaved context: the given context, the locale, the brand and the
        facts, then one turn per edit (undone edits are not in it)."""
        return self._state.context

    @property
    def last(self) -> SessionStep:
        """How the current picture was made (planned or refitted, what was re-drawn)."""
        self.rendered  # noqa: B018 - the redrawn rectangle is known once drawn
        return self._state.step

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    # --- editing -----------------------------------------------------------------------

    def apply(self, *ops: EditOp) -> Rendered:
        """Applies edit operations in order, all or none, and returns the new picture.

        Raises:
            EditError: an operation does not fit the spec (names it and the field); the
                session is unchanged.
            GroundingError, TemplateError, MissingGlyphError, TextOverflowError…: the edited
                spec cannot be rendered; the session is unchanged.
        """
        if not ops:
            raise EditError("no operations given", "apply")
        turn = self._state.context.turn("user", *(op.describe() for op in ops))
        return self._commit(apply_ops(self.spec, list(ops)), turn)

    def edit(self, instruction: str) -> EditPlan:
        """Asks the session's chat model for edits that do what ``instruction`` says, and
        applies them atomically. Returns the plan applied (also in :attr:`history`).

        Raises:
            MissingDependencyError: langchain-core is not installed.
            EditError: no model is configured, its answer is not a valid plan, an operation
                does not fit, or it wrote a number the instruction does not contain; the
                session is unchanged.
        """
        if self.llm is None:
            raise EditError("no chat model; create the session with Session(spec, llm=model)")
        spec_json = self.spec.model_dump_json(exclude_unset=True)
        messages = [
            ("system", _EDIT_SYSTEM),
            ("human", f"The spec:\n{spec_json}\n\nThe edit: {instruction}"),
        ]
        edits = ask(self.llm, EditPlan, messages, lambda m: EditError(m, "edit"))
        if not edits.ops:
            raise EditError("the model proposed no operations", "edit")
        _check_numbers(edits, [instruction, spec_json])
        spec = apply_ops(self.spec, edits)
        context = self._state.context.turn("user", instruction)
        context = context.turn("assistant", edits.model_dump_json())
        self._commit(spec, context)
        return edits

    def relayout(self) -> Rendered:
        """Plans the whole layout afresh (an edited layout keeps blocks where they were)."""
        self._commit(self.spec, self._state.context, replan=True)
        return self.rendered

    def undo(self) -> Rendered:
        """Steps back one edit.

        Raises:
            EditError: there is nothing to undo.
        """
        if not self._undo:
            raise EditError("nothing to undo", "undo")
        self._redo.append(self._state)
        self._restore(self._undo.pop())
        return self.rendered

    def redo(self) -> Rendered:
        """Applies again the edit last undone.

        Raises:
            EditError: there is nothing to redo.
        """
        if not self._redo:
            raise EditError("nothing to redo", "redo")
        self._undo.append(self._state)
        self._restore(self._redo.pop())
        return self.rendered

    # --- the machinery -----------------------------------------------------------------

    def _restore(self, state: _State) -> None:
        self._state = _with_step(state, SessionStep("restored", ()))
        self._rendered = None

    def _commit(self, spec: Spec, context: Context, replan: bool = False) -> Rendered:
        state = self._build(spec, self._state, context, replan)
        self._undo.append(self._state)
        self._redo.clear()
        self._state = state
        self._rendered = None
        return self.rendered

    def _build(
        self, spec: Spec, previous: _State | None, context: Context, replan: bool = False
    ) -> _State:
        """The state of ``spec``: facts bound, laid out (from ``previous`` where it can,
        unless ``replan``), its layers built or found; ``context`` gets what changed (the
        locale, the brand, new facts)."""
        load_brand_fonts(spec, self._library)
        facts, stale, moment = self._facts(spec)
        bound, report = bind_facts(spec, facts, stale, moment, self._data)
        if previous is None or bound.locale != previous.bound.locale:
            context = context.add(LocaleItem(locale=bound.locale))
        if previous is None or bound.brand != previous.bound.brand:
            context = context.add(BrandItem(brand=bound.brand))
        if report is not None:
            known = previous.report.facts if previous and previous.report else {}
            new = {k: v for k, v in report.facts.items() if known.get(k) != v}
            if new:
                context = context.add_facts(new, report.stale)
        planned, how, changed = self._layout(bound, None if replan else previous)
        key = _facts_key(facts)
        layers = self.cache.layers(bound, planned, report.facts if report else None, key)
        built = list(self.cache.built)
        scene = layered_scene(layers, planned.width, planned.height)
        layout, _ = ensure_contrast(bound, planned, scene, self._library)
        if layout is not planned:  # recoloured texts or scrims: their layers change
            layers = self.cache.layers(bound, layout, report.facts if report else None, key)
            built += self.cache.built
        step = SessionStep(how, tuple(changed), tuple(built))
        return _State(spec, bound, report, planned, layout, tuple(layers), context, step)

    def _facts(self, spec: Spec) -> tuple[dict[str, Fact], frozenset[str], datetime]:
        """The spec's facts, resolved once per set of requests and locale."""
        if not spec.facts:
            return {}, frozenset(), self._now or datetime.now(UTC)
        key = (json.dumps(spec.facts, sort_keys=True, default=str), spec.locale)
        found = self._resolved.get(key)
        if found is None:
            from factframe.grounding.resolve import resolve_in_store

            moment = self._now or datetime.now(UTC)
            resolution = resolve_in_store(
                spec.facts,
                store=self._store,
                http=self._http,
                offline=self._offline,
                locale=spec.locale,
                now=moment,
                max_stale=self._max_stale,
            )
            found = self._resolved[key] = (resolution.facts, resolution.stale, moment)
        return found

    def _layout(self, bound: Spec, previous: _State | None) -> tuple[Layout, str, list[str]]:
        """The layout: the previous one with changed blocks refitted where the frame is the
        same and they still fit, else planned afresh."""
        if previous is None or not _same_frame(previous.bound, bound):
            return plan(bound, self._library), "planned", _all_ids(bound)
        old = {b.id: b for b in previous.bound.blocks}
        changed = [b.id or "" for b in bound.blocks if old.get(b.id) != b]
        layout: Layout | None = previous.planned
        for block_id in changed:
            assert layout is not None
            layout = refit_block(bound, layout, block_id, self._library)
            if layout is None:
                return plan(bound, self._library), "planned", changed
        assert layout is not None
        return layout, "refitted" if changed else "kept", changed


def _all_ids(spec: Spec) -> list[str]:
    return [b.id or "" for b in spec.blocks]


def _same_frame(a: Spec, b: Spec) -> bool:
    """Whether two bound specs differ at most in the content of their blocks."""
    return (
        a.canvas == b.canvas
        and a.locale == b.locale
        and a.brand == b.brand
        and a.layout == b.layout
        and _all_ids(a) == _all_ids(b)
    )


def _facts_key(facts: Mapping[str, Fact]) -> Hashable:
    return tuple(sorted((name, fact.model_dump_json()) for name, fact in facts.items()))


def _with_redrawn(state: _State, redrawn: tuple[int, int, int, int] | None) -> _State:
    step = state.step
    return _with_step(state, SessionStep(step.how, step.changed, step.built, redrawn))


def _with_step(state: _State, step: SessionStep) -> _State:
    return replace(state, step=step)


def _check_numbers(edits: EditPlan, allowed: list[str]) -> None:
    """Refuses numbers a model wrote that the user did not (see :mod:`factframe.llm`)."""
    for i, op in enumerate(edits.ops):
        where = f"ops[{i}] ({op.op})"
        texts: list[tuple[str, str]] = []
        if op.op == "set_text":
            texts = [(op.field, op.text)]
        elif op.op == "add_block":
            texts = written_numbers(op.block.model_dump(exclude_unset=True), "block")
        elif op.op == "set_fact" and op.request is not None:
            coords = sorted(set(op.request) & {"lat", "lon"})
            if coords:
                raise EditError(
                    "coordinates are never taken from a model; use place: '{{ city }}' with a "
                    "geocode fact",
                    where,
                    f"request.{coords[0]}",
                )
        for path, text in texts:
            invented = ungrounded_numbers(text, allowed)
            if invented:
                raise EditError(
                    f"the model wrote {', '.join(invented)}, which the instruction does not "
                    "contain; numbers must come from facts ({{ fact.field }})",
                    where,
                    path,
                )
