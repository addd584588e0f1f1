"""The orchestration: spec → layout → scene → rendered picture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factframe.errors import SpecError
from factframe.generator import Rendered, build_scene
from factframe.layout import plan
from factframe.spec import Spec, load_spec, parse_spec
from factframe.typography import FontLibrary, default_library

__all__ = ["load_brand_fonts", "render"]


def load_brand_fonts(spec: Spec, library: FontLibrary) -> None:
    """Adds the brand's font files to the library (once per file and process).

    Raises:
        SpecError: a font file is missing or not a font (names ``brand.fonts.files[i]``).
    """
    for i, file in enumerate(spec.brand.fonts.files):
        try:
            library.add_file(file)
        except (OSError, ValueError) as exc:
            raise SpecError(str(exc), f"brand.fonts.files[{i}]") from None


def render(
    spec: Spec | dict[str, Any] | str | Path,
    *,
    library: FontLibrary | None = None,
) -> Rendered:
    """Renders a spec to a picture.

    Args:
        spec: a :class:`Spec`, a dict, or the path of a JSON/YAML spec file.
        library: fonts to use; the process-wide default library otherwise.

    Returns:
        a :class:`Rendered`: ``.image``, ``.to_bytes("png")``, ``.save("out.pdf")``, ``.layout``.

    Raises:
        SpecError: the spec is invalid (the message names the field).
        MissingGlyphError: a character has no font.
        TextOverflowError: the text does not fit even at the legibility floor.
        ImageError: a picture is missing, unreadable or too large.

    Example:
        >>> render({"canvas": "og", "blocks": [{"type": "title", "text": "Hi"}]}).size
        (1200, 630)
    """
    # 1. Validate the spec
    if isinstance(spec, str | Path):
        spec = load_spec(spec)
    spec = parse_spec(spec)
    lib = library or default_library()
    load_brand_fonts(spec, lib)
    # 2. Plan the layout (text is shaped and fitted here)
    layout = plan(spec, lib)
    # 3. Build the scene (pictures decoded here); pixels are drawn when first asked for
    scene = build_scene(spec, layout)
    return Rendered(spec, layout, scene, lib)
