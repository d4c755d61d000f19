"""Routing: who receives a report, who is excluded from it, and when it goes a level up."""

from __future__ import annotations

from app.reports import policies, routing, setup
from app.reports.models import Report, ReportExclusion, ReportRecipient
from tests.factories import grant, make_user


def recipients_of(report_id: int) -> dict[int, str]:
    return {r.user_id: r.level for r in ReportRecipient.select()
            .where(ReportRecipient.report == report_id)}


def test_the_accused_their_household_village_staff_and_peers_are_excluded(world):
    excluded = routing.excluded_users(world.tree.village_a1, world.accused.id)
    assert {world.accused.id, world.accused_spouse.id, world.other_cadre.id,
            world.grid_worker.id} <= excluded
    assert not {world.officer.id, world.officer2.id, world.district_officer.id,
                world.resident.id} & excluded


def test_exclusions_are_stored_as_keyed_hashes_only(world):
    result = world.submit()
    tags = {r.user_tag for r in ReportExclusion.select()
            .where(ReportExclusion.report == result.report_id)}
    assert routing.exclusion_tag(world.accused.id) in tags
    assert str(world.accused.id) not in tags


def test_a_report_about_a_flagged_village_head_goes_to_the_district(world):
    setup.set_village_head(world.actor(world.town_admin), village_id=world.tree.village_a1.id,
                           user_id=world.accused.id, is_head=True)
    report = Report.get_by_id(world.submit().report_id)
    assert report.elevated and report.handling_region_id == world.tree.district.id
    assert report.supervising_region_id is None
    assert recipients_of(report.id) == {world.district_officer.id: "handler"}


def test_a_report_naming_the_head_by_role_goes_to_the_district(world):
    report = Report.get_by_id(world.submit(accused=False, accused_name="村书记",
                                           role="head").report_id)
    assert report.handling_region_id == world.tree.district.id


def test_a_report_about_a_discipline_officer_goes_to_the_district(world):
    report = Report.get_by_id(world.submit(accused=world.officer).report_id)
    assert report.handling_region_id == world.tree.district.id
    people = recipients_of(report.id)
    assert world.officer.id not in people and world.officer2.id not in people


def test_when_every_town_officer_is_excluded_the_report_goes_up(world):
    peer = make_user(name="兼任干部")
    grant(peer, "cadre", world.tree.village_a1)
    grant(peer, "town_admin", world.tree.town_a)
    # The accused sits with both town officers on the town node: they are all peers.
    grant(world.accused, "town_admin", world.tree.town_a)
    grant(world.officer, "town_admin", world.tree.town_a)
    grant(world.officer2, "town_admin", world.tree.town_a)
    report = Report.get_by_id(world.submit().report_id)
    assert report.handling_region_id == world.tree.district.id
    assert recipients_of(report.id) == {world.district_officer.id: "handler"}


def test_an_officer_who_is_also_village_staff_is_not_a_recipient(world):
    grant(world.officer2, "finance_panel", world.tree.village_a1)
    report = Report.get_by_id(world.submit().report_id)
    assert world.officer2.id not in recipients_of(report.id)


def test_a_cadre_appointed_after_submission_is_excluded_at_access(world):
    result = world.submit()
    report = Report.get_by_id(result.report_id)
    grant(world.officer2, "cadre", world.tree.village_a2)  # elsewhere: still fine
    assert not routing.is_excluded(world.actor(world.officer2), report)
    grant(world.officer2, "cadre", world.tree.village_a1)
    assert routing.is_excluded(world.actor(world.officer2), report)
    visible = Report.select().where(policies.visible_condition(world.actor(world.officer2)))
    assert list(visible) == []


def test_accused_options_list_village_staff_and_town_officers(world):
    options = {o["user_id"]: o for o in setup.accused_options(world.tree.village_a1.id)}
    assert {world.accused.id, world.other_cadre.id, world.grid_worker.id, world.officer.id,
            world.officer2.id} == set(options)
    assert options[world.accused.id]["role_name"] == "村(社区)干部"


def test_an_officer_moved_to_another_town_no_longer_sees_the_report(world):
    from app.accounts.models import RoleGrant
    from app.clock import utcnow

    world.submit()
    (RoleGrant.update(revoked_at=utcnow())
     .where((RoleGrant.user == world.officer.id) & (RoleGrant.role == "discipline_officer"))
     .execute())
    grant(world.officer, "discipline_officer", world.tree.town_b)
    visible = Report.select().where(policies.visible_condition(world.actor(world.officer)))
    assert list(visible) == []
