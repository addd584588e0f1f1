"""Rendering end to end: formats, determinism, pictures and their failures."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import factframe
from factframe import ImageError, RenderError, SpecError
from factframe.generator import MAX_IMAGE_PIXELS

CARD = {
    "canvas": {
        "width": 640,
        "height": 640,
        "background": {"type": "linear", "colors": ["#0b3d91", "#1e88e5"], "angle": 160},
    },
    "blocks": [
        {"type": "title", "text": "Weather in Lisbon"},
        {"type": "stat", "value": "18", "unit": "°C", "label": "Today"},
        {"type": "stat", "value": "64%", "label": "Humidity"},
        {"type": "list", "items": ["Day 1: Partly cloudy 18°C", "Day 2: Sunny 21°C"]},
        {"type": "footer", "text": "Source: Open-Meteo"},
    ],
}


def png_file(path: Path, size: tuple[int, int], color: tuple[int, int, int]) -> Path:
    Image.new("RGB", size, color).save(path)
    return path


def test_same_spec_same_png_bytes() -> None:
    first = factframe.render(CARD).to_bytes("png")
    second = factframe.render(CARD).to_bytes("png")
    assert first == second
    assert first.startswith(b"\x89PNG")


def test_png_decodes_to_the_rendered_pixels() -> None:
    rendered = factframe.render(CARD)
    decoded = np.asarray(Image.open(io.BytesIO(rendered.to_bytes("png"))))
    assert decoded.shape == (640, 640, 3)  # opaque background: RGB
    assert np.array_equal(decoded, rendered.pixels[..., :3])


def test_transparent_background_keeps_alpha() -> None:
    spec = {
        "canvas": {"width": 200, "height": 100, "background": "transparent"},
        "blocks": [{"type": "title", "text": "Hi"}],
    }
    image = Image.open(io.BytesIO(factframe.render(spec).to_bytes("png")))
    assert image.mode == "RGBA"
    alpha = np.asarray(image)[..., 3]
    assert alpha.min() == 0 and alpha.max() == 255


@pytest.mark.parametrize(
    ("suffix", "magic"),
    [
        (".png", b"\x89PNG"),
        (".jpg", b"\xff\xd8"),
        (".webp", b"RIFF"),
        (".pdf", b"%PDF"),
        (".svg", b"<?xml"),
    ],
)
def test_save_picks_format_from_suffix(tmp_path: Path, suffix: str, magic: bytes) -> None:
    path = factframe.render(CARD).save(tmp_path / f"card{suffix}")
    assert path.read_bytes().startswith(magic)
    assert not list(tmp_path.glob(".card*"))  # no temp files left


def test_pdf_keeps_selectable_text() -> None:
    pdf = factframe.render(CARD).to_bytes("pdf")
    # skia writes a ToUnicode CMap for every embedded font: the text can be selected and
    # searched. The page is 640 x 640 pt.
    assert b"/ToUnicode" in pdf
    assert b"/MediaBox [0 0 640 640]" in pdf
    streams = [zlib.decompress(m) for m in _flate_streams(pdf)]
    assert any(b"Tj" in s or b"TJ" in s for s in streams)


def _flate_streams(pdf: bytes) -> list[bytes]:
    out = []
    for part in pdf.split(b"stream\n")[1:]:
        body = part.split(b"endstream")[0]
        try:
            zlib.decompress(body)
            out.append(body)
        except zlib.error:
            continue
    return out


def test_unknown_format_is_a_render_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="cannot tell the format"):
        factframe.render(CARD).save(tmp_path / "card.bmpx")


def test_image_blocks_cover_and_contain(tmp_path: Path) -> None:
    red = png_file(tmp_path / "red.png", (400, 100), (255, 0, 0))
    spec = {
        "canvas": {"width": 400, "height": 400, "background": "#ffffff"},
        "blocks": [{"type": "image", "id": "pic", "src": str(red), "fit": "cover"}],
    }
    rendered = factframe.render(spec)
    (box,) = rendered.layout.boxes("pic")
    cx, cy = int(box.x + box.w / 2), int(box.y + box.h / 2)
    assert tuple(rendered.pixels[cy, cx, :3]) == (255, 0, 0)
    # contain letterboxes a wide picture: the top of the box stays background
    contain = {**spec, "blocks": [{**spec["blocks"][0], "fit": "contain"}]}
    rendered = factframe.render(contain)
    (box,) = rendered.layout.boxes("pic")
    assert tuple(rendered.pixels[int(box.y) + 2, cx, :3]) == (255, 255, 255)
    assert tuple(rendered.pixels[cy, cx, :3]) == (255, 0, 0)


def test_image_bytes_and_data_uri(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (50, 50), (0, 128, 0)).save(buf, "PNG")
    spec = {"canvas": "320x320", "blocks": [{"type": "image", "id": "p", "src": buf.getvalue()}]}
    rendered = factframe.render(spec)
    (box,) = rendered.layout.boxes("p")
    assert tuple(rendered.pixels[int(box.y + box.h / 2), int(box.x + box.w / 2), :3]) == (0, 128, 0)
    again = factframe.parse_spec(__import__("json").loads(rendered.spec.model_dump_json()))
    assert again.blocks[0].src == buf.getvalue()


def test_svg_pictures_are_drawn_sharp(tmp_path: Path) -> None:
    svg = (
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10">'
        '<rect width="10" height="10" fill="#00a000"/><rect x="10" width="10" height="10" '
        'fill="#0000c0"/></svg>'
    )
    (tmp_path / "logo.svg").write_text(svg, encoding="utf-8")
    for src in (str(tmp_path / "logo.svg"), svg.encode()):
        spec = {"canvas": "640x320", "blocks": [{"type": "image", "id": "p", "src": src}]}
        rendered = factframe.render(spec)
        (box,) = rendered.layout.boxes("p")
        y = int(box.y + box.h / 2)
        left, right = (
            rendered.pixels[y, int(box.x + box.w * 0.25)],
            rendered.pixels[y, int(box.x + box.w * 0.75)],
        )
        assert tuple(left[:3]) == (0, 160, 0) and tuple(right[:3]) == (0, 0, 192)
    with pytest.raises(ImageError, match="needs a size or a viewBox"):
        factframe.render({"blocks": [{"type": "image", "src": b"<svg></svg>"}]})


def test_missing_image_names_path_and_file(tmp_path: Path) -> None:
    spec = {
        "blocks": [
            {"type": "title", "text": "x"},
            {"type": "image", "src": str(tmp_path / "gone.png")},
        ]
    }
    with pytest.raises(ImageError) as info:
        factframe.render(spec)
    assert info.value.path == "blocks[1].src"
    assert "gone.png" in str(info.value) and "not found" in str(info.value)


def test_not_an_image(tmp_path: Path) -> None:
    fake = tmp_path / "fake.png"
    fake.write_text("hello", encoding="utf-8")
    with pytest.raises(ImageError, match="not an image"):
        factframe.render({"blocks": [{"type": "image", "src": str(fake)}]})


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    # 9000 x 9000 px of one colour compresses to a few KB but would decode to 243 MB.
    bomb = tmp_path / "bomb.png"
    Image.new("L", (9000, 9000), 0).save(bomb, optimize=True)
    assert bomb.stat().st_size < 200_000 and MAX_IMAGE_PIXELS < 9000 * 9000
    with pytest.raises(ImageError, match="megapixels") as info:
        factframe.render(
            {
                "canvas": {
                    "width": 100,
                    "height": 100,
                    "background": {"type": "image", "src": str(bomb)},
                },
                "blocks": [{"type": "divider"}],
            }
        )
    assert info.value.path == "canvas.background.src"
    assert isinstance(info.value, SpecError)


def test_brand_font_file_errors_name_the_field(tmp_path: Path) -> None:
    spec = {
        "brand": {"fonts": {"files": [str(tmp_path / "nope.ttf")]}},
        "blocks": [{"type": "title", "text": "x"}],
    }
    with pytest.raises(SpecError) as info:
        factframe.render(spec)
    assert info.value.path == "brand.fonts.files[0]"


def test_repr_png_for_notebooks() -> None:
    rendered = factframe.render(CARD)
    assert rendered._repr_png_().startswith(b"\x89PNG")
    assert "640×640" in repr(rendered)


def test_large_canvas_scales_the_design() -> None:
    small = factframe.render({**CARD, "canvas": {**CARD["canvas"], "width": 1000, "height": 1000}})
    large = factframe.render({**CARD, "canvas": {**CARD["canvas"], "width": 4000, "height": 4000}})
    size = {(t.block_id, t.role): t.text.size for t in small.layout.texts}
    for item in large.layout.texts:
        assert item.text.size == pytest.approx(size[item.block_id, item.role] * 4, rel=0.05)


def test_bad_logo_names_the_brand_field(tmp_path: Path) -> None:
    spec = {
        "brand": {"logo": str(tmp_path / "logo.svgz")},
        "blocks": [{"type": "title", "text": "x"}],
    }
    with pytest.raises(ImageError) as info:
        factframe.render(spec)
    assert info.value.path == "brand.logo"


def test_logo_is_drawn(tmp_path: Path) -> None:
    logo = png_file(tmp_path / "logo.png", (200, 80), (200, 30, 30))
    spec = {
        "canvas": {"width": 600, "height": 600, "background": "#ffffff"},
        "brand": {"logo": str(logo)},
        "blocks": [{"type": "title", "text": "x"}],
    }
    rendered = factframe.render(spec)
    (box,) = rendered.layout.boxes("@logo")
    centre = rendered.pixels[int(box.y + box.h / 2), int(box.x + box.w / 2), :3]
    assert tuple(centre) == (200, 30, 30)


@pytest.mark.parametrize("level", [0, 1, 6, 9])
def test_png_levels_round_trip_large_images(level: int) -> None:
    # 1600 x 1200 crosses the size where the deflate runs in two parallel halves
    spec = {**CARD, "canvas": {**CARD["canvas"], "width": 1600, "height": 1200}}
    rendered = factframe.render(spec)
    data = rendered.to_bytes("png", compress_level=level)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(data))), rendered.pixels[..., :3])
    assert data == rendered.to_bytes("png", compress_level=level)
