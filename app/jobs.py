"""The one table of scheduled jobs: stable ids, what runs, when, and why.

The scheduler process (``miniprogram_api.scheduler``) is the only thing that runs these, under a
database lock so a second scheduler started by mistake stays idle. A job function names the
dependencies it needs as parameters (see :data:`DEPENDENCIES`); the scheduler injects them and
gives each run its own database connection. Jobs are idempotent and take ids, not objects.
Features append their rows to :data:`JOBS`; an id, once used, keeps its meaning.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Every:
    """Run every ``seconds`` seconds."""

    seconds: int


@dataclass(frozen=True)
class Cron:
    """Run at cron-like times in Asia/Shanghai (``hour="2"``, ``minute="*/10"`` …)."""

    minute: str = "0"
    hour: str = "*"
    day: str = "*"
    month: str = "*"
    day_of_week: str = "*"


@dataclass(frozen=True)
class Job:
    id: str
    func: str | Callable
    trigger: Every | Cron
    description: str

    def resolve(self) -> Callable:
        """The callable ``func`` names (``"package.module:function"``), or ``func`` itself."""
        if callable(self.func):
            return self.func
        module_name, _, attribute = self.func.partition(":")
        return getattr(importlib.import_module(module_name), attribute)


# Names a job function may take as parameters; the scheduler provides each of them.
DEPENDENCIES = frozenset({
    "sender",        # app.ports.NotificationSender (WeChat subscribe messages)
    "template_ids",  # subscribe template key -> WeChat template id
})

JOBS: tuple[Job, ...] = (
    Job("notifications.send", "app.notifications.jobs:send_due_notifications", Every(15),
        "发送到期的通知：微信订阅消息与工作人员通知，失败按退避重试"),
)
