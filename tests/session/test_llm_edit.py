"""``Session.edit``: a chat model proposes edit operations; they apply all or none."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from langchain_core.messages import AIMessage

from factframe import EditError, EditPlan, MissingDependencyError, Restyle, Session
from tests.session.fakes import fake, tool_call
from tests.session.helpers import card

RED_TITLE = {"op": "restyle", "block": "title-0", "color": "#d32f2f"}
HUMIDITY = {
    "op": "add_block",
    "block": {"type": "stat", "value": "{{ now.humidity | unit }}", "label": "humidity"},
}
NOW = {
    "op": "set_fact",
    "name": "now",
    "request": {"provider": "weather", "place": "{{ city }}", "current": ["humidity"]},
}


def test_an_instruction_becomes_edits_applied_together() -> None:
    llm = fake(tool_call("EditPlan", {"ops": [RED_TITLE, {**HUMIDITY, "block": {
        "type": "stat", "value": "64%", "label": "humidity"}}]}))  # fmt: skip
    s = Session(card(), llm=llm)
    edits = s.edit("make the title red and add the humidity, 64%")
    assert [op.op for op in edits.ops] == ["restyle", "add_block"]
    assert s.spec.blocks[0].style.color == "#d32f2fff"
    assert s.spec.blocks[-1].value == "64%"  # type: ignore[union-attr]
    # the model was shown the spec and the instruction
    prompt = llm.asked[0]
    assert "make the title red" in prompt[-1][1]
    assert "Weather in Lisbon" in prompt[-1][1]
    # the history holds the instruction and the plan, as two turns
    user, assistant = s.history.turns
    assert user.role == "user" and user.items[0].text.startswith("make the title red")  # type: ignore[union-attr]
    assert assistant.role == "assistant"
    assert EditPlan.model_validate_json(assistant.items[0].text) == edits  # type: ignore[union-attr]
    s.undo()  # one edit, one undo
    assert s.spec.blocks[0].style.color is None and len(s.spec.blocks) == 6


def test_edits_may_add_facts_grounding_resolves() -> None:
    city = {"op": "set_fact", "name": "city", "request": {"provider": "geocode", "name": "Lisbon"}}
    clock = {
        "op": "set_fact",
        "name": "clock",
        "request": {"provider": "time", "place": "{{ city }}"},
    }
    stat = {"op": "add_block", "block": {"type": "stat", "value": "{{ clock.utc_offset }}",
            "label": "UTC offset"}}  # fmt: skip
    s = Session(card(), llm=fake(tool_call("EditPlan", {"ops": [city, clock, stat]})), offline=True)
    s.edit("add Lisbon's UTC offset")
    texts = {t.block_id: t.text.text for t in s.layout.texts}
    assert s.rendered.facts is not None and set(s.rendered.facts.facts) == {"city", "clock"}
    assert texts["stat-6"] and texts["sources"].startswith("Sources:")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (tool_call("EditPlan", {"ops": [{"op": "recolour", "block": "title-0"}]}),
         "not a valid EditPlan: ops.0: Input tag 'recolour'"),
        (tool_call("EditPlan", {"ops": [{"op": "restyle", "blok": "title-0"}]}),
         "not a valid EditPlan: ops.0.restyle.block: Field required"),
        (AIMessage(content="Sure! I made the title red."), "gave no EditPlan"),
        (tool_call("EditPlan", {"ops": []}), "proposed no operations"),
        (tool_call("EditPlan", {"ops": [RED_TITLE, {"op": "remove_block", "block": "x"}]}),
         r"ops\[1\] \(remove_block\) field 'block': no block 'x'"),
        (tool_call("EditPlan", {"ops": [{"op": "set_text", "block": "high", "field": "value",
                                         "text": "31"}]}),
         r"ops\[0\] \(set_text\) field 'value': the model wrote 31"),
        (tool_call("EditPlan", {"ops": [HUMIDITY | {"block": {"type": "stat", "value": "58 %"}}]}),
         r"field 'block.value': the model wrote 58"),
        (tool_call("EditPlan", {"ops": [{"op": "set_fact", "name": "now", "request": {
            "provider": "weather", "lat": 38.7, "lon": -9.1}}]}),
         "coordinates are never taken from a model"),
        (tool_call("EditPlan", {"ops": [NOW, HUMIDITY]}),  # {{ city }} is not a fact here
         "refers to 'city', which is not a fact"),
    ],
    ids=["unknown-op", "missing-field", "no-structure", "empty", "bad-block", "invented-number",
         "invented-in-block", "coordinates", "unknown-fact"],
)  # fmt: skip
def test_a_bad_answer_is_a_clear_error_and_changes_nothing(answer: AIMessage, message: str) -> None:
    s = Session(card(), llm=fake(answer))
    s.apply(Restyle(block="low", color="#00695c"))
    spec, history, pixels = s.spec, s.history, s.rendered.pixels.copy()
    with pytest.raises(EditError, match=message):
        s.edit("make the title red and add the humidity")
    assert s.spec == spec and s.history == history
    assert np.array_equal(s.rendered.pixels, pixels)


def test_numbers_the_user_wrote_are_allowed() -> None:
    op = {"op": "set_text", "block": "high", "field": "value", "text": "31"}
    s = Session(card(), llm=fake(tool_call("EditPlan", {"ops": [op]})))
    s.edit("set the high to 31")
    assert s.spec.blocks[2].value == "31"  # type: ignore[union-attr]


def test_edit_needs_a_model_and_langchain(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(
        EditError, match=r"no chat model; create the session with Session\(spec, llm="
    ):
        Session(card()).edit("make it red")
    s = Session(card(), llm=fake(tool_call("EditPlan", {"ops": [RED_TITLE]})))
    monkeypatch.setitem(sys.modules, "langchain_core", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'factframe\[llm\]'"):
        s.edit("make it red")


def test_a_model_without_structured_output_is_named() -> None:
    class Plain:
        def with_structured_output(self, schema: object, **kwargs: object) -> object:
            raise NotImplementedError("with_structured_output is not implemented for this model.")

    with pytest.raises(EditError, match="cannot give structured output"):
        Session(card(), llm=Plain()).edit("make it red")
