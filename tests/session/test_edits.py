"""Edit operations on specs: each one, its errors, and plans applied all or none."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from factframe import EditError
from factframe.edits import (
    AddBlock,
    EditOp,
    EditPlan,
    Move,
    RemoveBlock,
    Restyle,
    SetBrand,
    SetCanvas,
    SetFact,
    SetLocale,
    SetText,
    apply_ops,
)
from factframe.spec import Spec, Stat, parse_spec
from tests.session.helpers import card


@pytest.fixture
def spec() -> Spec:
    return parse_spec(card())


def ids(spec: Spec) -> list[str]:
    return [b.id or "" for b in spec.blocks]


def test_set_text_fields(spec: Spec) -> None:
    assert SetText(block="title-0", text="Rain").apply(spec).blocks[0].text == "Rain"  # type: ignore[union-attr]
    stat = SetText(block="high", field="label", text="max").apply(spec).blocks[2]
    assert isinstance(stat, Stat) and stat.label == "max" and stat.value == "24"
    items = SetText(block="list-5", field="items[1]", text="Tue: rain").apply(spec).blocks[5]
    assert items.items == ["Mon: sunny", "Tue: rain"]  # type: ignore[union-attr]
    assert spec.blocks[0].text == "Weather in Lisbon"  # type: ignore[union-attr]  # unchanged


def test_set_text_errors_name_the_op_and_field(spec: Spec) -> None:
    with pytest.raises(EditError, match="no block 'nope'; the blocks are title-0") as err:
        SetText(block="nope", text="x").apply(spec)
    assert (err.value.op, err.value.field) == ("set_text", "block")
    with pytest.raises(EditError, match="a title block has no text field 'value'") as err:
        SetText(block="title-0", field="value", text="x").apply(spec)
    assert err.value.field == "field"
    with pytest.raises(EditError, match=r"items\[0\]…items\[1\]"):
        SetText(block="list-5", field="items[7]", text="x").apply(spec)
    with pytest.raises(EditError) as err:
        SetText(block="title-0", text="").apply(spec)
    assert err.value.field == "blocks[0].text"


def test_restyle_merges_and_validates(spec: Spec) -> None:
    once = Restyle(block="title-0", color="#d32f2f").apply(spec)
    twice = Restyle(block="title-0", weight=400).apply(once)
    style = twice.blocks[0].style
    assert (style.color, style.weight) == ("#d32f2fff", 400)
    with pytest.raises(EditError, match="not a colour") as err:
        Restyle(block="title-0", color="reddish").apply(spec)
    assert (err.value.op, err.value.field) == ("restyle", "blocks[0].style.color")
    with pytest.raises(EditError, match="nothing to change"):
        Restyle(block="title-0").apply(spec)


def test_move(spec: Spec) -> None:
    assert ids(Move(block="low", before="high").apply(spec))[2:4] == ["low", "high"]
    assert ids(Move(block="title-0", after="subtitle-1").apply(spec))[:2] == [
        "subtitle-1",
        "title-0",
    ]
    assert ids(Move(block="title-0", index=-1).apply(spec))[-1] == "title-0"
    assert ids(Move(block="list-5", index=0).apply(spec))[0] == "list-5"
    with pytest.raises(EditError, match="exactly one of before, after or index"):
        Move(block="low", before="high", index=0).apply(spec)
    with pytest.raises(EditError, match="outside 0…5"):
        Move(block="low", index=9).apply(spec)
    with pytest.raises(EditError, match="no block 'x'") as err:
        Move(block="low", after="x").apply(spec)
    assert err.value.field == "after"


def test_add_and_remove(spec: Spec) -> None:
    added = AddBlock(block=Stat(value="{{ now.humidity }}", label="humidity")).apply(spec)
    assert ids(added)[-1] == "stat-6" and len(added.blocks) == 7
    first = AddBlock(block=Stat(id="rain", value="3"), at=0).apply(spec)
    assert ids(first)[0] == "rain"
    with pytest.raises(EditError, match="the id 'high' is taken"):
        AddBlock(block=Stat(id="high", value="3")).apply(spec)
    assert ids(RemoveBlock(block="low").apply(spec)) == [
        "title-0", "subtitle-1", "high", "text-4", "list-5",
    ]  # fmt: skip
    only = parse_spec({"blocks": [{"type": "title", "text": "x"}]})
    with pytest.raises(EditError, match="at least one block"):
        RemoveBlock(block="title-0").apply(only)


def test_add_keeps_footers_last() -> None:
    spec = parse_spec({"blocks": [{"type": "title", "text": "x"}, {"type": "footer", "text": "f"}]})
    added = AddBlock(block=Stat(value="1")).apply(spec)
    assert [b.type for b in added.blocks] == ["title", "stat", "footer"]


def test_locale_canvas_brand(spec: Spec) -> None:
    assert SetLocale(locale="ja-JP").apply(spec).locale == "ja-JP"
    with pytest.raises(EditError, match="unknown locale") as err:
        SetLocale(locale="xx-nope").apply(spec)
    assert err.value.field == "locale"
    story = SetCanvas(size="story").apply(spec)
    assert (story.canvas.width, story.canvas.height) == (1080, 1920)
    assert story.canvas.background == spec.canvas.background  # kept
    wide = SetCanvas(size="1600x900").apply(spec)
    assert (wide.canvas.width, wide.canvas.height) == (1600, 900)
    with pytest.raises(EditError, match="unknown canvas"):
        SetCanvas(size="huge").apply(spec)
    branded = SetBrand(palette={"primary": "#ff0000"}, fonts={"heading": ["Noto Serif"]}).apply(
        spec
    )
    assert branded.brand.palette.primary == "#ff0000ff"
    assert branded.brand.palette.text == spec.brand.palette.text  # the rest kept
    assert branded.brand.fonts.heading == ["Noto Serif"]
    with pytest.raises(EditError, match="nothing to change"):
        SetBrand().apply(spec)


def test_set_fact_checks_the_provider_and_parameters(spec: Spec) -> None:
    city = SetFact(name="city", request={"provider": "geocode", "name": "Lisbon"}).apply(spec)
    now = SetFact(
        name="now", request={"provider": "weather", "place": "{{ city }}", "current": ["humidity"]}
    ).apply(city)
    assert now.facts["now"]["current"] == ["humidity"]
    with pytest.raises(EditError, match="unknown provider 'wether'") as err:
        SetFact(name="x", request={"provider": "wether"}).apply(spec)
    assert (err.value.op, err.value.field) == ("set_fact", "request")
    with pytest.raises(EditError, match="parameter 'dayz': unknown parameter"):
        SetFact(name="w", request={"provider": "weather", "place": "{{ city }}", "dayz": 3}).apply(
            city
        )
    with pytest.raises(EditError, match="refers to 'town', which is not a fact"):
        SetFact(name="w", request={"provider": "weather", "place": "{{ town }}"}).apply(city)
    assert "city" not in SetFact(name="city", request=None).apply(city).facts


def test_a_plan_is_all_or_none(spec: Spec) -> None:
    plan = EditPlan(
        ops=[Restyle(block="title-0", color="#ff0000"), SetText(block="gone", text="x")]
    )
    with pytest.raises(EditError, match=r"ops\[1\] \(set_text\) field 'block': no block") as err:
        apply_ops(spec, plan)
    assert err.value.op == "ops[1] (set_text)"
    assert spec.blocks[0].style.color is None


def test_ops_round_trip_through_json() -> None:
    plan = EditPlan(
        ops=[
            SetText(block="a", text="b"),
            Restyle(block="a", color="#fff"),
            Move(block="a", index=0),
            AddBlock(block=Stat(value="{{ x.y }}")),
            RemoveBlock(block="a"),
            SetLocale(locale="de"),
            SetCanvas(size="og"),
            SetBrand(radius=4),
            SetFact(name="x", request={"provider": "time"}),
        ]
    )
    assert EditPlan.model_validate_json(plan.model_dump_json()) == plan
    op = TypeAdapter(EditOp).validate_python({"op": "set_text", "block": "t", "text": "x"})
    assert op == SetText(block="t", text="x")
    assert SetText(block="t", text="x").describe() == 'set_text {"block":"t","text":"x"}'
