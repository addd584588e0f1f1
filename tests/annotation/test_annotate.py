"""annotate(): bad input, culling, styles, pixel points, grounded places, the spec, the CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from factframe import AnnotationSpec, CameraPose, Poi, annotate, annotate_spec
from factframe.cli import app
from factframe.errors import GroundingError, SpecError
from factframe.layout import CardItem, TextItem
from factframe.spec_annotation import load_annotation, parse_annotation
from tests.annotation.scenes import ALT, POSE, jpeg, offset
from tests.grounding.mock import NOW, mock_client

runner = CliRunner()


def _photo_pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as img:
        return np.asarray(img.convert("RGB")).astype(int)


def test_all_points_behind_the_camera_give_the_photo_and_a_notice() -> None:
    data = jpeg(800, 500)
    behind = [
        {"name": f"South {k}", "lat": offset(-3000, 300 * k)[0], "lon": offset(-3000, 300 * k)[1]}
        for k in range(3)
    ]
    rendered = annotate(data, behind, POSE)
    assert not [i for i in rendered.layout.items if isinstance(i, CardItem | TextItem)]
    audit = rendered.audit
    assert audit.notices[0].startswith("none of the 3 point(s) of interest is in the photo")
    assert [n.split(":")[1].strip() for n in audit.notices[1:]] == ["behind the camera"] * 3
    assert "notices:" in str(audit) and audit.ok
    drawn = rendered.pixels[..., :3].astype(int)
    assert np.abs(drawn - _photo_pixels(data)).mean() < 2  # the photo, unchanged


def test_nothing_to_annotate_says_what_to_pass() -> None:
    with pytest.raises(SpecError, match="nothing to annotate: pass pois") as info:
        annotate(jpeg(200, 100), [], POSE)
    assert info.value.path == "pois"


def test_pixel_points_and_boxes_need_no_pose() -> None:
    plain = io.BytesIO()
    Image.new("RGB", (900, 600), (40, 90, 60)).save(plain, "PNG")
    rendered = annotate(
        plain.getvalue(),
        [
            {"name": "Door", "point": [300, 400], "description": "Main entrance"},
            {"name": "Window", "box": [550, 150, 200, 120], "hours": "Mo-Fr 09:00-17:00"},
            {"name": "Off", "point": [1200, 100]},
        ],
        style="box",
    )
    cards = {i.block_id for i in rendered.layout.items if isinstance(i, CardItem)}
    assert cards == {"poi-0", "poi-1"}
    assert rendered.layout.notices == ("poi-2 (Off): its pixel point is outside the photo",)
    texts = [i.text.text for i in rendered.layout.items if isinstance(i, TextItem)]
    assert any("Mo-Fr 09:00-17:00" in t for t in texts) and any("Main entrance" in t for t in texts)
    assert rendered.audit.ok, str(rendered.audit)


@pytest.mark.parametrize("style", ["pin", "ring", "box", "glow"])
def test_every_style_draws_a_highlight_at_the_point(style: str) -> None:
    data = jpeg(800, 500)
    lat, lon = offset(4000, 0)
    rendered = annotate(
        data, [{"name": "Ahead", "lat": lat, "lon": lon, "alt": ALT + 200}], POSE, style=style
    )
    drawn = rendered.pixels[..., :3].astype(int)
    changed = np.abs(drawn - _photo_pixels(data)).sum(axis=-1) > 60
    x, y = 400, int(250 - (200 - 1.1) / 4000 * (400 / np.tan(np.radians(30))))
    window = changed[y - 30 : y + 6, x - 20 : x + 20]  # the mark (a pin stands above it)
    assert window.mean() > 0.05, style
    assert rendered.audit.ok, str(rendered.audit)


def test_a_photo_over_8192_px_is_scaled_to_fit() -> None:
    wide = io.BytesIO()
    Image.new("RGB", (9000, 300), (200, 210, 230)).save(wide, "JPEG")
    rendered = annotate(wide.getvalue(), [{"name": "Mark", "point": [4500, 150]}])
    assert rendered.size == (8192, 273)
    ring_x = 4500 * 8192 / 9000
    card = next(i for i in rendered.layout.items if isinstance(i, CardItem))
    assert abs(card.box.x + card.box.w / 2 - ring_x) < 2000


# --- grounded places ----------------------------------------------------------------------

# Written from the MediaWiki API documentation of list=geosearch (mediawiki.org API:Geosearch)
# with format=json&formatversion=2; places and distances are illustrative: one ahead of a
# camera looking north, one behind it, one off to the east.
_NORTH, _SOUTH, _EAST = offset(800, 50), offset(-600, 0), offset(100, 900)
GEOSEARCH = {
    "batchcomplete": True,
    "query": {
        "geosearch": [
            {
                "pageid": 1,
                "ns": 0,
                "title": "Old Tower",
                "lat": _NORTH[0],
                "lon": _NORTH[1],
                "dist": 801.6,
                "primary": True,
            },
            {
                "pageid": 2,
                "ns": 0,
                "title": "Railway Station",
                "lat": _SOUTH[0],
                "lon": _SOUTH[1],
                "dist": 600.0,
                "primary": True,
            },
            {
                "pageid": 3,
                "ns": 0,
                "title": "East Gate",
                "lat": _EAST[0],
                "lon": _EAST[1],
                "dist": 905.5,
                "primary": True,
            },
        ]
    },
}
# Written from the Overpass API documentation ([out:json], "out center"): a named node.
_CAFE = offset(300, -40)
OVERPASS = {
    "version": 0.6,
    "osm3s": {"timestamp_osm_base": "2026-11-24T10:00:00Z"},
    "elements": [
        {
            "type": "node",
            "id": 42,
            "lat": _CAFE[0],
            "lon": _CAFE[1],
            "tags": {
                "amenity": "cafe",
                "name": "Café Zentral",
                "opening_hours": "Mo-Sa 07:00-19:00",
            },
        },
        {"type": "node", "id": 43, "lat": _CAFE[0], "lon": _CAFE[1], "tags": {"amenity": "cafe"}},
    ],
}


def _routes() -> dict[str, tuple[int, bytes]]:
    return {
        "en.wikipedia.org/w/api.php": (200, json.dumps(GEOSEARCH).encode()),
        "overpass-api.de/api/interpreter": (200, json.dumps(OVERPASS).encode()),
    }


def test_places_near_the_camera_come_through_the_places_provider(tmp_path: Path) -> None:
    seen: list = []
    rendered = annotate(
        jpeg(1200, 800),
        pose=POSE,
        near={"radius": 1500, "kinds": ["landmarks", "cafe"]},
        http=mock_client(_routes(), seen),
        now=NOW,
    )
    asked = {r.headers["Host"] for r in seen}
    assert asked == {"en.wikipedia.org", "overpass-api.de"}
    cards = {i.block_id for i in rendered.layout.items if isinstance(i, CardItem)}
    assert cards == {"near-landmarks-1", "near-cafe-0", "sources"}  # nearest first
    names = [
        i.text.text
        for i in rendered.layout.items
        if isinstance(i, TextItem) and i.role == "label.name"
    ]
    assert sorted(names) == ["Café Zentral", "Old Tower"]
    details = [i.text.text for i in rendered.layout.items if isinstance(i, TextItem)]
    assert "Mo-Sa 07:00-19:00" in "\n".join(details)  # the OSM opening_hours tag
    notices = rendered.layout.notices
    assert any(n.startswith("near-landmarks-0 (Railway Station): behind") for n in notices)
    assert any(n.startswith("near-landmarks-2 (East Gate): outside") for n in notices)
    footer = next(
        i for i in rendered.layout.items if isinstance(i, TextItem) and i.role == "footer"
    )
    assert "Wikipedia contributors" in footer.text.text and "OpenStreetMap" in footer.text.text
    # provenance: the facts behind the places, with the blocks that used them
    assert rendered.facts is not None
    assert rendered.facts.used_by["near_cafe"] == ("near-cafe-0",)
    out = rendered.save(tmp_path / "near.png")
    sidecar = json.loads(rendered.sidecar_path(out).read_text())
    assert {f["provenance"]["provider"] for f in sidecar["facts"]} == {"places"}
    assert rendered.audit.ok, str(rendered.audit)


def test_a_place_given_and_found_again_is_labelled_once() -> None:
    """The caller's "Old Tower" (with its own description) and Wikipedia's "old  tower" a
    few metres off are one place: the caller's is kept."""
    lat, lon = offset(805, 52)
    given = [{"name": "old  TOWER", "lat": lat, "lon": lon, "description": "Built 1402"}]
    rendered = annotate(
        jpeg(1200, 800), pois=given, pose=POSE, near=1500,
        http=mock_client(_routes()), now=NOW,
    )  # fmt: skip
    names = [t.text.text for t in rendered.layout.texts if t.role == "label.name"]
    assert names == ["old  TOWER"]
    assert "Built 1402" in "\n".join(t.text.text for t in rendered.layout.texts)


def test_places_that_cannot_be_fetched_are_a_grounding_error() -> None:
    with pytest.raises(GroundingError, match="near_landmarks"):
        annotate(jpeg(400, 300), pose=POSE, near=500, http=mock_client({}), now=NOW)


def test_offline_near_without_a_store_is_a_grounding_error() -> None:
    with pytest.raises(GroundingError, match="offline"):
        annotate(jpeg(400, 300), pose=POSE, near=500, offline=True, now=NOW)


# --- the spec -----------------------------------------------------------------------------


def test_the_annotation_spec_names_bad_fields() -> None:
    cases = [
        ({"photo": "x.jpg", "pois": [{"name": "A", "lat": 1}]}, "pois[0]", "give both lat and lon"),
        (
            {"photo": "x.jpg", "pois": [{"name": "A", "lat": 1, "lon": 2, "point": [1, 2]}]},
            "pois[0]",
            "exactly one of",
        ),
        (
            {"photo": "x.jpg", "pose": {"lat": 1, "lon": 2, "alt": 0, "heading": 0, "hfov": 200}},
            "pose.hfov",
            "less than 179",
        ),
        ({"photo": "x.jpg", "pose": "1,2,3"}, "pose", "7 numbers"),
        ({"photo": "x.jpg", "style": "star"}, "style", "pin, ring, box, glow"),
        ({"photo": "x.jpg", "near": {"radius": 8000, "kinds": ["cafe"]}}, "near", "5,000 m"),
        ({"photo": "x.jpg", "locale": "xx-nope"}, "locale", "unknown locale"),
        (
            {
                "photo": "x.jpg",
                "pois": [
                    {"name": "A", "point": [1, 2], "id": "p"},
                    {"name": "B", "point": [1, 2], "id": "p"},
                ],
            },
            "pois[1].id",
            "used twice",
        ),
    ]
    for data, path, message in cases:
        with pytest.raises(SpecError) as info:
            parse_annotation(data)
        assert info.value.path == path, (data, str(info.value))
        assert message in str(info.value), str(info.value)


def test_annotate_spec_from_a_file_with_a_relative_photo(tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(jpeg(600, 400))
    lat, lon = offset(2000, 0)
    (tmp_path / "spec.yaml").write_text(
        "kind: annotation\nphoto: photo.jpg\npose: '46.0,7.7,1500,0,0,0,60'\nstyle: ring\n"
        f"pois:\n  - {{name: Hill, lat: {lat}, lon: {lon}, alt: 1600, importance: 2}}\n",
        encoding="utf-8",
    )
    spec = load_annotation(tmp_path / "spec.yaml")
    assert isinstance(spec, AnnotationSpec) and spec.pose == CameraPose(
        lat=46.0, lon=7.7, alt=1500, heading=0, hfov=60
    )
    rendered = annotate_spec(spec)
    assert rendered.size == (600, 400) and rendered.spec.blocks[0].id == "photo"
    assert [b.id for b in rendered.spec.blocks] == ["photo", "poi-0"]
    assert annotate_spec(spec.model_dump()).layout == rendered.layout  # a dict works too


def test_poi_models_are_accepted_as_they_are() -> None:
    lat, lon = offset(2000, 0)
    rendered = annotate(jpeg(600, 400), [Poi(name="Hill", lat=lat, lon=lon)], POSE)
    assert any(isinstance(i, CardItem) for i in rendered.layout.items)


# --- the command line ---------------------------------------------------------------------


def test_cli_annotate_writes_the_picture_and_prints_notices(tmp_path: Path) -> None:
    photo = tmp_path / "view.jpg"
    photo.write_bytes(jpeg(600, 400))
    lat, lon = offset(2000, 0)
    back, back_lon = offset(-2000, 0)
    result = runner.invoke(
        app,
        ["annotate", str(photo), "--pose", "46.0,7.7,1500,0,0,0,60",
         "--poi", f"Hill,{lat},{lon},1600", "--poi", f"Back,{back},{back_lon}",
         "--style", "glow", "-o", str(tmp_path / "out.png")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stdout and (tmp_path / "out.png").exists()
    assert "notice: poi-1 (Back): behind the camera" in result.stderr
    with Image.open(tmp_path / "out.png") as img:
        assert img.size == (600, 400)


def test_cli_annotate_bad_input_is_one_line(tmp_path: Path) -> None:
    photo = tmp_path / "view.jpg"
    photo.write_bytes(jpeg(300, 200))
    result = runner.invoke(app, ["annotate", str(photo), "--poi", "Hill,north,7"])
    assert result.exit_code == 2
    assert 'a point is "name,lat,lon[,alt]" with numbers' in result.stderr
    result = runner.invoke(app, ["annotate", str(photo), "--poi", "Hill,46.1,7.7"])
    assert result.exit_code == 2 and "--pose" in result.stderr
