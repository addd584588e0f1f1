"""One ``render`` for every kind of document: cards, photo annotations and mockups."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

import factframe
from factframe.cli import app
from factframe.spec_documents import document_kind, load_document, parse_document

runner = CliRunner()
CARD = {"canvas": "640x400", "blocks": [{"type": "title", "text": "Open late"}]}


def _photo(path: Path) -> Path:
    y, x = np.mgrid[0:300, 0:400]
    sky = np.stack([90 + x * 0.2, 140 + y * 0.1, 220 - y * 0.2], -1).clip(0, 255)
    Image.fromarray(sky.astype(np.uint8)).save(path)
    return path


def test_kinds_are_told_apart() -> None:
    assert document_kind(CARD) == "card"
    assert document_kind({**CARD, "kind": "card"}) == "card"
    assert isinstance(parse_document({**CARD, "kind": "card"}), factframe.Spec)
    mock = parse_document({"kind": "mockup", "design": "ad.png", "scene": "phone"})
    assert mock.kind == "mockup"
    with pytest.raises(factframe.SpecError, match="unknown kind 'poster'") as caught:
        parse_document({**CARD, "kind": "poster"})
    assert caught.value.path == "kind"
    # a card parser asked for another kind says so, naming the field
    with pytest.raises(factframe.SpecError, match="'mockup' document is not a card") as caught:
        factframe.parse_spec({"kind": "mockup", "design": "ad.png"})
    assert caught.value.path == "kind"


def test_render_takes_a_mockup_document(tmp_path: Path) -> None:
    factframe.render(CARD).save(tmp_path / "ad.png")
    doc = {"kind": "mockup", "design": str(tmp_path / "ad.png"), "scene": "phone"}
    doc["size"] = "960x540"
    rendered = factframe.render(doc)
    assert rendered.size == (960, 540)
    assert rendered.spec is None and rendered.audit.ok
    # the same from a file, the design next to it by a relative path
    (tmp_path / "phone.yaml").write_text(
        "kind: mockup\ndesign: ad.png\nscene: phone\nsize: 960x540\n", encoding="utf-8"
    )
    from_file = factframe.render(tmp_path / "phone.yaml")
    assert np.array_equal(from_file.pixels, rendered.pixels)


def test_render_takes_an_annotation_file(tmp_path: Path) -> None:
    _photo(tmp_path / "view.png")
    (tmp_path / "view.yaml").write_text(
        "kind: annotation\nphoto: view.png\npois:\n  - {name: Lighthouse, point: [200, 150]}\n",
        encoding="utf-8",
    )
    doc = load_document(tmp_path / "view.yaml")
    assert doc.kind == "annotation"
    rendered = factframe.render(tmp_path / "view.yaml")
    assert rendered.size == (400, 300)
    assert any("Lighthouse" in t.text.text for t in rendered.layout.texts)
    assert rendered.audit.ok, rendered.audit


def test_cli_renders_any_kind_and_refuses_card_options(tmp_path: Path) -> None:
    _photo(tmp_path / "view.png")
    spec = tmp_path / "view.yaml"
    spec.write_text(
        "kind: annotation\nphoto: view.png\npois: [{name: Pier, point: [100, 200]}]\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["render", str(spec), "-o", str(tmp_path / "out.png")])
    assert result.exit_code == 0, result.output
    assert "400×300" in result.output and (tmp_path / "out.png").exists()
    result = runner.invoke(app, ["render", str(spec), "-o", "x.png", "--size", "story"])
    assert result.exit_code == 2
    assert "--size: only for cards, this is kind: annotation" in result.output
