"""The open-request queues (overdue, escalated, to_accept, held, to_dispatch): which rows they
hold for each scope, and on SQLite that a town-wide queue reads the partial index of open
requests (``request_open_id``, migration 0017) while a grid's keeps its region-path plan."""

from __future__ import annotations

import pytest

from app.accounts.tokens import load_actor
from app.db import database, is_postgres
from app.requests import queries, rules
from app.requests.models import Request
from tests.app.requests.conftest import MONDAY_9AM
from tests.app.requests.lifecycle import submit_at
from tests.factories import grant, make_user

ACTIVE_IN = "IN (" + ", ".join(f"'{status}'" for status in queries.ACTIVE) + ")"


@pytest.fixture
def ladder(town):
    """Requests of town A (grids A1, A2) and town B at chosen statuses and ladder levels."""
    resident_a2 = make_user(household=town.tree.household_a2, name="陈奶奶")
    grant(resident_a2, "resident", town.tree.household_a2)
    shapes = {
        "a1_urged": (town.resident, "in_progress", rules.LEVEL_URGED),
        "a1_escalated": (town.resident, "dispatched", rules.LEVEL_ESCALATED),
        "a1_reminded": (town.resident, "accepted", rules.LEVEL_REMINDED),
        "a1_resolved": (town.resident, "resolved", rules.LEVEL_ESCALATED),
        "a1_closed": (town.resident, "closed", rules.LEVEL_JOINT),
        "a2_joint": (resident_a2, "submitted", rules.LEVEL_JOINT),
        "a2_waiting": (resident_a2, "waiting_for_resident", rules.LEVEL_URGED),
        "a2_calm": (resident_a2, "returned", rules.LEVEL_NONE),
        "a2_held": (resident_a2, "submitted", rules.LEVEL_NONE),
        "b1_escalated": (town.outsider, "reopened", rules.LEVEL_ESCALATED),
    }
    made = {}
    for name, (resident, status, level) in shapes.items():
        request = submit_at(town, MONDAY_9AM, resident=resident)
        Request.update(status=status, escalation_level=level).where(
            Request.id == request.id).execute()
        made[name] = request.id
    Request.update(held_for_review=True).where(Request.id == made["a2_held"]).execute()
    return made


def queue_ids(actor, queue):
    return sorted(r.id for r in queries.queue_query(actor, queue))


def expected(ladder, *names):
    return sorted(ladder[name] for name in names)


def test_the_town_admin_sees_the_open_overdue_requests_of_the_whole_town(town, ladder):
    admin = town.actor(town.town_admin)
    assert queue_ids(admin, "overdue") == expected(
        ladder, "a1_urged", "a1_escalated", "a2_joint", "a2_waiting")
    assert queue_ids(admin, "escalated") == expected(ladder, "a1_escalated", "a2_joint")


def test_the_town_admin_sees_the_town_wide_intake_queues(town, ladder):
    admin = town.actor(town.town_admin)
    assert queue_ids(admin, "to_accept") == expected(ladder, "a2_joint")
    assert queue_ids(admin, "held") == expected(ladder, "a2_held")
    assert queue_ids(admin, "to_dispatch") == expected(ladder, "a1_reminded", "a2_calm")


def test_a_grid_worker_sees_only_the_overdue_requests_of_the_grid(town, ladder):
    worker = town.actor(town.grid_worker)
    assert queue_ids(worker, "overdue") == expected(ladder, "a1_urged", "a1_escalated")
    assert queue_ids(worker, "escalated") == expected(ladder, "a1_escalated")


def test_a_cadre_of_a_village_sees_only_that_village(town, ladder):
    cadre = town.actor(town.cadre)  # village A1
    assert queue_ids(cadre, "overdue") == expected(ladder, "a1_urged", "a1_escalated")


def test_staff_over_the_district_see_every_town(town, ladder):
    user = make_user(name="区管理员")
    grant(user, "town_admin", town.tree.district)
    actor = load_actor(user, "staff")
    assert queue_ids(actor, "escalated") == expected(
        ladder, "a1_escalated", "a2_joint", "b1_escalated")


def test_filters_still_narrow_the_town_wide_queue(town, ladder):
    admin = town.actor(town.town_admin)
    assert sorted(r.id for r in queries.queue_query(
        admin, "overdue", status="submitted")) == expected(ladder, "a2_joint")
    assert sorted(r.id for r in queries.queue_query(
        admin, "overdue", region_id=town.tree.village_a2.id)) == expected(
        ladder, "a2_joint", "a2_waiting")


def test_the_literal_term_repeats_the_partial_index_condition(town):
    sql, params = queries.queue_query(town.actor(town.town_admin), "overdue").sql()
    assert '"status" ' + ACTIVE_IN in sql
    assert not any(status in params for status in queries.ACTIVE)


@pytest.fixture
def history(town, ladder):
    """2,000 closed requests spread over the three grids, as a live town mostly holds."""
    rows = {r["region_path"]: r for r in Request.select().where(
        Request.id.in_([ladder["a1_closed"], ladder["a2_calm"], ladder["b1_escalated"]])).dicts()}
    copies = []
    for n in range(2000):
        row = dict(list(rows.values())[n % len(rows)])
        row.pop("id")
        copies.append(dict(row, tracking_no=f"H{n:08d}", status="closed",
                           escalation_level=rules.LEVEL_NONE))
    with database.atomic():
        for start in range(0, len(copies), 200):
            Request.insert_many(copies[start:start + 200]).execute()
    database.execute_sql("ANALYZE")  # the planner's statistics, as a live database has them
    return ladder


def plan_of(query) -> str:
    sql, params = query.order_by(Request.id.desc()).limit(21).sql()
    rows = database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return "\n".join(str(row[-1]) for row in rows)


@pytest.mark.skipif("is_postgres()", reason="SQLite's partial-index matching")
@pytest.mark.parametrize("queue", ["overdue", "escalated", "to_accept", "held", "to_dispatch"])
def test_on_sqlite_the_town_wide_queue_walks_the_open_requests_index(town, history, queue):
    plan = plan_of(queries.queue_query(town.actor(town.town_admin), queue))
    assert "request_open_id" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


@pytest.mark.skipif("is_postgres()", reason="SQLite's partial-index matching")
@pytest.mark.parametrize("queue", ["overdue", "escalated", "to_accept", "to_dispatch"])
def test_on_sqlite_a_grid_queue_keeps_its_region_path_range(town, history, queue):
    plan = plan_of(queries.queue_query(town.actor(town.grid_worker), queue))
    assert "request_open_id" not in plan, plan
    assert "request_region_path_status_id" in plan, plan


def test_the_partial_index_exists_on_this_engine(town):
    if is_postgres():
        rows = database.execute_sql(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'request_open_id'").fetchall()
    else:
        rows = database.execute_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'request_open_id'").fetchall()
    assert len(rows) == 1
    if is_postgres():  # PostgreSQL rewrites the condition as status = ANY (ARRAY[...])
        assert all(f"'{status}'" in rows[0][0] for status in queries.ACTIVE)
    else:  # SQLite matches the query's term against this text: it must be the same
        assert "status " + ACTIVE_IN in rows[0][0]
