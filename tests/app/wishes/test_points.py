"""The points outbox: one event per fulfilled wish, never lost, delivered at most once."""

from __future__ import annotations

from app.clock import frozen
from app.wishes import jobs, points
from app.wishes import services as wishes
from app.wishes.models import WishPointsEvent
from tests.app.wishes.conftest import DAY, MONDAY_9AM, fresh, fulfilled


class Ledger:
    """A stand-in for app.points.services.record_points_event."""

    def __init__(self, fail: bool = False):
        self.calls, self.fail = [], fail

    def __call__(self, **event):
        if self.fail:
            raise RuntimeError("ledger unavailable")
        self.calls.append(event)


def confirmed(village):
    wish = fulfilled(village)
    with frozen(MONDAY_9AM + DAY):
        return wishes.confirm_wish(village.actor(village.wisher), wish.id)


def test_without_the_points_feature_the_event_waits_in_the_outbox(village):
    wish = confirmed(village)
    assert [(e.source_ref, e.status) for e in WishPointsEvent.select()] == [
        (f"wish:{wish.id}", "pending")]
    assert points.deliver_pending(MONDAY_9AM + 2 * DAY) == {"delivered": 0, "waiting": 1}


def test_recording_twice_for_one_wish_keeps_one_event(village):
    wish = fresh(confirmed(village))
    points.record_fulfilment(wish, MONDAY_9AM + 2 * DAY)
    assert WishPointsEvent.select().count() == 1


def test_when_the_ledger_exists_the_event_is_handed_over_at_confirmation(village, monkeypatch):
    ledger = Ledger()
    monkeypatch.setattr(points, "find_recorder", lambda: ledger)
    wish = confirmed(village)
    assert ledger.calls == [{"event_type": "wish.fulfilled", "source_ref": f"wish:{wish.id}",
                             "beneficiary_user_id": village.volunteer.id,
                             "region_id": village.tree.village_a1.id, "quantity": 1}]
    event = WishPointsEvent.get()
    assert (event.status, event.delivered_at) == ("delivered", MONDAY_9AM + DAY)


def test_a_failing_ledger_leaves_the_event_pending_and_the_confirmation_stands(village,
                                                                              monkeypatch):
    monkeypatch.setattr(points, "find_recorder", lambda: Ledger(fail=True))
    wish = confirmed(village)
    assert fresh(wish).status == "confirmed"
    assert WishPointsEvent.get().status == "pending"


def test_the_job_delivers_waiting_events_once_the_ledger_exists(village, monkeypatch):
    confirmed(village)
    ledger = Ledger()
    monkeypatch.setattr(points, "find_recorder", lambda: ledger)
    assert jobs.deliver_points(now=MONDAY_9AM + 3 * DAY) == {"delivered": 1, "waiting": 0}
    assert jobs.deliver_points(now=MONDAY_9AM + 4 * DAY) == {"delivered": 0, "waiting": 0}
    assert len(ledger.calls) == 1
    assert WishPointsEvent.get().delivered_at == MONDAY_9AM + 3 * DAY
