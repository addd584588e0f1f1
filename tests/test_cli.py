"""The command line: success paths, and every expected failure as one line with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factframe.cli import app

runner = CliRunner()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_render_writes_the_file(tmp_path: Path) -> None:
    spec = write(tmp_path / "s.yaml", "blocks:\n  - {type: title, text: Hello}\n")
    result = runner.invoke(app, ["render", str(spec), "-o", str(tmp_path / "out.png")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.png").read_bytes().startswith(b"\x89PNG")


def test_size_and_locale_overrides(tmp_path: Path) -> None:
    spec = write(tmp_path / "s.yaml", "blocks:\n  - {type: title, text: 東京}\n")
    out = tmp_path / "out.png"
    result = runner.invoke(
        app, ["render", str(spec), "-o", str(out), "--size", "og", "--locale", "ja"]
    )
    assert result.exit_code == 0, result.output
    assert "1200×630" in result.output


def test_bad_inputs_exit_2_without_traceback(tmp_path: Path) -> None:
    cases = {
        "bad-type.yaml": ("blocks:\n  - {type: banner, text: x}\n", "blocks[0]"),
        "bad-colour.yaml": (
            "canvas: {width: 100, height: 100, background: '#ggg'}\nblocks:\n  - {type: divider}\n",
            "canvas.background",
        ),
        "huge.yaml": ("canvas: 100000x100000\nblocks:\n  - {type: divider}\n", "canvas"),
        "tofu.yaml": ('blocks:\n  - {type: title, text: "\U00013000"}\n', "U+13000"),
        "no-image.yaml": ("blocks:\n  - {type: image, src: missing.png}\n", "missing.png"),
    }
    for name, (text, expected) in cases.items():
        spec = write(tmp_path / name, text)
        out = tmp_path / f"{name}.png"
        result = runner.invoke(app, ["render", str(spec), "-o", str(out)])
        assert result.exit_code == 2, (name, result.output)
        assert expected in result.output, (name, result.output)
        assert "Traceback" not in result.output
        assert not out.exists()


def test_non_utf8_spec_file(tmp_path: Path) -> None:
    spec = tmp_path / "latin1.yaml"
    spec.write_bytes("blocks:\n  - {type: title, text: 'Gr\xfc\xdfe'}\n".encode("latin-1"))
    result = runner.invoke(app, ["render", str(spec), "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2
    assert "latin1.yaml" in result.output and "UTF-8" in result.output


def test_schema_is_json() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "Spec"


@pytest.mark.parametrize(
    ("kind", "title"), [("annotation", "AnnotationSpec"), ("mockup", "MockupSpec")]
)
def test_schema_of_other_kinds(kind: str, title: str) -> None:
    result = runner.invoke(app, ["schema", "--kind", kind])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema["title"] == title and "kind" in schema["properties"]
    result = runner.invoke(app, ["schema", "--kind", "poster"])
    assert result.exit_code == 2 and "unknown kind 'poster'" in result.output


def test_demo_renders_the_gallery(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in tmp_path.glob("*.png"))
    assert len(files) == 16
    assert "arabic-card-square.png" in files and "japanese-card-og.png" in files
    assert "chart-card-portrait.png" in files and "planet-comparison-landscape.png" in files
    assert (tmp_path / "city-card-portrait.facts.json").exists()
