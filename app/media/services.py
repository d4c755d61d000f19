"""Media services: store an uploaded image, attach uploads to a feature's record, read one back.

Upload first, attach later: the client uploads each photo (``store_image``) and sends the ids
with the form; the feature's own service calls ``attach_media`` inside its transaction. Who may
read an attached image is decided by the feature through :mod:`app.media.policies`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
from collections.abc import Iterable

from app.clock import utcnow
from app.db import database
from app.errors import Conflict, InvalidInput, NotFound, RateLimited, Unauthorized
from app.media import images, policies
from app.media.models import Media
from app.media.storage import MediaStorage, new_key
from app.policy import Actor

log = logging.getLogger("linli.media")

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Uploads not yet attached to anything, per user per day: enough for several forms of nine
# photos, small enough that one account cannot fill the disk.
MAX_PENDING_PER_DAY = 60
_PENDING_WINDOW = dt.timedelta(days=1)


def _not_found() -> NotFound:
    return NotFound("media.not_found", "找不到这张图片")


def store_image(actor: Actor | None, data: bytes, *, storage: MediaStorage,
                max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> Media:
    """Check, clean and store an uploaded image owned by the caller; returns the new row.

    Any logged-in user (residents and staff alike). Call it at the edge, not inside another
    transaction: the file is written before the row, and an outer rollback would leave the
    file behind. Raises Unauthorized without an actor; media.too_many_pending (429) after
    MAX_PENDING_PER_DAY unattached uploads in a day; and the errors of
    :func:`app.media.images.clean_image` (media.too_large 413, media.unsupported_type and
    media.unreadable 422). Writes one file and inserts one Media row; the stored bytes are the
    re-encoded image, never the upload.
    """
    if actor is None:
        raise Unauthorized()
    since = utcnow() - _PENDING_WINDOW
    pending = (Media.select().where((Media.owner == actor.user_id)
                                    & Media.attached_to.is_null()
                                    & (Media.created_at >= since)).count())
    if pending >= MAX_PENDING_PER_DAY:
        raise RateLimited("media.too_many_pending", "上传的图片太多，请先提交或明天再试",
                          {"limit": MAX_PENDING_PER_DAY})
    clean = images.clean_image(data, max_bytes=max_bytes, max_pixels=max_pixels)
    key = new_key()
    storage.put(key, clean.data)
    try:
        with database.atomic():
            return Media.create(owner=actor.user_id, sha256=hashlib.sha256(clean.data).hexdigest(),
                                mime=clean.mime, width=clean.width, height=clean.height,
                                size=len(clean.data), storage_key=key, created_at=utcnow())
    except BaseException:
        with contextlib.suppress(OSError):
            storage.delete(key)
        raise


def attach_media(actor: Actor | None, media_ids: Iterable[int], target: str, *,
                 limit: int) -> list[Media]:
    """Attach the caller's unattached uploads to ``target`` (``"request:12"``).

    Called by other features' services inside their own transaction (it only opens a
    savepoint, so a later failure there undoes the attachment too). Each image must be owned by
    the actor — staff attach their own uploads like anyone else — and not attached yet; images
    already on ``target`` count towards ``limit``. Repeated ids count once. Raises Unauthorized
    without an actor; media.too_many (422) over ``limit``; media.not_found (404) for an id that
    does not exist or belongs to someone else; media.already_attached (409) for an image that is
    in use; ValueError for a malformed ``target`` (a programming error). Sets ``attached_to``
    and ``attached_at``; returns the rows in the order given.
    """
    if actor is None:
        raise Unauthorized()
    policies.parse_target(target)
    ids = list(dict.fromkeys(int(media_id) for media_id in media_ids))
    if not ids:
        return []
    with database.atomic():
        already = Media.select().where(Media.attached_to == target).count()
        if already + len(ids) > limit:
            raise InvalidInput("media.too_many", f"最多只能上传 {limit} 张图片",
                               {"limit": limit})
        rows = {m.id: m for m in Media.select().where(Media.id.in_(ids)
                                                      & (Media.owner == actor.user_id))}
        if len(rows) != len(ids):
            raise _not_found()
        in_use = [media_id for media_id in ids if rows[media_id].attached_to is not None]
        if in_use:
            raise _already_attached(in_use)
        now = utcnow()
        changed = (Media.update(attached_to=target, attached_at=now)
                   .where(Media.id.in_(ids) & (Media.owner == actor.user_id)
                          & Media.attached_to.is_null())
                   .execute())
        if changed != len(ids):  # a concurrent attach won the race for one of them
            raise _already_attached(ids)
    for media_id in ids:
        rows[media_id].attached_to, rows[media_id].attached_at = target, now
    return [rows[media_id] for media_id in ids]


def _already_attached(media_ids: list[int]) -> Conflict:
    return Conflict("media.already_attached", "图片已被使用，请重新上传",
                    {"media_ids": media_ids})


def attached_media(target: str) -> list[Media]:
    """The images attached to ``target``, oldest attachment first.

    For features rendering their own records; the caller has already checked that the actor
    may see the record. Read-only.
    """
    policies.parse_target(target)
    return list(Media.select().where(Media.attached_to == target)
                .order_by(Media.attached_at, Media.id))


def open_media(actor: Actor | None, media_id: int, *,
               storage: MediaStorage) -> tuple[Media, bytes]:
    """The row and stored bytes of an image the caller may see.

    Any logged-in user: the owner always, others when the attached feature's visibility
    predicate allows. Raises Unauthorized without an actor and media.not_found (404) for
    everything else — a missing id, someone else's unattached upload, an image the caller may
    not see, a lost file — so the answer never tells whether an image exists. Read-only.
    """
    if actor is None:
        raise Unauthorized()
    media = Media.get_or_none(Media.id == media_id)
    if media is None or not policies.may_view(actor, media.owner_id, media.attached_to):
        raise _not_found()
    try:
        data = storage.get(media.storage_key)
    except FileNotFoundError:
        log.error("media file missing media_id=%s", media.id)
        raise _not_found() from None
    return media, data
