"""Shared builders for notification tests: a recording sender and a standard notice."""

from __future__ import annotations

import datetime as dt
import threading
import time

from app.db import database
from app.notifications import services
from app.policy import Actor

T0 = dt.datetime(2026, 3, 2, 1, 0, 0)  # naive UTC, 09:00 in Shanghai
TEMPLATE_IDS = {"request_progress": "tmpl-progress", "community_notice": "tmpl-notice"}


class RecordingSender:
    """A NotificationSender that records every message; ``errors`` are raised first, in order."""

    def __init__(self, errors=(), delay: float = 0):
        self.delay = delay
        self.sent: list[dict] = []
        self.errors = list(errors)
        self._lock = threading.Lock()

    def send_subscribe(self, openid, template_id, data, page):
        with self._lock:
            if self.errors:
                raise self.errors.pop(0)
        time.sleep(self.delay)
        with self._lock:
            self.sent.append({"openid": openid, "template_id": template_id,
                              "data": dict(data), "page": page})


def notify(user, n: int = 1, *, thing: str = "路灯已经修好", **changes):
    """Enqueue a resident's request-progress notice in its own committed transaction."""
    fields = dict(channel="subscribe", recipient_user_id=user.id, kind="request.accepted",
                  title=f"诉求 Q{n:04d}", body="您的诉求已受理", template_key="request_progress",
                  data={"character_string1": f"Q{n:04d}", "phrase2": "已受理", "thing3": thing},
                  page=f"pages/requests/detail?id={n}", dedupe_key=f"test:{user.id}:{n}", now=T0)
    fields.update(changes)
    with database.atomic():
        return services.enqueue(**fields)


def subscribe(user, times: int = 1, key: str = "request_progress"):
    for _ in range(times):
        services.record_subscriptions(Actor(user.id), [key])
