"""Pictures for the mockup tests, drawn here so each test knows the truth exactly."""

from __future__ import annotations

import numpy as np
import skia
from PIL import Image

from factframe.generator.mockup import MockupScene


def plain(width: int, height: int, value: int) -> np.ndarray:
    """An opaque grey RGBA picture."""
    pixels = np.full((height, width, 4), value, np.uint8)
    pixels[..., 3] = 255
    return pixels


def as_scene(pixels: np.ndarray) -> MockupScene:
    return MockupScene("photo", skia.Image.fromarray(pixels, colorType=skia.kRGBA_8888_ColorType))


def checkerboard(cols: int, rows: int, cell: int) -> Image.Image:
    y, x = np.mgrid[0 : rows * cell, 0 : cols * cell]
    board = (((x // cell) + (y // cell)) % 2 * 255).astype(np.uint8)
    return Image.fromarray(board).convert("RGB")


def edge_lines(coverage: np.ndarray, quad: list[tuple[float, float]]) -> np.ndarray:
    """The quad's corners measured from a coverage picture (1 inside, 0 outside): each
    side's position along every row or column crossing it is the summed coverage across
    a window (exact for anti-aliased edges), lines are fitted through those positions
    and intersected. Only ``quad``'s rough position is used, to choose the windows."""
    lines = []
    for i in range(4):
        (ax, ay), (bx, by) = quad[i], quad[(i + 1) % 4]
        vertical = abs(by - ay) > abs(bx - ax)
        points = []
        for t in np.linspace(0.2, 0.8, 40):
            x, y = ax + t * (bx - ax), ay + t * (by - ay)
            if vertical:
                row, lo = int(y), int(x) - 6
                strip = coverage[row, lo : lo + 12]
                inside_right = strip[-1] > strip[0]
                pos = lo + (12 - strip.sum() if inside_right else strip.sum())
                points.append((pos, row + 0.5))
            else:
                col, lo = int(x), int(y) - 6
                strip = coverage[lo : lo + 12, col]
                inside_below = strip[-1] > strip[0]
                pos = lo + (12 - strip.sum() if inside_below else strip.sum())
                points.append((col + 0.5, pos))
        p = np.array(points)
        if vertical:  # x = a*y + b
            a, b = np.polyfit(p[:, 1], p[:, 0], 1)
            lines.append((1.0, -a, b))  # x - a*y = b
        else:  # y = a*x + b
            a, b = np.polyfit(p[:, 0], p[:, 1], 1)
            lines.append((-a, 1.0, b))  # -a*x + y = b
    corners = []
    for i in range(4):
        (a1, b1, c1), (a2, b2, c2) = lines[i - 1], lines[i]
        corners.append(np.linalg.solve([[a1, b1], [a2, b2]], [c1, c2]))
    return np.array(corners)
