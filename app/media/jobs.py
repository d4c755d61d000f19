"""Scheduled work of media: forget uploads that were never attached to anything.

Clients upload photos before the form is sent; abandoned forms leave uploads behind. They belong
to nobody's record and would otherwise stay on disk forever.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging

from app.clock import utcnow
from app.db import database
from app.media.models import Media
from app.media.storage import MediaStorage

log = logging.getLogger("linli.media")

UNATTACHED_TTL = dt.timedelta(days=2)


def purge_unattached_media(storage: MediaStorage, *, older_than: dt.timedelta = UNATTACHED_TTL,
                           batch: int = 500) -> int:
    """Delete uploads still unattached ``older_than`` after upload, row first, then the file.

    Idempotent; safe to run while users attach (each delete re-checks that the row is still
    unattached). Returns how many were deleted in this run (at most ``batch``).
    """
    cutoff = utcnow() - older_than
    candidates = list(Media.select(Media.id, Media.storage_key)
                      .where(Media.attached_to.is_null() & (Media.created_at < cutoff))
                      .order_by(Media.id).limit(batch).tuples())
    deleted = 0
    for media_id, key in candidates:
        with database.atomic():
            gone = (Media.delete().where((Media.id == media_id) & Media.attached_to.is_null())
                    .execute())
        if gone:
            deleted += 1
            with contextlib.suppress(OSError):
                storage.delete(key)
    if deleted:
        log.info("purged unattached media count=%s", deleted)
    return deleted
