"""Bench data for ``requests_bench.py``: one town, 500,000 requests with their history.

Regions come from ``dbtools.region_tree`` (one town; 20 villages × 5 grids × 5 buildings
× 20 households by default: 10,000 households, a resident each). Staff: a grid worker per grid
(member of the grid's handling unit), a cadre per village (member of the village unit), one
town admin (member of two town departments). Requests are built in Python and bulk-inserted
with ``insert_many`` in batches inside one transaction; their timeline entries, lead tasks
and the resident's "submitted" notice are then derived from the request rows by one
``INSERT … SELECT`` per step, so they agree with the requests' timestamps.

Time shape: ``total - recent`` requests over the five years before the last 30 days, all
finished (closed with a rating or none, cancelled, merged); ``recent`` requests over the last
30 days in a live mix of states, with acceptance and resolution deadlines from the real
working calendar (``app.requests.sla``) and the escalation level the scheduler would have
reached by now. ``due`` of the open ones are left one step behind — their ``next_due_at`` has
passed — which is what the scheduler pass then works through.
"""

from __future__ import annotations

import datetime as dt
import random

from bench.dbtools import fix_sequences, insert_rows, region_tree, weighted

TYPES = (("complaint", 30), ("help", 25), ("consultation", 20), ("suggestion", 10),
         ("mediation", 10), ("emergency", 5))
CHANNELS = (("mini_program", 70), ("group_bot", 12), ("phone", 10), ("walk_in", 5),
            ("staff_entry", 3))
CATEGORIES = ("environment", "property", "roads", "water_power", "neighbour", "safety",
              "elderly", "other")
RATINGS = (("satisfied", 70), ("basically", 15), ("unsatisfied", 5), (None, 10))
HISTORIC = (("closed", 94), ("cancelled", 4), ("merged_duplicate", 2))
RECENT = (("closed", 30), ("cancelled", 3), ("resolved", 12), ("in_progress", 20),
          ("dispatched", 12), ("waiting_for_resident", 4), ("accepted", 5), ("submitted", 10),
          ("returned", 2), ("reopened", 2))
TEXTS = ("小区门口的垃圾桶好几天没人清理了，气味很大", "楼道灯坏了一个多星期，晚上很不安全",
         "楼上漏水渗到我家天花板，协商不成", "想咨询一下高龄津贴怎么申请",
         "路口的井盖松动，电动车经过很危险", "建议在小区增设电动车充电桩")
FIELDS = ("id", "tracking_no", "type", "category_code", "text", "channel", "submitter",
          "entered_by", "region", "region_path", "village_id", "grid_id", "address_text",
          "status", "held_for_review", "mediation_code", "lead_unit", "hop_count",
          "reopen_count", "overdue_count", "flagged_hard", "escalation_level",
          "accept_deadline", "resolve_deadline", "paused_at", "next_due_at", "merged_into",
          "rating", "created_at", "accepted_at", "dispatched_at", "resolved_at", "closed_at",
          "version")
CHUNK = 800  # 34 columns: under SQLite's 32,766 bound parameters per statement
SHAPE = {"villages": 20, "grids": 5, "buildings": 5, "households": 20}
REGIONS_AT = dt.datetime(2024, 11, 23, 1, 0)  # the regions' created_at (as participation's)


def _staff(by_level, first_id: int, start):
    """Staff users, grants, units and memberships as rows (ids from ``first_id``)."""
    users, grants, units, members = [], [], [], []
    unit_of = {}
    next_id = iter(range(first_id, 10**8))

    def person(name, role, region_id, unit_ids):
        user_id = next(next_id)
        users.append({"id": user_id, "display_name": name, "created_at": start})
        grants.append({"user": user_id, "role": role, "region": region_id, "created_at": start})
        members.extend({"unit": u, "user": user_id} for u in unit_ids)
        return user_id

    town_id = by_level["town"][0][0]
    for level, kind in (("grid", "grid"), ("village", "village")):
        for region_id, _ in by_level[level]:
            units.append({"id": len(units) + 1, "name": f"{level}-{region_id}", "kind": kind,
                          "region": region_id, "responsibilities": '["环境卫生", "邻里纠纷"]'})
            unit_of[region_id] = len(units)
    departments = []
    for name in ("城建办", "综治办"):
        units.append({"id": len(units) + 1, "name": name, "kind": "department",
                      "region": town_id, "responsibilities": '["道路交通", "安全隐患"]'})
        departments.append(len(units))
    workers = {g: person(f"网格员{g}", "grid_worker", g, [unit_of[g]])
               for g, _ in by_level["grid"]}
    for village_id, _ in by_level["village"]:
        person(f"干部{village_id}", "cadre", village_id, [unit_of[village_id]])
    admin = person("街道管理员", "town_admin", town_id, departments)
    return users, grants, units, members, {"unit_of": unit_of, "departments": departments,
                                           "workers": workers, "admin": admin}


def _ladder(request, now, *, behind: bool):
    """The escalation level the scheduler reaches by ``now`` and the next due time; with
    ``behind`` one step short of it (so the row is due), or None when no step is due."""
    from app.requests import rules, sla

    deadline = sla.current_deadline(request)
    steps = []
    level = 0
    while deadline is not None:
        nxt = rules.due_escalation_level(
            level=level, now=now, deadline=deadline, remind_before=sla.remind_before(request),
            escalate_after=sla.ESCALATE_AFTER, hard=sla.is_hard(request))
        if nxt is None:
            break
        steps.append(level)
        level = nxt
    if behind:
        if not steps:
            return None
        level = steps[-1]
    request.escalation_level = level
    request.overdue_count = 1 if level >= rules.LEVEL_URGED else 0
    request.next_due_at = sla.next_due(request, now, level=level)
    return request


def _recent_row(rng, base, created, now):
    """A request of the last 30 days in a live state, with calendar deadlines."""
    from app.requests import sla
    from app.requests.models import Request

    status = weighted(rng, RECENT)
    row = dict(base, status=status, created_at=created)
    row["accept_deadline"] = sla.accept_deadline(created)
    if status == "submitted":
        row["held_for_review"] = rng.random() < 0.02
    if status not in ("submitted", "cancelled"):
        row["accepted_at"] = created + dt.timedelta(minutes=rng.randrange(20, 600))
    if status in ("accepted", "submitted", "cancelled"):
        row["lead_unit"] = None
    else:
        row["dispatched_at"] = row["accepted_at"] + dt.timedelta(minutes=rng.randrange(10, 300))
        row["resolve_deadline"] = sla.resolve_deadline(row["dispatched_at"], row["type"])
    if status in ("closed", "reopened"):
        row["resolved_at"] = min(now - dt.timedelta(hours=1), row["dispatched_at"]
                                 + dt.timedelta(hours=rng.randrange(4, 240)))
    if status == "resolved":  # still inside the 7-day rating window
        row["resolved_at"] = max(row["dispatched_at"] + dt.timedelta(hours=1),
                                 now - dt.timedelta(hours=rng.randrange(1, 150)))
    if status == "closed":
        row["closed_at"] = row["resolved_at"] + dt.timedelta(hours=rng.randrange(1, 48))
        row["rating"] = weighted(rng, RATINGS) or "none"
    if status == "cancelled":
        row["closed_at"] = created + dt.timedelta(hours=1)
    if status == "reopened":
        row["reopen_count"], row["resolved_at"] = 1, None
    if status == "returned":
        row["hop_count"] = 1
    if status == "waiting_for_resident":
        row["paused_at"] = row["dispatched_at"] + dt.timedelta(hours=2)
    row["flagged_hard"] = rng.random() < 0.03
    if status == "resolved":
        row["next_due_at"] = row["resolved_at"] + sla.RATING_WINDOW
    elif status not in ("closed", "cancelled", "waiting_for_resident"):
        request = _ladder(Request(**row), now + dt.timedelta(hours=2), behind=False)
        row.update(escalation_level=request.escalation_level,
                   overdue_count=request.overdue_count, next_due_at=request.next_due_at)
    return row


def _historic_row(rng, base, created, ids):
    status = weighted(rng, HISTORIC)
    row = dict(base, status=status, created_at=created,
               accept_deadline=created + dt.timedelta(days=1))
    if status == "cancelled":
        row.update(lead_unit=None, closed_at=created + dt.timedelta(hours=2))
        return row
    row["accepted_at"] = created + dt.timedelta(minutes=rng.randrange(20, 900))
    if status == "merged_duplicate":
        row.update(lead_unit=None, closed_at=row["accepted_at"],
                   merged_into=ids - rng.randrange(1, 200) if ids > 200 else None)
        return row
    row["dispatched_at"] = row["accepted_at"] + dt.timedelta(minutes=rng.randrange(10, 480))
    row["resolve_deadline"] = row["dispatched_at"] + dt.timedelta(days=4 if row["type"] in (
        "consultation", "help") else 18)
    row["resolved_at"] = row["dispatched_at"] + dt.timedelta(hours=rng.randrange(3, 400))
    rating = weighted(rng, RATINGS)
    row.update(rating=rating or "none", closed_at=row["resolved_at"] + dt.timedelta(
        hours=rng.randrange(1, 100) if rating else 168))
    return row


def _base(rng, n, users, paths, levels_of, staff):
    user = users[rng.randrange(len(users))]
    household = user["household"]
    region_id = household if rng.random() < 0.8 else levels_of[household][
        rng.choice(("building", "grid"))]
    grid_id, village_id = levels_of[household]["grid"], levels_of[household]["village"]
    channel = weighted(rng, CHANNELS)
    kind = weighted(rng, TYPES)
    roll = rng.random()
    lead = (staff["unit_of"][grid_id] if roll < 0.8 else staff["unit_of"][village_id]
            if roll < 0.95 else rng.choice(staff["departments"]))
    return {"id": n, "type": kind, "category_code": rng.choice(CATEGORIES),
            "text": TEXTS[n % len(TEXTS)], "channel": channel, "submitter": user["id"],
            "entered_by": staff["workers"][grid_id] if channel in (
                "phone", "walk_in", "staff_entry") else None,
            "region": region_id, "region_path": paths[region_id], "village_id": village_id,
            "grid_id": grid_id, "address_text": "", "status": "closed",
            "held_for_review": False, "mediation_code": "green" if kind == "mediation"
            else None, "lead_unit": lead, "hop_count": 1 if rng.random() < 0.05 else 0,
            "reopen_count": 0, "overdue_count": 0, "flagged_hard": False,
            "escalation_level": 0, "accept_deadline": None, "resolve_deadline": None,
            "paused_at": None, "next_due_at": None, "merged_into": None, "rating": None,
            "accepted_at": None, "dispatched_at": None, "resolved_at": None,
            "closed_at": None, "version": 6}


def _pick_due(rng, recent, now, due: int) -> int:
    """Set ``due`` open recent rows one ladder step behind (their next_due_at has passed)."""
    from app.requests import sla
    from app.requests.models import Request

    resolved = [row for row in recent if row["status"] == "resolved"]
    rng.shuffle(resolved)
    for row in resolved[:due // 20]:  # 5 %: the rating window ended, expire the rating
        row["resolved_at"] = now - sla.RATING_WINDOW - dt.timedelta(minutes=rng.randrange(
            5, 2000))
        row["next_due_at"] = row["resolved_at"] + sla.RATING_WINDOW
    taken = len(resolved[:due // 20])
    candidates = [row for row in recent if row["status"] not in (
        "resolved", "closed", "cancelled", "waiting_for_resident")]
    rng.shuffle(candidates)
    for row in candidates:
        if taken == due:
            break
        behind = _ladder(Request(**row), now, behind=True)
        if behind is None or behind.next_due_at is None or behind.next_due_at > now:
            continue
        row.update(escalation_level=behind.escalation_level,
                   overdue_count=behind.overdue_count, next_due_at=behind.next_due_at)
        taken += 1
    return taken


def populate(db, *, total: int, recent: int, due: int, seed: int = 7) -> dict:
    """Fill the migrated, empty ``db``; returns the ids the benchmark acts as."""
    from app.accounts.models import RoleGrant, User
    from app.clock import to_local, utcnow
    from app.regions.models import Region
    from app.requests import rules
    from app.requests.models import (
        HandlingUnit,
        Request,
        RequestFollower,
        TrackingCounter,
        UnitMember,
    )
    from app.requests.setup import ensure_default_categories

    rng = random.Random(seed)
    now = utcnow().replace(microsecond=0)
    start = now - dt.timedelta(days=5 * 365 + 30)
    regions, by_level = region_tree(REGIONS_AT, **SHAPE)
    paths = {r["id"]: r["path"] for r in regions}
    level_of = {r["id"]: r["level"] for r in regions}
    levels_of = {h: {level_of[int(p)]: int(p) for p in path.strip("/").split("/")}
                 for h, path in by_level["household"]}
    users = [{"id": i + 1, "openid": f"bench-{i + 1}", "display_name": f"居民{i + 1}",
              "household": h, "created_at": start} for i, (h, _) in enumerate(
                  by_level["household"])]
    staff_users, grants, units, members, staff = _staff(by_level, len(users) + 1, start)
    ensure_default_categories()
    with db.atomic():
        insert_rows(Region, regions)
        insert_rows(User, users + staff_users)
        insert_rows(RoleGrant, grants + [{"user": u["id"], "role": "resident",
                                      "region": u["household"], "created_at": start}
                                     for u in users])
        insert_rows(HandlingUnit, units)
        insert_rows(UnitMember, members)
        counters: dict[str, int] = {}
        rows, live = [], []
        historic = total - recent
        historic_step = (now - dt.timedelta(days=30) - start) / max(historic, 1)
        recent_step = dt.timedelta(days=30) / max(recent, 1)
        for n in range(1, total + 1):
            base = _base(rng, n, users, paths, levels_of, staff)
            if n <= historic:
                row = _historic_row(rng, base, start + historic_step * (n - 1), n)
            else:
                row = _recent_row(rng, base, now - dt.timedelta(days=30)
                                  + recent_step * (n - historic - 1), now)
                live.append(row)
            day = to_local(row["created_at"])
            counters[f"{day:%Y%m%d}"] = seq = counters.get(f"{day:%Y%m%d}", 0) + 1
            row["tracking_no"] = rules.tracking_number(day.date(), seq)
            rows.append(row)
        taken = _pick_due(rng, live, now, due)
        fields = [getattr(Request, f) for f in FIELDS]
        insert_rows(Request, [tuple(r[f] for f in FIELDS) for r in rows], fields, CHUNK)
        del rows, live
        followers = {(rng.randrange(1, total + 1), rng.randrange(1, len(users) + 1))
                     for _ in range(total // 50)}
        insert_rows(RequestFollower, [{"request": r, "user": u, "created_at": now}
                                  for r, u in followers])
        insert_rows(TrackingCounter, [{"day": d, "seq": s} for d, s in counters.items()])
        _derive(db)
    _finish(db)
    return {"resident": 1, "submitter": 2, "worker": staff["workers"][by_level["grid"][0][0]],
            "admin": staff["admin"], "due": taken, "now": now}


def bench_ids() -> dict:
    """The ids ``populate`` returned, read back from a database it filled earlier."""
    from app.accounts.models import RoleGrant

    def first(role):
        return (RoleGrant.select(RoleGrant.user).where(RoleGrant.role == role)
                .order_by(RoleGrant.user).limit(1).scalar())

    return {"resident": 1, "submitter": 2, "worker": first("grid_worker"),
            "admin": first("town_admin"), "due": None}


_TIMELINE = (  # (action, role, at column, from, to, label, where)
    ("submit", "resident", "created_at", None, "submitted", "诉求已提交", "1 = 1"),
    ("accept", "grid_worker", "accepted_at", "submitted", "accepted", "工作人员已受理",
     "accepted_at IS NOT NULL"),
    ("dispatch", "grid_worker", "dispatched_at", "accepted", "dispatched", "已分派给承办单位",
     "dispatched_at IS NOT NULL"),
    ("start", "handler", "dispatched_at", "dispatched", "in_progress", "承办单位开始办理",
     "dispatched_at IS NOT NULL AND status NOT IN ('dispatched', 'returned')"),
    ("resolve", "handler", "resolved_at", "in_progress", "resolved", "已办结，请您评价",
     "resolved_at IS NOT NULL"),
    ("rate", "resident", "closed_at", "resolved", "closed", "居民已评价，诉求销号",
     "status = 'closed'"),
    ("cancel", "resident", "closed_at", "submitted", "cancelled", "居民已撤回",
     "status = 'cancelled'"),
    ("merge", "grid_worker", "closed_at", "accepted", "merged_duplicate", "与相同诉求合并办理",
     "status = 'merged_duplicate'"),
)


def _derive(db) -> None:
    """Timeline entries, lead tasks and the resident's 'submitted' notice, by INSERT … SELECT."""
    for action, role, at, src, dst, label, where in _TIMELINE:
        src_sql = f"'{src}'" if src else "NULL"
        db.execute_sql(
            "INSERT INTO timeline_entry (request_id, at, actor_id, actor_role, action,"
            " from_status, to_status, label, note, public, details)"
            f" SELECT id, {at}, NULL, '{role}', '{action}', {src_sql}, '{dst}', '{label}',"
            f" '', TRUE, '{{}}' FROM request WHERE {where}")
    db.execute_sql(
        "INSERT INTO request_task (request_id, unit_id, role, status, note, created_at,"
        " done_at) SELECT id, lead_unit_id, 'lead', CASE WHEN resolved_at IS NULL THEN 'open'"
        " ELSE 'done' END, '', dispatched_at, resolved_at FROM request"
        " WHERE lead_unit_id IS NOT NULL AND dispatched_at IS NOT NULL")
    db.execute_sql(
        "INSERT INTO notification (channel, recipient_user_id, kind, title, body, template_key,"
        " page, dedupe_key, status, attempts, quota_taken, created_at, sent_at)"
        " SELECT 'subscribe', submitter_id, 'request.submitted', '诉求 ' || tracking_no,"
        " '已收到您的诉求', 'request_progress', 'pages/requests/detail?id=' || id,"
        " 'request:' || id || ':submitted:user:' || submitter_id, 'sent', 1, TRUE,"
        " created_at, created_at FROM request")


def _finish(db) -> None:
    from app.db import is_postgres

    if is_postgres(db):
        fix_sequences(db, ("region", "user", "request", "handling_unit"))
        db.execute_sql("VACUUM ANALYZE")
    else:
        db.execute_sql("ANALYZE")
