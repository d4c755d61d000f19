"""The effective calendar (package + staff table), its cache, and who may maintain it."""

from __future__ import annotations

import datetime as dt
import json

import peewee
import pytest

from app.accounts.tokens import load_actor
from app.audit.models import AuditEntry
from app.calendar import services
from app.calendar.models import CalendarDay, CalendarRevision
from app.clock import frozen
from app.db import database
from app.errors import Forbidden, InvalidInput, NotFound, Unauthorized
from tests.factories import build_tree, grant, make_user

MAKEUP_SATURDAY = dt.date(2025, 2, 8)
FESTIVAL_DAY = dt.date(2025, 1, 29)
UNKNOWN_YEAR = 2031


@pytest.fixture(autouse=True)
def fresh_cache():
    services.clear_cache()
    yield
    services.clear_cache()


@pytest.fixture
def tree():
    return build_tree()


def staff(tree, role):
    region = {"grid_worker": tree.grid_a1, "cadre": tree.village_a1,
              "discipline_officer": tree.town_a, "town_admin": tree.town_a,
              "sysadmin": tree.district}[role]
    user = make_user()
    grant(user, role, region)
    return load_actor(user, "staff")


@pytest.fixture
def admin(tree):
    return staff(tree, "town_admin")


def test_the_package_supplies_the_2025_spring_festival_and_its_makeup_days():
    cal = services.load_calendar()
    assert not cal.is_working_day(FESTIVAL_DAY)
    assert cal.is_working_day(MAKEUP_SATURDAY)
    assert cal.is_working_day(dt.date(2025, 1, 26))
    assert cal.is_known_year(2025)


def test_a_year_the_package_does_not_know_never_raises():
    assert services.package_knows(2025)
    assert not services.package_knows(UNKNOWN_YEAR)
    cal = services.load_calendar()
    assert not cal.is_known_year(UNKNOWN_YEAR)
    start = dt.datetime(2031, 1, 3, 2)  # Friday 10:00 in Shanghai
    assert cal.deadline_after(start, 1) == dt.datetime(2031, 1, 6, 16)


def test_the_table_overrides_the_package(admin):
    services.set_calendar_day(admin, MAKEUP_SATURDAY, "holiday", "临时调整")
    services.set_calendar_day(admin, FESTIVAL_DAY, "workday", "值班")
    cal = services.load_calendar()
    assert not cal.is_working_day(MAKEUP_SATURDAY)
    assert cal.is_working_day(FESTIVAL_DAY)


def test_deleting_a_table_day_restores_the_package(admin):
    services.set_calendar_day(admin, MAKEUP_SATURDAY, "holiday", "临时调整")
    services.delete_calendar_day(admin, MAKEUP_SATURDAY)
    assert services.load_calendar().is_working_day(MAKEUP_SATURDAY)
    assert CalendarDay.select().count() == 0


def test_setting_the_same_day_twice_updates_the_row(admin):
    services.set_calendar_day(admin, dt.date(2031, 1, 1), "holiday", "元旦")
    entry = services.set_calendar_day(admin, dt.date(2031, 1, 1), "workday", "调休", "改")
    assert CalendarDay.select().count() == 1
    assert entry["kind"] == "workday" and entry["source"] == "table" and entry["note"] == "改"


def test_an_unknown_year_warns_staff(admin):
    assert services.calendar_warnings(admin, UNKNOWN_YEAR) == [{
        "code": "calendar.year_unknown", "year": UNKNOWN_YEAR,
        "message": "2031 年的法定节假日尚未录入，按周末和人工维护表计算"}]
    assert services.calendar_warnings(admin, 2025) == []


def test_entering_holidays_for_an_unknown_year_makes_it_known(admin):
    services.set_calendar_day(admin, dt.date(2031, 1, 1), "holiday", "元旦")
    assert services.load_calendar().is_known_year(UNKNOWN_YEAR)
    assert services.calendar_warnings(admin, UNKNOWN_YEAR) == []
    assert not services.load_calendar().is_working_day(dt.date(2031, 1, 1))


def test_warnings_default_to_this_and_next_year_in_shanghai(admin):
    with frozen(dt.datetime(2030, 12, 31, 16, 30)):  # already 2031-01-01 in Shanghai
        years = [w["year"] for w in services.calendar_warnings(admin)]
    assert years == [2031, 2032]


def test_another_process_edit_is_seen_through_the_revision_token(admin):
    assert services.load_calendar().is_working_day(MAKEUP_SATURDAY)
    CalendarDay.create(day=MAKEUP_SATURDAY, kind="holiday", name="别的进程")
    assert services.load_calendar().is_working_day(MAKEUP_SATURDAY)  # cached, token unchanged
    CalendarRevision.create(id=1, token="changed-elsewhere")
    assert not services.load_calendar().is_working_day(MAKEUP_SATURDAY)


def test_load_calendar_can_be_narrowed_to_some_years():
    cal = services.load_calendar(years=[2025])
    assert cal.known_years == frozenset({2025})
    assert all(d.year == 2025 for d in cal.holidays | cal.makeup_workdays)
    assert cal.is_working_day(MAKEUP_SATURDAY)


@pytest.mark.parametrize("role", ["grid_worker", "cadre", "discipline_officer"])
def test_other_staff_may_not_change_the_calendar(tree, role):
    actor = staff(tree, role)
    with pytest.raises(Forbidden):
        services.set_calendar_day(actor, MAKEUP_SATURDAY, "holiday", "临时调整")
    with pytest.raises(Forbidden):
        services.delete_calendar_day(actor, MAKEUP_SATURDAY)
    assert CalendarDay.select().count() == 0


def test_a_resident_may_neither_change_nor_read_the_calendar(tree):
    resident = load_actor(make_user(household=tree.household_a1))
    with pytest.raises(Forbidden):
        services.set_calendar_day(resident, MAKEUP_SATURDAY, "holiday", "临时调整")
    with pytest.raises(Forbidden):
        services.list_calendar_days(resident, 2025)
    with pytest.raises(Unauthorized):
        services.set_calendar_day(None, MAKEUP_SATURDAY, "holiday", "临时调整")


@pytest.mark.parametrize("role", ["town_admin", "sysadmin"])
def test_town_admins_and_sysadmins_change_the_calendar_and_are_audited(tree, role):
    actor = staff(tree, role)
    services.set_calendar_day(actor, MAKEUP_SATURDAY, "holiday", "临时调整")
    services.delete_calendar_day(actor, MAKEUP_SATURDAY)
    entries = list(AuditEntry.select().where(AuditEntry.object_type == "calendar_day")
                   .order_by(AuditEntry.id))
    assert [e.action for e in entries] == ["calendar.set_day", "calendar.delete_day"]
    assert {e.actor_id for e in entries} == {actor.user_id}
    assert {e.actor_role for e in entries} == {role}
    assert entries[0].object_id == "2025-02-08"
    assert json.loads(entries[0].summary)["previous_kind"] is None


def test_a_refused_change_writes_no_audit_row(tree):
    with pytest.raises(Forbidden):
        services.set_calendar_day(staff(tree, "cadre"), MAKEUP_SATURDAY, "holiday", "x")
    assert AuditEntry.select().count() == 0


@pytest.mark.parametrize("kind, day, name, code", [
    ("rest", MAKEUP_SATURDAY, "x", "calendar.bad_kind"),
    ("holiday", dt.date(1999, 1, 1), "x", "calendar.bad_year"),
    ("holiday", MAKEUP_SATURDAY, "  ", "calendar.bad_name"),
])
def test_bad_input_is_refused_with_a_stable_code(admin, kind, day, name, code):
    with pytest.raises(InvalidInput) as err:
        services.set_calendar_day(admin, day, kind, name)
    assert err.value.code == code


def test_deleting_a_day_not_in_the_table_is_not_found(admin):
    with pytest.raises(NotFound) as err:
        services.delete_calendar_day(admin, MAKEUP_SATURDAY)
    assert err.value.code == "calendar.day_not_found"


def test_the_year_listing_names_each_day_and_its_source(tree, admin):
    services.set_calendar_day(admin, MAKEUP_SATURDAY, "holiday", "临时调整")
    listing = services.list_calendar_days(staff(tree, "grid_worker"), 2025)
    by_day = {e["day"]: e for e in listing["days"]}
    assert by_day[FESTIVAL_DAY]["source"] == "package"
    assert by_day[FESTIVAL_DAY]["name"] == "春节"
    assert by_day[dt.date(2025, 1, 26)]["kind"] == "workday"
    assert by_day[MAKEUP_SATURDAY]["source"] == "table"
    assert by_day[MAKEUP_SATURDAY]["overrides_package"] is True
    assert by_day[MAKEUP_SATURDAY]["is_working_day"] is False
    assert listing["known"] and listing["package_knows"] and listing["warnings"] == []


def test_the_table_refuses_an_unknown_kind_even_without_the_service():
    with pytest.raises(peewee.IntegrityError), database.atomic():
        CalendarDay.create(day=MAKEUP_SATURDAY, kind="rest", name="x")
