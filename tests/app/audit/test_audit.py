"""The audit log: recorded inside the caller's transaction, append-only, read in scope."""

from __future__ import annotations

import peewee
import pytest

from app.accounts.models import User
from app.accounts.tokens import load_actor
from app.audit.models import AuditEntry
from app.audit.services import audit_query, record
from app.db import database
from app.errors import Forbidden
from tests.factories import build_tree, grant, make_user

REFUSED = (peewee.IntegrityError, peewee.InternalError)


@pytest.fixture
def tree():
    return build_tree()


def staff(role, region):
    user = make_user()
    grant(user, role, region)
    return load_actor(User.get_by_id(user.id), "staff")


def entry_at(region, action="test.write", actor=None, object_id=1):
    with database.atomic():
        return record(actor=actor, grant=None, action=action, object_type="thing",
                      object_id=object_id, region_path=region.path, region_id=region.id)


def test_an_entry_records_who_acted_with_which_role(tree):
    worker = staff("grid_worker", tree.grid_a1)
    with database.atomic():
        entry = record(actor=worker, grant=worker.grants[0], action="thing.do",
                       object_type="thing", object_id=7, region_path=tree.grid_a1.path,
                       summary={"b": 2, "a": 1})
    stored = AuditEntry.get_by_id(entry.id)
    assert (stored.actor_id, stored.actor_role, stored.object_id) == (
        worker.user_id, "grid_worker", "7")
    assert stored.region_id == tree.grid_a1.id
    assert stored.summary == '{"a": 1, "b": 2}'


def test_without_a_grant_the_role_is_self_or_system(tree):
    resident = load_actor(make_user())
    assert entry_at(tree.household_a1, actor=resident).actor_role == "self"
    assert entry_at(tree.household_a1).actor_role == "system"


def test_an_entry_disappears_with_a_rolled_back_write(tree):
    with pytest.raises(RuntimeError), database.atomic():
        record(actor=None, grant=None, action="thing.do", object_type="thing", object_id=1,
               region_path=tree.town_a.path)
        raise RuntimeError("the write failed")
    assert AuditEntry.select().count() == 0


def test_an_entry_cannot_be_updated(tree):
    entry = entry_at(tree.town_a)
    with pytest.raises(REFUSED), database.atomic():
        AuditEntry.update(summary="rewritten").where(AuditEntry.id == entry.id).execute()
    assert AuditEntry.get_by_id(entry.id).summary == ""


def test_an_entry_cannot_be_deleted(tree):
    entry = entry_at(tree.town_a)
    with pytest.raises(REFUSED), database.atomic():
        AuditEntry.delete().where(AuditEntry.id == entry.id).execute()
    assert AuditEntry.select().count() == 1


def test_a_town_admin_reads_only_their_towns_entries(tree):
    mine = entry_at(tree.household_a2)
    entry_at(tree.household_b1)
    rows = audit_query(staff("town_admin", tree.town_a))
    assert [e.id for e in rows] == [mine.id]


def test_a_sysadmin_at_the_district_reads_everything(tree):
    entry_at(tree.household_a1)
    entry_at(tree.household_b1)
    assert audit_query(staff("sysadmin", tree.district)).count() == 2


def test_filters_narrow_the_entries(tree):
    worker = load_actor(make_user())
    entry_at(tree.household_a1, action="binding.request", actor=worker, object_id=5)
    entry_at(tree.household_a1, action="binding.approve", object_id=5)
    entry_at(tree.household_a1, action="binding.approve", object_id=6)
    admin = staff("town_admin", tree.town_a)
    assert audit_query(admin, action="binding.approve").count() == 2
    assert audit_query(admin, object_type="thing", object_id="5").count() == 2
    assert audit_query(admin, actor_id=worker.user_id).count() == 1


@pytest.mark.parametrize("role", ["grid_worker", "cadre", "finance_panel",
                                  "supervision_committee", "discipline_officer"])
def test_other_roles_cannot_read_the_audit_log(tree, role):
    with pytest.raises(Forbidden):
        audit_query(staff(role, tree.town_a))
