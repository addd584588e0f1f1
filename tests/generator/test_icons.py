"""Icons: the set is there, names fail helpfully, colour, box and aspect are exact."""

from __future__ import annotations

import numpy as np
import pytest
import skia

from factframe.errors import SpecError, UnknownIconError
from factframe.generator.icons import (
    WEATHER_ICONS,
    WEATHER_ICONS_NIGHT,
    draw_icon,
    icon_names,
    icon_picture,
    icon_svg,
    weather_icon,
)
from factframe.grounding.weather import WMO_CODES


def pixels(surface: skia.Surface) -> np.ndarray:
    """(h, w, 4) RGBA, not premultiplied."""
    return surface.makeImageSnapshot().toarray(
        colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType
    )


def on_white(name: str, box: tuple[float, float, float, float], color: str) -> np.ndarray:
    surface = skia.Surface(100, 100)
    surface.getCanvas().clear(skia.ColorWHITE)
    draw_icon(surface.getCanvas(), name, box, color)
    return pixels(surface)


def painted_box(rgba: np.ndarray) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) of the pixels that are not white, inclusive."""
    ys, xs = np.nonzero((rgba[:, :, :3] != 255).any(axis=2))
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def test_the_set_is_large_and_sorted() -> None:
    names = icon_names()
    assert len(names) >= 1000
    assert names == sorted(names)
    assert {"sun", "thermometer", "map-pin", "cloud-rain"} <= set(names)
    svg = icon_svg("thermometer")
    assert svg.lstrip().startswith(b"<svg") and b"currentColor" in svg


def test_unknown_names_suggest_close_ones() -> None:
    with pytest.raises(UnknownIconError) as caught:
        icon_svg("thermometr")
    assert "thermometer" in caught.value.suggestions
    assert "did you mean 'thermometer'" in str(caught.value)
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, SpecError)
    with pytest.raises(UnknownIconError):
        draw_icon(skia.Surface(8, 8).getCanvas(), "no-such-icon-at-all", (0, 0, 8, 8), "#000")


def test_red_icon_has_red_pixels_and_no_other_hue() -> None:
    rgba = on_white("sun", (10, 10, 80, 80), "#ff0000")
    r, g, b = (rgba[:, :, i].astype(int) for i in range(3))
    inked = (g < 250) | (b < 250)
    assert inked.sum() > 400  # drawn at all
    assert ((r == 255) & (g < 10) & (b < 10)).sum() > 200  # fully red stroke interiors
    # Red over white: red stays 255 and green == blue everywhere (only the amount varies).
    assert (r[inked] == 255).all()
    assert np.abs(g - b).max() <= 1


def test_box_is_respected_aspect_kept_and_centred() -> None:
    # A wide box: the square icon is as tall as the box and centred across it.
    rgba = on_white("sun", (20, 30, 60, 20), "#0b3d91")
    x0, y0, x1, y1 = painted_box(rgba)
    assert y0 >= 30 - 1 and y1 <= 50  # inside the box's height
    assert x0 >= 40 - 1 and x1 <= 60  # inside the centred 20×20 square
    assert y1 - y0 >= 16 and x1 - x0 >= 16  # fills it (Lucide keeps a 1/12 margin)
    assert abs((x1 - x0) - (y1 - y0)) <= 1  # the sun is round: not stretched
    assert abs((x0 + x1) / 2 - 50) <= 1 and abs((y0 + y1) / 2 - 40) <= 1


def test_translucent_colour_is_one_layer() -> None:
    surface = skia.Surface(64, 64)  # transparent
    draw_icon(surface.getCanvas(), "hash", (0, 0, 64, 64), "#ff000080")
    alpha = pixels(surface)[:, :, 3]
    # Where the strokes of '#' cross, the alpha must not add up above the colour's.
    assert 125 <= alpha.max() <= 131
    opaque = skia.Surface(64, 64)
    draw_icon(opaque.getCanvas(), "hash", (0, 0, 64, 64), "#ff0000")
    assert pixels(opaque)[:, :, 3].max() == 255


def test_stroke_width_changes_the_ink() -> None:
    def ink(width: float) -> int:
        surface = skia.Surface(96, 96)
        draw_icon(surface.getCanvas(), "circle", (0, 0, 96, 96), "#000", stroke_width=width)
        return int((pixels(surface)[:, :, 3] > 128).sum())

    thin, normal, thick = ink(1), ink(2), ink(4)
    assert thin < normal < thick
    assert 1.6 < normal / thin < 2.4  # ink grows with the width


def test_bad_colour_is_a_spec_error() -> None:
    with pytest.raises(SpecError, match="not a colour"):
        draw_icon(skia.Surface(8, 8).getCanvas(), "sun", (0, 0, 8, 8), "red-ish")


def test_picture_draws_like_draw_icon_and_stays_vector() -> None:
    picture = icon_picture("cloud-sun", 48, "#2a9d8f")
    assert picture.cullRect().width() == pytest.approx(48)
    direct, played = skia.Surface(48, 48), skia.Surface(48, 48)
    draw_icon(direct.getCanvas(), "cloud-sun", (0, 0, 48, 48), "#2a9d8f")
    played.getCanvas().drawPicture(picture)
    assert (pixels(direct) == pixels(played)).all()
    assert pixels(played)[:, :, 3].max() == 255
    # Exported to SVG, the icon is paths in the brand colour, not a bitmap.
    stream = skia.DynamicMemoryWStream()
    canvas = skia.SVGCanvas.Make(skia.Rect.MakeWH(48, 48), stream)
    canvas.drawPicture(picture)
    del canvas  # flushes the document
    svg = stream.detachAsData().bytes().decode()
    assert "<path" in svg and "2A9D8F" in svg.upper() and "<image" not in svg


def test_every_weather_condition_has_an_icon_by_day_and_night() -> None:
    conditions = {icon for icon, _ in WMO_CODES.values()}
    names = set(icon_names())
    assert set(WEATHER_ICONS) == conditions == set(WEATHER_ICONS_NIGHT)
    assert set(WEATHER_ICONS.values()) <= names
    assert set(WEATHER_ICONS_NIGHT.values()) <= names
    assert weather_icon("clear") == "sun" and weather_icon("clear", night=True) == "moon"
    assert weather_icon("thunderstorm") == "cloud-lightning"
    with pytest.raises(UnknownIconError, match="partly-cloudy"):
        weather_icon("partly-cloud")


def test_every_weather_icon_renders() -> None:
    for name in sorted(set(WEATHER_ICONS.values()) | set(WEATHER_ICONS_NIGHT.values())):
        surface = skia.Surface(24, 24)
        draw_icon(surface.getCanvas(), name, (0, 0, 24, 24), "#000")
        assert (pixels(surface)[:, :, 3] > 0).sum() > 40, name


def test_svg_bytes_are_cached_unchanged() -> None:
    assert icon_svg("sun") is icon_svg("sun")
    # Drawing in a colour must not rewrite the shipped source.
    on_white("sun", (0, 0, 10, 10), "#123456")
    assert b"#123456" not in icon_svg("sun") and b"currentColor" in icon_svg("sun")
