"""The built-in gallery: example specs that ``factframe demo`` renders offline."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from factframe.spec import Spec, load_spec

__all__ = ["GALLERY", "GalleryItem", "gallery"]


@dataclass(frozen=True)
class GalleryItem:
    """A gallery spec and the canvas sizes it is shown at."""

    name: str
    spec: Spec
    sizes: tuple[str, ...]


#: name → sizes; the first size is the spec's own canvas.
GALLERY: dict[str, tuple[str, ...]] = {
    "multilingual-poster": ("portrait", "story"),
    "stat-card": ("square", "landscape"),
    "arabic-card": ("square", "portrait"),
    "japanese-card": ("portrait", "og"),
    "city-card": ("portrait", "square"),
}


def gallery() -> list[GalleryItem]:
    """Loads every gallery spec shipped with factframe."""
    folder = resources.files("factframe.templates") / "gallery"
    items = []
    for name, sizes in GALLERY.items():
        with resources.as_file(folder / f"{name}.yaml") as path:
            items.append(GalleryItem(name, load_spec(path), sizes))
    return items
