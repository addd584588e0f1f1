"""``factframe audit``: a table of every text's checks; exit 0 when clean, 1 on a failed check,
2 on errors."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from factframe.cli import app

runner = CliRunner()

GOOD = """\
canvas: {width: 800, height: 600, background: "#ffffff"}
blocks:
  - {type: title, id: head, text: Hello}
  - {type: text, id: body, text: Dark text on white reads well.}
"""
PALE = """\
canvas: {width: 800, height: 600, background: "#ffffff"}
blocks:
  - {type: title, id: head, text: Hello}
  - {type: text, id: faint, text: Pale grey on white does not., style: {color: "#d0d0d0"}}
"""


def audit(tmp_path: Path, text: str, *args: str) -> tuple[int, str]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["audit", str(spec), *args])
    return result.exit_code, result.output


def test_a_good_spec_passes_with_a_table(tmp_path: Path) -> None:
    code, output = audit(tmp_path, GOOD)
    assert code == 0, output
    assert "audit 800×600: ok" in output
    for word in ("block", "contrast 5%", "overflow", "missing", "head", "body", "Ali"):
        assert word in output


def test_low_contrast_exits_1_naming_the_block(tmp_path: Path) -> None:
    code, output = audit(tmp_path, PALE)
    assert code == 1, output
    assert "contrast" in output and "faint" in output and "1 issue" in output
    assert "Traceback" not in output


def test_overrides_and_errors(tmp_path: Path) -> None:
    code, output = audit(tmp_path, GOOD, "--size", "og", "--locale", "de")
    assert code == 0, output
    assert "1200×630" in output
    code, output = audit(tmp_path, "blocks:\n  - {type: banner, text: x}\n")
    assert code == 2 and "blocks[0]" in output and "Traceback" not in output


def test_layout_override(tmp_path: Path) -> None:
    stats = (
        GOOD
        + "  - {type: stat, value: '21°', label: High}\n  - {type: stat, value: '9°', label: Low}\n"
    )
    for layout in ("hero", "columns"):
        code, output = audit(tmp_path, stats, "--layout", layout)
        assert code == 0 and f"layout {layout}" in output.splitlines()[0], output
    code, output = audit(tmp_path, stats, "--layout", "zigzag")
    assert code == 2 and "unknown layout 'zigzag'" in output and "Traceback" not in output
