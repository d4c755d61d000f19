"""The points event a fulfilled wish earns its claimant, kept in an outbox so none is lost.

Contract with the 微星光 points feature (``app.points``):

* When a wish is confirmed — by the wisher, or automatically after the town's confirmation
  period — the confirming transaction writes one ``wish_points_event`` row:
  ``event_type`` ``"wish.fulfilled"``, ``source_ref`` ``"wish:<id>"`` (unique: a retry or a
  second confirmation path can never write a second row), ``beneficiary_user_id`` the
  claimant, ``region_id`` the wish's village, ``quantity`` 1, ``status`` ``"pending"``.
  Confirmation, not the claimant's own "done", is what counts: the wisher vouches for it.
* If ``app.points.services.record_points_event(event_type, source_ref, beneficiary_user_id,
  region_id, quantity=1)`` exists at runtime it is called right away, in a savepoint of the same
  transaction, and the row becomes ``"delivered"``. It must be idempotent on ``source_ref``.
  If the module is missing or the call fails, the row stays pending and the confirmation
  itself still succeeds.
* The ``wishes.deliver_points`` job hands every pending row to ``record_points_event`` in id
  order (at most ``batch`` per run) and marks it delivered; until the points feature exists it
  only reports how many are waiting. The points feature may equally drain the table itself
  with :func:`deliver_pending`, passing its own recorder.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable

from app.clock import utcnow
from app.db import database
from app.wishes.models import Wish, WishPointsEvent

log = logging.getLogger("linli.wishes.points")

EVENT_TYPE = "wish.fulfilled"

Recorder = Callable[..., object]


def source_ref(wish: Wish) -> str:
    return f"wish:{wish.id}"


def find_recorder() -> Recorder | None:
    """``app.points.services.record_points_event`` when that feature is installed, else None."""
    try:
        module = importlib.import_module("app.points.services")
    except ModuleNotFoundError as exc:
        if exc.name in ("app.points", "app.points.services"):
            return None
        raise
    return getattr(module, "record_points_event", None)


def record_fulfilment(wish: Wish, now, *, recorder: Recorder | None = None) -> WishPointsEvent:
    """Write the wish's points event (inside the caller's transaction) and try to deliver it.

    Idempotent on the wish: a second call finds the first row and leaves it as it is.
    """
    ref = source_ref(wish)
    (WishPointsEvent.insert(event_type=EVENT_TYPE, source_ref=ref,
                            beneficiary_user_id=wish.claimant_id, region_id=wish.village_id,
                            quantity=1, status="pending", created_at=now)
     .on_conflict_ignore().execute())
    row = WishPointsEvent.get(WishPointsEvent.source_ref == ref)
    recorder = recorder or find_recorder()
    if recorder is not None and row.status == "pending":
        _deliver(row, recorder, now)
    return row


def _deliver(row: WishPointsEvent, recorder: Recorder, now) -> bool:
    try:
        with database.atomic():  # a savepoint when called inside a transaction
            recorder(event_type=row.event_type, source_ref=row.source_ref,
                     beneficiary_user_id=row.beneficiary_user_id, region_id=row.region_id,
                     quantity=row.quantity)
            done = (WishPointsEvent.update(status="delivered", delivered_at=now)
                    .where((WishPointsEvent.id == row.id)
                           & (WishPointsEvent.status == "pending")).execute())
    except Exception:  # the event stays pending and is retried by the job
        log.exception("points event not delivered id=%s", row.id)
        return False
    if done:
        row.status, row.delivered_at = "delivered", now
    return bool(done)


def deliver_pending(now=None, *, batch: int = 200, recorder: Recorder | None = None) -> dict:
    """Hand pending events to the points ledger, oldest first. Idempotent; safe to rerun."""
    now = now or utcnow()
    recorder = recorder or find_recorder()
    pending = (WishPointsEvent.select().where(WishPointsEvent.status == "pending")
               .order_by(WishPointsEvent.id))
    if recorder is None:
        return {"delivered": 0, "waiting": pending.count()}
    delivered = 0
    for row in list(pending.limit(batch)):
        with database.atomic():
            delivered += _deliver(row, recorder, now)
    return {"delivered": delivered,
            "waiting": WishPointsEvent.select().where(
                WishPointsEvent.status == "pending").count()}
