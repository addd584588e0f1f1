"""``factframe templates`` and ``factframe batch``: listing, showing, running, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from factframe.cli import app
from factframe.templates.spec_template import builtin_names

runner = CliRunner()
EXAMPLES = Path(__file__).parent.parent / "examples"
NOW = ["--now", "2026-06-21T12:00:00+00:00", "--offline"]


def test_templates_list_and_show() -> None:
    listed = runner.invoke(app, ["templates", "list"], terminal_width=160)
    assert listed.exit_code == 0, listed.output
    assert builtin_names() == [
        "city-fact-sheet",
        "comparison-card",
        "data-report",
        "event-poster",
        "product-promo",
        "weather-card",
    ]
    for name in builtin_names():
        assert name in listed.output
    shown = runner.invoke(
        app, ["templates", "show", "product-promo", "--source"], terminal_width=160
    )
    assert shown.exit_code == 0, shown.output
    assert "currency" in shown.output and '"sku": "MUG-01"' in shown.output
    assert "{% set words" in shown.output
    missing = runner.invoke(app, ["templates", "show", "nope"])
    assert missing.exit_code == 2 and "no template 'nope'" in missing.output


def test_batch_renders_and_exits_0(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = [
        "batch",
        "weather-card",
        "--data",
        str(EXAMPLES / "weather-card.csv"),
        "-o",
        str(out),
        "--sizes",
        "square",
        "--locales",
        "en,ja",
        "--workers",
        "0",
        *NOW,
    ]
    result = runner.invoke(app, args, terminal_width=160)
    assert result.exit_code == 0, result.output
    assert "rendered" in result.output and (out / "lisbon-square-ja.png").is_file()
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12 and json.loads(lines[0])["status"] == "ok"
    again = runner.invoke(app, [*args, "--resume"], terminal_width=160)
    assert again.exit_code == 0 and "skipped" in again.output


def test_batch_exits_1_with_a_summary_when_an_item_failed(tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    data.write_text("city,date\nLisbon,2026-06-21\nXyzzyville,2026-06-21\n", encoding="utf-8")
    args = [
        "batch",
        "weather-card",
        "--data",
        str(data),
        "-o",
        str(tmp_path / "out"),
        "--sizes",
        "square",
        "--workers",
        "0",
        *NOW,
    ]
    result = runner.invoke(app, args, terminal_width=200)
    assert result.exit_code == 1, result.output
    assert "✗ xyzzyville-square-en: row 2, field 'city'" in result.output
    assert "failures" in result.output


def test_batch_setup_errors_exit_2(tmp_path: Path) -> None:
    cases = [
        (["batch", "nope", "--data", str(EXAMPLES / "weather-card.csv")], "no template"),
        (["batch", "weather-card", "--data", str(tmp_path / "missing.csv")], "cannot read"),
        (
            [
                "batch",
                "weather-card",
                "--data",
                str(EXAMPLES / "weather-card.csv"),
                "--sizes",
                "huge",
            ],
            "unknown canvas",
        ),
    ]
    for args, words in cases:
        result = runner.invoke(app, [*args, "-o", str(tmp_path / "out")], terminal_width=200)
        assert result.exit_code == 2, result.output
        assert words in result.output and "Traceback" not in result.output
