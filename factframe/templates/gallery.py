"""The built-in gallery: example specs that ``factframe demo`` renders (offline, except
those that need live data, rendered by ``factframe demo --online``)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from factframe.spec import Spec, load_spec

__all__ = ["GALLERY", "GalleryItem", "gallery"]


@dataclass(frozen=True)
class GalleryItem:
    """A gallery spec, the canvas sizes it is shown at, and whether it needs the network."""

    name: str
    spec: Spec
    sizes: tuple[str, ...]
    online: bool = False


#: name → sizes; the first size is the spec's own canvas.
GALLERY: dict[str, tuple[str, ...]] = {
    "multilingual-poster": ("portrait", "story"),
    "stat-card": ("square", "landscape"),
    "arabic-card": ("square", "portrait"),
    "japanese-card": ("portrait", "og"),
    "city-card": ("portrait", "square"),
    "weather-card": ("portrait", "square"),
    "chart-card": ("portrait", "square"),
    "space-timeline": ("portrait", "square"),
    "planet-comparison": ("square", "landscape"),
}
#: the examples that need live data (rendered by ``factframe demo --online``)
ONLINE = frozenset({"weather-card"})


def gallery() -> list[GalleryItem]:
    """Loads every gallery spec shipped with factframe."""
    folder = resources.files("factframe.templates") / "gallery"
    items = []
    for name, sizes in GALLERY.items():
        with resources.as_file(folder / f"{name}.yaml") as path:
            items.append(GalleryItem(name, load_spec(path), sizes, name in ONLINE))
    return items
