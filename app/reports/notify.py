"""Notices about reports: officers are told only "您有新的事项", nothing else.

No report id, village, status or text goes into a notice: its title is the fixed text, its
body and page are empty, its kind is generic, and its deduplication key is an opaque keyed hash.
The reporter gets no WeChat message at all (an anonymous reporter has no account, and a
confidential one must not be linked to the report in the notice table): they read the status
with their receipt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from app import crypto
from app.notifications.services import enqueue

NOTICE_TEXT = "您有新的事项"
NOTICE_KIND = "notice"


def notify_officers(report_id: int, user_ids: Iterable[int], event: str,
                    now: dt.datetime | None = None) -> None:
    """One staff notice per officer for ``event`` of the report, inside the caller's
    transaction; the same event notifies each officer once."""
    for user_id in sorted(set(user_ids)):
        key = crypto.keyed_hash("reports.notice", f"{report_id}:{event}:{user_id}")
        enqueue(channel="staff", kind=NOTICE_KIND, dedupe_key=f"n:{key}", title=NOTICE_TEXT,
                body="", recipient_user_id=user_id, page=None, now=now)
