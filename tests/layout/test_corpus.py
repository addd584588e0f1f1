"""A slice of the generated layout corpus (benchmarks/layout_corpus.py) must audit clean:
no overlap, overflow, contrast, safe-area or font-floor failure, in 12 languages, with
pictures, charts, infographics (icons, pictograms, progress, tables), compared stats and
dated lists, in every planner strategy."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

import factframe
from factframe.layout import STRATEGIES, plan
from factframe.spec import parse_spec

BENCHMARK = Path(__file__).parents[2] / "benchmarks" / "layout_corpus.py"
SMALL = {"4k": "landscape", "8k": "square"}  # the full sizes are the benchmark's job


def corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("layout_corpus", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CORPUS = corpus_module().make_corpus(36, seed=11)


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_generated_spec_audits_clean(index: int) -> None:
    raw = dict(CORPUS[index])
    raw["canvas"] = SMALL.get(raw["canvas"], raw["canvas"])
    audit = factframe.render(raw).audit
    assert audit.ok, f"{raw['locale']} {raw['canvas']}:\n{audit}"


def test_the_corpus_covers_every_language_and_rtl() -> None:
    assert {s["locale"] for s in CORPUS} >= {"ar", "he", "hi", "th", "ja", "zh", "ko"}
    assert len({s["locale"] for s in CORPUS}) == 12


def test_the_corpus_mixes_every_kind_of_block_and_strategy() -> None:
    kinds = {b["type"] for s in CORPUS for b in s["blocks"]}
    assert kinds >= {"title", "subtitle", "stat", "text", "list", "image", "chart", "footer"}
    assert kinds >= {"timeline", "process", "map"}
    assert kinds >= {"icon", "pictogram", "progress", "table"}
    strategies = set()
    for raw in CORPUS:
        raw = {**raw, "canvas": SMALL.get(raw["canvas"], raw["canvas"])}
        strategies.add(plan(parse_spec(raw)).strategy)
    assert strategies == set(STRATEGIES)
