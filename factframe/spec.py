"""The factframe document: canvas, locale, brand and blocks, as frozen pydantic models.

A spec is plain data. It loads from a dict, JSON or YAML; every validation problem becomes a
:class:`~factframe.errors.SpecError` whose ``path`` names the field (``blocks[3].value``)::

    >>> spec = parse_spec({"canvas": "square", "blocks": [{"type": "title", "text": "Hi"}]})
    >>> spec.canvas.width, spec.blocks[0].id
    (1080, 'title-0')

Helpers return modified copies (``spec.with_locale("ja")``); nothing mutates a spec.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from factframe.errors import SpecError
from factframe.spec_charts import ChartFields, Series
from factframe.spec_diagrams import MapFields, ProcessFields, TimelineFields
from factframe.spec_files import spec_error
from factframe.spec_images import ImageGeneration as ImageGeneration
from factframe.spec_images import ImageGenerationFields
from factframe.spec_infographics import IconFields, PictogramFields, ProgressFields, TableFields

__all__ = [
    "BLOCK_TYPES",
    "LAYOUTS",
    "PRESETS",
    "Background",
    "Block",
    "BlockStyle",
    "Brand",
    "BrandFonts",
    "Canvas",
    "ChartBlock",
    "Color",
    "Divider",
    "Footer",
    "IconBlock",
    "ImageBackground",
    "ImageBlock",
    "ImageSource",
    "LinearGradient",
    "ListBlock",
    "MapBlock",
    "Palette",
    "PictogramBlock",
    "ProcessBlock",
    "ProgressBlock",
    "RadialGradient",
    "Series",
    "Spec",
    "Stat",
    "Subtitle",
    "TableBlock",
    "Text",
    "TimelineBlock",
    "Title",
    "load_spec",
    "parse_block",
    "parse_color",
    "parse_spec",
]

MAX_SIDE = 8192
MIN_SIDE = 16
MAX_TEXT_CHARS = 10_000

#: Canvas presets in px (width, height).
PRESETS: dict[str, tuple[int, int]] = {
    "square": (1080, 1080),
    "portrait": (1080, 1350),
    "story": (1080, 1920),
    "landscape": (1920, 1080),
    "og": (1200, 630),
    "4k": (3840, 2160),
    "8k": (7680, 4320),
}
#: Paper presets in millimetres; their pixel size depends on the dpi.
PAPER_MM: dict[str, tuple[float, float]] = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
DEFAULT_DPI = 150

_NAMED_COLORS = {"white": "#ffffffff", "black": "#000000ff", "transparent": "#00000000"}
_HEX = re.compile(r"#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


def parse_color(value: str) -> tuple[int, int, int, int]:
    """Parses ``#rgb``, ``#rgba``, ``#rrggbb``, ``#rrggbbaa`` or white/black/transparent.

    Returns:
        (r, g, b, a) with each channel 0–255.

    Raises:
        ValueError: the string is not a colour.
    """
    text = _NAMED_COLORS.get(value.strip().lower(), value.strip())
    m = _HEX.fullmatch(text)
    if not m:
        raise ValueError(f"{value!r} is not a colour; use #rrggbb, #rrggbbaa or #rgb")
    digits = m.group(1)
    if len(digits) in (3, 4):
        digits = "".join(c * 2 for c in digits)
    if len(digits) == 6:
        digits += "ff"
    r, g, b, a = (int(digits[i : i + 2], 16) for i in range(0, 8, 2))
    return r, g, b, a


def _normalize_color(value: str) -> str:
    r, g, b, a = parse_color(value)
    return f"#{r:02x}{g:02x}{b:02x}{a:02x}"


#: A colour, stored normalised as ``#rrggbbaa``.
Color = Annotated[str, AfterValidator(_normalize_color)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


def _from_data_uri(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("data:") and ";base64," in value:
        try:
            return base64.b64decode(value.split(";base64,", 1)[1], validate=True)
        except binascii.Error as exc:
            raise ValueError("the data: URI is not valid base64") from exc
    return value


def _to_data_uri(value: str | bytes) -> str:
    if isinstance(value, bytes):
        return "data:application/octet-stream;base64," + base64.b64encode(value).decode()
    return value


#: A picture: a file path, raw bytes, or (in JSON/YAML) a ``data:…;base64,…`` URI.
ImageSource = Annotated[
    str | bytes,
    BeforeValidator(_from_data_uri),
    PlainSerializer(_to_data_uri, when_used="json"),
]


# --- canvas -------------------------------------------------------------------------------


class LinearGradient(_Model):
    """A linear gradient; ``angle`` follows CSS (0 = to top, 90 = to right, 180 = to bottom)."""

    type: Literal["linear"] = "linear"
    colors: list[Color] = Field(min_length=2, max_length=16)
    angle: float = 180.0


class RadialGradient(_Model):
    """A radial gradient around ``center`` (fractions of the canvas), radius a fraction of
    the canvas diagonal."""

    type: Literal["radial"] = "radial"
    colors: list[Color] = Field(min_length=2, max_length=16)
    center: tuple[float, float] = (0.5, 0.35)
    radius: float = Field(0.75, gt=0, le=4)


class ImageBackground(_Model):
    """A photo or picture behind everything, fitted to the canvas, optionally dimmed."""

    type: Literal["image"] = "image"
    src: ImageSource
    fit: Literal["cover", "contain"] = "cover"
    dim: float = Field(0.0, ge=0, le=1, description="black overlay opacity, keeps text legible")


Background = Annotated[
    Color | LinearGradient | RadialGradient | ImageBackground,
    Field(union_mode="left_to_right"),
]


class Canvas(_Model):
    """The picture's size in px (16…8192 a side) and its background.

    Accepts a preset name (``"square"``, ``"a4"``), ``"WxH"``, or a mapping with ``width`` and
    ``height`` or ``preset`` (and ``dpi`` for paper sizes). ``background`` None means the
    brand's background colour.
    """

    width: int = Field(ge=MIN_SIDE, le=MAX_SIDE)
    height: int = Field(ge=MIN_SIDE, le=MAX_SIDE)
    background: Background | None = None

    @classmethod
    def preset(cls, name: str, dpi: int = DEFAULT_DPI) -> Canvas:
        """Returns the canvas of a preset name, or of ``"WxH"``."""
        width, height = _preset_size(name, dpi)
        return cls(width=width, height=height)

    @model_validator(mode="before")
    @classmethod
    def _accept_shorthands(cls, data: Any) -> Any:
        if isinstance(data, str):
            width, height = _preset_size(data, DEFAULT_DPI)
            return {"width": width, "height": height}
        if isinstance(data, dict) and "preset" in data:
            rest = {k: v for k, v in data.items() if k not in ("preset", "dpi")}
            dpi = data.get("dpi", DEFAULT_DPI)
            if not isinstance(dpi, int) or not 18 <= dpi <= 1200:
                raise ValueError(f"dpi must be an integer 18…1200, got {dpi!r}")
            width, height = _preset_size(str(data["preset"]), dpi)
            return {"width": width, "height": height, **rest}
        return data

    @property
    def short_side(self) -> int:
        return min(self.width, self.height)


def _preset_size(name: str, dpi: int) -> tuple[int, int]:
    key = name.strip().lower()
    if key in PRESETS:
        return PRESETS[key]
    if key in PAPER_MM:
        w_mm, h_mm = PAPER_MM[key]
        return round(w_mm / 25.4 * dpi), round(h_mm / 25.4 * dpi)
    m = re.fullmatch(r"(\d+)\s*[x×]\s*(\d+)", key)
    if not m:
        names = ", ".join([*PRESETS, *PAPER_MM])
        raise ValueError(f"unknown canvas {name!r}; use one of {names} or WIDTHxHEIGHT")
    width, height = int(m.group(1)), int(m.group(2))
    for side in (width, height):
        if not MIN_SIDE <= side <= MAX_SIDE:
            raise ValueError(
                f"canvas {name!r}: each side must be {MIN_SIDE}…{MAX_SIDE} px, got {side}"
            )
    return width, height


# --- brand --------------------------------------------------------------------------------


class Palette(_Model):
    """Colour roles. ``text`` is used on ``background``; ``surface`` fills cards."""

    primary: Color = "#0b3d91"
    secondary: Color = "#3a6ea5"
    accent: Color = "#ffb300"
    background: Color = "#f5f7fb"
    surface: Color = "#ffffff"
    text: Color = "#14213d"
    muted: Color = "#4a5568"


class BrandFonts(_Model):
    """Font families put in front of the default chain for each role, and extra font files.

    The default per-script chain (Noto) stays behind them, so any script still renders.
    """

    heading: list[str] = Field(default_factory=list)
    body: list[str] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)

    @field_validator("heading", "body", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Brand(_Model):
    """Palette, fonts, corner radius and spacing scale. Lengths are px on a 1080 px canvas
    and scale with the canvas' short side."""

    palette: Palette = Field(default_factory=Palette)
    fonts: BrandFonts = Field(default_factory=BrandFonts)
    radius: float = Field(28.0, ge=0, le=540)
    spacing: list[float] = Field(
        default_factory=lambda: [4.0, 8.0, 16.0, 24.0, 32.0, 48.0, 64.0], min_length=4
    )
    grid: int = Field(
        12, ge=2, le=24, description="columns of the layout grid that column splits snap to"
    )
    logo: ImageSource | None = None
    fact: str | None = Field(
        None,
        description="name of a `brand` fact (in `facts`) whose colours, fonts, radius and logo "
        "fill in whatever this brand does not set itself",
    )

    @field_validator("spacing")
    @classmethod
    def _ascending(cls, value: list[float]) -> list[float]:
        if any(v <= 0 or not math.isfinite(v) for v in value) or value != sorted(value):
            raise ValueError("spacing must be positive and ascending, e.g. [4, 8, 16, 24, 32]")
        return value


def _check_locale(value: str) -> str:
    import babel

    try:
        babel.Locale.parse(value.replace("_", "-"), sep="-")
    except (ValueError, babel.UnknownLocaleError) as exc:
        raise ValueError(f"unknown locale {value!r} (use a BCP 47 tag like ja-JP)") from exc
    return value


# --- blocks -------------------------------------------------------------------------------


class BlockStyle(_Model):
    """Per-block overrides. Sizes are px on this canvas."""

    color: Color | None = None
    background: Color | None = None
    size: float | None = Field(None, gt=0, le=2000, description="largest font size, px")
    min_size: float | None = Field(None, gt=0, le=2000, description="smallest font size, px")
    weight: int | None = Field(None, ge=100, le=900)
    align: Literal["start", "center", "end"] | None = None
    font: list[str] = Field(default_factory=list)
    line_height: float | None = Field(None, ge=0.8, le=3.0)


_Text = Annotated[str, Field(max_length=MAX_TEXT_CHARS)]


class _Block(_Model):
    id: str | None = Field(None, pattern=r"^[\w.-]{1,64}$")
    lang: str | None = Field(None, description="BCP 47 language of this block's text")
    style: BlockStyle = Field(default_factory=BlockStyle)

    @field_validator("lang")
    @classmethod
    def _known_lang(cls, value: str | None) -> str | None:
        return None if value is None else _check_locale(value)


class Title(_Block):
    type: Literal["title"] = "title"
    text: _Text = Field(min_length=1)


class Subtitle(_Block):
    type: Literal["subtitle"] = "subtitle"
    text: _Text = Field(min_length=1)


class Text(_Block):
    """Body text: paragraphs separated by a blank line, explicit line breaks kept."""

    type: Literal["text"] = "text"
    text: _Text = Field(min_length=1)


class Stat(_Block):
    """A big number with its label; consecutive stats share a row."""

    type: Literal["stat"] = "stat"
    value: Annotated[str, Field(min_length=1, max_length=64)]
    label: Annotated[str, Field(max_length=200)] | None = None
    unit: Annotated[str, Field(max_length=32)] | None = None
    caption: Annotated[str, Field(max_length=500)] | None = None


class ListBlock(_Block):
    type: Literal["list"] = "list"
    items: list[Annotated[str, Field(min_length=1, max_length=2000)]] = Field(
        min_length=1, max_length=100
    )
    ordered: bool = False


class ImageBlock(_Block, ImageGenerationFields):
    """A picture fitted into its region: a file path or bytes (``src``), or painted for
    the region by an image backend (``prompt``, ``backend``, ``seed``, ``generate``; see
    :mod:`factframe.spec_images`)."""

    type: Literal["image"] = "image"
    src: ImageSource | None = None
    fit: Literal["cover", "contain"] = "cover"
    aspect: float | None = Field(None, gt=0.05, le=20, description="width / height wanted")


class ChartBlock(_Block, ChartFields):
    """A bar, line, area, donut, pie or sparkline chart, drawn natively; its fields and
    limits are described in :mod:`factframe.spec_charts`."""

    type: Literal["chart"] = "chart"


class TimelineBlock(_Block, TimelineFields):
    """Dated events on a rail, horizontal or vertical; its fields are described in
    :mod:`factframe.spec_diagrams`."""

    type: Literal["timeline"] = "timeline"


class ProcessBlock(_Block, ProcessFields):
    """Steps in boxes joined by arrows, in a row, a column or a snake of rows; its fields
    are described in :mod:`factframe.spec_diagrams`."""

    type: Literal["process"] = "process"


class MapBlock(_Block, MapFields):
    """An offline map (Natural Earth countries) of the world, some countries or a box,
    with labelled markers; its fields are described in :mod:`factframe.spec_diagrams`."""

    type: Literal["map"] = "map"


class IconBlock(_Block, IconFields):
    """One Lucide icon (or ``weather:<condition>``) in a palette colour, with a label;
    its fields are described in :mod:`factframe.spec_infographics`."""

    type: Literal["icon"] = "icon"


class PictogramBlock(_Block, PictogramFields):
    """An icon array (7 of 10 people), a fraction filling the last icon partly; its
    fields are described in :mod:`factframe.spec_infographics`."""

    type: Literal["pictogram"] = "pictogram"


class ProgressBlock(_Block, ProgressFields):
    """A progress bar or half-circle gauge with its value written in the locale; its
    fields are described in :mod:`factframe.spec_infographics`."""

    type: Literal["progress"] = "progress"


class TableBlock(_Block, TableFields):
    """A comparison table: a header, rows of text, numbers and checks; its fields are
    described in :mod:`factframe.spec_infographics`."""

    type: Literal["table"] = "table"


class Divider(_Block):
    type: Literal["divider"] = "divider"


class Footer(_Block):
    type: Literal["footer"] = "footer"
    text: _Text = Field(min_length=1)


Block = Annotated[
    Title
    | Subtitle
    | Text
    | Stat
    | ListBlock
    | ImageBlock
    | ChartBlock
    | TimelineBlock
    | ProcessBlock
    | MapBlock
    | IconBlock
    | PictogramBlock
    | ProgressBlock
    | TableBlock
    | Divider
    | Footer,
    Field(discriminator="type"),
]
BLOCK_TYPES = (
    "title", "subtitle", "text", "stat", "list", "image", "chart", "timeline", "process",
    "map", "icon", "pictogram", "progress", "table", "divider", "footer",
)  # fmt: skip
_BLOCK: TypeAdapter[Block] = TypeAdapter(Block)


# --- the document -------------------------------------------------------------------------

#: The planner's strategies a spec may ask for (``layout:``); ``auto`` lets it choose.
LAYOUTS = ("auto", "stack", "grid", "hero", "columns", "comparison", "timeline", "poster")
LayoutName = Literal["auto", "stack", "grid", "hero", "columns", "comparison", "timeline", "poster"]


class Spec(_Model):
    """A whole picture: canvas, locale (BCP 47), brand and blocks (drawn top to bottom)."""

    canvas: Canvas = Field(default_factory=lambda: Canvas.preset("square"))
    locale: str = "en"
    brand: Brand = Field(default_factory=Brand)
    facts: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="named fact requests: {name: {provider: …, …parameters}}; block text "
        "uses them as {{ name.field }}",
    )
    sources: bool = Field(True, description="add a sources line naming the facts' providers")
    layout: LayoutName = Field(
        "auto",
        description="the planner's strategy: auto (chosen from the blocks and the canvas), "
        "stack, grid, hero, columns, comparison, timeline or poster",
    )
    blocks: list[Block] = Field(min_length=1, max_length=200)

    @field_validator("facts")
    @classmethod
    def _fact_requests(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for name, request in value.items():
            if not re.fullmatch(r"[A-Za-z_]\w{0,63}", name):
                raise ValueError(f"fact name {name!r} must be an identifier (letters, digits, _)")
            provider = request.get("provider")
            if not isinstance(provider, str) or not provider:
                raise ValueError(f"fact {name!r} needs a provider, e.g. {{provider: geocode}}")
        return value

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        return _check_locale(value)

    @field_validator("layout", mode="before")
    @classmethod
    def _known_layout(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in LAYOUTS:
            return value.strip().lower()
        raise ValueError(f"unknown layout {value!r}; use one of {', '.join(LAYOUTS)}")

    @model_validator(mode="after")
    def _brand_fact_declared(self) -> Spec:
        name = self.brand.fact
        if name is not None and name not in self.facts:
            raise PydanticCustomError(
                "brand_fact",
                "'{name}' is not one of the spec's facts",
                {"name": name, "field": "brand.fact"},
            )
        return self

    @model_validator(mode="after")
    def _assign_ids(self) -> Spec:
        seen: set[str] = set()
        blocks = []
        for i, block in enumerate(self.blocks):
            if block.id is None:
                block = block.model_copy(update={"id": f"{block.type}-{i}"})
            assert block.id is not None
            if block.id in seen:
                raise ValueError(f"block id {block.id!r} is used twice")
            seen.add(block.id)
            blocks.append(block)
        object.__setattr__(self, "blocks", blocks)
        return self

    def with_locale(self, locale: str) -> Spec:
        """Returns a copy with another locale (validated)."""
        return parse_spec({**self.model_dump(exclude_unset=True), "locale": locale})

    def with_layout(self, layout: str) -> Spec:
        """Returns a copy planned with another layout strategy (validated)."""
        return parse_spec({**self.model_dump(exclude_unset=True), "layout": layout})

    def with_canvas(self, canvas: str | Canvas) -> Spec:
        """Returns a copy at another size; the background is kept."""
        new = canvas if isinstance(canvas, Canvas) else _parse_canvas(canvas)
        return self.model_copy(
            update={"canvas": new.model_copy(update={"background": self.canvas.background})}
        )


def _parse_canvas(text: str) -> Canvas:
    try:
        return Canvas.model_validate(text)
    except ValidationError as exc:
        raise spec_error(exc, BLOCK_TYPES, prefix="canvas") from None


def parse_spec(data: Any) -> Spec:
    """Validates a spec given as a dict (or an existing :class:`Spec`).

    Raises:
        SpecError: naming the first bad field's path and what was wrong.
    """
    if isinstance(data, Spec):
        return data
    if not isinstance(data, dict):
        raise SpecError(f"a spec must be a mapping, got {type(data).__name__}")
    if "kind" in data:  # documents of other kinds: factframe.spec_documents
        if data["kind"] != "card":
            raise SpecError(
                f"a {data['kind']!r} document is not a card spec; factframe.render takes "
                "either (factframe.spec_documents.parse_document validates any kind)",
                "kind",
            )
        data = {k: v for k, v in data.items() if k != "kind"}
    try:
        return Spec.model_validate(data)
    except ValidationError as exc:
        raise spec_error(exc, BLOCK_TYPES) from None


def parse_block(data: Any, index: int) -> Block:
    """Validates one block as the spec's ``blocks[index]`` (after facts were bound into it).

    Raises:
        SpecError: naming the field, e.g. ``blocks[2].series[0].values[3]``.
    """
    try:
        return _BLOCK.validate_python(data)
    except ValidationError as exc:
        raise spec_error(exc, BLOCK_TYPES, prefix="blocks", loc=(index,)) from None


def load_spec(path: str | Path) -> Spec:
    """Loads a spec from a ``.json``, ``.yaml`` or ``.yml`` file (UTF-8).

    Relative image paths (and a chart's ``data: file.csv``) are resolved against the
    file's folder.

    Raises:
        SpecError: the file is missing, not UTF-8, not JSON/YAML, or not a valid spec.
    """
    from factframe.spec_files import read_spec_file

    return parse_spec(read_spec_file(path))
