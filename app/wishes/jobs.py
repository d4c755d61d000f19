"""Scheduled work of wishes: release overdue claims, auto-confirm fulfilments, deliver points.

Each job reads only due rows through its index ((status, claim_due_at) and (status,
confirm_due_at)) and moves each wish with the same conditional update as a person would
(``history.apply_action``, on status and version): two runs at once, a crash and a rerun, or a
wisher confirming at the same moment, move a wish at most once. Notices are deduplicated per
claim round, so a rerun never tells anyone twice.
"""

from __future__ import annotations

import logging

from app.clock import utcnow
from app.db import database
from app.errors import DomainError
from app.wishes import notify, points
from app.wishes.history import apply_action
from app.wishes.models import Wish

log = logging.getLogger("linli.jobs.wishes")


def _due_ids(status: str, field, now, batch: int) -> list[int]:
    return [row[0] for row in Wish.select(Wish.id)
            .where((Wish.status == status) & (field <= now))
            .order_by(field, Wish.id).limit(batch).tuples()]


def _run(ids: list[int], step, now) -> dict:
    counts = {"due": len(ids), "done": 0}
    for wish_id in ids:
        try:
            if step(wish_id, now):
                counts["done"] += 1
        except DomainError:
            pass  # someone moved the wish first (a confirmation, a takedown): nothing to do
        except Exception:  # one bad row must not stop the pass; it is retried next run
            log.exception("wish job failed for wish id=%s", wish_id)
    return counts


def expire_claims(now=None, *, batch: int = 500) -> dict:
    """Release every claim not fulfilled by its due time; the wish goes back on the wall and
    both the wisher and the former claimant get a notice."""
    now = now or utcnow()
    return _run(_due_ids("claimed", Wish.claim_due_at, now, batch), _expire_claim, now)


def _expire_claim(wish_id: int, now) -> bool:
    wish = Wish.get_or_none(Wish.id == wish_id)
    if wish is None or wish.status != "claimed" or wish.claim_due_at is None \
            or wish.claim_due_at > now:
        return False
    claimant_id, round_ = wish.claimant_id, wish.version
    with database.atomic():
        apply_action(wish, "expire_claim", actor=None, role="system", now=now,
                     changes={"claimant": None, "claimant_name": "", "claimed_at": None,
                              "claim_due_at": None})
        notify.to_resident(wish, wish.wisher_id, "wish.claim_expired",
                           "认领人未在期限内完成，您的心愿已重新开放认领",
                           dedupe=f"claim_expired:{round_}")
        notify.to_resident(wish, claimant_id, "wish.claim_expired",
                           "您认领的心愿超过完成期限，已自动释放",
                           dedupe=f"claim_expired:{round_}")
    return True


def auto_confirm(now=None, *, batch: int = 500) -> dict:
    """Confirm every fulfilment the wisher left unanswered past its confirmation time; the
    claimant's points event is recorded as for a confirmation by the wisher."""
    now = now or utcnow()
    return _run(_due_ids("fulfilled", Wish.confirm_due_at, now, batch), _auto_confirm, now)


def _auto_confirm(wish_id: int, now) -> bool:
    wish = Wish.get_or_none(Wish.id == wish_id)
    if wish is None or wish.status != "fulfilled" or wish.confirm_due_at is None \
            or wish.confirm_due_at > now:
        return False
    with database.atomic():
        apply_action(wish, "auto_confirm", actor=None, role="system", now=now,
                     changes={"confirmed_at": now, "confirm_due_at": None,
                              "auto_confirmed": True})
        points.record_fulfilment(wish, now)
        notify.to_resident(wish, wish.wisher_id, "wish.auto_confirmed",
                           "您的心愿超过确认期限，已自动确认实现", dedupe="confirmed")
        notify.to_resident(wish, wish.claimant_id, "wish.auto_confirmed",
                           "您完成的心愿已自动确认，感谢您的帮助", dedupe="confirmed")
    return True


def deliver_points(now=None, *, batch: int = 200) -> dict:
    """Hand pending points events to the 微星光 ledger once it exists (``points``)."""
    return points.deliver_pending(now, batch=batch)
