"""Spec validation: every bad input names its field or file."""

from __future__ import annotations

from pathlib import Path

import pytest

from factframe import Canvas, SpecError, load_spec, parse_spec
from factframe.spec import parse_color


def test_defaults_and_generated_ids() -> None:
    spec = parse_spec({"blocks": [{"type": "title", "text": "Hi"}, {"type": "divider"}]})
    assert (spec.canvas.width, spec.canvas.height) == (1080, 1080)
    assert [b.id for b in spec.blocks] == ["title-0", "divider-1"]


@pytest.mark.parametrize(
    ("canvas", "size"),
    [
        ("square", (1080, 1080)),
        ("portrait", (1080, 1350)),
        ("story", (1080, 1920)),
        ("landscape", (1920, 1080)),
        ("og", (1200, 630)),
        ("4k", (3840, 2160)),
        ("8k", (7680, 4320)),
        ("1600x900", (1600, 900)),
        ({"preset": "a4", "dpi": 300}, (2480, 3508)),
        ({"preset": "letter", "dpi": 72}, (612, 792)),
        ({"width": 640, "height": 480}, (640, 480)),
    ],
)
def test_canvas_presets(canvas: object, size: tuple[int, int]) -> None:
    spec = parse_spec({"canvas": canvas, "blocks": [{"type": "title", "text": "x"}]})
    assert (spec.canvas.width, spec.canvas.height) == size


def test_colours_normalise() -> None:
    assert parse_color("#abc") == (0xAA, 0xBB, 0xCC, 255)
    assert parse_color("#11223344") == (0x11, 0x22, 0x33, 0x44)
    assert parse_color("transparent")[3] == 0


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [
        ({"blocks": [{"type": "banner", "text": "x"}]}, "blocks[0]", "unknown block type"),
        (
            {"blocks": [{"type": "title", "text": "a"}, {"type": "stat", "value": ""}]},
            "blocks[1].value",
            "at least 1",
        ),
        ({"canvas": {"width": 0, "height": 10}, "blocks": [{"type": "divider"}]}, "canvas", "16"),
        ({"canvas": {"width": -5, "height": 100}, "blocks": [{"type": "divider"}]}, "canvas", ""),
        ({"canvas": "100000x100000", "blocks": [{"type": "divider"}]}, "canvas", "8192"),
        (
            {"canvas": {"width": 100000, "height": 100000}, "blocks": [{"type": "divider"}]},
            "canvas.width",
            "8192",
        ),
        (
            {
                "canvas": {"width": 100, "height": 100, "background": "#ggg"},
                "blocks": [{"type": "divider"}],
            },
            "canvas.background",
            "colour",
        ),
        (
            {"brand": {"palette": {"primary": "#ggg"}}, "blocks": [{"type": "divider"}]},
            "brand.palette.primary",
            "colour",
        ),
        ({"locale": "xx-nope", "blocks": [{"type": "divider"}]}, "locale", "unknown locale"),
        (
            {"blocks": [{"type": "title", "text": "x", "colour": "red"}]},
            "blocks[0].colour",
            "unknown field",
        ),
        ({"blocks": [{"type": "text", "text": "x" * 10_001}]}, "blocks[0].text", "10000"),
        ({"blocks": []}, "blocks", "at least 1"),
        (
            {"blocks": [{"type": "title", "id": "a", "text": "x"}, {"type": "divider", "id": "a"}]},
            "",
            "used twice",
        ),
    ],
)
def test_bad_specs_name_the_field(data: dict[str, object], path: str, words: str) -> None:
    with pytest.raises(SpecError) as info:
        parse_spec(data)
    assert info.value.path.startswith(path), str(info.value)
    assert words in str(info.value)


def test_non_utf8_yaml_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("blocks:\n  - {type: title, text: 'Gr\xfc\xdfe'}\n".encode("latin-1"))
    with pytest.raises(SpecError, match=r"latin1\.yaml.*not UTF-8"):
        load_spec(bad)


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read spec file"):
        load_spec(tmp_path / "nope.yaml")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(SpecError, match="not valid JSON/YAML"):
        load_spec(broken)


def test_yaml_and_json_load_the_same_spec(tmp_path: Path) -> None:
    yaml_file = tmp_path / "s.yaml"
    yaml_file.write_text(
        "canvas: og\nlocale: ja\nblocks:\n  - {type: title, text: 富士山}\n", "utf-8"
    )
    json_file = tmp_path / "s.json"
    json_file.write_text(
        '{"canvas": "og", "locale": "ja", "blocks": [{"type": "title", "text": "富士山"}]}', "utf-8"
    )
    assert load_spec(yaml_file) == load_spec(json_file)


def test_relative_image_paths_resolve_against_the_spec_file(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("blocks:\n  - {type: image, src: pic.png}\n", "utf-8")
    block = load_spec(tmp_path / "s.yaml").blocks[0]
    assert block.type == "image"
    assert block.src == str(tmp_path / "pic.png")


def test_json_round_trip_and_schema() -> None:
    spec = parse_spec(
        {
            "canvas": {
                "width": 300,
                "height": 200,
                "background": {"type": "linear", "colors": ["#000", "#fff"]},
            },
            "blocks": [
                {"type": "stat", "value": "42", "label": "answer"},
                {"type": "image", "src": b"\x89PNG"},
            ],
        }
    )
    again = parse_spec(__import__("json").loads(spec.model_dump_json()))
    assert again == spec
    schema = type(spec).model_json_schema()
    assert "blocks" in schema["properties"]


def test_copies_are_new_objects() -> None:
    spec = parse_spec(
        {
            "canvas": {"width": 300, "height": 300, "background": "#123456"},
            "blocks": [{"type": "title", "text": "x"}],
        }
    )
    story = spec.with_canvas("story")
    assert (story.canvas.width, story.canvas.height) == (1080, 1920)
    assert story.canvas.background == spec.canvas.background
    assert spec.canvas.width == 300
    assert spec.with_locale("ar").locale == "ar"
    with pytest.raises(SpecError, match="canvas"):
        spec.with_canvas("huge")
    assert Canvas.preset("og").width == 1200
