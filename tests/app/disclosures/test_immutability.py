"""The database itself refuses to change or delete a published disclosure (migration 0013's
trigger, on both engines), whatever code tries."""

from __future__ import annotations

import peewee
import pytest

from app.db import database
from app.disclosures.models import Disclosure
from tests.app.disclosures.conftest import draft, fresh, published


@pytest.mark.parametrize("assignment", [
    "title = 'forged'", "body = 'forged'", "status = 'draft'", "period = '2020'",
    "published_at = NULL", "corrects_id = id", "extra = '{\"x\": 1}'",
    "region_path = '/9/'"])
def test_a_raw_update_of_a_published_disclosure_is_refused(place, assignment):
    item = published(place)
    with pytest.raises(peewee.DatabaseError), database.atomic():
        database.execute_sql(f"UPDATE disclosure SET {assignment} WHERE id = {item.id}")
    after = fresh(item)
    assert (after.title, after.body, after.status) == (item.title, item.body, "published")


def test_a_peewee_save_of_a_published_disclosure_is_refused(place):
    item = published(place)
    item.title = "悄悄改掉"
    with pytest.raises(peewee.DatabaseError), database.atomic():
        item.save()
    assert fresh(item).title != "悄悄改掉"


def test_a_published_disclosure_cannot_be_deleted(place):
    item = published(place)
    with pytest.raises(peewee.DatabaseError), database.atomic():
        Disclosure.delete().where(Disclosure.id == item.id).execute()
    assert fresh(item).status == "published"


def test_drafts_are_still_editable_and_deletable_below_the_services(place):
    item = draft(place)
    with database.atomic():
        database.execute_sql(f"UPDATE disclosure SET title = '新标题' WHERE id = {item.id}")
    assert fresh(item).title == "新标题"
    with database.atomic():
        Disclosure.delete().where(Disclosure.id == item.id).execute()
    assert Disclosure.get_or_none(Disclosure.id == item.id) is None
