"""Uploads are identified by content, bounded in bytes and pixels, and re-encoded bare."""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image, ImageCms

from app.errors import InvalidInput
from app.media.images import PayloadTooLarge, clean_image
from tests.app.media import samples

LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_pixels": 40_000_000}


def clean(data: bytes, **limits):
    return clean_image(data, **{**LIMITS, **limits})


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_jpeg_with_gps_comes_out_with_no_exif_at_all():
    upload = samples.jpeg_bytes(gps=True, comment=b"home: building 3")
    assert Image.open(io.BytesIO(upload)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # sanity
    result = clean(upload)
    out = reopen(result.data)
    assert result.mime == "image/jpeg" and out.format == "JPEG"
    assert dict(out.getexif()) == {}
    assert out.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(out.info)
    assert b"Exif" not in result.data
    assert samples.CAMERA_MAKE.encode() not in result.data
    assert b"building 3" not in result.data


def test_exif_orientation_is_applied_to_the_pixels():
    # Orientation 6: the stored 40x20 picture is meant to be shown rotated 90° clockwise.
    result = clean(samples.jpeg_bytes((40, 20), orientation=6))
    out = reopen(result.data)
    assert (result.width, result.height) == (20, 40) == out.size
    red, _, blue = out.getpixel((10, 5))
    assert red > 200 and blue < 60  # the red left half is now on top


def test_png_text_chunks_and_colour_profile_are_removed():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = samples.png_bytes(text={"Comment": "住址 东星社区 3 号楼"}, icc=srgb)
    assert {"Comment", "icc_profile"} <= set(Image.open(io.BytesIO(upload)).info)  # sanity
    result = clean(upload)
    out = reopen(result.data)
    assert result.mime == "image/png"
    assert out.mode == "RGBA" and out.getpixel((0, 0))[3] == 200  # transparency survives
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"iCCP", b"eXIf"):
        assert chunk not in result.data
    assert "东星".encode() not in result.data


def test_still_webp_is_accepted_and_stays_webp():
    result = clean(samples.webp_bytes((12, 8)))
    assert (result.mime, result.width, result.height) == ("image/webp", 12, 8)
    assert reopen(result.data).format == "WEBP"


@pytest.mark.parametrize("upload", [
    samples.HTML,
    b"\xff\xd8\xff\xe0" + samples.HTML,  # JPEG magic, then a web page
    samples.zip_bytes(),
    samples.SVG,
    samples.gif_bytes(),
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    b"",
], ids=["html", "html-with-jpeg-magic", "zip", "svg", "gif", "pdf", "empty"])
def test_anything_but_jpeg_png_webp_is_rejected_by_content(upload):
    with pytest.raises(InvalidInput) as err:
        clean(upload)
    assert err.value.code == "media.unsupported_type"
    assert err.value.status == 422


def test_a_zip_appended_to_a_real_jpeg_is_not_stored():
    polyglot = samples.jpeg_bytes() + samples.zip_bytes()
    result = clean(polyglot)
    assert b"PK\x03\x04" not in result.data and b"<script>" not in result.data
    assert reopen(result.data).format == "JPEG"


def test_animated_images_are_rejected():
    with pytest.raises(InvalidInput) as err:
        clean(samples.webp_bytes(frames=2))
    assert err.value.code == "media.unsupported_type"
    assert err.value.details == {"reason": "animated"}


def test_a_truncated_jpeg_is_unreadable():
    data = samples.jpeg_bytes((200, 200))
    with pytest.raises(InvalidInput) as err:
        clean(data[: len(data) // 2])
    assert err.value.code == "media.unreadable"


def test_oversize_upload_is_refused_before_decoding():
    data = samples.jpeg_bytes()
    with pytest.raises(PayloadTooLarge) as err:
        clean(data, max_bytes=len(data) - 1)
    assert (err.value.status, err.value.code) == (413, "media.too_large")
    assert err.value.details == {"max_bytes": len(data) - 1}
    assert clean(data, max_bytes=len(data)).mime == "image/jpeg"


def test_decompression_bomb_is_refused_from_its_header():
    # 8000 x 8000 = 64 MP: over our 40 MP, under Pillow's own bomb threshold. Had it been
    # decoded, the missing pixel data would have surfaced as media.unreadable instead.
    with pytest.raises(PayloadTooLarge) as err:
        clean(samples.png_header_only(8000, 8000))
    assert err.value.details == {"max_pixels": 40_000_000}


def test_giant_bomb_that_pillow_itself_refuses_maps_to_too_large():
    with pytest.raises(PayloadTooLarge):
        clean(samples.png_header_only(50_000, 50_000))


def test_pixel_limit_is_configurable():
    with pytest.raises(PayloadTooLarge):
        clean(samples.jpeg_bytes((100, 100)), max_pixels=9_999)
