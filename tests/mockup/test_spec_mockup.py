"""The ``mockup`` spec kind: validation with field paths, files, and rendering."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from factframe.errors import SpecError
from factframe.mockups import mockup_spec
from factframe.spec import Spec
from factframe.spec_mockup import MockupSpec, load_mockup, parse_mockup

DESIGN = {
    "canvas": {"width": 840, "height": 245},
    "blocks": [{"type": "title", "text": "Open late"}],
}


def test_a_full_mockup_spec() -> None:
    spec = parse_mockup(
        {
            "kind": "mockup",
            "design": DESIGN,
            "scene": "billboard",
            "size": "3840x2160",
            "quad": "10,10, 300,20, 290,200, 20,190",
            "gloss": True,
            "shading": 0.5,
        }
    )
    assert isinstance(spec, MockupSpec) and isinstance(spec.design, Spec)
    assert spec.size == (3840, 2160)
    assert spec.quad == ((10, 10), (300, 20), (290, 200), (20, 190))
    assert spec.gloss == 0.35 and spec.shading == 0.5
    assert parse_mockup(spec) is spec
    assert parse_mockup({"design": "card.png"}).scene == "billboard"


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"design": {"blocks": [{"type": "title", "text": ""}]}}, "design.blocks[0].text"),
        ({"design": {"blocks": []}}, "design.blocks"),
        ({"design": 5}, "design"),
        ({"design": "a.png", "gloss": 2}, "gloss"),
        ({"design": "a.png", "shading": -0.1}, "shading"),
        ({"design": "a.png", "quad": [[0, 0], [1, 0], [1, 1]]}, "quad"),
        ({"design": "a.png", "size": "big"}, "size"),
        ({"design": "a.png", "colour": "red"}, "colour"),
        ({"design": "a.png", "kind": "poster"}, "kind"),
        ({"scene": "poster"}, "design"),
    ],
)
def test_errors_name_the_field(data: dict[str, object], path: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_mockup(data)
    assert caught.value.path == path, str(caught.value)


def test_not_a_mapping() -> None:
    with pytest.raises(SpecError, match="mapping"):
        parse_mockup(["design"])


def test_renders_a_nested_design() -> None:
    result = mockup_spec(
        {"kind": "mockup", "design": DESIGN, "scene": "billboard", "size": [960, 540]}
    )
    assert result.size == (960, 540)
    with pytest.raises(SpecError, match="not convex") as bad:
        mockup_spec({"design": DESIGN, "quad": [[0, 0], [100, 0], [30, 30], [0, 100]]})
    assert bad.value.path == "quad"


def test_a_spec_file_with_paths_next_to_it(tmp_path: Path) -> None:
    Image.new("RGB", (300, 200), (200, 30, 30)).save(tmp_path / "ad.png")
    Image.new("RGB", (640, 400), (90, 90, 90)).save(tmp_path / "wall.jpg")
    (tmp_path / "m.yaml").write_text(
        "kind: mockup\ndesign: ad.png\nscene: wall.jpg\n"
        "quad: [[100, 80], [500, 100], [480, 330], [120, 320]]\nshading: 0\n",
        encoding="utf-8",
    )
    spec = load_mockup(tmp_path / "m.yaml")
    assert spec.design == str(tmp_path / "ad.png") and spec.scene == str(tmp_path / "wall.jpg")
    result = mockup_spec(spec)
    assert result.size == (640, 400)
    assert tuple(result.pixels[200, 300, :3]) == (200, 30, 30)


def test_a_nested_design_s_pictures_resolve_next_to_the_file(tmp_path: Path) -> None:
    Image.new("RGB", (100, 100), "blue").save(tmp_path / "logo.png")
    (tmp_path / "m.yaml").write_text(
        "design:\n  blocks:\n    - {type: title, text: Hi}\n    - {type: image, src: logo.png}\n"
        "scene: poster\n",
        encoding="utf-8",
    )
    spec = load_mockup(tmp_path / "m.yaml")
    assert isinstance(spec.design, Spec)
    assert mockup_spec(spec).size == (1920, 1080)
