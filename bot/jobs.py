"""The bot's jobs that talk to WeCom (rows of ``app.jobs.JOBS`` name them by string).

``deliver`` fans group notices of the outbox out to bound groups and sends due messages
through the real :class:`bot.transport.HttpWeComSender` (tests pass a sender talking to a fake
WeCom). ``pull_archive`` runs only when ``WECOM_FINANCE_SDK`` names the Tencent SDK library.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import Counter

from app.bot import config
from app.bot.models import BotEndpoint
from app.bot.outbound import fan_out_notifications, send_due

log = logging.getLogger("linli.bot.jobs")
_sender = None


def default_sender():
    global _sender
    if _sender is None:
        from bot.transport import HttpWeComSender

        _sender = HttpWeComSender(os.environ.get("WECOM_API_BASE", "https://qyapi.weixin.qq.com/"))
    return _sender


def deliver(now: dt.datetime | None = None, wecom_sender=None) -> dict:
    """Job ``bot.deliver``: group notices to queued messages, then send what is due."""
    counts = Counter(fan_out_notifications(now))
    counts.update(send_due(wecom_sender or default_sender(), now=now))
    return dict(counts)


def pull_archive(now: dt.datetime | None = None, sdk_factory=None) -> dict:
    """Job ``bot.pull_archive``: one page per active archive endpoint (SDK optional)."""
    from bot.archive import NativeArchiveSdk, pull

    library = os.environ.get("WECOM_FINANCE_SDK")
    if sdk_factory is None and not library:
        return {}
    counts: Counter[str] = Counter()
    endpoints = BotEndpoint.select().where((BotEndpoint.kind == "wecom_archive")
                                           & BotEndpoint.active).order_by(BotEndpoint.id)
    for endpoint in endpoints:
        secret = config.secrets_of(endpoint).secret or ""
        factory = sdk_factory or (lambda ep, s: NativeArchiveSdk(library, ep.receive_id, s))
        try:
            counts.update(pull(endpoint, factory(endpoint, secret), now=now))
        except Exception as exc:  # one endpoint's failure must not stop the others
            log.error("archive endpoint %s failed: %s", endpoint.id, type(exc).__name__)
            counts["failed"] += 1
    return dict(counts)
