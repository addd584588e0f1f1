"""Editing sessions: pixels outside an edited block stay, only changed layers are built,
undo and redo restore pixels exactly, failed edits change nothing, facts are fetched once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import factframe
from factframe import (
    AddBlock,
    EditError,
    Move,
    RemoveBlock,
    Restyle,
    Session,
    SetBrand,
    SetCanvas,
    SetFact,
    SetLocale,
    SetText,
    TemplateError,
)
from factframe.generator.layers import layer_runs
from factframe.grounding.provider import PROVIDERS, ProviderContext
from factframe.knowledge import Fact, FactRequest
from factframe.spec import Stat
from tests.imports import loaded_by_import
from tests.session.helpers import card, changed, outside

NOW = datetime(2026, 6, 21, 12, 0, tzinfo=UTC)


def fresh(session: Session) -> np.ndarray:
    """What a one-off render of the session's spec draws."""
    pixels: np.ndarray = factframe.render(session.spec, offline=True, now=NOW).pixels
    return pixels


def test_the_first_picture_is_what_render_draws() -> None:
    s = Session(card())
    assert np.array_equal(s.rendered.pixels, factframe.render(card()).pixels)
    assert s.last.how == "planned" and s.last.redrawn == (0, 0, 1080, 1080)
    assert s.rendered.audit.ok


def test_a_restyle_changes_only_pixels_in_its_region() -> None:
    s = Session(card())
    before = s.rendered.pixels.copy()
    hits, misses = s.cache.hits, s.cache.misses
    s.apply(Restyle(block="title-0", color="#ffb300"))
    after = s.rendered.pixels
    diff = changed(before, after)
    assert diff.any()
    assert not (diff & outside(s.layout, "title-0")).any()
    # one layer built (the title's text), every other one from the cache
    assert s.cache.misses - misses == 1 and s.last.built == ("title-0",)
    runs = len(layer_runs(s.layout.items))
    assert s.cache.hits - hits == runs  # the background and every run but the title's
    assert s.last.how == "refitted" and s.last.changed == ("title-0",)
    assert np.array_equal(after, fresh(s))  # the same as drawing it all anew


def test_set_text_that_fits_keeps_everything_else() -> None:
    s = Session(card())
    before = s.rendered.pixels.copy()
    boxes = {i.block_id: i.box for i in s.layout.items if i.block_id != "high"}
    s.apply(SetText(block="high", field="value", text="25"))
    diff = changed(before, s.rendered.pixels)
    assert diff.any() and not (diff & outside(s.layout, "high")).any()
    assert {i.block_id: i.box for i in s.layout.items if i.block_id != "high"} == boxes
    assert s.last.built == ("high",)  # the value's text run; its card is unchanged
    # a shorter paragraph keeps its region (one line less), so nothing else moves
    before = s.rendered.pixels.copy()
    s.apply(SetText(block="text-4", text="Sunny."))
    diff = changed(before, s.rendered.pixels)
    assert diff.any() and not (diff & outside(s.layout, "text-4")).any()
    assert s.last.how == "refitted"
    assert "session: text-4 refitted in its region" in s.layout.notes


def test_text_that_no_longer_fits_is_planned_afresh() -> None:
    s = Session(card())
    s.apply(SetText(block="subtitle-1", text="A forecast for the next six days " * 3))
    assert s.last.how == "planned"
    assert np.array_equal(s.rendered.pixels, fresh(s))
    assert s.rendered.audit.ok


def test_undo_and_redo_restore_the_exact_pixels() -> None:
    s = Session(card())
    with pytest.raises(EditError, match="nothing to undo"):
        s.undo()
    states = [s.rendered.pixels.copy()]
    for op in (
        Restyle(block="title-0", color="#ffb300"),
        SetText(block="low", field="value", text="16"),
        AddBlock(block=Stat(value="3", label="rain")),
        SetCanvas(size="portrait"),
    ):
        s.apply(op)
        states.append(s.rendered.pixels.copy())
    specs = [s.spec]
    for expected in reversed(states[:-1]):
        s.undo()
        assert np.array_equal(s.rendered.pixels, expected)
        specs.append(s.spec)
    assert not s.can_undo and s.can_redo
    assert s.last.how == "restored" and s.last.built == ()
    for expected in states[1:]:
        s.redo()
        assert np.array_equal(s.rendered.pixels, expected)
    assert s.spec == specs[0]
    with pytest.raises(EditError, match="nothing to redo"):
        s.redo()
    s.undo()
    s.apply(RemoveBlock(block="low"))  # a new edit forgets what was undone
    assert not s.can_redo


def test_the_history_is_the_context_with_one_turn_per_edit() -> None:
    s = Session(card())
    assert s.history.locale == "en" and s.history.brand is not None and not s.history.turns
    s.apply(Restyle(block="title-0", color="#ff0000"), SetText(block="title-0", text="Lisbon"))
    s.apply(SetLocale(locale="pt-PT"))
    turns = s.history.turns
    assert [t.role for t in turns] == ["user", "user"]
    assert [i.text for i in turns[0].items] == [  # type: ignore[union-attr]
        'restyle {"block":"title-0","color":"#ff0000"}',
        'set_text {"block":"title-0","text":"Lisbon"}',
    ]
    assert s.history.locale == "pt-PT"
    assert s.rendered.context == s.history
    s.undo()
    assert len(s.history.turns) == 1 and s.history.locale == "en"


@pytest.mark.parametrize(
    "op",
    [
        AddBlock(block=Stat(id="rain", value="3 mm", label="rain"), at=4),
        RemoveBlock(block="text-4"),
        Move(block="list-5", after="subtitle-1"),
        SetLocale(locale="ar"),
        SetCanvas(size="og"),
        SetBrand(palette={"surface": "#fff3e0"}),
    ],
    ids=lambda op: op.op,
)
def test_ops_that_move_blocks_plan_afresh(op: Any) -> None:
    s = Session(card())
    s.apply(op)
    assert s.last.how == "planned"
    assert np.array_equal(s.rendered.pixels, fresh(s))
    assert s.rendered.size == (s.spec.canvas.width, s.spec.canvas.height)


def test_failed_edits_leave_the_session_unchanged() -> None:
    s = Session(card())
    s.apply(Restyle(block="title-0", color="#ff0000"))
    spec, history, pixels = s.spec, s.history, s.rendered.pixels.copy()
    with pytest.raises(EditError, match=r"ops\[1\] \(set_text\) field 'block': no block 'nope'"):
        s.apply(Restyle(block="title-0", color="#00ff00"), SetText(block="nope", text="x"))
    with pytest.raises(TemplateError, match=r"blocks\[0\]\.text"):  # fails when bound
        s.apply(SetText(block="title-0", text="{{ nothing.here }}"))
    with pytest.raises(EditError, match="no operations"):
        s.apply()
    assert s.spec == spec and s.history == history
    assert np.array_equal(s.rendered.pixels, pixels)
    s.undo()
    assert s.spec.blocks[0].style.color is None  # the one good edit is what undo undoes


def test_an_rtl_block_is_refitted_in_place() -> None:
    spec = card(locale="ar")
    spec["blocks"][0]["text"] = "الطقس في لشبونة"
    s = Session(spec)
    before = s.rendered.pixels.copy()
    s.apply(SetText(block="title-0", text="الطقس في بورتو"))
    assert s.last.how == "refitted"
    diff = changed(before, s.rendered.pixels)
    assert diff.any() and not (diff & outside(s.layout, "title-0")).any()
    title = next(t for t in s.layout.texts if t.block_id == "title-0")
    assert title.text.align == "right"


def test_a_painted_picture_is_painted_once() -> None:
    spec = card()
    spec["blocks"][4] = {"type": "image", "prompt": "calm sea at dawn", "backend": "procedural"}
    s = Session(spec)
    s.apply(Restyle(block="title-0", color="#ffb300"))
    assert s.last.built == ("title-0",)  # the picture came from the cache
    before = s.rendered.pixels.copy()
    s.apply(SetText(block="image-4", field="prompt", text="stormy sea at night"))
    assert s.last.how == "refitted" and s.last.built == ("image-4",)
    diff = changed(before, s.rendered.pixels)
    assert diff.any() and not (diff & outside(s.layout, "image-4")).any()
    assert [g.block_id for g in s.rendered.generated] == ["image-4"]


class Counting:
    """A provider that counts its fetches and passes them on."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.calls = inner, 0
        self.name, self.offline_capable = inner.name, inner.offline_capable
        self.params = getattr(inner, "params", None)

    async def fetch(self, request: FactRequest, ctx: ProviderContext) -> Fact:
        self.calls += 1
        fact: Fact = await self.inner.fetch(request, ctx)
        return fact


CITY = {
    "facts": {
        "city": {"provider": "geocode", "name": "Lisbon"},
        "sun": {"provider": "sun", "place": "{{ city }}", "date": "2026-06-21"},
    },
    "blocks": [
        {"type": "title", "text": "{{ city.name }}"},
        {"type": "stat", "id": "rise", "value": "{{ sun.sunrise | time }}", "label": "sunrise"},
        {"type": "text", "text": "Long days in June."},
    ],
}


def test_facts_are_resolved_once_and_reused(tmp_path: Any) -> None:
    geocode = Counting(PROVIDERS.get("geocode"))
    with PROVIDERS.enabled("geocode", geocode):
        s = Session(
            CITY, offline=True, now=NOW, store=factframe.knowledge.KnowledgeStore(tmp_path / "f.db")
        )
        assert geocode.calls == 1
        s.apply(Restyle(block="title-0", color="#d32f2f"))
        s.apply(SetText(block="text-2", text="{{ city.name }} in June."))
        s.undo()
        s.redo()
        assert geocode.calls == 1
        assert s.rendered.facts is not None and set(s.rendered.facts.facts) == {"city", "sun"}
        texts = {t.block_id: t.text.text for t in s.layout.texts}
        assert texts["text-2"] == "Lisbon in June." and texts["title-0"] == "Lisbon"
        # a new request is resolved (the others come from the session, not the provider)
        s.apply(
            SetFact(name="clock", request={"provider": "time", "place": "{{ city }}"}),
            AddBlock(block=Stat(value="{{ clock.utc_offset }}", label="UTC offset")),
        )
        assert "clock" in s.rendered.facts.facts
        assert s.history.facts.keys() >= {"city", "sun", "clock"}


def test_relayout_plans_afresh() -> None:
    s = Session(card())
    s.apply(SetText(block="text-4", text="Sunny."))
    assert s.last.how == "refitted"
    s.relayout()
    assert s.last.how == "planned"
    assert np.array_equal(s.rendered.pixels, fresh(s))


def test_a_partial_redraw_over_a_photo_is_exact() -> None:
    """A scaled photo is sampled differently under a translation: re-drawn rectangles are
    drawn in place (clipped), so they match a full draw to the bit."""
    photo = Path(__file__).parents[2] / "examples" / "product-mug.png"
    spec = {
        "canvas": {
            "width": 1080,
            "height": 1080,
            "background": {"type": "image", "src": str(photo)},
        },
        "blocks": [
            {"type": "title", "text": "Morning mug"},
            {"type": "text", "text": "Stoneware, 350 ml"},
            {"type": "stat", "value": "12", "label": "colours"},
        ],
    }
    s = Session(spec)
    s.apply(SetText(block="text-1", text="Stoneware, 350 ml, dishwasher safe"))
    s.apply(Restyle(block="title-0", color="#3a0ca3"))
    assert s.last.redrawn is not None and s.last.redrawn != (0, 0, 1080, 1080)
    assert np.array_equal(s.rendered.pixels, fresh(s))
    s.undo()
    assert np.array_equal(s.rendered.pixels, fresh(s))


def test_pixels_are_read_only_and_exports_work(tmp_path: Path) -> None:
    s = Session(card())
    s.apply(Restyle(block="title-0", color="#ffb300"))
    with pytest.raises(ValueError, match="read-only"):
        s.rendered.pixels[0, 0] = 0
    assert s.rendered.to_bytes("pdf").startswith(b"%PDF")
    assert b"<svg" in s.rendered.to_bytes("svg")
    assert s.rendered.save(tmp_path / "card.png").stat().st_size > 1000
    assert s.image.size == (1080, 1080)


def test_import_factframe_loads_no_session_code() -> None:
    session = ("factframe.session", "factframe.edits", "factframe.brief", "factframe.llm")
    assert loaded_by_import((*session, "langchain_core")) == []
