"""The ``procedural`` backend: brand-coloured abstract art, no model, in milliseconds.

Five styles, each drawn from the brand palette (the background and the primary,
secondary and accent inks, with tints between them):

``mesh``       a soft gradient mesh: colour blobs blended smoothly into each other;
``geometric``  a grid of Bauhaus tiles: quarter and half discs, triangles, rings, bars;
``contours``   a topographic map: tinted elevation bands and even contour lines;
``halftone``   two screens of dots at different angles, their sizes following a field;
``waves``      layered hills of colour under a sun.

The style is the ``style`` option, or picked from the prompt's hash (so the prompt still
matters); the layout within a style comes from the prompt and the seed. Everything is a
function of (prompt, size, seed, palette, style): the same inputs give the same pixels.
Shapes are placed relative to the picture's short side, so one prompt gives the same motif
at every size.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence

import numpy as np
import skia
from PIL import Image

from factframe.errors import EditNotSupportedError, SpecError
from factframe.generator.backends.base import (
    ArtPalette,
    Options,
    art_palette,
    check_size,
    from_oklab,
    to_oklab,
)

__all__ = ["STYLES", "ProceduralBackend", "pick_style"]

#: The styles, in the order a prompt's hash picks from.
STYLES = ("mesh", "geometric", "contours", "halftone", "waves")

RGB = tuple[int, int, int]
# a string: evaluating np.random here would import numpy.random with factframe (4 ms)
Painter = Callable[[int, int, ArtPalette, "np.random.Generator"], Image.Image]


def _digest(*parts: object) -> int:
    data = "\x00".join(str(p) for p in parts).encode("utf-8")
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big")


def pick_style(prompt: str) -> str:
    """The style a prompt gets when none is asked for."""
    return STYLES[_digest("style", prompt) % len(STYLES)]


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return r, g, bl


def _tones(pal: ArtPalette) -> list[RGB]:
    """The inks and their tints towards the background: the colours a style paints with."""
    inks = list(pal.inks)
    return inks + [_mix(ink, pal.background, 0.55) for ink in inks]


def _ramp(stops: Sequence[RGB], n: int) -> list[RGB]:
    """``n`` colours through ``stops``: each stop is pinned to one of them (so every ink shows
    as itself) and the colours between are mixed in OKLab (no grey mud between hues)."""
    if len(stops) == 1 or n == 1:
        return [stops[0]] * n
    if n < len(stops):
        return list(stops[:n])
    lab = to_oklab(np.array(stops, dtype=np.float32))
    pins = [round(i * (n - 1) / (len(stops) - 1)) for i in range(len(stops))]
    out = np.empty((n, 3), dtype=np.float32)
    for i in range(len(stops) - 1):
        a, b = pins[i], pins[i + 1]
        t = np.linspace(0.0, 1.0, b - a + 1, dtype=np.float32)[:, None]
        out[a : b + 1] = lab[i] + (lab[i + 1] - lab[i]) * t
    rgb = np.clip(from_oklab(out) + 0.5, 0, 255).astype(np.int64)
    return [(int(r), int(g), int(b)) for r, g, b in rgb]


def _color(rgb: RGB, alpha: int = 255) -> int:
    return int(skia.Color(*rgb, alpha))


def _surface(w: int, h: int, background: RGB) -> skia.Surface:
    surface = skia.Surface.MakeRaster(skia.ImageInfo.MakeN32Premul(w, h))
    surface.getCanvas().drawColor(_color(background))
    return surface


def _to_pil(surface: skia.Surface) -> Image.Image:
    pixels = surface.makeImageSnapshot().toarray(
        colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kPremul_AlphaType
    )
    h, w = pixels.shape[:2]
    return Image.frombytes("RGB", (w, h), pixels, "raw", "RGBX")


# --- mesh --------------------------------------------------------------------------------

# The mesh is smooth, so it is computed at 1/8 size and scaled up bilinearly (as draw.py does
# for gradients): 5 ms at 1080×1080.
_MESH_DOWNSCALE = 8


def _mesh(w: int, h: int, pal: ArtPalette, rng: np.random.Generator) -> Image.Image:
    sw, sh = max(2, math.ceil(w / _MESH_DOWNSCALE)), max(2, math.ceil(h / _MESH_DOWNSCALE))
    short = min(w, h)
    u = (np.arange(sw, dtype=np.float32) + 0.5) * (w / sw) / short
    v = (np.arange(sh, dtype=np.float32) + 0.5) * (h / sh) / short
    # blobs spread along the long side (jittered), sized by the short side
    n = round(3 * math.sqrt(max(w, h) / short)) + int(rng.integers(1, 3))
    along = (np.arange(n) + rng.uniform(0.1, 0.9, n)) / n * max(w, h) / short
    across = rng.uniform(0.0, 1.0, n)
    cx, cy = (along, across * h / short) if w >= h else (across * w / short, along)
    sigma = rng.uniform(0.28, 0.42, n)
    tints = [_mix(ink, pal.background, 0.35) for ink in pal.inks]
    picks = [*pal.inks, *tints]
    order = rng.permutation(n) % len(picks)
    colors = to_oklab(np.array([picks[i] for i in order], dtype=np.float32))
    dx = (u[None, :] - cx[:, None]) ** 2 / (2 * sigma[:, None] ** 2)
    dy = (v[None, :] - cy[:, None]) ** 2 / (2 * sigma[:, None] ** 2)
    weight = np.exp(-(dy[:, :, None] + dx[:, None, :])).astype(np.float32)  # (n, sh, sw)
    # Blobs over the background: each pixel takes the colour of the blobs near it, the
    # nearest far ahead (weights cubed, so neighbours mix only in a narrow seam, in OKLab),
    # and shows as much of it as the blobs together cover (1 − Π(1 − w)).
    sharp = weight**3
    hue = np.einsum("kyx,kc->yxc", sharp, colors) / (sharp.sum(axis=0) + 1e-12)[..., None]
    cover = 1.0 - np.prod(1.0 - weight, axis=0)[..., None]
    base = to_oklab(np.array(pal.background, dtype=np.float32))
    mixed = base + (hue - base) * cover
    return _upscale(from_oklab(mixed), w, h)


def _upscale(rgb: np.ndarray, w: int, h: int) -> Image.Image:
    """A small float RGB array scaled up bilinearly to ``w``×``h``."""
    sh, sw = rgb.shape[:2]
    small = np.empty((sh, sw, 4), dtype=np.uint8)
    # BGRA and opaque: skia scales that in 3 ms at 1080×1080, RGBA took 30 ms
    small[..., 2::-1] = np.clip(rgb + 0.5, 0, 255)
    small[..., 3] = 255
    image = skia.Image.fromarray(
        small, colorType=skia.kBGRA_8888_ColorType, alphaType=skia.kOpaque_AlphaType
    )
    surface = skia.Surface.MakeRaster(skia.ImageInfo.MakeN32Premul(w, h))
    sampling = skia.SamplingOptions(skia.FilterMode.kLinear)
    surface.getCanvas().drawImageRect(image, skia.Rect.MakeWH(w, h), sampling)
    return _to_pil(surface)


# --- geometric ---------------------------------------------------------------------------


def _tile(canvas: skia.Canvas, x: float, y: float, s: float, kind: int, fg: int) -> None:
    paint = skia.Paint(AntiAlias=True, Color=fg)
    corner = [(x, y), (x + s, y), (x + s, y + s), (x, y + s)]
    if kind == 0:  # a quarter disc from a corner (the tile is turned to pick the corner)
        canvas.drawCircle(x, y, s, paint)
    elif kind == 1:  # a half disc on the bottom edge
        canvas.drawCircle(x + s / 2, y + s, s / 2, paint)
    elif kind == 2:  # a disc
        canvas.drawCircle(x + s / 2, y + s / 2, s * 0.38, paint)
    elif kind == 3:  # a triangle: half the tile along its diagonal
        path = skia.Path()
        path.addPoly([skia.Point(*corner[0]), skia.Point(*corner[1]), skia.Point(*corner[3])], True)
        canvas.drawPath(path, paint)
    elif kind == 4:  # a ring
        paint.setStyle(skia.Paint.kStroke_Style)
        paint.setStrokeWidth(s * 0.12)
        canvas.drawCircle(x + s / 2, y + s / 2, s * 0.3, paint)
    else:  # three bars
        for k in range(3):
            canvas.drawRect(skia.Rect.MakeXYWH(x + s * (0.1 + 0.3 * k), y, s * 0.18, s), paint)


def _geometric(w: int, h: int, pal: ArtPalette, rng: np.random.Generator) -> Image.Image:
    short = min(w, h)
    cell = short / int(rng.integers(3, 7))
    cols, rows = math.ceil(w / cell), math.ceil(h / cell)
    ox, oy = (w - cols * cell) / 2, (h - rows * cell) / 2
    colors = [_color(c) for c in [pal.background, *_tones(pal)]]
    # the background shows most, then the strong inks
    odds = np.array([3.0] + [2.0] * len(pal.inks) + [1.0] * len(pal.inks))
    odds /= odds.sum()
    surface = _surface(w, h, pal.background)
    canvas = surface.getCanvas()
    for row in range(rows):
        for col in range(cols):
            x, y = ox + col * cell, oy + row * cell
            bg, fg = rng.choice(len(colors), size=2, replace=False, p=odds)
            kind, turn = int(rng.integers(6)), int(rng.integers(4))
            canvas.save()
            canvas.clipRect(skia.Rect.MakeXYWH(x, y, cell, cell), skia.ClipOp.kIntersect, True)
            canvas.drawRect(skia.Rect.MakeXYWH(x, y, cell, cell), skia.Paint(Color=colors[bg]))
            canvas.rotate(90.0 * turn, x + cell / 2, y + cell / 2)
            _tile(canvas, x, y, cell, kind, colors[fg])
            canvas.restore()
    return _to_pil(surface)


# --- contours ----------------------------------------------------------------------------


def _bumps(n: int, span: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Centres and widths of ``n`` Gaussian bumps along an axis ``span`` long (float32)."""
    centers = rng.uniform(-0.15, 1.15, n).astype(np.float32) * np.float32(span)
    return centers, rng.uniform(0.12, 0.35, n).astype(np.float32)


def _contours(w: int, h: int, pal: ArtPalette, rng: np.random.Generator) -> Image.Image:
    short = min(w, h)
    x = np.arange(w, dtype=np.float32) / short
    y = np.arange(h, dtype=np.float32) / short
    # The height field is a sum of separable terms, so the whole map (and its gradient) is
    # three matrix products: rows(y)ᵀ · columns(x). Gaussian hills are one term each; an
    # oblique wave cos(a·x + b·y + φ) is two (cos·cos − sin·sin), which breaks up the axes.
    n = int(rng.integers(6, 10))
    cx, sx = _bumps(n, w / short, rng)
    cy, sy = _bumps(n, h / short, rng)
    amp = rng.uniform(0.5, 1.0, n).astype(np.float32) * rng.choice([-1.0, 1.0], n)
    gx = np.exp(-((x[None, :] - cx[:, None]) ** 2) / (2 * sx[:, None] ** 2))
    gy = np.exp(-((y[None, :] - cy[:, None]) ** 2) / (2 * sy[:, None] ** 2))
    dgx = gx * -(x[None, :] - cx[:, None]) / sx[:, None] ** 2
    dgy = gy * -(y[None, :] - cy[:, None]) / sy[:, None] ** 2
    cols, dcols, rows, drows = [gx], [dgx], [gy * amp[:, None]], [dgy * amp[:, None]]
    for _ in range(2):
        angle, freq = rng.uniform(0, math.pi), rng.uniform(3.0, 6.0)
        a, b, phase = freq * math.cos(angle), freq * math.sin(angle), rng.uniform(0, 2 * math.pi)
        k = np.float32(0.25)
        ax, by = a * x + phase, b * y
        cols += [np.cos(ax)[None], -np.sin(ax)[None]]
        dcols += [-a * np.sin(ax)[None], -a * np.cos(ax)[None]]
        rows += [k * np.cos(by)[None], k * np.sin(by)[None]]
        drows += [-k * b * np.sin(by)[None], k * b * np.cos(by)[None]]
    col, dcol = np.concatenate(cols).astype(np.float32), np.concatenate(dcols).astype(np.float32)
    row, drow = np.concatenate(rows).astype(np.float32), np.concatenate(drows).astype(np.float32)
    field = row.T @ col
    low, high = float(field.min()), float(field.max())
    levels = int(rng.integers(9, 15))
    scale = np.float32(levels / max(high - low, 1e-6))
    t = field
    t -= np.float32(low)
    t *= scale
    band = np.minimum(t.astype(np.int32), levels - 1)
    # px to the nearest contour: |t − round(t)| / |∇t|, with ∇ per px
    gx, gy = row.T @ dcol, drow.T @ col
    grad = np.sqrt(gx * gx + gy * gy)
    grad *= scale / np.float32(short)
    grad += np.float32(1e-6)
    dist = np.abs(t - np.rint(t))
    dist /= grad
    # Anti-aliased lines through a lookup table (band × 16 coverage steps → RGBX), so that
    # no float work is done per colour channel: 3× faster than blending in float.
    half = np.float32(max(1.0, short / 540) / 2 + 0.5)
    coverage = np.clip((half - dist) * 15 + 0.5, 0, 15).astype(np.int32)
    stops = [_mix(pal.background, pal.inks[-1], 0.12)]
    stops += [_mix(ink, pal.background, 0.35) for ink in pal.inks]
    line = np.array(_mix(pal.inks[0], (0, 0, 0), 0.25), dtype=np.float32)
    bands = np.array(_ramp(stops, levels), dtype=np.float32)
    steps = np.linspace(0.0, 1.0, 16, dtype=np.float32)[None, :, None]
    table = bands[:, None, :] + (line - bands[:, None, :]) * steps
    rgbx = np.full((levels, 16, 4), 255, dtype=np.uint8)
    rgbx[..., :3] = np.clip(table + 0.5, 0, 255)
    pixels = rgbx.reshape(-1, 4).view(np.uint32)[:, 0].take(band * 16 + coverage)
    return Image.frombytes("RGB", (w, h), pixels.tobytes(), "raw", "RGBX")


# --- halftone ----------------------------------------------------------------------------


def _halftone(w: int, h: int, pal: ArtPalette, rng: np.random.Generator) -> Image.Image:
    short = min(w, h)
    surface = _surface(w, h, _mix(pal.background, pal.inks[-1], 0.06))
    canvas = surface.getCanvas()
    spacing = short / float(rng.integers(22, 34))
    angle = math.radians(float(rng.choice([15.0, 30.0, 45.0, 60.0, 75.0])))
    # one screen of dots; the field in [0, 1] (a tilted ramp and two soft blobs) sets each
    # dot's area and picks its ink
    reach = math.hypot(w, h) / 2 + spacing
    steps = np.arange(-math.ceil(reach / spacing), math.ceil(reach / spacing) + 1) * spacing
    i, j = np.meshgrid(steps, steps)
    px = w / 2 + i * math.cos(angle) - j * math.sin(angle)
    py = h / 2 + i * math.sin(angle) + j * math.cos(angle)
    inside = (px > -spacing) & (px < w + spacing) & (py > -spacing) & (py < h + spacing)
    px, py = px[inside], py[inside]
    tilt = rng.uniform(0, 2 * math.pi)
    value = 0.35 + 0.35 * ((px - w / 2) * math.cos(tilt) + (py - h / 2) * math.sin(tilt)) / reach
    for _ in range(2):
        bx, by = rng.uniform(0.1, 0.9) * w, rng.uniform(0.1, 0.9) * h
        blob = rng.uniform(0.2, 0.4) * short
        value = value + 0.55 * np.exp(-((px - bx) ** 2 + (py - by) ** 2) / blob**2)
    value = np.clip(value, 0.0, 1.0)
    radius = spacing * 0.5 * np.sqrt(value) * 1.1
    inks = [*pal.inks[:2], pal.inks[-1]] if len(pal.inks) > 2 else list(pal.inks)
    ink = np.minimum((value * len(inks)).astype(np.int32), len(inks) - 1)
    paths = [skia.Path() for _ in inks]
    for cx, cy, r, k in zip(px.tolist(), py.tolist(), radius.tolist(), ink.tolist(), strict=True):
        if r > 0.35:
            paths[len(inks) - 1 - k].addCircle(cx, cy, r)
    for path, color in zip(paths, inks, strict=True):
        canvas.drawPath(path, skia.Paint(AntiAlias=True, Color=_color(color)))
    return _to_pil(surface)


# --- waves -------------------------------------------------------------------------------


def _waves(w: int, h: int, pal: ArtPalette, rng: np.random.Generator) -> Image.Image:
    sky = _mix(pal.background, pal.inks[-1], 0.08)
    surface = _surface(w, h, sky)
    canvas = surface.getCanvas()
    short = min(w, h)
    sun = _mix(pal.inks[-1], pal.background, 0.15)
    canvas.drawCircle(
        rng.uniform(0.2, 0.8) * w,
        rng.uniform(0.15, 0.35) * h,
        rng.uniform(0.1, 0.18) * short,
        skia.Paint(AntiAlias=True, Color=_color(sun)),
    )
    n = int(rng.integers(5, 9))
    stops = [
        _mix(pal.inks[-1], pal.background, 0.6),
        *pal.inks[:2],
        _mix(pal.inks[0], (0, 0, 0), 0.3),
    ]
    colors = _ramp(stops, n)
    xs = np.linspace(0.0, w, max(16, min(160, w // 8)) + 1)
    for k in range(n):
        base = h * (0.35 + 0.6 * (k + rng.uniform(0.0, 0.6)) / n)
        y = np.full_like(xs, base)
        for harmonic in range(1, 4):
            freq = rng.uniform(0.5, 1.6) * harmonic * 2 * math.pi / max(w, h)
            y += 0.07 * short / harmonic * np.sin(xs * freq + rng.uniform(0, 2 * math.pi))
        path = skia.Path()
        path.moveTo(0, h)
        for px, py in zip(xs.tolist(), y.tolist(), strict=True):
            path.lineTo(px, py)
        path.lineTo(w, h)
        path.close()
        canvas.drawPath(path, skia.Paint(AntiAlias=True, Color=_color(colors[k])))
    return _to_pil(surface)


_PAINTERS: dict[str, Painter] = {
    "mesh": _mesh,
    "geometric": _geometric,
    "contours": _contours,
    "halftone": _halftone,
    "waves": _waves,
}


class ProceduralBackend:
    """Brand-coloured abstract art drawn with skia and numpy; no model, no text.

    Options: ``palette`` (see :func:`~factframe.generator.backends.base.art_palette`) and
    ``style`` (one of :data:`STYLES`; unset: picked from the prompt). ``refs`` are ignored.

    Example:
        >>> art = ProceduralBackend().generate("calm sea", (320, 200), seed=3,
        ...                                    options={"style": "waves"})
        >>> art.size
        (320, 200)
    """

    name = "procedural"
    uses_model = False

    def generate(
        self,
        prompt: str,
        size: tuple[int, int],
        refs: Sequence[Image.Image] = (),
        seed: int = 0,
        *,
        options: Options | None = None,
    ) -> Image.Image:
        """A picture of exactly ``size``; see the module for the styles.

        Raises:
            SpecError: an unknown style (``path`` ``style``), a bad palette or size.
        """
        opts = options or {}
        width, height = check_size(size)
        style = opts.get("style") or pick_style(prompt)
        painter = _PAINTERS.get(str(style))
        if painter is None:
            raise SpecError(f"unknown style {style!r}; use one of {', '.join(STYLES)}", "style")
        palette = art_palette(opts)
        rng = np.random.default_rng(_digest(style, prompt, seed))
        return painter(width, height, palette, rng)

    def edit(
        self,
        image: Image.Image,
        mask: Image.Image,
        prompt: str,
        seed: int = 0,
        *,
        options: Options | None = None,
    ) -> Image.Image:
        """Procedural art cannot edit a picture.

        Raises:
            EditNotSupportedError: always.
        """
        raise EditNotSupportedError(self.name)
