"""Recording seal uses: each anomaly rule end to end, the discipline officer told, every entry on
the transparency log without the people, the log append-only, and who may do what."""

from __future__ import annotations

import datetime as dt
import json

import peewee
import pytest

from app.db import database
from app.errors import Forbidden, InvalidInput, NotFound
from app.notifications.models import Notification
from app.seals import services as seals
from app.seals.models import SealUse
from app.transparency import services as log
from tests.app.seals.conftest import TUESDAY_10AM
from tests.app.supervision.fixtures import MONDAY_9AM


def flags():
    return list(Notification.select().where(Notification.kind == "seal.anomaly"))


def test_a_proper_use_is_logged_published_and_not_flagged(desk):
    use = desk.use()
    assert (json.loads(use.anomalies), use.flagged) == ([], False)
    assert flags() == []
    leaf = log.leaf_for_record(desk.place.tree.town_a.id, "seal_use", use.id).record
    body = json.loads(leaf)["body"]
    assert (body["document"], body["power_item"]["code"], body["approved"]) == (
        "店面租赁合同", "ZC-01", True)
    assert "李会计" not in leaf and "applicant" not in leaf


@pytest.mark.parametrize(("changes", "expected"), [
    ({"approver_user_id": None}, ["no_approver"]),
    ({"approver_user_id": "applicant"}, ["self_approved"]),
    ({"at": TUESDAY_10AM + dt.timedelta(hours=11)}, ["outside_office_hours"]),
    ({"power_item_id": None}, ["no_power_item"]),
    ({"notice_id": None}, ["notice_missing"]),
    ({"at": MONDAY_9AM + dt.timedelta(days=2)}, ["notice_period_open"]),
])
def test_each_anomaly_is_flagged_to_the_discipline_officer(desk, changes, expected):
    if changes.get("approver_user_id") == "applicant":
        changes = {"approver_user_id": desk.place.cadre2.id}
    use = desk.use(**changes)
    assert json.loads(use.anomalies) == expected and use.flagged
    told = flags()
    assert [n.recipient_user_id for n in told] == [desk.place.user("discipline_officer").id]
    assert told[0].channel == "staff"
    body = json.loads(log.leaf_for_record(desk.place.tree.town_a.id, "seal_use",
                                          use.id).record)["body"]
    assert body["anomalies"] == expected


def test_a_use_citing_a_power_that_needs_no_notice_is_fine_without_one(desk):
    use = desk.use(power_item_id=desk.certificate.id, notice_id=None, document="居住证明",
                   purpose="开具居住证明")
    assert json.loads(use.anomalies) == []


def test_citations_must_be_the_villages_own(desk):
    from tests.app.notices.conftest import published_notice

    other_notice = published_notice(desk.place, village=desk.place.tree.village_a2)
    with pytest.raises(InvalidInput) as info:
        desk.use(notice_id=other_notice.id)
    assert info.value.code == "seal.bad_notice"
    from app.powers.models import PowerItem

    template_item = PowerItem.get(PowerItem.is_template & (PowerItem.code == "ZC-01"))
    with pytest.raises(InvalidInput) as info:
        desk.use(power_item_id=template_item.id)
    assert info.value.code == "seal.bad_power_item"


def test_published_text_may_not_carry_phone_or_id_numbers_and_time_is_bounded(desk):
    with pytest.raises(InvalidInput) as info:
        desk.use(purpose="为13812345678开具证明")
    assert info.value.code == "seal.personal_data"
    with pytest.raises(InvalidInput) as info:
        desk.use(recorded_at=TUESDAY_10AM - dt.timedelta(hours=1))
    assert info.value.code == "seal.bad_time"
    assert SealUse.select().count() == 0


def test_the_seal_log_is_append_only_in_the_database(desk):
    use = desk.use()
    for statement in (f"UPDATE seal_use SET purpose = 'x' WHERE id = {use.id}",
                      f"DELETE FROM seal_use WHERE id = {use.id}"):
        with pytest.raises(peewee.DatabaseError), database.atomic():
            database.execute_sql(statement)
    assert SealUse.get_by_id(use.id).purpose == "临街店面出租签约"


@pytest.mark.parametrize("role", ["grid_worker", "finance_panel", "supervision_committee",
                                  "discipline_officer"])
def test_only_keepers_record_uses(desk, role):
    with pytest.raises(Forbidden):
        seals.record_seal_use(desk.place.staff(role), desk.seal.id, document="文件",
                              purpose="事由", applicant_name="某人", used_at=TUESDAY_10AM)


def test_the_log_is_read_in_scope_and_flagged_uses_are_listed(desk):
    desk.use()
    flagged = desk.use(approver_user_id=None)
    officer = desk.place.staff("discipline_officer")
    assert [u.id for u in seals.uses_query(officer, flagged=True)] == [flagged.id]
    assert len(list(seals.uses_query(desk.place.staff("supervision_committee")))) == 2
    with pytest.raises(NotFound):
        seals.load_use(desk.place.staff(desk.place.town_admin_b), flagged.id)
    with pytest.raises(NotFound):
        seals.record_seal_use(desk.place.staff(desk.place.cadre_b), desk.seal.id,
                              document="文件", purpose="事由", applicant_name="某人",
                              used_at=TUESDAY_10AM)
    for user in (desk.place.actor(desk.place.resident), desk.place.staff("finance_panel")):
        with pytest.raises(Forbidden):
            seals.uses_query(user)


def test_only_town_admins_register_seals(desk):
    with pytest.raises(Forbidden):
        seals.register_seal(desk.place.staff("cadre"), village_id=desk.place.tree.village_a1.id,
                            name="财务专用章", kind="finance")
