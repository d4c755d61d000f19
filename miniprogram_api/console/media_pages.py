"""Photos in the console: storing the files of a multipart form through the media service, and
showing an image to a staff member the feature's visibility rule lets see it.

Uploads go through ``app.media.services.store_image`` (the service ``POST /api/v1/media``
calls): it checks the content (JPEG, PNG or WebP only, size and pixel limits), strips every
metadata by re-encoding and stores the file. The form's own service then attaches the ids in
its transaction. Should that service refuse the form, the uploads stay unattached and the
``purge_unattached_media`` job removes them (the media service's "upload first, attach later").
"""

from __future__ import annotations

import os

from flask import Response, current_app
from flask import request as http

from app.media import services as media
from app.media.storage import FileSystemStorage
from app.policy import Actor
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.session import page


def media_storage() -> FileSystemStorage:
    """The storage the media API uses (``MEDIA_ROOT``, default ``<instance>/media``)."""
    root = current_app.config.get("MEDIA_ROOT") or os.path.join(current_app.instance_path,
                                                                "media")
    return FileSystemStorage(root)


def store_uploads(actor: Actor, field: str = "photos") -> tuple[int, ...]:
    """Store every file chosen in the form's ``field``; returns the new media ids in order.

    A file input left empty sends one part without a name: it is skipped. Raises the media
    service's errors (media.unsupported_type, media.too_large, …) for the first bad file.
    """
    ids = []
    for upload in http.files.getlist(field):
        if not upload.filename:
            continue
        data = upload.stream.read(media.MAX_BYTES + 1)
        ids.append(media.store_image(actor, data, storage=media_storage()).id)
    return tuple(ids)


@bp.route("/media/<int:media_id>")
@page
def media_file(actor: Actor, media_id: int):
    """An image the person may see (their own upload, or one the attached record's visibility
    rule allows); the 404 page for everything else, whether it exists or not."""
    row, data = media.open_media(actor, media_id, storage=media_storage())
    response = Response(data, mimetype=row.mime)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
