"""Image bytes for media tests, built with Pillow (and by hand where Pillow would refuse)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (24.0, 52.0, 30.0),
    ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (118.0, 35.0, 12.0),
}
CAMERA_MAKE = "LeakyPhone-SN-0042"


def jpeg_bytes(size=(40, 20), color="red", *, orientation: int | None = None,
               gps: bool = False, comment: bytes | None = None) -> bytes:
    """A JPEG, optionally with an EXIF orientation, a GPS IFD, a camera make and a comment."""
    image = Image.new("RGB", size, color)
    if orientation is not None:
        # Left half red, right half blue, so a rotation is visible in the pixels.
        image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA_MAKE
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.IFD.GPSInfo] = GPS
    options = {"exif": exif.tobytes()}
    if comment is not None:
        options["comment"] = comment
    buf = io.BytesIO()
    image.save(buf, "JPEG", **options)
    return buf.getvalue()


def png_bytes(size=(16, 16), mode="RGBA", *, text: dict[str, str] | None = None,
              icc: bytes | None = None) -> bytes:
    image = Image.new(mode, size, (0, 128, 0, 200) if mode == "RGBA" else "green")
    info = PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
        info.add_itxt(f"{key}-i", value)
        info.add_text(f"{key}-z", value, zip=True)
    buf = io.BytesIO()
    image.save(buf, "PNG", pnginfo=info, **({"icc_profile": icc} if icc else {}))
    return buf.getvalue()


def webp_bytes(size=(16, 16), *, frames: int = 1) -> bytes:
    images = [Image.new("RGB", size, color) for color in ("red", "blue", "green")[:frames]]
    buf = io.BytesIO()
    images[0].save(buf, "WEBP", save_all=frames > 1, append_images=images[1:])
    return buf.getvalue()


def gif_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "GIF")
    return buf.getvalue()


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload)))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG announcing ``width`` × ``height`` RGB pixels with almost no pixel data behind it.

    Decoding would need width*height*3 bytes of memory; a correct check refuses it from the
    header alone (decoding it would fail as truncated instead).
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b""))


def zip_bytes() -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return buf.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
       b'<script>alert(1)</script></svg>')
