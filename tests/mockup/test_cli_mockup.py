"""``factframe mockup``: scenes listed, pictures written, bad input as one line, exit 2."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from factframe.cli import app

runner = CliRunner()


def test_lists_the_scenes() -> None:
    result = runner.invoke(app, ["mockup", "--list"])
    assert result.exit_code == 0, result.output
    for name in ("billboard", "poster", "phone", "laptop", "shop-window"):
        assert name in result.output


def test_a_picture_onto_a_scene(tmp_path: Path) -> None:
    Image.new("RGB", (600, 840), (30, 90, 200)).save(tmp_path / "ad.png")
    out = tmp_path / "out.png"
    result = runner.invoke(
        app, ["mockup", str(tmp_path / "ad.png"), "--scene", "poster", "--gloss", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    with Image.open(out) as picture:
        assert picture.size == (1920, 1080)


def test_a_spec_onto_a_photo_with_a_quad(tmp_path: Path) -> None:
    (tmp_path / "card.yaml").write_text("blocks:\n  - {type: title, text: Hello}\n", "utf-8")
    Image.new("RGB", (800, 500), (120, 120, 120)).save(tmp_path / "wall.jpg")
    out = tmp_path / "m.png"
    args = ["mockup", str(tmp_path / "card.yaml"), "--scene", str(tmp_path / "wall.jpg")]
    args += ["--quad", "100,50,600,80,590,450,110,430", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with Image.open(out) as picture:
        assert picture.size == (800, 500)


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    Image.new("RGB", (60, 40)).save(tmp_path / "ad.png")
    ad = str(tmp_path / "ad.png")
    cases = [
        (["mockup", ad, "--quad", "0,0,100,0,0,100,100,100"], "quad: sides cross"),
        (["mockup", ad, "--quad", "1,2,three"], "quad: expected numbers"),
        (["mockup", ad, "--scene", "moon"], "scene: unknown scene"),
        (["mockup", ad, "--size", "huge"], "size:"),
        (["mockup", str(tmp_path / "missing.png")], "not found"),
        (["mockup"], "give a DESIGN"),
    ]
    for args, words in cases:
        result = runner.invoke(app, [*args, "-o", str(tmp_path / "x.png")])
        assert result.exit_code == 2, (args, result.output)
        assert words in result.output, (args, result.output)
        assert "Traceback" not in result.output
