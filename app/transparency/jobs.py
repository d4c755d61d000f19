"""Scheduled work of the transparency log: sign checkpoints hourly, post them to village groups.

``transparency.checkpoint`` signs every log that grew since its last checkpoint. A log whose
history no longer extends its last checkpoint is refused (logged with its code); the other logs
are still signed, and the job then fails so the refusal shows in the scheduler log.

``transparency.post_checkpoints`` writes the latest checkpoint of each town, once per checkpoint,
to the outbox for every village group of the town (``channel="group"``,
``group_key="village:<village id>"``): residents keep a copy the server cannot take back. The
bot feature delivers group rows; until it does they wait in the outbox.
"""

from __future__ import annotations

import datetime as dt
import logging

from app.clock import utcnow
from app.db import database
from app.errors import Conflict
from app.notifications import services as notifications
from app.regions import services as regions
from app.regions.models import Region
from app.transparency import keys, services
from app.transparency.models import LogCheckpoint, LogHead

log = logging.getLogger("linli.transparency")
_BATCH = 100


def _logs(after: int) -> list[tuple[int, int]]:
    return list(LogHead.select(LogHead.log_id, LogHead.tree_size)
                .where(LogHead.log_id > after).order_by(LogHead.log_id).limit(_BATCH).tuples())


def _every_log():
    after = 0
    while batch := _logs(after):
        yield from batch
        after = batch[-1][0]


def _signed_size(log_id: int) -> int:
    row = (LogCheckpoint.select(LogCheckpoint.tree_size).where(LogCheckpoint.log_id == log_id)
           .order_by(LogCheckpoint.tree_size.desc()).tuples().first())
    return row[0] if row else 0


def sign_checkpoints(now: dt.datetime | None = None,
                     signer: keys.LogSigner | None = None) -> str:
    """Sign a checkpoint for every log with leaves newer than its last checkpoint."""
    now = now or utcnow()
    signer = signer or keys.default_signer()
    signed, refused = 0, None
    for log_id, size in _every_log():
        if size <= _signed_size(log_id):
            continue
        try:
            services.sign_checkpoint(log_id, now=now, signer=signer)
            signed += 1
        except Conflict as exc:
            log.error("checkpoint refused for log %s: %s", log_id, exc.code)
            refused = exc
    if refused is not None:
        raise refused
    return f"checkpoints signed: {signed}" if signed else ""


def _villages(town_id: int):
    after = 0
    while batch := regions.children(town_id, after_id=after, limit=_BATCH):
        yield from (r for r in batch if r.level == "village")
        after = batch[-1].id


def _message(town: Region, checkpoint: LogCheckpoint) -> tuple[str, str]:
    title = f"{town.name}透明日志检查点（共 {checkpoint.tree_size} 条公开记录）"
    body = ("请保存这条消息。它由镇街服务器签名，记下了截至此时本镇街所有公开记录（村务、财务、"
            "公示结果、用印记录）的指纹；今后任何一条被悄悄修改或删除，都能用它查出来。\n"
            "Keep this message: it fingerprints every record published so far.\n\n"
            f"{checkpoint.note}\n"
            "校验 / verify: python -m app.transparency.verify checkpoint --help")
    return title, body


def post_checkpoints(now: dt.datetime | None = None) -> str:
    """Post each town's latest checkpoint to its village groups (each checkpoint once)."""
    now = now or utcnow()
    posted = 0
    for log_id, _size in _every_log():
        checkpoint = (LogCheckpoint.select().where(LogCheckpoint.log_id == log_id)
                      .order_by(LogCheckpoint.tree_size.desc()).first())
        town = Region.get_or_none(Region.id == log_id)
        if checkpoint is None or town is None:
            continue
        title, body = _message(town, checkpoint)
        with database.atomic():
            for village in _villages(log_id):
                row = notifications.enqueue(
                    channel="group", kind="transparency.checkpoint",
                    group_key=f"village:{village.id}",
                    dedupe_key=f"transparency.checkpoint:{checkpoint.id}:village:{village.id}",
                    title=title, body=body, now=now)
                if row.created_at == now:  # a row written by an earlier run is not new
                    posted += 1
    return f"checkpoint messages posted: {posted}" if posted else ""
