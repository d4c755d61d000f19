"""Concurrent claims of one wish: exactly one wins, every other claimant gets 409
``wish.already_claimed``. Each claimant runs in its own thread with its own database connection,
and all of them pass the state check (they all saw the wish open) before any of them writes.
Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import threading

from app.accounts.tokens import load_actor
from app.db import database
from app.errors import Conflict
from app.wishes import claims, rules
from app.wishes.history import apply_action
from app.wishes.models import WishEvent
from tests.app.wishes.conftest import approved, fresh
from tests.factories import make_user

CLAIMANTS = 5


def race(actors, wish_id, monkeypatch):
    """Run one claim per actor at once; return (winners, error codes)."""
    barrier = threading.Barrier(len(actors), timeout=20)
    original = rules.claim_due_at

    def everyone_checked(*args):
        barrier.wait()  # every claimant has read the wish as approved by now
        return original(*args)

    monkeypatch.setattr(rules, "claim_due_at", everyone_checked)
    winners, codes, unexpected = [], [], []

    def claim(actor):
        try:
            with database.connection_context():
                claims.claim_wish(actor, wish_id)
            winners.append(actor.user_id)
        except Conflict as exc:
            codes.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            unexpected.append(exc)

    threads = [threading.Thread(target=claim, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert unexpected == []
    return winners, codes


def test_exactly_one_of_many_concurrent_claims_wins(village, monkeypatch):
    wish = approved(village)
    helpers = [make_user(household=village.household_next_door, is_volunteer=True)
               for _ in range(CLAIMANTS)]
    actors = [load_actor(user) for user in helpers]
    if not database.is_closed():
        database.close()  # the threads open their own connections; the test's is idle
    winners, codes = race(actors, wish.id, monkeypatch)
    assert len(winners) == 1
    assert codes == ["wish.already_claimed"] * (CLAIMANTS - 1)
    wish = fresh(wish)
    assert (wish.status, wish.claimant_id, wish.version) == ("claimed", winners[0], 3)
    assert WishEvent.select().where((WishEvent.wish == wish.id)
                                    & (WishEvent.action == "claim")).count() == 1


def test_a_claim_read_before_a_claim_and_release_still_moves_the_version_forward(village):
    wish = approved(village)
    stale = fresh(wish)
    claimed_once = claims.claim_wish(village.actor(village.volunteer), wish.id)
    claims.release_claim(village.actor(village.volunteer), claimed_once.id)
    version_before = fresh(wish).version
    with database.atomic():
        apply_action(stale, "claim", actor=village.actor(village.party_member),
                     role="volunteer", now=stale.created_at,
                     changes={"claimant": village.party_member.id})
    assert fresh(wish).version == stale.version == version_before + 1
