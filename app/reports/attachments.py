"""Images a reporter adds with the receipt: stripped of every metadata (EXIF, GPS …) by
re-encoding the pixels (``app.media.images``), then encrypted under the report key. They never
touch the media store, whose files are plaintext."""

from __future__ import annotations

from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.errors import Conflict, InvalidInput
from app.media import images
from app.reports import notify, rules, sealing
from app.reports.models import ReportAttachment
from app.reports.policies import AUDIT_OBJECT
from app.reports.services import _open_by_receipt, handler_ids

MAX_ATTACHMENTS = 9
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000


def reporter_attach(receipt: str | None, data: bytes, *, client: str) -> dict:
    """Add an image to a report. Anyone holding the receipt.

    Raises report.not_found / report.too_many_attempts; Conflict report.destroyed,
    report.closed; InvalidInput report.too_many_attachments and the image errors of
    ``app.media.images.clean_image`` (media.too_large, media.unsupported_type,
    media.unreadable). Adds one encrypted attachment and notifies the handlers.
    """
    report, key = _open_by_receipt(receipt, client)
    if key is None:
        raise Conflict("report.destroyed", "该举报已按保存期限销毁")
    if report.status in rules.CLOSED:
        raise Conflict("report.closed", "该举报已办结，如有新情况请重新举报")
    clean = images.clean_image(data, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS)
    now = utcnow()
    with database.atomic():
        count = ReportAttachment.select().where(ReportAttachment.report == report.id).count()
        if count >= MAX_ATTACHMENTS:
            raise InvalidInput("report.too_many_attachments",
                               f"每件举报最多附 {MAX_ATTACHMENTS} 张图片")
        row = ReportAttachment.create(report=report.id, mime=clean.mime, created_at=now,
                                      data_cipher=sealing.encrypt_bytes(key, clean.data))
        record(actor=None, grant=None, action="report.reporter_attachment",
               object_type=AUDIT_OBJECT, object_id=report.id, region_path=report.handling_path,
               region_id=report.handling_region_id, summary={"attachment_id": row.id})
        notify.notify_officers(report.id, handler_ids(report), f"attachment:{row.id}", now)
    return {"attachment_id": row.id, "mime": clean.mime, "created_at": now}
