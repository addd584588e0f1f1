"""Built-in mockup scenes, drawn procedurally with skia: no third-party photos.

Each scene is drawn in a 1920×1080 reference frame and scaled (vector, so sharp at any
size) to cover the size asked for, centred; its surface is drawn as a blank, lit
placeholder exactly on the quad the scene reports, so the shading a design takes from
it is the scene's own light. Things in front of the surface (tape on a poster, a phone's
bezel over the square corners of its screen) are drawn on a separate foreground layer,
reflections on glass on an overlay layer.

>>> scene = builtin_scene("billboard", (1920, 1080))  # doctest: +SKIP
>>> scene.quad  # doctest: +SKIP
((430.0, 250.0), (1430.0, 298.0), (1424.0, 584.0), (440.0, 580.0))
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import skia

from factframe.errors import SpecError
from factframe.generator.mockup.homography import Quad, homography, rect_corners
from factframe.generator.mockup.homography import skia_matrix as _matrix
from factframe.generator.mockup.materials import (
    blurred,
    c,
    fill,
    linear,
    noise,
    placeholder,
    poly,
    quad_of,
    shaded,
    surface_matrix,
    wood,
)
from factframe.generator.mockup.warp import MockupScene

__all__ = ["DEFAULT_SIZE", "MAX_SCENE_SIDE", "SCENES", "builtin_scene", "scene_names"]

#: Size of a built-in scene unless another is asked for.
DEFAULT_SIZE = (1920, 1080)
#: Largest side of a built-in scene (4K UHD is 3840×2160).
MAX_SCENE_SIDE = 3840
_REF_W, _REF_H = 1920, 1080


# --- billboard ----------------------------------------------------------------------------


def _billboard(base: skia.Canvas, front: Callable[[], skia.Canvas]) -> Quad:
    rng = np.random.default_rng(5)
    # sky, clouds, far hills, a town, fields and a road
    base.drawRect(
        skia.Rect.MakeWH(_REF_W, _REF_H),
        shaded(linear((0, 0), (0, 780), c(46, 110, 186), c(206, 226, 240))),
    )
    for cx, cy, rx, ry in (
        (300, 140, 220, 48),
        (520, 110, 160, 40),
        (1500, 120, 260, 55),
        (1750, 210, 200, 38),
        (980, 70, 180, 30),
    ):
        base.drawOval(
            skia.Rect.MakeXYWH(cx - rx, cy - ry, 2 * rx, 2 * ry),
            blurred(c(255, 255, 255, 170), ry * 0.45),
        )
    hills = skia.Path()
    hills.moveTo(0, 790)
    hills.cubicTo(380, 700, 700, 760, 1000, 735)
    hills.cubicTo(1300, 710, 1600, 770, 1920, 720)
    hills.lineTo(1920, 1080)
    hills.lineTo(0, 1080)
    hills.close()
    base.drawPath(hills, fill(c(128, 152, 150)))
    x = 0.0
    while x < _REF_W:
        w, h = float(rng.uniform(30, 90)), float(rng.uniform(20, 110))
        base.drawRect(skia.Rect.MakeLTRB(x, 790 - h, x + w, 800), fill(c(150, 168, 182)))
        x += w + float(rng.uniform(0, 25))
    base.drawRect(
        skia.Rect.MakeLTRB(0, 795, _REF_W, _REF_H),
        shaded(linear((0, 795), (0, 1080), c(118, 146, 84), c(70, 98, 48))),
    )
    base.drawPath(poly((900, 800), (1010, 800), (1700, 1080), (300, 1080)), fill(c(72, 74, 78)))
    dash = skia.Paint(AntiAlias=True, Color=c(235, 225, 170))
    for i in range(7):
        t0, t1 = (i / 7) ** 1.6, ((i + 0.45) / 7) ** 1.6
        y0, y1 = 800 + 280 * t0, 800 + 280 * t1
        x0, x1 = 955 + 45 * t0, 955 + 45 * t1
        base.drawPath(
            poly(
                (x0 - 2 - 6 * t0, y0),
                (x0 + 2 + 6 * t0, y0),
                (x1 + 2 + 6 * t1, y1),
                (x1 - 2 - 6 * t1, y1),
            ),
            dash,
        )
    # the billboard: a 48×14 board facing a little to the left, on one steel pole
    quad: Quad = ((430.0, 250.0), (1430.0, 298.0), (1424.0, 584.0), (440.0, 580.0))
    bw, bh = 4800.0, 1400.0
    frame = quad_of(quad, bw, bh, (-70, -70, bw + 70, bh + 70))
    steel = shaded(linear((0, 0), (60, 0), c(70, 74, 80), c(120, 126, 132)))
    base.save()
    base.translate(905, 0)
    base.drawRect(skia.Rect.MakeLTRB(0, 560, 60, 900), steel)
    base.restore()
    base.drawOval(skia.Rect.MakeLTRB(860, 885, 1010, 915), blurred(c(0, 0, 0, 90), 8))
    # the board's left side (we see it: the board turns away to the right), then its frame
    depth = 26.0
    side = poly(
        frame[0],
        frame[3],
        (frame[3][0] - depth, frame[3][1] - 4),
        (frame[0][0] - depth, frame[0][1] + 6),
    )
    base.drawPath(side, fill(c(38, 40, 44)))
    base.drawPath(poly(*frame), shaded(linear(frame[0], frame[2], c(58, 62, 68), c(36, 38, 42))))
    # catwalk under the board, in the board's own units
    base.save()
    base.concat(surface_matrix(quad, bw, bh))
    base.drawRect(skia.Rect.MakeLTRB(-40, bh + 150, bw + 40, bh + 200), fill(c(52, 55, 60)))
    rail = skia.Paint(
        AntiAlias=True, Color=c(60, 64, 70), StrokeWidth=10, Style=skia.Paint.kStroke_Style
    )
    for i in range(13):
        u = -40 + (bw + 80) * i / 12
        base.drawLine(u, bh + 70, u, bh + 150, rail)
    base.drawLine(-40, bh + 70, bw + 40, bh + 70, rail)
    base.restore()
    placeholder(base, quad, c(246, 246, 243), c(214, 214, 210), 12)
    # lamps on arms over the top edge, with the soft shadow the top lip casts
    base.save()
    base.concat(surface_matrix(quad, bw, bh))
    base.drawRect(
        skia.Rect.MakeLTRB(0, 0, bw, 60),
        shaded(linear((0, 0), (0, 60), c(0, 0, 0, 70), c(0, 0, 0, 0))),
    )
    arm = skia.Paint(
        AntiAlias=True, Color=c(48, 50, 54), StrokeWidth=14, Style=skia.Paint.kStroke_Style
    )
    for i in range(4):
        u = bw * (i + 0.5) / 4
        base.drawLine(u, -70, u, -260, arm)
        base.drawRoundRect(
            skia.Rect.MakeLTRB(u - 90, -300, u + 90, -240), 20, 20, fill(c(44, 46, 50))
        )
    base.restore()
    return quad


# --- poster on a brick wall ---------------------------------------------------------------


def _poster(base: skia.Canvas, front: Callable[[], skia.Canvas]) -> Quad:
    rng = np.random.default_rng(7)
    base.drawRect(skia.Rect.MakeWH(_REF_W, _REF_H), fill(c(196, 190, 182)))  # mortar
    brick_w, brick_h, gap = 112.0, 38.0, 7.0
    for row in range(int(_REF_H // (brick_h + gap)) + 2):
        y = row * (brick_h + gap)
        x = -float(row % 2) * brick_w / 2
        while x < _REF_W:
            r = int(rng.integers(128, 170))
            color = c(r, int(r * rng.uniform(0.40, 0.50)), int(r * rng.uniform(0.30, 0.38)))
            rect = skia.Rect.MakeXYWH(x, y, brick_w - gap, brick_h)
            base.drawRoundRect(rect, 3, 3, fill(color))
            base.drawRect(
                skia.Rect.MakeXYWH(x, y + brick_h - 7, brick_w - gap, 7), fill(c(0, 0, 0, 28))
            )
            base.drawRect(skia.Rect.MakeXYWH(x, y, brick_w - gap, 4), fill(c(255, 255, 255, 22)))
            x += brick_w
    noise(base, rng, skia.Rect.MakeWH(_REF_W, _REF_H), 9000, 26)
    base.drawRect(
        skia.Rect.MakeLTRB(0, 1000, _REF_W, _REF_H),
        shaded(linear((0, 1000), (0, 1080), c(120, 118, 114), c(92, 90, 88))),
    )
    quad: Quad = ((706.0, 150.0), (1236.0, 168.0), (1222.0, 918.0), (696.0, 904.0))
    # paper lifts off the wall a little: a soft shadow down and to the right
    base.save()
    base.translate(14, 18)
    base.drawPath(poly(*quad), blurred(c(0, 0, 0, 120), 14))
    base.restore()
    placeholder(base, quad, c(250, 249, 246), c(226, 224, 220), 60)
    # a warm spotlight from above: everything (the poster too) falls off towards the edges
    spot = skia.GradientShader.MakeRadial(
        (960, 380), 1250, [c(0, 0, 0, 0), c(0, 0, 0, 0), c(0, 0, 0, 150)], [0.0, 0.3, 1.0]
    )
    base.drawRect(skia.Rect.MakeWH(_REF_W, _REF_H), shaded(spot))
    # tape over the top corners, in front of whatever is put on the poster
    fg = front()
    for (x, y), turn in ((quad[0], -38.0), (quad[1], 40.0)):
        fg.save()
        fg.translate(x, y)
        fg.rotate(turn)
        tape = skia.Rect.MakeXYWH(-62, -20, 124, 40)
        fg.drawRect(tape, fill(c(232, 222, 196, 205)))
        fg.drawRect(
            tape,
            skia.Paint(
                AntiAlias=True,
                Color=c(160, 150, 120, 90),
                Style=skia.Paint.kStroke_Style,
                StrokeWidth=1.2,
            ),
        )
        fg.restore()
    return quad


# --- phone on a desk ----------------------------------------------------------------------


def _phone(base: skia.Canvas, front: Callable[[], skia.Canvas]) -> Quad:
    rng = np.random.default_rng(11)
    wood(base, rng, skia.Rect.MakeWH(_REF_W, _REF_H), (164, 116, 78))
    light = skia.GradientShader.MakeRadial(
        (700, 300),
        1500,
        [c(255, 240, 220, 40), c(0, 0, 0, 0), c(0, 0, 0, 120)],
        [0.0, 0.45, 1.0],
    )
    base.drawRect(skia.Rect.MakeWH(_REF_W, _REF_H), shaded(light))
    # a notebook and a pen at the left, a cup of coffee at the right
    base.save()
    base.rotate(-8, 330, 560)
    base.drawRect(skia.Rect.MakeXYWH(90, 240, 460, 620), blurred(c(0, 0, 0, 90), 12))
    base.drawRect(skia.Rect.MakeXYWH(80, 230, 460, 620), fill(c(242, 238, 228)))
    rule = skia.Paint(AntiAlias=True, Color=c(150, 176, 210), StrokeWidth=2)
    for i in range(17):
        base.drawLine(110, 290 + 34 * i, 520, 290 + 34 * i, rule)
    base.drawRect(skia.Rect.MakeXYWH(80, 230, 26, 620), fill(c(40, 60, 90)))
    base.restore()
    base.save()
    base.rotate(24, 480, 920)
    base.drawRoundRect(skia.Rect.MakeXYWH(250, 905, 460, 22), 11, 11, blurred(c(0, 0, 0, 90), 5))
    base.drawRoundRect(
        skia.Rect.MakeXYWH(240, 895, 460, 22),
        11,
        11,
        shaded(linear((0, 895), (0, 917), c(60, 60, 66), c(20, 20, 24))),
    )
    base.drawRect(skia.Rect.MakeXYWH(640, 895, 8, 22), fill(c(200, 170, 90)))
    base.restore()
    base.drawCircle(1610, 330, 190, blurred(c(0, 0, 0, 100), 16))
    base.drawCircle(1595, 315, 190, fill(c(244, 242, 238)))
    base.drawCircle(1595, 315, 120, fill(c(250, 250, 248)))
    base.drawCircle(1595, 315, 118, fill(c(226, 224, 220)))
    base.drawCircle(
        1595,
        315,
        104,
        shaded(skia.GradientShader.MakeRadial((1570, 290), 130, [c(120, 74, 40), c(58, 32, 16)])),
    )
    base.drawOval(skia.Rect.MakeXYWH(1540, 262, 60, 22), blurred(c(255, 255, 255, 70), 6))
    # the phone: a 780×1600 body turned a little, seen from slightly above its lower edge
    bw, bh = 780.0, 1600.0
    body: Quad = ((860.0, 150.0), (1248.0, 196.0), (1178.0, 990.0), (742.0, 930.0))
    base.save()
    base.translate(22, 26)
    base.concat(surface_matrix(body, bw, bh))
    base.drawRoundRect(skia.Rect.MakeWH(bw, bh), 120, 120, blurred(c(0, 0, 0, 150), 40))
    base.restore()
    edge = 34.0
    quad = quad_of(body, bw, bh, (edge, edge, bw - edge, bh - edge))
    placeholder(base, quad, c(236, 238, 242), c(206, 210, 218), 70)
    fg = front()
    fg.save()
    fg.concat(surface_matrix(body, bw, bh))
    frame = skia.Path()
    frame.addRoundRect(skia.Rect.MakeWH(bw, bh), 120, 120)
    frame.addRoundRect(skia.Rect.MakeLTRB(edge, edge, bw - edge, bh - edge), 92, 92)
    frame.setFillType(skia.PathFillType.kEvenOdd)
    fg.drawPath(frame, shaded(linear((0, 0), (bw, bh), c(40, 42, 48), c(12, 12, 14))))
    rim = skia.Paint(
        AntiAlias=True, Color=c(150, 154, 162), Style=skia.Paint.kStroke_Style, StrokeWidth=5
    )
    fg.drawRoundRect(skia.Rect.MakeLTRB(2.5, 2.5, bw - 2.5, bh - 2.5), 118, 118, rim)
    fg.drawRoundRect(skia.Rect.MakeXYWH(bw / 2 - 110, 70, 220, 62), 31, 31, fill(c(8, 8, 10)))
    fg.drawCircle(bw / 2 + 62, 101, 13, fill(c(26, 30, 44)))
    fg.restore()
    return quad


# --- laptop on a desk ---------------------------------------------------------------------


def _laptop(base: skia.Canvas, front: Callable[[], skia.Canvas]) -> Quad:
    rng = np.random.default_rng(13)
    base.drawRect(
        skia.Rect.MakeWH(_REF_W, 760),
        shaded(linear((0, 0), (_REF_W, 0), c(214, 206, 194), c(176, 168, 158))),
    )
    noise(base, rng, skia.Rect.MakeWH(_REF_W, 760), 6000, 18)
    # a framed print on the wall, a plant and a mug on the desk
    base.drawRect(skia.Rect.MakeXYWH(1530, 120, 250, 320), blurred(c(0, 0, 0, 70), 10))
    base.drawRect(skia.Rect.MakeXYWH(1520, 110, 250, 320), fill(c(38, 34, 30)))
    base.drawRect(skia.Rect.MakeXYWH(1545, 135, 200, 270), fill(c(236, 232, 224)))
    base.drawCircle(1645, 250, 60, fill(c(206, 120, 84)))
    base.drawRect(skia.Rect.MakeXYWH(1545, 300, 200, 105), fill(c(86, 120, 120)))
    base.save()
    base.clipRect(skia.Rect.MakeLTRB(0, 740, _REF_W, _REF_H))
    wood(base, rng, skia.Rect.MakeLTRB(0, 740, _REF_W, _REF_H), (150, 104, 66))
    base.restore()
    base.drawRect(
        skia.Rect.MakeLTRB(0, 740, _REF_W, 760),
        shaded(linear((0, 740), (0, 760), c(0, 0, 0, 90), c(0, 0, 0, 0))),
    )
    for i in range(9):
        a = math.radians(-150 + 15 * i)
        tip = (250 + 230 * math.cos(a), 700 + 260 * math.sin(a))
        leaf = poly(
            (250, 700), (tip[0] - 30, (700 + tip[1]) / 2), tip, (tip[0] + 30, (700 + tip[1]) / 2)
        )
        base.drawPath(leaf, fill(c(50 + 8 * (i % 3), 110 + 12 * (i % 4), 60)))
    base.drawPath(
        poly((180, 700), (320, 700), (300, 860), (200, 860)),
        shaded(linear((180, 0), (320, 0), c(196, 110, 80), c(150, 80, 56))),
    )
    base.drawRoundRect(
        skia.Rect.MakeXYWH(1610, 760, 120, 140),
        14,
        14,
        shaded(linear((1610, 0), (1730, 0), c(240, 240, 236), c(196, 196, 192))),
    )
    handle = skia.Paint(
        AntiAlias=True, Color=c(214, 214, 210), Style=skia.Paint.kStroke_Style, StrokeWidth=16
    )
    base.drawArc(skia.Rect.MakeXYWH(1690, 790, 80, 80), -90, 180, False, handle)
    # the laptop: lid in perspective over a keyboard deck
    lid: Quad = ((574.0, 150.0), (1352.0, 172.0), (1340.0, 680.0), (586.0, 690.0))
    lw, lh = 1600.0, 1040.0
    deck = ((586.0, 690.0), (1340.0, 680.0), (1520.0, 880.0), (420.0, 900.0))
    base.drawPath(
        poly((400.0, 908.0), (1540.0, 886.0), (1500.0, 930.0), (440.0, 952.0)),
        blurred(c(0, 0, 0, 120), 14),
    )
    base.drawPath(
        poly(*deck), shaded(linear((0, 690), (0, 900), c(182, 186, 192), c(150, 154, 160)))
    )
    base.drawPath(poly(deck[3], deck[2], (1520.0, 896.0), (420.0, 916.0)), fill(c(118, 122, 128)))
    base.save()
    base.concat(_matrix(homography(rect_corners(1000, 600), deck)))
    for row in range(6):
        for col in range(14):
            key = skia.Rect.MakeXYWH(70 + col * 61.5, 40 + row * 56, 52, 46)
            base.drawRoundRect(key, 6, 6, fill(c(40, 42, 46)))
    base.drawRoundRect(skia.Rect.MakeXYWH(330, 395, 340, 190), 14, 14, fill(c(160, 164, 170)))
    base.restore()
    base.drawPath(poly(*lid), shaded(linear(lid[0], lid[2], c(34, 36, 40), c(14, 14, 16))))
    base.save()
    base.concat(surface_matrix(lid, lw, lh))
    base.drawCircle(lw / 2, 22, 7, fill(c(50, 56, 70)))
    base.restore()
    quad = quad_of(lid, lw, lh, (44, 44, lw - 44, lh - 64))
    placeholder(base, quad, c(236, 238, 242), c(212, 216, 222), 20)
    return quad


# --- shop window --------------------------------------------------------------------------


def _shop_window(base: skia.Canvas, front: Callable[[], skia.Canvas]) -> Quad:
    rng = np.random.default_rng(17)
    base.drawRect(
        skia.Rect.MakeWH(_REF_W, _REF_H),
        shaded(linear((0, 0), (0, 900), c(222, 208, 184), c(198, 182, 158))),
    )
    noise(base, rng, skia.Rect.MakeWH(_REF_W, 900), 12000, 22)
    # pavement
    base.drawRect(skia.Rect.MakeLTRB(0, 900, _REF_W, _REF_H), fill(c(150, 148, 144)))
    joint = skia.Paint(AntiAlias=True, Color=c(110, 108, 104), StrokeWidth=3)
    for i in range(-6, 14):
        base.drawLine(960 + i * 70, 900, 960 + i * 210, 1080, joint)
    for y in (940.0, 1000.0):
        base.drawLine(0, y, _REF_W, y, joint)
    # the window: a dark green frame, a dim interior with shelves, a door at the right
    window = skia.Rect.MakeLTRB(240, 250, 1420, 860)
    base.drawRect(skia.Rect.MakeLTRB(220, 230, 1440, 880), fill(c(28, 58, 50)))
    base.drawRect(window, shaded(linear((0, 250), (0, 860), c(58, 56, 60), c(30, 28, 32))))
    for y in (420.0, 600.0):
        base.drawRect(skia.Rect.MakeLTRB(240, y, 1420, y + 10), fill(c(82, 70, 58)))
        for i in range(14):
            x = 270 + 80 * i + float(rng.uniform(-10, 10))
            h = float(rng.uniform(40, 110))
            base.drawRect(
                skia.Rect.MakeLTRB(x, y - h, x + 46, y),
                fill(c(*(int(v) for v in rng.integers(70, 150, 3)))),
            )
    base.drawRect(skia.Rect.MakeLTRB(240, 780, 1420, 860), fill(c(70, 60, 52)))
    base.drawRect(skia.Rect.MakeLTRB(1500, 230, 1800, 900), fill(c(28, 58, 50)))
    base.drawRect(skia.Rect.MakeLTRB(1530, 260, 1770, 620), fill(c(52, 52, 58)))
    base.drawRect(skia.Rect.MakeLTRB(1530, 650, 1770, 880), fill(c(34, 68, 58)))
    base.drawCircle(1545, 640, 10, fill(c(200, 170, 90)))
    # the display panel behind the glass, lit by a spot from the upper left, on a stand
    quad: Quad = ((648.0, 288.0), (1012.0, 298.0), (1006.0, 800.0), (654.0, 810.0))
    base.drawRect(skia.Rect.MakeLTRB(818, 790, 842, 860), fill(c(40, 40, 44)))
    base.save()
    base.translate(10, 12)
    base.drawPath(poly(*quad), blurred(c(0, 0, 0, 140), 12))
    base.restore()
    placeholder(base, quad, c(248, 246, 240), c(196, 194, 190), 35)
    # awning and sill
    base.drawPath(poly((180, 130), (1480, 130), (1530, 250), (130, 250)), fill(c(150, 36, 40)))
    base.save()
    base.clipPath(
        poly((180, 130), (1480, 130), (1530, 250), (130, 250)), skia.ClipOp.kIntersect, True
    )
    for i in range(14):
        x0 = 180 + 1300 * i / 13
        base.drawPath(
            poly(
                (x0, 130), (x0 + 50, 130), (x0 + 50 + 5 * (i - 6.5), 250), (x0 + 5 * (i - 6.5), 250)
            ),
            fill(c(238, 228, 206)),
        )
    base.restore()
    base.drawRect(skia.Rect.MakeLTRB(130, 250, 1530, 262), fill(c(0, 0, 0, 60)))
    base.drawRect(skia.Rect.MakeLTRB(200, 860, 1460, 890), fill(c(170, 164, 154)))
    # reflections on the glass: buildings across the street and two streaks of sky
    return quad


def _shop_reflections(canvas: skia.Canvas) -> None:
    rng = np.random.default_rng(19)
    canvas.save()
    canvas.clipRect(skia.Rect.MakeLTRB(240, 250, 1420, 860), skia.ClipOp.kIntersect, True)
    x = 240.0
    while x < 1420:
        w, top = float(rng.uniform(80, 200)), float(rng.uniform(260, 480))
        canvas.drawRect(skia.Rect.MakeLTRB(x, top, x + w, 860), blurred(c(70, 74, 82, 48), 3))
        for wy in np.arange(top + 20, 840, 48):
            for wx in np.arange(x + 14, x + w - 24, 38):
                canvas.drawRect(
                    skia.Rect.MakeXYWH(float(wx), float(wy), 18, 26),
                    blurred(c(120, 126, 136, 30), 2),
                )
        x += w + float(rng.uniform(10, 60))
    for x0, width, alpha in ((300.0, 190.0, 70), (760.0, 70.0, 52), (1150.0, 140.0, 46)):
        streak = poly((x0, 250), (x0 + width, 250), (x0 + width - 260, 860), (x0 - 260, 860))
        canvas.drawPath(streak, blurred(c(255, 255, 255, alpha), 10))
    canvas.restore()


# --- the table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Recipe:
    draw: Callable[[skia.Canvas, Callable[[], skia.Canvas]], Quad]
    description: str
    aspect: float  # width / height of a design made for this surface
    gloss: float = 0.0
    shading: float = 1.0
    overlay: Callable[[skia.Canvas], None] | None = None


SCENES: dict[str, _Recipe] = {
    "billboard": _Recipe(
        _billboard, "a 48×14 ft billboard at an angle, on a pole, under a sky", 48 / 14
    ),
    "laptop": _Recipe(
        _laptop, "a laptop on a desk, screen facing you", 16 / 10, gloss=0.18, shading=0.35
    ),
    "phone": _Recipe(
        _phone,
        "a phone on a wooden desk beside a notebook and a coffee",
        9 / 19.5,
        gloss=0.22,
        shading=0.35,
    ),
    "poster": _Recipe(
        _poster, "a poster taped to a brick wall under a spotlight", 1 / math.sqrt(2)
    ),
    "shop-window": _Recipe(
        _shop_window,
        "a poster on a stand behind a shop window with reflections",
        1 / math.sqrt(2),
        overlay=_shop_reflections,
    ),
}


def scene_names() -> list[str]:
    """The built-in scenes' names, sorted."""
    return sorted(SCENES)


def builtin_scene(name: str, size: tuple[int, int] | None = None) -> MockupScene:
    """A built-in scene drawn at ``size`` (default 1920×1080, at most 3840 a side).

    The scene is drawn in a 16:9 reference frame and scaled to cover ``size``, centred;
    its quad is scaled and cropped the same way. Scenes are cached per name and size.

    Raises:
        SpecError: unknown name (the message lists the scenes) or a size out of range.
    """
    if name not in SCENES:
        raise SpecError(
            f"unknown scene {name!r}; use one of {', '.join(scene_names())} or a photo", "scene"
        )
    width, height = size or DEFAULT_SIZE
    if not (64 <= width <= MAX_SCENE_SIDE and 64 <= height <= MAX_SCENE_SIDE):
        raise SpecError(
            f"scene size must be 64…{MAX_SCENE_SIDE} px a side, got {width}×{height}", "size"
        )
    return _draw(name, int(width), int(height))


@lru_cache(maxsize=8)
def _draw(name: str, width: int, height: int) -> MockupScene:
    recipe = SCENES[name]
    scale = max(width / _REF_W, height / _REF_H)
    dx, dy = (width - _REF_W * scale) / 2, (height - _REF_H * scale) / 2
    info = skia.ImageInfo.MakeN32Premul(width, height)

    def start(surface: skia.Surface) -> skia.Canvas:
        canvas = surface.getCanvas()
        canvas.clear(skia.ColorTRANSPARENT)
        canvas.translate(dx, dy)
        canvas.scale(scale, scale)
        return canvas

    base = skia.Surface.MakeRaster(info)
    canvas = start(base)
    canvas.clear(skia.ColorWHITE)
    front: list[skia.Surface] = []

    def foreground() -> skia.Canvas:
        if not front:
            front.append(skia.Surface.MakeRaster(info))
            return start(front[0])
        return front[0].getCanvas()

    ref_quad = recipe.draw(canvas, foreground)
    quad: Quad = (
        (ref_quad[0][0] * scale + dx, ref_quad[0][1] * scale + dy),
        (ref_quad[1][0] * scale + dx, ref_quad[1][1] * scale + dy),
        (ref_quad[2][0] * scale + dx, ref_quad[2][1] * scale + dy),
        (ref_quad[3][0] * scale + dx, ref_quad[3][1] * scale + dy),
    )
    fg_image = front[0].makeImageSnapshot() if front else None
    # the shading is read from the lit surface before anything in front of it is drawn
    lighting = base.makeImageSnapshot() if fg_image is not None or recipe.overlay else None
    overlay = None
    if recipe.overlay is not None:
        layer = skia.Surface.MakeRaster(info)
        recipe.overlay(start(layer))
        overlay = layer.makeImageSnapshot()
        canvas.resetMatrix()
        canvas.drawImage(
            overlay, 0, 0, skia.SamplingOptions(), skia.Paint(BlendMode=skia.BlendMode.kScreen)
        )
    if fg_image is not None:
        canvas.resetMatrix()
        canvas.drawImage(fg_image, 0, 0)
    image = base.makeImageSnapshot()
    return MockupScene(
        name,
        image,
        quad,
        foreground=fg_image,
        overlay=overlay,
        lighting=lighting,
        gloss=recipe.gloss,
        shading=recipe.shading,
        aspect=recipe.aspect,
    )
