"""``factframe.plan``: a chat model drafts a spec; grounding, not the model, gives numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

import factframe
from factframe import DraftError, Spec
from tests.session.fakes import fake, tool_call

NOW = datetime(2026, 6, 21, 12, 0, tzinfo=UTC)
BRIEF = "A card about Lisbon for June 2026: the city, its population and today's sunrise."


def draft(**changes: Any) -> dict[str, Any]:
    """What a good model answers for :data:`BRIEF`."""
    answer: dict[str, Any] = {
        "canvas": "portrait",
        "facts": [
            {"name": "city", "provider": "geocode", "params": {"name": "Lisbon"}},
            {"name": "sun", "provider": "sun",
             "params": {"place": "{{ city }}", "date": "2026-06-21"}},
        ],
        "blocks": [
            {"type": "title", "text": "{{ city.name }} in June 2026"},
            {"type": "stat", "value": "{{ city.population | compact }}", "label": "people"},
            {"type": "stat", "value": "{{ sun.sunrise | time }}", "label": "sunrise"},
            {"type": "text", "text": "Long, bright days by the Tagus.", "style": {"size": 40}},
        ],
    }  # fmt: skip
    answer.update(changes)
    return answer


def test_a_draft_becomes_a_spec_whose_facts_resolve_and_render() -> None:
    llm = fake(tool_call("SpecDraft", draft()))
    spec = factframe.plan(BRIEF, llm=llm, locale="en-GB")
    assert isinstance(spec, Spec)
    assert spec.locale == "en-GB" and (spec.canvas.width, spec.canvas.height) == (1080, 1350)
    assert spec.facts["sun"] == {"provider": "sun", "place": "{{ city }}", "date": "2026-06-21"}
    # the model was told what the providers take
    system = llm.asked[0][0][1]
    assert "- weather: lat, lon" in system and "- geocode: name" in system
    rendered = factframe.render(spec, offline=True, now=NOW)
    texts = {(t.block_id, t.role): t.text.text for t in rendered.layout.texts}
    assert texts["title-0", "title"] == "Lisbon in June 2026"
    assert texts["stat-1", "stat.hero"] == "517.8K"  # from GeoNames, not from the model
    assert texts["sources", "footer"].startswith("Sources: GeoNames")
    assert rendered.audit.ok
    assert (
        factframe.plan(BRIEF, llm=fake(tool_call("SpecDraft", draft())), canvas="og").canvas.width
        == 1200
    )


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"blocks": [{"type": "stat", "value": "545,000", "label": "people"}]},
         r"blocks\[0\]\.value", "the model wrote 545,000, which the brief does not contain"),
        ({"blocks": [{"type": "text", "text": "Sunrise at {{ sun.sunrise | time }}, 15 h of sun"}]},
         r"blocks\[0\]\.text", "the model wrote 15"),
        ({"blocks": [{"type": "chart", "kind": "bar", "values": [21.5, 23.0],
                      "labels": ["a", "b"]}]},
         r"blocks\[0\]\.values\[0\]", "the model wrote 21.5"),
        ({"facts": [{"name": "now", "provider": "weather",
                     "params": {"lat": 38.72, "lon": -9.14}}]},
         r"facts\.now\.lat", "coordinates are never taken from a model"),
        ({"facts": [{"name": "city", "provider": "geocoder", "params": {"name": "Lisbon"}}]},
         r"facts\.city", "unknown provider 'geocoder'"),
        ({"facts": [{"name": "city", "provider": "geocode", "params": {"town": "Lisbon"}}]},
         r"facts\.city", "parameter 'town': unknown parameter"),
        ({"blocks": [{"type": "title", "text": "{{ weather.temperature }}"}]},
         r"blocks\[0\]\.text", "uses 'weather', not a declared fact"),
        ({"blocks": [{"type": "title", "text": "x"}], "layout": "spiral"},
         "layout", "the draft is not a valid spec: unknown layout 'spiral'"),
    ],
    ids=["invented-stat", "invented-in-text", "invented-chart", "coordinates", "provider",
         "parameter", "unknown-fact", "bad-spec"],
)  # fmt: skip
def test_bad_drafts_are_refused(changes: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(DraftError, match=message) as err:
        factframe.plan(BRIEF, llm=fake(tool_call("SpecDraft", draft(**changes))))
    assert err.value.path.startswith(path.replace("\\", ""))


def test_numbers_from_the_brief_are_kept_in_any_digits() -> None:
    answer = draft(blocks=[{"type": "title", "text": "لشبونة ٢٠٢٦"}])  # Arabic-Indic 2026
    spec = factframe.plan(BRIEF, llm=fake(tool_call("SpecDraft", answer)), locale="ar")
    assert spec.blocks[0].text == "لشبونة ٢٠٢٦"  # type: ignore[union-attr]
    answer = draft(blocks=[{"type": "title", "text": "٦٢"}])  # 62: the brief has no 62
    with pytest.raises(DraftError, match="the model wrote ٦٢") as err:
        factframe.plan(BRIEF, llm=fake(tool_call("SpecDraft", answer)))
    assert err.value.numbers == ["٦٢"]


def test_an_answer_that_is_no_draft() -> None:
    with pytest.raises(DraftError, match="not a valid SpecDraft: blocks: Field required"):
        factframe.plan(BRIEF, llm=fake(tool_call("SpecDraft", {"canvas": "square"})))
