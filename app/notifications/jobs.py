"""The outbox sender: the ``notifications.send`` scheduler job.

Each run looks only at due rows (``status`` pending/sending and ``next_attempt_at <= now``,
served by the ``(status, next_attempt_at)`` index), so its cost follows the number of due
notices, not the size of the table. A row is claimed with a conditional UPDATE before it is
sent, so two runs never send the same row; a run that dies mid-send leaves a lease that
expires, and the row is sent by a later run (at least once; WeChat offers no idempotency key).

Channels: ``subscribe`` goes to WeChat through the injected
:class:`app.ports.NotificationSender` after taking one unit of the recipient's quota for the
template; ``staff`` is the staff inbox (WeCom delivery is a later feature) and is marked sent;
``in_app`` rows are sent when written; ``group`` rows are left pending for the bot feature,
whose own job delivers them into the bound WeChat group.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Mapping

from app.accounts.models import User
from app.clock import utcnow
from app.db import database
from app.errors import DomainError
from app.notifications import rules, templates
from app.notifications.models import Notification, SubscriptionQuota
from app.ports import NotificationSender

log = logging.getLogger("linli.notifications")

HANDLED_CHANNELS = ("subscribe", "staff")
NO_SUBSCRIPTION = 43101
FIELD_TOO_LONG = 47003


def _due(now: dt.datetime):
    # While a row is being sent next_attempt_at == lease_until, so one range test covers
    # pending rows that are due and sending rows whose sender vanished.
    return (Notification.status.in_(("pending", "sending"))
            & (Notification.next_attempt_at <= now)
            & Notification.channel.in_(HANDLED_CHANNELS))


def send_due_notifications(sender: NotificationSender, *,
                           template_ids: Mapping[str, str] | None = None,
                           now: dt.datetime | None = None, batch: int = 100,
                           lease: dt.timedelta = rules.LEASE) -> dict[str, int]:
    """Deliver up to ``batch`` due notices; returns counts per outcome.

    Called by the scheduler (job ``notifications.send``), which injects the sender and the
    template key → WeChat template id map. Idempotent: safe to run concurrently and again.
    Changes: ``Notification`` delivery fields, ``SubscriptionQuota.remaining``.
    """
    # Without a fixed ``now`` each claim reads the clock, so a slow batch never hands out
    # leases that have already run out.
    clock = (lambda: now) if now is not None else utcnow
    template_ids = template_ids or {}
    counts: Counter[str] = Counter()
    candidates = [row_id for (row_id,) in Notification.select(Notification.id)
                  .where(_due(clock()))
                  .order_by(Notification.next_attempt_at, Notification.id)
                  .limit(batch).tuples()]
    for row_id in candidates:
        at = clock()
        row = _claim(row_id, at, lease)
        if row is None:
            continue  # another run took it
        counts["claimed"] += 1
        try:
            outcome = _process(row, sender, template_ids, at)
        except Exception as exc:  # one bad row must not stop the batch
            log.error("notification %s: unexpected %s", row.id, type(exc).__name__)
            outcome = _failed(row, exc, clock())
        counts[outcome] += 1
        log.info("notification %s kind=%s channel=%s outcome=%s attempts=%s",
                 row.id, row.kind, row.channel, outcome, row.attempts)
    return dict(counts)


def _claim(row_id: int, now: dt.datetime, lease: dt.timedelta) -> Notification | None:
    until = now + lease
    claimed = (Notification.update(status="sending", lease_until=until, next_attempt_at=until,
                                   attempts=Notification.attempts + 1)
               .where((Notification.id == row_id) & _due(now)).execute())
    return Notification.get_by_id(row_id) if claimed else None


def _mine(row: Notification):
    """Still ours: nobody re-claimed the row after our lease ran out (attempts would differ)."""
    return ((Notification.id == row.id) & (Notification.status == "sending")
            & (Notification.attempts == row.attempts))


def _finish(row: Notification, status: str, **fields) -> str:
    fields.setdefault("next_attempt_at", None)
    done = (Notification.update(status=status, lease_until=None, **fields)
            .where(_mine(row)).execute())
    return status if done else "lost"


def _process(row: Notification, sender: NotificationSender, template_ids: Mapping[str, str],
             now: dt.datetime) -> str:
    if row.attempts > rules.MAX_ATTEMPTS:  # it kept dying mid-send: stop trying
        return _finish(row, "dead", last_error="notification.abandoned")
    if row.channel == "staff":
        return _finish(row, "sent", sent_at=now, last_error=None)
    template = templates.get_template(row.template_key or "")
    template_id = template_ids.get(row.template_key or "")
    if template is None or not template_id:
        return _finish(row, "failed", last_error="notification.template_unconfigured")
    openid = (User.select(User.openid).where(User.id == row.recipient_user_id).scalar())
    if not openid:
        return _finish(row, "failed", last_error="notification.no_openid")
    if not row.quota_taken:
        taken = _take_quota(row, now)
        if taken != "taken":
            return taken
    data, error = _deliver(sender, openid, template_id, row, template.kinds)
    if error is None:
        changed = {"data": data} if data != row.data else {}
        return _finish(row, "sent", sent_at=now, last_error=None, **changed)
    if _errcode(error) == NO_SUBSCRIPTION:
        # WeChat refused before using any quota; our count was stale and is left as it is.
        return _finish(row, "no_quota", last_error=_error_code(error))
    return _failed(row, error, now)


def _take_quota(row: Notification, now: dt.datetime) -> str:
    """Use one of the recipient's subscriptions to this template, once per notice."""
    with database.atomic():
        owned = (Notification.update(quota_taken=True)
                 .where(_mine(row) & (Notification.quota_taken == False))  # noqa: E712
                 .execute())
        if not owned:
            return "lost"
        took = (SubscriptionQuota.update(remaining=SubscriptionQuota.remaining - 1,
                                         updated_at=now)
                .where((SubscriptionQuota.user == row.recipient_user_id)
                       & (SubscriptionQuota.template_key == row.template_key)
                       & (SubscriptionQuota.remaining > 0))
                .execute())
        if took:
            return "taken"
        Notification.update(quota_taken=False).where(Notification.id == row.id).execute()
        return _finish(row, "no_quota", last_error="notification.no_quota")


def _deliver(sender: NotificationSender, openid: str, template_id: str, row: Notification,
             kinds: Mapping[str, str]) -> tuple[dict, Exception | None]:
    """Send; when WeChat says a field is too long, cut fields to its limits and try once more.

    The first try sends the text as written: WeChat's limits are looser for some content than
    the documented ones, and a notice should lose words only when WeChat insists.
    """
    data = dict(row.data or {})
    for first in (True, False):
        try:
            sender.send_subscribe(openid, template_id, data, row.page)
            return data, None
        except Exception as exc:
            if first and _errcode(exc) == FIELD_TOO_LONG:
                fitted = templates.fit_fields(data, kinds)
                if fitted != data:
                    data = fitted
                    continue
            return data, exc
    raise AssertionError("unreachable")


def _failed(row: Notification, error: Exception, now: dt.datetime) -> str:
    code = _error_code(error)
    if not _retryable(error):
        return _finish(row, "failed", last_error=code)
    if rules.gives_up(row.attempts):
        return _finish(row, "dead", last_error=code)
    outcome = _finish(row, "pending", last_error=code,
                      next_attempt_at=now + rules.backoff(row.attempts))
    return "retry" if outcome == "pending" else outcome


def _errcode(exc: Exception) -> int | None:
    return exc.details.get("wechat_errcode") if isinstance(exc, DomainError) else None


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, DomainError):
        return bool(exc.details.get("retryable"))
    return True  # unexpected failure: back off and give up after MAX_ATTEMPTS


def _error_code(exc: Exception) -> str:
    """A code for ``last_error``: never the message, which may quote personal data."""
    errcode = _errcode(exc)
    if errcode is not None:
        return f"wechat.{errcode}"
    if isinstance(exc, DomainError):
        return exc.code[:64]
    return f"error.{type(exc).__name__}"[:64]
