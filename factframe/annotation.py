"""AR-style photo annotation: the photo, the camera's pose, points of interest → a picture.

``annotate(photo, pois=[...], pose=CameraPose(...), locale="de")`` labels the things a photo
shows where they are: points given by the caller (on the earth, or in photo pixels) and,
with ``near``, the places around the camera from the grounding ``places`` provider
(Wikipedia articles with coordinates, OpenStreetMap amenities), kept to those in the field
of view. The result is an ordinary :class:`~factframe.generator.Rendered`: pixels, PDF/SVG,
the layout, the audit (with a notice for every point culled or left without a label) and,
for grounded places, the facts with their provenance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from factframe.errors import SpecError
from factframe.generator import Rendered, build_scene
from factframe.generator.exif import photo_size, read_exif_pose
from factframe.knowledge import BrandItem, Context, Fact, FactReport, KnowledgeStore, LocaleItem
from factframe.layout.callouts import PHOTO_ID, SOURCES_ID, Callout, plan_callouts
from factframe.layout.camera import EARTH_RADIUS_M, project
from factframe.layout.model import Box
from factframe.spec import MAX_SIDE, Brand, Canvas, Footer, ImageBlock, Spec, Text
from factframe.spec_annotation import (
    LANDMARK_KINDS,
    AnnotationSpec,
    CameraPose,
    Near,
    Poi,
    parse_annotation,
    parse_pose,
)
from factframe.typography import FontLibrary, default_library

if TYPE_CHECKING:
    from factframe.grounding import HttpClient

__all__ = ["EYE_HEIGHT_M", "SAME_PLACE_M", "annotate", "annotate_spec", "near_requests"]

#: A point without an altitude stands on the ground at the camera's level: this far below
#: the camera (a photo taken at eye height).
EYE_HEIGHT_M = 1.6


def annotate(
    photo: str | bytes | Path,
    pois: Sequence[Poi | Mapping[str, Any]] | None = None,
    pose: CameraPose | dict[str, Any] | str | None = None,
    *,
    locale: str = "en",
    near: Near | dict[str, Any] | float | None = None,
    style: str = "pin",
    units: str | None = None,
    brand: Brand | dict[str, Any] | None = None,
    max_distance: float | None = None,
    store: KnowledgeStore | None = None,
    offline: bool = False,
    http: HttpClient | None = None,
    now: datetime | None = None,
    library: FontLibrary | None = None,
) -> Rendered:
    """Annotates a photo with its points of interest.

    Args:
        photo: the photo (path or bytes).
        pois: points to label: :class:`Poi` or mappings (``name`` with ``lat``/``lon``
            (+ ``alt``), a pixel ``point`` or a ``box``; ``importance``, ``description``,
            ``hours``).
        pose: the camera's pose; None reads it from the photo's EXIF.
        locale: BCP 47 tag of the labels (language, direction, units).
        near: also label places around the camera: a :class:`Near`, a mapping, or a
            radius in metres (Wikipedia landmarks).
        style: ``pin``, ``ring``, ``box`` or ``glow``.
        units: ``metric`` or ``imperial``; None follows the locale.
        max_distance: leave out points farther than this (metres).
        store, offline, http, now: as for :func:`factframe.render` (grounding ``near``).

    Returns:
        a :class:`~factframe.generator.Rendered` the size of the photo.

    Raises:
        SpecError: bad input (names the field); a photo without a pose in its EXIF and
            no ``pose`` (says what to pass).
        ImageError: the photo is missing or unreadable.
        GroundingError: ``near`` places could not be fetched.

    Example:
        >>> pose = CameraPose(lat=45.93, lon=7.70, alt=3100, heading=250, hfov=60)
        >>> annotate("alps.jpg", [{"name": "Matterhorn", "lat": 45.9763, "lon": 7.6586,
        ...                        "alt": 4478}], pose).save("alps-annotated.png")  # doctest: +SKIP
    """
    data: dict[str, Any] = {
        "kind": "annotation",
        "photo": str(photo) if isinstance(photo, Path) else photo,
        "pois": [
            p.model_dump(exclude_none=True) if isinstance(p, Poi) else dict(p) for p in pois or []
        ],
        "style": style,
        "locale": locale,
    }
    if pose is not None:
        data["pose"] = parse_pose(pose)
    if near is not None:
        data["near"] = {"radius": near} if isinstance(near, int | float) else near
    if units is not None:
        data["units"] = units
    if brand is not None:
        data["brand"] = brand
    if max_distance is not None:
        data["max_distance"] = max_distance
    return annotate_spec(
        parse_annotation(data),
        store=store,
        offline=offline,
        http=http,
        now=now,
        library=library,
    )


@dataclass(frozen=True)
class _Place:
    poi: Poi
    grounded: bool


def annotate_spec(
    spec: AnnotationSpec | dict[str, Any],
    *,
    store: KnowledgeStore | None = None,
    offline: bool = False,
    http: HttpClient | None = None,
    now: datetime | None = None,
    max_stale: timedelta | None = None,
    library: FontLibrary | None = None,
) -> Rendered:
    """Renders an annotation spec (``kind: annotation``); see :func:`annotate`.

    Raises:
        SpecError, ImageError, GroundingError: as :func:`annotate`.
    """
    # 1. Check the inputs: the photo's size, the pose (given, else from EXIF)
    spec = parse_annotation(spec)
    lib = library or default_library()
    photo = spec.photo
    width, height = photo_size(photo)
    pose = spec.pose
    needs_pose = spec.near is not None or any(p.is_geo for p in spec.pois)
    if not spec.pois and spec.near is None:
        raise SpecError(
            "nothing to annotate: pass pois (name with lat/lon, a pixel point or a box) "
            "or near (a radius in metres) to label the places around the camera",
            "pois",
        )
    if pose is None and needs_pose:
        exif = read_exif_pose(photo)
        if exif.pose is None:
            raise SpecError(
                "the photo's EXIF has no camera pose (missing: "
                f"{'; '.join(exif.missing)}); pass pose=CameraPose(lat=…, lon=…, alt=…, "
                "heading=…, hfov=…) (on the command line --pose "
                "lat,lon,alt,heading,pitch,roll,hfov)",
                "pose",
            )
        pose = exif.pose
    scale = min(1.0, MAX_SIDE / max(width, height))
    cw, ch = max(16, round(width * scale)), max(16, round(height * scale))

    # 2. Ground the places near the camera
    places = [_Place(p, False) for p in spec.pois]
    report: FactReport | None = None
    if spec.near is not None:
        assert pose is not None
        found, report = _ground_near(spec, pose, store, offline, http, now, max_stale)
        for poi in found:  # a place given and found again (or found twice) is labelled once
            if not any(_same_place(poi, known.poi) for known in places):
                places.append(_Place(poi, True))

    # 3. Project the points and cull what the photo does not show
    callouts, notices = _project(places, pose, spec, (cw, ch), scale)
    if places and not callouts:
        notices.insert(
            0,
            f"none of the {len(places)} point(s) of interest is in the photo; the photo is "
            "shown without labels (check the pose's heading and field of view)",
        )
    elif not places:
        notices.insert(0, "no places were found around the camera; nothing to label")

    # 4. Plan the layout: highlights, callout cards, leaders
    credit = _credit(report) if report is not None and callouts else None
    layout = plan_callouts(
        cw,
        ch,
        photo,
        callouts,
        style=spec.style,
        locale=spec.locale,
        brand=spec.brand,
        units=spec.units,
        sources=credit,
        notices=notices,
        library=lib,
    )

    # 5. The scene; pixels are drawn when first asked for
    labelled = {i.block_id for i in layout.items if i.block_id not in (PHOTO_ID, SOURCES_ID)}
    carrier = _carrier(spec, (cw, ch), [c for c in callouts if c.id in labelled], credit)
    scene = build_scene(carrier, layout, report.facts if report is not None else None)
    ctx = Context().add(LocaleItem(locale=spec.locale), BrandItem(brand=spec.brand))
    if report is not None:
        ctx = ctx.add_facts(dict(report.facts), report.stale)
    return Rendered(carrier, layout, scene, lib, facts=report, context=ctx)


def near_requests(pose: CameraPose, near: Near) -> dict[str, dict[str, Any]]:
    """The ``places`` fact requests for the places around the camera, by fact name."""
    requests: dict[str, dict[str, Any]] = {}
    for kind in near.kinds:
        base = {"provider": "places", "lat": round(pose.lat, 6), "lon": round(pose.lon, 6)}
        if kind in LANDMARK_KINDS:
            requests["near_landmarks"] = base | {
                "kind": "nearby",
                "radius": round(near.radius),
                "limit": near.limit,
            }
        else:
            requests[f"near_{kind}"] = base | {
                "kind": "amenities",
                "amenity": kind,
                "radius": round(min(near.radius, 5000)),
                "limit": near.limit,
            }
    return requests


def _ground_near(
    spec: AnnotationSpec,
    pose: CameraPose,
    store: KnowledgeStore | None,
    offline: bool,
    http: HttpClient | None,
    now: datetime | None,
    max_stale: timedelta | None,
) -> tuple[list[Poi], FactReport]:
    from factframe.grounding.resolve import resolve_in_store

    assert spec.near is not None
    moment = now or datetime.now(UTC)
    resolution = resolve_in_store(
        near_requests(pose, spec.near),
        store=store,
        http=http,
        offline=offline,
        locale=spec.locale,
        now=moment,
        max_stale=max_stale,
    )
    pois: list[Poi] = []
    used: dict[str, tuple[str, ...]] = {}
    for name, fact in resolution.facts.items():
        found = _places_of(name, fact)
        used[name] = tuple(p.id or "" for p in found)
        pois += found
    return pois, FactReport(resolution.facts, resolution.stale, used, moment)


#: Two points of the same name this close are one place (a landmark given and found again).
SAME_PLACE_M = 1000.0


def _same_place(a: Poi, b: Poi) -> bool:
    """The same id, or the same name (case and spacing aside) within :data:`SAME_PLACE_M`
    (or anywhere, when either is a pixel point)."""
    if a.id is not None and a.id == b.id:
        return True
    if " ".join(a.name.casefold().split()) != " ".join(b.name.casefold().split()):
        return False
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return True
    north = math.radians(b.lat - a.lat) * EARTH_RADIUS_M
    east = math.radians(b.lon - a.lon) * EARTH_RADIUS_M * math.cos(math.radians(a.lat))
    return math.hypot(north, east) <= SAME_PLACE_M


def _places_of(name: str, fact: Fact) -> list[Poi]:
    value = fact.value
    if value.kind != "record":
        return []
    fields = value.fields
    names = fields.get("titles") or fields.get("names")
    lats, lons = fields.get("lats"), fields.get("lons")
    if names is None or names.kind != "texts" or lats is None or lons is None:
        return []
    if lats.kind != "series" or lons.kind != "series":
        return []
    opening = fields.get("opening_hours")  # OpenStreetMap amenities: when tagged
    hours = opening.values if opening is not None and opening.kind == "texts" else []
    pois = []
    for k, (title, lat, lon) in enumerate(zip(names.values, lats.values, lons.values, strict=True)):
        if lat is None or lon is None or not title.strip():
            continue
        pois.append(
            Poi(
                name=title.strip()[:120],
                lat=lat,
                lon=lon,
                hours=(hours[k].strip()[:120] or None) if k < len(hours) else None,
                id=f"{name.replace('_', '-')}-{k}",
                source=f"{fact.provenance.provider}: {fact.label}"[:200],
            )
        )
    return pois


def _project(
    places: list[_Place],
    pose: CameraPose | None,
    spec: AnnotationSpec,
    size: tuple[int, int],
    scale: float,
) -> tuple[list[Callout], list[str]]:
    """The points inside the frame as callouts, and a notice for each one culled."""
    callouts: list[Callout] = []
    notices: list[str] = []
    geo = [p for p in places if p.poi.is_geo]
    if geo:
        assert pose is not None
        ground = pose.alt - EYE_HEIGHT_M
        lat = [p.poi.lat for p in geo]
        lon = [p.poi.lon for p in geo]
        alt = [ground if p.poi.alt is None else p.poi.alt for p in geo]
        proj = project(pose, np.array(lat), np.array(lon), np.array(alt), *size)
        for k, place in enumerate(geo):
            poi = place.poi
            status = proj.status[k]
            distance = float(proj.distance[k])
            label = f"{poi.id} ({poi.name})"
            if spec.max_distance is not None and distance > spec.max_distance:
                notices.append(f"{label}: {distance:,.0f} m away, beyond max_distance")
            elif place.grounded and spec.near is not None and distance > spec.near.radius:
                continue  # asked around the camera; the provider's circle is not exact
            elif status == "behind":
                notices.append(f"{label}: behind the camera")
            elif status == "outside":
                notices.append(f"{label}: outside the frame (off to the side, above or below)")
            else:
                show_alt = poi.elevation if poi.elevation is not None else poi.alt is not None
                callouts.append(
                    Callout(
                        poi.id or "",
                        poi.name,
                        float(proj.x[k]),
                        float(proj.y[k]),
                        distance=distance,
                        elevation=poi.alt if show_alt else None,
                        description=poi.description,
                        hours=poi.hours,
                        priority=poi.importance / (1 + distance / 1000),
                    )
                )
    w, h = size
    for place in places:
        poi = place.poi
        if poi.is_geo:
            continue
        box = None
        if poi.box is not None:
            bx, by, bw, bh = (v * scale for v in poi.box)
            box = Box(bx, by, bw, bh)
            x, y = bx + bw / 2, by + bh / 2
        else:
            assert poi.point is not None
            x, y = poi.point[0] * scale, poi.point[1] * scale
        if not (0 <= x <= w and 0 <= y <= h):
            notices.append(f"{poi.id} ({poi.name}): its pixel point is outside the photo")
            continue
        callouts.append(
            Callout(
                poi.id or "",
                poi.name,
                x,
                y,
                box=box,
                description=poi.description,
                hours=poi.hours,
                priority=poi.importance,
            )
        )
    return callouts, notices


def _credit(report: FactReport) -> str:
    credits = dict.fromkeys(
        f"{f.provenance.attribution} ({f.provenance.license})"
        if f.provenance.license
        else f.provenance.attribution
        for f in report.facts.values()
        if f.provenance.attribution
    )
    return (
        "Places: " + " · ".join(credits)
        if credits
        else "Places: "
        + ", ".join(dict.fromkeys(f.provenance.provider for f in report.facts.values()))
    )


def _carrier(
    spec: AnnotationSpec, size: tuple[int, int], labelled: list[Callout], credit: str | None
) -> Spec:
    """The block spec of the picture: the photo, one text block per label (its name), the
    sources line; the layout is planned here, not by the block planner."""
    blocks: list[Any] = [ImageBlock(id=PHOTO_ID, src=spec.photo, fit="cover")]
    blocks += [Text(id=c.id, text=c.name, lang=spec.locale) for c in labelled]
    if credit:
        blocks.append(Footer(id=SOURCES_ID, text=credit))
    return Spec(
        canvas=Canvas(width=size[0], height=size[1]),
        locale=spec.locale,
        brand=spec.brand,
        sources=False,
        blocks=blocks,
    )
