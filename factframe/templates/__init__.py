"""Built-in specs: the demo gallery (Jinja2 spec templates join them later)."""

from factframe.templates.gallery import GALLERY, GalleryItem, gallery

__all__ = ["GALLERY", "GalleryItem", "gallery"]
