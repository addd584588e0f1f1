"""Loading pictures safely: file or bytes → skia image, with size limits and clear errors."""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections import OrderedDict
from pathlib import Path

import numpy as np
import skia
from PIL import Image, ImageOps, UnidentifiedImageError

from factframe.errors import ImageError

__all__ = ["MAX_IMAGE_PIXELS", "SVG_RASTER", "load_image"]

#: Largest picture accepted, in pixels (an 8K canvas is 33 MP). Larger files are refused
#: before they are decoded, which also stops decompression bombs.
MAX_IMAGE_PIXELS = 64_000_000
#: Long side, in px, at which SVG pictures are rasterised.
SVG_RASTER = 2048
_CACHE_SIZE = 32
# Pillow modes without an alpha channel (a palette image may still carry a transparency)
_OPAQUE_MODES = frozenset({"1", "L", "RGB", "CMYK", "YCbCr", "LAB", "HSV", "I", "F", "I;16"})
_NUMBER = rb"([-+\d.eE]+)"
_VIEWBOX = re.compile(
    rb"<svg\b[^>]*?\bviewBox\s*=\s*[\"']\s*" + rb"[\s,]+".join([_NUMBER] * 4), re.S
)
_cache: OrderedDict[tuple[str, int, int] | str, skia.Image] = OrderedDict()


def load_image(src: str | bytes | Path | Image.Image, where: str = "") -> skia.Image:
    """Decodes a picture (PNG, JPEG, WebP, GIF…, or SVG) into a skia image, EXIF-rotated.

    SVG is drawn by skia at :data:`SVG_RASTER` px on its long side, so logos stay sharp
    at any size they are placed at on a 4K canvas. A Pillow image (a picture an image
    backend painted) is taken as it is, under the same size limit.

    Decoded images are cached by file (path, mtime, size) or by content hash; Pillow
    images are not (the backends cache what they paint).

    Args:
        src: a file path, the encoded bytes, or a Pillow image.
        where: the spec path that named it, for error messages (``blocks[2].src``).

    Raises:
        ImageError: missing, unreadable, not an image, or over :data:`MAX_IMAGE_PIXELS`.
    """
    if isinstance(src, Image.Image):
        width, height = src.size
        if width * height > MAX_IMAGE_PIXELS:
            raise ImageError(_too_large(width, height), f"<picture {width}×{height}>", where)
        if src.mode == "RGB":
            return _opaque_to_skia(src)
        return _to_skia(src.convert("RGBA"))
    if isinstance(src, bytes):
        key: tuple[str, int, int] | str = hashlib.sha256(src).hexdigest()
        label = f"<{len(src)} bytes>"
    else:
        file = Path(src)
        label = str(file)
        try:
            stat = file.stat()
        except OSError:
            raise ImageError("image file not found", label, where) from None
        key = (str(file.resolve()), stat.st_mtime_ns, stat.st_size)
    hit = _cache.get(key)
    if hit is not None:
        _cache.move_to_end(key)
        return hit
    image = _decode(src, label, where)
    _cache[key] = image
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return image


def _is_svg(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith(b"<svg") or (start.startswith(b"<?xml") and b"<svg" in head)


def _decode_svg(data: bytes, label: str, where: str) -> skia.Image:
    dom = skia.SVGDOM.MakeFromStream(skia.MemoryStream(data))
    size = dom.containerSize() if dom is not None else None
    width, height = (size.width(), size.height()) if size is not None else (0.0, 0.0)
    if dom is not None and (width <= 0 or height <= 0) and (box := _VIEWBOX.search(data[:8192])):
        width, height = float(box.group(3)), float(box.group(4))
        dom.setContainerSize(skia.Size(width, height))
    if dom is None or width <= 0 or height <= 0:
        raise ImageError("not an SVG skia can draw (it needs a size or a viewBox)", label, where)
    scale = SVG_RASTER / max(width, height)
    surface = skia.Surface(max(1, round(width * scale)), max(1, round(height * scale)))
    canvas = surface.getCanvas()
    canvas.scale(scale, scale)
    dom.render(canvas)
    return surface.makeImageSnapshot().withDefaultMipmaps()


def _decode(src: str | bytes | Path, label: str, where: str) -> skia.Image:
    if isinstance(src, bytes):
        head = src[:1024]
    else:
        try:
            with open(src, "rb") as file:
                head = file.read(1024)
        except OSError as exc:
            raise ImageError(f"image could not be read: {exc}", label, where) from None
    if _is_svg(head):
        data = src if isinstance(src, bytes) else Path(src).read_bytes()
        return _decode_svg(data, label, where)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(src) if isinstance(src, bytes) else src) as img:
                width, height = img.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ImageError(_too_large(width, height), label, where)
                img.load()
                opaque = img.mode in _OPAQUE_MODES and "transparency" not in img.info
                rgba = ImageOps.exif_transpose(img).convert("RGBA")
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"refused as a decompression bomb: {exc}", label, where) from None
    except UnidentifiedImageError:
        raise ImageError("not an image file Pillow can read", label, where) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageError(f"image could not be decoded: {exc}", label, where) from None
    return _to_skia(rgba, opaque)


def _too_large(width: int, height: int) -> str:
    return (
        f"image is {width}×{height} px, over the limit of "
        f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels; scale it down"
    )


def _to_skia(rgba: Image.Image, opaque: bool = False) -> skia.Image:
    # A picture without alpha (a JPEG photo) is marked opaque: skia then draws it without
    # premultiplying every pixel; a 12 MP photo drew in ~32 ms instead of ~130 ms here.
    pixels = np.asarray(rgba)
    alpha = skia.kOpaque_AlphaType if opaque else skia.kUnpremul_AlphaType
    return skia.Image.fromarray(
        pixels, colorType=skia.ColorType.kRGBA_8888_ColorType, alphaType=alpha
    ).withDefaultMipmaps()


def _opaque_to_skia(rgb: Image.Image) -> skia.Image:
    # Painted pictures are opaque: filled straight into skia's native BGRA order, marked
    # opaque (no premultiplication), a 1080×1080 one converts in ~8 ms instead of ~13 ms.
    pixels = np.empty((rgb.height, rgb.width, 4), dtype=np.uint8)
    pixels[..., 2::-1] = np.asarray(rgb)
    pixels[..., 3] = 255
    return skia.Image.fromarray(
        pixels, colorType=skia.kBGRA_8888_ColorType, alphaType=skia.kOpaque_AlphaType
    ).withDefaultMipmaps()
