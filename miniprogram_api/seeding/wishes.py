"""Generated wishes (微心愿) on each village's wall, with their history.

Wishes are spread evenly over the villages; the wisher is a resident of the village and the
claimant a volunteer or party member of the same village (``app.wishes.claims`` allows no
one else). Names are stored masked (``app.wishes.rules.mask_name``). Live states keep running
clocks: a claimed wish was claimed within the town's claim days and a fulfilled one is still
inside its confirmation window, so the expiry and auto-confirm jobs have nothing overdue to
redo. Each wish's history is the chain of ``app.wishes.rules.TRANSITIONS`` to its state.
"""

from __future__ import annotations

import datetime as dt
import random

from app.wishes import rules
from app.wishes.models import Wish, WishEvent
from miniprogram_api.seeding import bulk, names
from miniprogram_api.seeding.scales import Shape, spread

CHUNK = 20_000
STATES = (("approved", 40), ("claimed", 15), ("fulfilled", 5), ("confirmed", 25),
          ("submitted", 5), ("rejected", 4), ("withdrawn", 4), ("taken_down", 2))
PATHS = {"submitted": (), "approved": ("approve",), "rejected": ("reject",),
         "claimed": ("approve", "claim"), "fulfilled": ("approve", "claim", "fulfil"),
         "confirmed": ("approve", "claim", "fulfil", "confirm"),
         "withdrawn": ("approve", "withdraw"), "taken_down": ("approve", "take_down")}
FIELDS = ("id", "wisher", "wisher_name", "region", "region_path", "village", "category", "text",
          "status", "reviewed_at", "claimant", "claimant_name", "claimed_at", "claim_due_at",
          "fulfil_note", "fulfilled_at", "confirm_due_at", "confirmed_at", "closed_at",
          "created_at", "version")


def _helper(rng: random.Random, people: range, wisher: int) -> int | None:
    for _ in range(40):
        user_id = people[rng.randrange(len(people))] + 1
        if user_id != wisher and (names.is_volunteer(user_id) or names.is_party_member(user_id)):
            return user_id
    return None


def _wish(rng, shape: Shape, seed: int, n: int, now: dt.datetime) -> tuple[dict, list]:
    village = spread(n - 1, shape.counts["wishes"], shape.n("village"))
    people = shape.residents_of_village(village)
    wisher = people[rng.randrange(len(people))] + 1
    household = shape.household_of(wisher - 1)
    status = names.weighted(rng, STATES)
    claimant = _helper(rng, people, wisher) if status in rules.HELD_BY_CLAIMANT else None
    if status in rules.HELD_BY_CLAIMANT and claimant is None:
        status = "approved"
    live = status in ("submitted", "approved", "claimed", "fulfilled")
    created = now - dt.timedelta(hours=rng.randrange(24, 24 * (60 if live else 700)))
    row = {"id": n, "wisher": wisher, "wisher_name": rules.mask_name(names.real_name(seed, wisher)),
           "region": shape.region_id("household", household),
           "region_path": shape.path("household", household),
           "village": shape.region_id("village", village),
           "category": rng.choice(rules.CATEGORIES), "text": names.wish_text(rng),
           "status": status, "reviewed_at": None, "claimant": claimant,
           "claimant_name": rules.mask_name(names.real_name(seed, claimant)) if claimant else "",
           "claimed_at": None, "claim_due_at": None, "fulfil_note": "", "fulfilled_at": None,
           "confirm_due_at": None, "confirmed_at": None, "closed_at": None,
           "created_at": created, "version": 1 + len(PATHS[status])}
    at = {"approve": created + dt.timedelta(hours=rng.randrange(1, 20))}
    if status != "submitted":
        row["reviewed_at"] = at["approve"]
        at["reject"] = at["approve"]
    if claimant:
        if status == "claimed":  # inside the claim window
            at["claim"] = now - dt.timedelta(hours=rng.randrange(1, 24 * rules.DEFAULT_CLAIM_DAYS))
            at["claim"] = max(at["claim"], at["approve"])
        else:
            at["claim"] = at["approve"] + dt.timedelta(hours=rng.randrange(1, 48))
        row["claimed_at"] = at["claim"]
        row["claim_due_at"] = at["claim"] + dt.timedelta(days=rules.DEFAULT_CLAIM_DAYS)
    if status in ("fulfilled", "confirmed"):
        done = at["claim"] + dt.timedelta(hours=rng.randrange(1, 96))
        if status == "fulfilled":
            done = max(at["claim"], now - dt.timedelta(hours=rng.randrange(
                1, 24 * rules.DEFAULT_AUTO_CONFIRM_DAYS)))
        at["fulfil"] = row["fulfilled_at"] = done
        row["fulfil_note"] = "已经帮忙处理好了，老人很满意"
        row["claim_due_at"] = None
        row["confirm_due_at"] = done + dt.timedelta(days=rules.DEFAULT_AUTO_CONFIRM_DAYS)
    if status == "confirmed":
        at["confirm"] = row["confirmed_at"] = row["fulfilled_at"] + dt.timedelta(hours=20)
        row["confirm_due_at"] = None
    if status in ("withdrawn", "taken_down"):
        at[{"withdrawn": "withdraw", "taken_down": "take_down"}[status]] = row["closed_at"] = (
            at["approve"] + dt.timedelta(days=2))
    events = [(n, created, wisher, "resident", "submit", None, "submitted")]
    state = "submitted"
    roles = {"approve": "cadre", "reject": "cadre", "take_down": "cadre", "claim": "volunteer",
             "fulfil": "volunteer", "confirm": "resident", "withdraw": "resident"}
    for action in PATHS[status]:
        target = rules.TRANSITIONS[action].target
        actor = (claimant if roles[action] == "volunteer" else
                 wisher if roles[action] == "resident" else
                 shape.staff_id("cadre", village))
        events.append((n, at[action], actor, roles[action], action, state, target))
        state = target
    return row, events


def write_wishes(shape: Shape, seed: int, now: dt.datetime) -> dict[str, int]:
    """Wishes and their history, in chunks; rows per table."""
    rng = random.Random(f"{seed}:wishes")
    total = shape.counts["wishes"]
    written = {"wish": 0, "wish_event": 0}
    fields = [getattr(Wish, f) for f in FIELDS]
    event_fields = [WishEvent.wish, WishEvent.at, WishEvent.actor_id, WishEvent.actor_role,
                    WishEvent.action, WishEvent.from_status, WishEvent.to_status]
    for first in range(1, total + 1, CHUNK):
        rows, events = [], []
        for n in range(first, min(total, first + CHUNK - 1) + 1):
            row, history = _wish(rng, shape, seed, n, now)
            rows.append(tuple(row[f] for f in FIELDS))
            events.extend(history)
        written["wish"] += bulk.insert(Wish, fields, rows)
        written["wish_event"] += bulk.insert(WishEvent, event_fields, events)
    return written
