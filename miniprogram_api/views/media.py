"""Image upload and download (``/api/v1/media``), shared by every feature that takes photos.

Files live under ``MEDIA_ROOT`` from the Flask config (default: ``<instance>/media``). Images
are served as bytes, not in the JSON envelope, with headers that stop browsers from sniffing
them into something executable and shared caches from keeping them.
"""

import os

from flask import Blueprint, Response, current_app, request

from app.media import services as media
from app.media.images import MIME
from app.media.storage import FileSystemStorage
from miniprogram_api.api import endpoint
from miniprogram_api.schemas.media import MediaSchema

bp = Blueprint("media", __name__, url_prefix="/api/v1")


def _storage() -> FileSystemStorage:
    root = current_app.config.get("MEDIA_ROOT") or os.path.join(current_app.instance_path,
                                                                "media")
    return FileSystemStorage(root)


@endpoint(bp, "/media", method="POST", files=("file",), response=MediaSchema, status=201,
          summary="上传一张图片（JPEG/PNG/WebP），自动去除位置等元数据；返回的 id 随表单提交",
          errors=("request.file_missing", "media.too_large", "media.unsupported_type",
                  "media.unreadable", "media.too_many_pending"))
def upload_media(actor, files):
    limit = media.MAX_BYTES
    # Read one byte past the limit so the service can tell "too large" from "exactly at it".
    data = files["file"].stream.read(limit + 1)
    return media.store_image(actor, data, storage=_storage(), max_bytes=limit)


@endpoint(bp, "/media/<int:media_id>", produces=tuple(sorted(MIME.values())),
          summary="下载图片（本人上传的，或所属事项允许查看的）", errors=("media.not_found",))
def get_media(actor, media_id):
    row, data = media.open_media(actor, media_id, storage=_storage())
    response = Response(data, mimetype=row.mime)
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.set_etag(row.sha256)
    return response.make_conditional(request)
