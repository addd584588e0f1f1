"""The ``annotation`` document: a photo, the camera's pose, points of interest and a style.

An annotation spec labels the things a photo shows — mountains, towers, cafés — where they
are, from camera geometry (:mod:`factframe.layout.camera`), with callout cards set in the
locale::

    >>> spec = parse_annotation({
    ...     "kind": "annotation",
    ...     "photo": "alps.jpg",
    ...     "pose": {"lat": 46.0, "lon": 7.7, "alt": 2000, "heading": 180, "hfov": 60},
    ...     "pois": [{"name": "Matterhorn", "lat": 45.9763, "lon": 7.6586, "alt": 4478}],
    ... })
    >>> spec.pois[0].id, spec.style
    ('poi-0', 'pin')

Every validation problem becomes a :class:`~factframe.errors.SpecError` naming the field
(``pois[2].lat``). Angles are degrees; lengths metres; altitudes metres above sea level.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from factframe.errors import SpecError
from factframe.spec import Brand, ImageSource, _check_locale
from factframe.spec_files import read_spec_file, spec_error

__all__ = [
    "AMENITY_KINDS",
    "HIGHLIGHT_STYLES",
    "AnnotationSpec",
    "CameraPose",
    "Near",
    "Poi",
    "is_annotation",
    "load_annotation",
    "parse_annotation",
    "parse_pose",
]

#: Highlight styles: a map pin, a ring, a box (a point's square, or the POI's own box), a
#: soft outline glow.
HIGHLIGHT_STYLES = ("pin", "ring", "box", "glow")
HighlightStyle = Literal["pin", "ring", "box", "glow"]
#: ``near.kinds`` words that ask Wikipedia for articles with coordinates; any other kind
#: is an OpenStreetMap ``amenity`` value (``cafe``, ``restaurant``, ``pharmacy``…).
LANDMARK_KINDS = ("landmarks", "wikipedia")
#: A few common OpenStreetMap amenity values, for help texts (any ``[a-z_]+`` is asked).
AMENITY_KINDS = ("cafe", "restaurant", "bar", "pharmacy", "museum", "toilets", "bank")
_POSE_FIELDS = ("lat", "lon", "alt", "heading", "pitch", "roll", "hfov")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


class CameraPose(_Model):
    """Where the camera was and where it looked.

    Attributes:
        lat, lon: WGS84 degrees.
        alt: metres above sea level (EXIF ``GPSAltitude``); points' altitudes use the same
            datum, so the geoid's offset cancels out.
        heading: degrees clockwise from true north that the lens points to (0 north, 90
            east; EXIF ``GPSImgDirection``).
        pitch: degrees above the horizon (negative: looking down); 0 for a level camera.
        roll: degrees the camera is turned clockwise about its lens axis (the horizon then
            runs down to the left in the picture); 0 for a level camera.
        hfov: the horizontal field of view in degrees (from the 35 mm equivalent focal
            length: ``2·atan(18 / f35)``).

    A string ``"lat,lon,alt,heading,pitch,roll,hfov"`` is accepted too.
    """

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    alt: float = Field(ge=-500, le=12_000)
    heading: float = Field(ge=-360, le=360)
    pitch: float = Field(0.0, ge=-90, le=90)
    roll: float = Field(0.0, ge=-180, le=180)
    hfov: float = Field(gt=0.5, lt=179)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        return _pose_fields(data) if isinstance(data, str) else data

    @field_validator("lat", "lon", "alt", "heading", "pitch", "roll", "hfov")
    @classmethod
    def _is_finite(cls, value: float) -> float:
        return _finite(value)


def _pose_fields(text: str) -> dict[str, float]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != len(_POSE_FIELDS):
        raise ValueError(
            f"a pose is {len(_POSE_FIELDS)} numbers 'lat,lon,alt,heading,pitch,roll,hfov' "
            f"(e.g. '46.0,7.7,2000,180,0,0,60'), got {len(parts)}"
        )
    try:
        return {k: float(v) for k, v in zip(_POSE_FIELDS, parts, strict=True)}
    except ValueError:
        raise ValueError(
            f"a pose is numbers 'lat,lon,alt,heading,pitch,roll,hfov', got {text!r}"
        ) from None


_Name = Annotated[str, Field(min_length=1, max_length=120)]


class Poi(_Model):
    """A point of interest: where it is (on the earth, or in the photo) and what to say.

    Give exactly one of: ``lat`` + ``lon`` (+ ``alt``, metres above sea level; without it
    the point stands on the ground at the camera's level), ``point`` (x, y px in the
    photo) or ``box`` (x, y, width, height px in the photo).

    Attributes:
        name: the label's first line.
        importance: how much it matters (default 1); with nearness it decides which
            labels win when the photo is crowded.
        description: a short line under the name.
        hours: opening hours as text (OpenStreetMap ``opening_hours`` form, e.g.
            ``Mo-Fr 08:00-18:00``), shown when given.
        elevation: show ``alt`` on the card (default: when ``alt`` is given).
        id: the label's block id (default ``poi-N``).
    """

    name: _Name
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    alt: float | None = Field(None, ge=-500, le=9_000)
    point: tuple[float, float] | None = None
    box: tuple[float, float, float, float] | None = None
    importance: float = Field(1.0, ge=0, le=100)
    description: Annotated[str, Field(max_length=200)] | None = None
    hours: Annotated[str, Field(max_length=120)] | None = None
    elevation: bool | None = None
    id: str | None = Field(None, pattern=r"^[\w.-]{1,64}$")
    source: str | None = Field(
        None, max_length=200, description="where the point came from (a fact's provider)"
    )

    @field_validator("point", "box")
    @classmethod
    def _finite_pixels(cls, value: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if value is not None:
            for v in value:
                _finite(v)
        return value

    @model_validator(mode="after")
    def _one_place(self) -> Self:
        geo = self.lat is not None or self.lon is not None
        if geo and (self.lat is None or self.lon is None):
            raise ValueError("give both lat and lon")
        given = [name for name, on in (("lat/lon", geo), ("point", self.point is not None),
                                       ("box", self.box is not None)) if on]  # fmt: skip
        if len(given) != 1:
            which = " and ".join(given) if given else "none"
            raise ValueError(f"give exactly one of lat/lon, point or box (got {which})")
        if self.box is not None and (self.box[2] <= 0 or self.box[3] <= 0):
            raise ValueError("a box is x, y, width, height with a positive width and height")
        if self.alt is not None and not geo:
            raise ValueError("alt goes with lat/lon, not with a pixel point or box")
        return self

    @property
    def is_geo(self) -> bool:
        """Whether the point is on the earth (projected through the camera)."""
        return self.lat is not None


class Near(_Model):
    """Places around the camera to label, from the grounding ``places`` provider.

    Attributes:
        radius: metres around the camera (10–10,000; OpenStreetMap kinds up to 5,000).
        kinds: ``landmarks`` (Wikipedia articles with coordinates) and/or OpenStreetMap
            amenity values (``cafe``, ``restaurant``…).
        limit: at most this many places per kind are asked for (1–50).
    """

    radius: float = Field(1000.0, ge=10, le=10_000)
    kinds: list[Annotated[str, Field(pattern=r"^[a-z_]{1,64}$")]] = Field(
        default_factory=lambda: ["landmarks"], min_length=1, max_length=8
    )
    limit: int = Field(20, ge=1, le=50)

    @model_validator(mode="after")
    def _amenity_radius(self) -> Self:
        if any(k not in LANDMARK_KINDS for k in self.kinds) and self.radius > 5000:
            raise ValueError("OpenStreetMap kinds are asked within 5,000 m at most; lower radius")
        return self


class AnnotationSpec(_Model):
    """A photo annotated with its points of interest.

    Attributes:
        kind: always ``annotation`` (tells it apart from a block spec).
        photo: the photo: a file path, bytes, or a ``data:`` URI.
        pose: the camera's pose; None reads it from the photo's EXIF.
        pois: points given by the caller (at most 200).
        near: also label the places around the camera that the photo shows.
        style: the highlight: ``pin``, ``ring``, ``box`` or ``glow``.
        locale: BCP 47 tag; sets the text's language and direction and how distances are
            written.
        units: ``metric`` or ``imperial``; None follows the locale's territory (miles in
            the US, Liberia, Myanmar and the UK; feet for heights in the first three).
        brand: colours and fonts of the cards.
        max_distance: points farther than this many metres are left out (None: no bound).
    """

    kind: Literal["annotation"] = "annotation"
    photo: ImageSource
    pose: CameraPose | None = None
    pois: list[Poi] = Field(default_factory=list, max_length=200)
    near: Near | None = None
    style: HighlightStyle = "pin"
    locale: str = "en"
    units: Literal["metric", "imperial"] | None = None
    brand: Brand = Field(default_factory=Brand)
    max_distance: float | None = Field(None, gt=0, le=1_000_000)

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        return _check_locale(value)

    @field_validator("style", mode="before")
    @classmethod
    def _known_style(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in HIGHLIGHT_STYLES:
            return value.strip().lower()
        raise ValueError(f"unknown style {value!r}; use one of {', '.join(HIGHLIGHT_STYLES)}")

    @model_validator(mode="after")
    def _assign_ids(self) -> Self:
        seen: set[str] = set()
        pois = []
        for i, poi in enumerate(self.pois):
            if poi.id is None:
                poi = poi.model_copy(update={"id": f"poi-{i}"})
            assert poi.id is not None
            if poi.id in seen:
                raise PydanticCustomError(
                    "duplicate_id",
                    "point id '{id}' is used twice",
                    {"id": poi.id, "field": f"pois[{i}].id"},
                )
            seen.add(poi.id)
            pois.append(poi)
        object.__setattr__(self, "pois", pois)
        return self


_TYPES = ("annotation",)


def parse_annotation(data: Any) -> AnnotationSpec:
    """Validates an annotation spec given as a dict (or an existing :class:`AnnotationSpec`).

    Raises:
        SpecError: naming the first bad field's path (``pois[2].lat``) and what was wrong.
    """
    if isinstance(data, AnnotationSpec):
        return data
    if not isinstance(data, dict):
        raise SpecError(f"an annotation spec must be a mapping, got {type(data).__name__}")
    try:
        return AnnotationSpec.model_validate(data)
    except ValidationError as exc:
        raise spec_error(exc, _TYPES) from None


def parse_pose(data: Any, path: str = "pose") -> CameraPose:
    """Validates a pose: a :class:`CameraPose`, a mapping, or ``"lat,lon,alt,heading,pitch,
    roll,hfov"``.

    Raises:
        SpecError: naming the field (``pose.hfov``).
    """
    if isinstance(data, CameraPose):
        return data
    try:
        return CameraPose.model_validate(data)
    except ValidationError as exc:
        raise spec_error(exc, _TYPES, prefix=path) from None


def load_annotation(path: str | Path) -> AnnotationSpec:
    """Loads an annotation spec from a ``.json``, ``.yaml`` or ``.yml`` file (UTF-8); a
    relative ``photo`` path means next to the file.

    Raises:
        SpecError: the file is missing, not UTF-8, not JSON/YAML, or not a valid spec.
    """
    data = read_spec_file(path)
    if isinstance(data, dict):
        photo = data.get("photo")
        if isinstance(photo, str) and photo and not photo.startswith("data:"):
            data = {**data, "photo": str(Path(path).parent / photo)}  # absolute: unchanged
    return parse_annotation(data)


def is_annotation(data: Any) -> bool:
    """Whether a spec (a mapping, or a model) asks for an annotation (``kind: annotation``)."""
    if isinstance(data, AnnotationSpec):
        return True
    return isinstance(data, dict) and data.get("kind") == "annotation"
