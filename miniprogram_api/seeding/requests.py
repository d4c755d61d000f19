"""Generated requests (群众诉求) with their timelines, lead tasks and tracking numbers.

Time shape: nine in ten requests spread over the two years before the last 30 days, all
finished (closed with a rating or without one, cancelled, merged); the rest over the last 30
days in a live mix of states. Live requests get their acceptance and resolution deadlines
from the real working calendar (``app.requests.sla``) and the escalation level the scheduler
would have reached by ``now``, so the scheduler's next pass finds nothing overdue to redo.
Each request's timeline is the chain of ``app.requests.rules.TRANSITIONS`` that leads to its
state, with the actors the services would record (the resident, the grid worker, the handler).

Requests are generated in chunks of ``CHUNK`` in id order; each chunk's requests, timeline
entries and tasks are written before the next chunk is built.
"""

from __future__ import annotations

import datetime as dt
import json
import random

from app.clock import to_local
from app.requests import rules, sla
from app.requests.jobs import _LEVEL_TEXT  # the scheduler's own wording of each level
from app.requests.models import Request, RequestTask, TimelineEntry, TrackingCounter
from app.requests.setup import DEFAULT_CATEGORIES, ensure_default_categories
from miniprogram_api.seeding import bulk, names
from miniprogram_api.seeding.scales import Shape

CHUNK = 20_000
TYPES = (("complaint", 30), ("help", 25), ("consultation", 20), ("suggestion", 10),
         ("mediation", 10), ("emergency", 5))
CHANNELS = (("mini_program", 70), ("group_bot", 12), ("phone", 10), ("walk_in", 5),
            ("staff_entry", 3))
CATEGORIES = tuple(code for code, _ in DEFAULT_CATEGORIES if code != "disclosure")
RATINGS = (("satisfied", 70), ("basically", 15), ("unsatisfied", 5), (None, 10))
HISTORIC = (("closed", 94), ("cancelled", 4), ("merged_duplicate", 2))
RECENT = (("closed", 30), ("cancelled", 3), ("resolved", 12), ("in_progress", 20),
          ("dispatched", 12), ("waiting_for_resident", 4), ("accepted", 5), ("submitted", 10),
          ("returned", 2), ("reopened", 2))
# the transitions that lead from "submitted" to each state
PATHS = {
    "submitted": (), "cancelled": ("cancel",), "merged_duplicate": ("accept", "merge"),
    "accepted": ("accept",), "dispatched": ("accept", "dispatch"),
    "in_progress": ("accept", "dispatch", "start"),
    "waiting_for_resident": ("accept", "dispatch", "start", "wait_for_resident"),
    "returned": ("accept", "dispatch", "return"),
    "resolved": ("accept", "dispatch", "start", "resolve"),
    "closed": ("accept", "dispatch", "start", "resolve", "rate"),
    "reopened": ("accept", "dispatch", "start", "resolve", "reopen"),
}
FIELDS = ("id", "tracking_no", "type", "category_code", "text", "channel", "submitter",
          "entered_by", "region", "region_path", "village_id", "grid_id", "status",
          "mediation_code", "lead_unit", "hop_count", "reopen_count", "overdue_count",
          "flagged_hard", "escalation_level", "accept_deadline", "resolve_deadline",
          "paused_at", "next_due_at", "merged_into", "rating", "created_at", "accepted_at",
          "dispatched_at", "resolved_at", "closed_at", "version")


def _base(rng: random.Random, shape: Shape, n: int) -> dict:
    resident = rng.randrange(shape.counts["residents"])
    h = shape.household_of(resident)
    up = shape.ancestors("household", h)
    level = "household" if rng.random() < 0.8 else rng.choice(("building", "grid"))
    kind = names.weighted(rng, TYPES)
    channel = names.weighted(rng, CHANNELS)
    roll = rng.random()
    lead = (shape.unit_id("grid", up["grid"]) if roll < 0.8 else
            shape.unit_id("village", up["village"]) if roll < 0.95 else
            shape.unit_id("department", 2 * up["town"] + rng.randrange(2)))
    return {"id": n, "type": kind, "category_code": rng.choice(CATEGORIES),
            "text": names.request_text(rng, kind), "channel": channel,
            "submitter": resident + 1,
            "entered_by": shape.staff_id("grid_worker", up["grid"])
            if channel in ("phone", "walk_in", "staff_entry") else None,
            "region": shape.region_id(level, up[level]),
            "region_path": shape.path(level, up[level]),
            "village_id": shape.region_id("village", up["village"]),
            "grid_id": shape.region_id("grid", up["grid"]),
            "mediation_code": "yellow" if kind == "mediation" else None, "lead_unit": lead,
            "hop_count": 0, "reopen_count": 0, "overdue_count": 0, "flagged_hard": False,
            "escalation_level": 0, "accept_deadline": None, "resolve_deadline": None,
            "paused_at": None, "next_due_at": None, "merged_into": None, "rating": None,
            "accepted_at": None, "dispatched_at": None, "resolved_at": None,
            "closed_at": None, "worker": shape.staff_id("grid_worker", up["grid"])}


class _Calendar:
    """``sla.accept_deadline`` / ``resolve_deadline`` on one loaded working calendar (the
    service reloads it per call, which is a query each time)."""

    def __init__(self):
        self.calendar = sla.calendar()

    def accept(self, start: dt.datetime) -> dt.datetime:
        return self.calendar.deadline_after(start, rules.DEFAULT_ACCEPT_DAYS)

    def resolve(self, start: dt.datetime, request_type: str) -> dt.datetime:
        return self.calendar.deadline_after(start, rules.resolve_days(request_type))


def _historic(rng, row, created, cal: _Calendar) -> dict:
    status = names.weighted(rng, HISTORIC)
    row.update(status=status, created_at=created, accept_deadline=cal.accept(created))
    if status == "cancelled":
        row.update(lead_unit=None, closed_at=created + dt.timedelta(hours=2))
        return row
    row["accepted_at"] = created + dt.timedelta(minutes=rng.randrange(20, 900))
    if status == "merged_duplicate":
        row.update(lead_unit=None, closed_at=row["accepted_at"] + dt.timedelta(minutes=5),
                   merged_into=row["id"] - 1 if row["id"] > 1 else None)
        return row
    row["dispatched_at"] = row["accepted_at"] + dt.timedelta(minutes=rng.randrange(10, 480))
    row["resolve_deadline"] = cal.resolve(row["dispatched_at"], row["type"])
    row["resolved_at"] = row["dispatched_at"] + dt.timedelta(hours=rng.randrange(3, 200))
    rating = names.weighted(rng, RATINGS)
    row.update(rating=rating or "none", closed_at=row["resolved_at"] + (
        dt.timedelta(hours=rng.randrange(1, 100)) if rating else sla.RATING_WINDOW))
    if row["mediation_code"]:
        row["mediation_code"] = "green"
    return row


def _recent(rng, row, created, now, cal: _Calendar) -> dict:
    status = names.weighted(rng, RECENT)
    row.update(status=status, created_at=created, accept_deadline=cal.accept(created))
    if status not in ("submitted", "cancelled"):
        row["accepted_at"] = min(now, created + dt.timedelta(minutes=rng.randrange(20, 600)))
    if status in ("submitted", "cancelled", "accepted"):
        row["lead_unit"] = None
    else:
        row["dispatched_at"] = min(now, row["accepted_at"]
                                   + dt.timedelta(minutes=rng.randrange(10, 300)))
        row["resolve_deadline"] = cal.resolve(row["dispatched_at"], row["type"])
    if status in ("closed", "resolved", "reopened"):
        latest = max(row["dispatched_at"], now - dt.timedelta(hours=1))
        row["resolved_at"] = min(latest, row["dispatched_at"]
                                 + dt.timedelta(hours=rng.randrange(1, 150)))
        if status == "resolved":
            row["resolved_at"] = max(row["resolved_at"], now - sla.RATING_WINDOW
                                     + dt.timedelta(hours=2))
    if status == "closed":
        row["closed_at"] = min(now, row["resolved_at"] + dt.timedelta(hours=rng.randrange(1, 48)))
        row["rating"] = names.weighted(rng, RATINGS[:3])
        if row["mediation_code"]:
            row["mediation_code"] = "green"
    if status == "cancelled":
        row["closed_at"] = min(now, created + dt.timedelta(hours=1))
    if status == "reopened":
        row.update(reopen_count=1, resolved_at=None)
    if status == "returned":
        row["hop_count"] = 1
    if status == "waiting_for_resident":
        row["paused_at"] = min(now, row["dispatched_at"] + dt.timedelta(hours=2))
    if status == "resolved":
        row["next_due_at"] = row["resolved_at"] + sla.RATING_WINDOW
    elif status not in ("closed", "cancelled", "waiting_for_resident"):
        _ladder(row, now)
    return row


def _ladder(row: dict, now: dt.datetime) -> None:
    """The escalation steps the scheduler (``app.requests.jobs.escalate_due``) has taken by
    ``now``, each at the time it fell due, and its next look."""
    request = Request(**{k: v for k, v in row.items() if k != "worker"})
    deadline = sla.current_deadline(request)
    level, steps = 0, []
    while deadline is not None:
        nxt = rules.due_escalation_level(
            level=level, now=now, deadline=deadline, remind_before=sla.remind_before(request),
            escalate_after=sla.ESCALATE_AFTER, hard=sla.is_hard(request))
        if nxt is None:
            break
        due = sla.next_due(request, now, level=level) or now
        steps.append((nxt, min(now, due), deadline))
        level = nxt
    request.escalation_level = level
    request.overdue_count = 1 if level >= rules.LEVEL_URGED else 0
    row.update(escalation_level=level, overdue_count=request.overdue_count,
               next_due_at=sla.next_due(request, now, level=level), ladder=steps,
               clock=sla.current_clock(request))


def _timeline(row: dict) -> list[tuple]:
    """Timeline entries: submit, then each transition to the row's state, in time order."""
    at = {"accept": row["accepted_at"], "dispatch": row["dispatched_at"],
          "start": row["dispatched_at"], "return": row["dispatched_at"],
          "wait_for_resident": row["paused_at"], "resolve": row["resolved_at"],
          "rate": row["closed_at"], "cancel": row["closed_at"], "merge": row["closed_at"],
          "reopen": row["dispatched_at"]}
    worker, resident = row["worker"], row["submitter"]
    entries = [(row["id"], row["created_at"], resident, "resident", "submit", None, "submitted",
                "诉求已提交", "", True, "{}")]
    state, when = "submitted", row["created_at"]
    for action in PATHS[row["status"]]:
        transition = rules.TRANSITIONS[action]
        label = transition.label
        when = max(when, at[action] or when)
        if action == "rate" and row["rating"] == "none":
            action, label = "expire_rating", rules.TRANSITIONS["expire_rating"].label
        actor, role = ((resident, "resident") if action in ("cancel", "rate", "reopen") else
                       (None, "system") if action == "expire_rating" else (worker, "grid_worker"))
        entries.append((row["id"], when, actor, role, action, state, transition.target, label,
                        "", True, "{}"))
        state = transition.target
    for level, due, deadline in row.get("ladder", ()):  # what escalate_due writes per step
        _, text, public = _LEVEL_TEXT[level]
        when = max(when, due)
        details = {"level": level, "deadline": deadline.isoformat(), "clock": row["clock"],
                   "round": row["reopen_count"]}
        entries.append((row["id"], when, None, "system", "note", None, None,
                        rules.LEVEL_NAMES[level], text, public,
                        json.dumps(details, ensure_ascii=False)))
    return entries


def write_requests(shape: Shape, seed: int, now: dt.datetime) -> dict[str, int]:
    """Requests, timelines, lead tasks and tracking counters; rows per table."""
    rng = random.Random(f"{seed}:requests")
    total = shape.counts["requests"]
    recent = max(1, total // 10)
    historic = total - recent
    start = now - dt.timedelta(days=2 * 365 + 30)
    step_old = (now - dt.timedelta(days=30) - start) / max(historic, 1)
    step_new = dt.timedelta(days=30) / recent
    ensure_default_categories()
    counters: dict[str, int] = {}
    cal = _Calendar()
    written = {"request": 0, "timeline_entry": 0, "request_task": 0}
    fields = [getattr(Request, f) for f in FIELDS]
    tl_fields = [TimelineEntry.request, TimelineEntry.at, TimelineEntry.actor_id,
                 TimelineEntry.actor_role, TimelineEntry.action, TimelineEntry.from_status,
                 TimelineEntry.to_status, TimelineEntry.label, TimelineEntry.note,
                 TimelineEntry.public, TimelineEntry.details]
    task_fields = [RequestTask.request, RequestTask.unit, RequestTask.role, RequestTask.status,
                   RequestTask.created_at, RequestTask.done_at]
    for first in range(1, total + 1, CHUNK):
        rows, timeline, tasks = [], [], []
        for n in range(first, min(total, first + CHUNK - 1) + 1):
            row = _base(rng, shape, n)
            if n <= historic:
                _historic(rng, row, start + step_old * (n - 1), cal)
            else:
                _recent(rng, row, now - dt.timedelta(days=30) + step_new * (n - historic - 1),
                        now, cal)
            day = f"{to_local(row['created_at']):%Y%m%d}"
            counters[day] = counters.get(day, 0) + 1
            row["tracking_no"] = rules.tracking_number(to_local(row["created_at"]).date(),
                                                       counters[day])
            row["version"] = 1 + len(PATHS[row["status"]])
            rows.append(tuple(row[f] for f in FIELDS))
            timeline.extend(_timeline(row))
            if row["dispatched_at"] is not None and row["lead_unit"] is not None:
                status = ("returned" if row["status"] == "returned" else
                          "done" if row["resolved_at"] else "open")
                tasks.append((n, row["lead_unit"], "lead", status, row["dispatched_at"],
                              row["resolved_at"]))
        written["request"] += bulk.insert(Request, fields, rows)
        written["timeline_entry"] += bulk.insert(TimelineEntry, tl_fields, timeline)
        written["request_task"] += bulk.insert(RequestTask, task_fields, tasks)
    bulk.insert(TrackingCounter, [TrackingCounter.day, TrackingCounter.seq],
                sorted(counters.items()))
    return written
