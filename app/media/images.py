"""Pure image handling: identify an upload by its content, refuse what we do not serve, and
re-encode the pixels into a fresh file that carries no metadata at all.

Accepted: JPEG, PNG and WebP — what phone cameras, WeChat's picker and screenshots produce, and
what every mini-program client can display. Refused:

* GIF and animated PNG/WebP: animations multiply the decode cost by the frame count (a small file
  can hold thousands of full-size frames), and a photo of a broken lamp never needs one;
* SVG: it is XML that can carry script, and served from our origin it would be stored XSS;
* HEIC, TIFF, BMP, PDF, HTML, ZIP and anything else Pillow's JPEG/PNG/WebP readers do not
  recognise from the first bytes (the client's filename and Content-Type are never consulted).

The output is built from decoded pixels only, so EXIF (GPS, device serials, timestamps), XMP,
IPTC, comments, PNG text chunks, ICC profiles and anything appended after the image (a ZIP or
HTML tail of a polyglot) are all gone. EXIF orientation is applied first so the photo still
stands upright, and an embedded colour profile is converted to sRGB before it is dropped.
No database here; the only side effect is CPU.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from app.errors import DomainError, InvalidInput

# Readers Pillow may try. Restricting them means a file is never handed to a parser we do not
# need (the TIFF, PSD, EPS… readers have had the most vulnerabilities).
_READERS = ("JPEG", "PNG", "WEBP")
# Pillow reports multi-picture JPEGs (some Samsung and Fujifilm cameras) as MPO; the first
# picture is an ordinary JPEG.
_OUTPUT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_SAVE_OPTIONS = {
    "JPEG": {"quality": 88, "optimize": True},
    "PNG": {"compress_level": 6},
    "WEBP": {"quality": 88, "method": 4},
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_UNSUPPORTED_MESSAGE = "只支持上传 JPEG、PNG 或 WebP 格式的图片"


class PayloadTooLarge(DomainError):
    """The upload is bigger (in bytes or in pixels) than we accept."""

    status = 413
    code = "media.too_large"
    message = "图片太大，请压缩后再上传"


@dataclass(frozen=True)
class CleanImage:
    """Re-encoded bytes and what they are."""

    data: bytes
    mime: str
    width: int
    height: int


def unsupported(message: str = _UNSUPPORTED_MESSAGE, **details) -> InvalidInput:
    return InvalidInput("media.unsupported_type", message, details)


def clean_image(data: bytes, *, max_bytes: int, max_pixels: int) -> CleanImage:
    """Check ``data`` and return a metadata-free re-encoding in the same format.

    Raises PayloadTooLarge (media.too_large, 413) when ``data`` exceeds ``max_bytes`` or the
    header announces more than ``max_pixels`` pixels — checked before any pixel is decoded, so a
    decompression bomb costs a header parse; InvalidInput media.unsupported_type (422) for
    anything that is not a still JPEG, PNG or WebP; media.unreadable (422) for a truncated or
    corrupt image of an accepted type.
    """
    if len(data) > max_bytes:
        raise PayloadTooLarge(details={"max_bytes": max_bytes})
    if not data:
        raise unsupported()
    try:
        image = Image.open(io.BytesIO(data), formats=_READERS)
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(max_pixels) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise unsupported() from exc
    with image:
        fmt = _OUTPUT.get(image.format or "")
        if fmt is None:
            raise unsupported()
        width, height = image.size
        if width < 1 or height < 1 or width * height > max_pixels:
            raise _too_many_pixels(max_pixels)
        if fmt != "JPEG" and getattr(image, "n_frames", 1) > 1:
            raise unsupported("暂不支持动图，请上传静态图片", reason="animated")
        try:
            image.load()
        except Image.DecompressionBombError as exc:
            raise _too_many_pixels(max_pixels) from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise InvalidInput("media.unreadable", "图片已损坏或不完整，请重新选择") from exc
        pixels = _fresh_pixels(_to_srgb(_upright(image)), fmt)
    out = io.BytesIO()
    pixels.save(out, fmt, **_SAVE_OPTIONS[fmt])
    return CleanImage(out.getvalue(), MIME[fmt], pixels.width, pixels.height)


def _too_many_pixels(max_pixels: int) -> PayloadTooLarge:
    return PayloadTooLarge(message="图片尺寸太大，请缩小后再上传",
                           details={"max_pixels": max_pixels})


def _upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # malformed EXIF must not block a photo; the EXIF is dropped anyway
        return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert pixels tagged with a colour profile (Display P3 from iPhones…) to sRGB.

    The profile itself is dropped later (it can carry free text), so without this conversion
    wide-gamut photos would look washed out. A profile we cannot use is simply ignored.
    """
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode) or image
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _fresh_pixels(image: Image.Image, fmt: str) -> Image.Image:
    """The pixels in a mode ``fmt`` can store, copied into a brand-new image.

    ``Image.new`` starts with an empty ``info`` and no EXIF, and some Pillow writers fall back
    to the source image's ``info`` (PNG reuses its ICC profile, JPEG its comment): copying into
    a new image is what guarantees nothing but pixels reaches the encoder.
    """
    if image.mode in ("I", "I;16", "I;16B", "I;16L"):  # 16-bit greyscale PNG: scale, not clip
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        "transparency" in image.info)
    if has_alpha and fmt != "JPEG":
        mode = "RGBA"
    elif image.mode in ("1", "L"):
        mode = "L"
    else:
        mode = "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    fresh = Image.new(mode, image.size)
    fresh.paste(image)
    return fresh
