"""The camera pose read back from EXIF written into generated JPEGs with Pillow."""

from __future__ import annotations

import io
import math

import pytest
from PIL import Image

from factframe import annotate
from factframe.errors import ImageError, SpecError
from factframe.generator.exif import photo_size, read_exif_pose
from tests.annotation.photos import jpeg_with_exif, landscape


@pytest.fixture(scope="module")
def photo() -> Image.Image:
    return landscape(600, 400)


def test_pose_round_trips_through_exif(photo: Image.Image) -> None:
    data = jpeg_with_exif(photo, lat=46.0207, lon=7.7491, alt=2222.5, heading=212.5, focal_35=26)
    read = read_exif_pose(data)
    assert read.missing == () and read.size == (600, 400)
    pose = read.pose
    assert pose is not None
    assert (pose.lat, pose.lon) == (
        pytest.approx(46.0207, abs=1e-6),
        pytest.approx(7.7491, abs=1e-6),
    )
    assert (pose.alt, pose.heading, pose.pitch, pose.roll) == (2222.5, 212.5, 0.0, 0.0)
    # 26 mm (35 mm equivalent, defined on the 43.27 mm diagonal) across a 3:2 picture: 36 mm
    assert pose.hfov == pytest.approx(math.degrees(2 * math.atan(18 / 26)), abs=1e-6)


def test_south_west_and_below_sea_level(photo: Image.Image) -> None:
    data = jpeg_with_exif(photo, lat=-33.5, lon=-70.25, alt=-12, heading=10, focal_35=50)
    pose = read_exif_pose(data).pose
    assert pose is not None
    assert (pose.lat, pose.lon, pose.alt) == (pytest.approx(-33.5), pytest.approx(-70.25), -12)


def test_focal_length_with_the_focal_plane_resolution(photo: Image.Image) -> None:
    # 600 px at 100 px/mm: a 6 mm wide sensor behind a 4 mm lens
    data = jpeg_with_exif(photo, lat=1, lon=2, alt=3, heading=4, focal=4.0, plane_x_res=100.0)
    read = read_exif_pose(data)
    assert read.pose is not None
    assert read.pose.hfov == pytest.approx(math.degrees(2 * math.atan(6 / 8)), abs=1e-6)
    assert any("FocalLength 4 mm" in n for n in read.notes)


def test_a_portrait_photo_shows_the_short_side_across(photo: Image.Image) -> None:
    data = jpeg_with_exif(photo, lat=1, lon=2, alt=3, heading=4, focal_35=26, orientation=6)
    read = read_exif_pose(data)
    assert read.size == photo_size(data) == (400, 600)
    assert read.pose is not None
    across = math.hypot(36, 24) * 400 / math.hypot(400, 600)
    assert read.pose.hfov == pytest.approx(math.degrees(2 * math.atan(across / 52)), abs=1e-6)


def test_a_magnetic_heading_is_used_and_reported(photo: Image.Image) -> None:
    data = jpeg_with_exif(photo, lat=1, lon=2, alt=3, heading=90, heading_ref="M", focal_35=26)
    read = read_exif_pose(data)
    assert read.pose is not None and read.pose.heading == 90
    assert any("magnetic" in n for n in read.notes)


def test_missing_tags_are_named(photo: Image.Image) -> None:
    read = read_exif_pose(jpeg_with_exif(photo, lat=1, lon=2))
    assert read.pose is None
    assert [m.split(" ")[0] for m in read.missing] == [
        "GPSAltitude",
        "GPSImgDirection",
        "FocalLengthIn35mmFilm,",
    ]


def test_a_photo_without_exif_and_no_pose_says_what_to_pass(photo: Image.Image) -> None:
    plain = io.BytesIO()
    photo.save(plain, "JPEG")
    with pytest.raises(SpecError) as info:
        annotate(plain.getvalue(), [{"name": "Peak", "lat": 46.1, "lon": 7.7}])
    message = str(info.value)
    assert info.value.path == "pose"
    assert "GPS position" in message and "pose=CameraPose(" in message and "--pose" in message


def test_exif_pose_drives_the_annotation(photo: Image.Image) -> None:
    data = jpeg_with_exif(photo, lat=46.0, lon=7.7, alt=1000, heading=0, focal_35=26)
    rendered = annotate(data, [{"name": "North", "lat": 46.05, "lon": 7.7, "alt": 1000}])
    assert [i.block_id for i in rendered.layout.items if i.block_id == "poi-0"]
    assert rendered.layout.notices == ()


def test_unreadable_photo_is_an_image_error() -> None:
    with pytest.raises(ImageError, match="not a photo"):
        read_exif_pose(b"not a picture")
