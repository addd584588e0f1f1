"""The factframe exception tree.

Every error a user can meet is a subclass of :class:`FactframeError` whose message says
what was wrong, where (a spec path, a block id, a file) and how to fix it::

    FactframeError
     ├─ SpecError             (.path like "blocks[3].value")
     ├─ LayoutError           (.block)
     │   └─ TextOverflowError (.block, .needed, .available)
     ├─ MissingGlyphError     (.chars, .block, .fonts_tried)
     ├─ ImageError            (.source)
     ├─ RenderError
     └─ MissingDependencyError
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "FactframeError",
    "ImageError",
    "LayoutError",
    "MissingDependencyError",
    "MissingGlyphError",
    "RenderError",
    "SpecError",
    "TextOverflowError",
]


class FactframeError(Exception):
    """Root of every error factframe raises on purpose."""


class SpecError(FactframeError):
    """The spec (or a file it names) is not valid.

    Attributes:
        path: where in the spec the problem is, e.g. ``"blocks[3].value"`` ("" for the whole).
    """

    def __init__(self, message: str, path: str = "") -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class ImageError(SpecError):
    """An image could not be used: missing, unreadable, not an image, or too large."""

    def __init__(self, message: str, source: str, path: str = "") -> None:
        self.source = source
        super().__init__(f"{message} ({source})", path)


class LayoutError(FactframeError):
    """The blocks cannot be placed on the canvas."""

    def __init__(self, message: str, block: str | None = None) -> None:
        self.block = block
        super().__init__(message)


class TextOverflowError(LayoutError):
    """Text does not fit its region even at the legibility floor.

    Attributes:
        block: id of the block that did not fit.
        needed: height in px the text needs at the smallest allowed size.
        available: height in px the region offers.
    """

    def __init__(self, block: str, needed: float, available: float, hint: str = "") -> None:
        self.needed = needed
        self.available = available
        msg = (
            f"block {block!r}: text needs {needed:.0f} px but only {available:.0f} px are "
            f"available at the smallest legible size"
        )
        super().__init__(msg + (f"; {hint}" if hint else ""), block)


class MissingGlyphError(FactframeError):
    """A character is covered by no font in the block's chain; nothing is drawn.

    Attributes:
        chars: the characters no font covers.
        block: id of the block holding them.
        fonts_tried: the families that were searched.
    """

    def __init__(self, chars: Sequence[str], block: str, fonts_tried: Sequence[str]) -> None:
        self.chars = list(chars)
        self.block = block
        self.fonts_tried = list(fonts_tried)
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in self.chars[:10])
        more = f" and {len(self.chars) - 10} more" if len(self.chars) > 10 else ""
        super().__init__(
            f"block {block!r}: no font covers {shown}{more}; tried {', '.join(self.fonts_tried)}. "
            "Install a font for this script (e.g. Debian's fonts-noto-core) or add a font file "
            "to the brand's fonts."
        )


class RenderError(FactframeError):
    """Drawing or exporting failed (unknown output format, unwritable path, …)."""


class MissingDependencyError(FactframeError, ImportError):
    """An optional dependency is not installed; the message gives the pip command."""
