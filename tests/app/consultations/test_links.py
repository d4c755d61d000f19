"""Links from a topic to a 事前公示 notice of its village and to a 微实事 project."""

from __future__ import annotations

import datetime as dt

import pytest

from app.clock import frozen
from app.consultations import links, reading
from app.errors import InvalidInput
from app.notices import services as notices
from tests.app.consultations.conftest import MONDAY_9AM, drafted, opened


def notice_in(town, village, by):
    return notices.create_notice(town.staff(by), village_id=village.id,
                                 matter_type="asset_lease", matter="村集体厂房出租",
                                 proposal="拟将村集体厂房出租三年，租金每年十万元。")


def refused(town, **kw) -> str:
    with pytest.raises(InvalidInput) as caught:
        drafted(town, **kw)
    return caught.value.code


def test_a_topic_links_a_notice_of_its_own_village(town):
    notice = notice_in(town, town.tree.village_a1, town.cadre)
    consultation = drafted(town, notice_id=notice.id)
    assert consultation.notice_id == notice.id
    # Staff see the link; residents only once the notice itself is public.
    assert reading.detail(town.staff(town.cadre), consultation)["notice_id"] == notice.id


def test_a_notice_of_another_village_or_a_missing_one_is_refused(town):
    elsewhere = notice_in(town, town.tree.village_a2, town.other_cadre)
    assert refused(town, notice_id=elsewhere.id) == "consultation.bad_notice"
    assert refused(town, notice_id=999_999) == "consultation.bad_notice"


def test_residents_see_the_notice_link_only_when_the_notice_is_public(town):
    notice = notice_in(town, town.tree.village_a1, town.cadre)
    consultation = opened(town, notice_id=notice.id)
    assert reading.detail(town.actor(town.author), consultation)["notice_id"] is None
    with frozen(MONDAY_9AM):
        notices.publish_notice(town.staff(town.cadre), notice.id)
    assert reading.detail(town.actor(town.author), consultation)["notice_id"] == notice.id


def test_without_the_projects_feature_a_project_link_is_refused(town, monkeypatch):
    monkeypatch.setattr(links, "project_reader", lambda: None)
    assert refused(town, project_id=1) == "consultation.bad_project"


@pytest.fixture
def project_in():
    """A proposed 微实事 project in a village, built through the projects feature."""
    pytest.importorskip("app.projects.reading")
    from app.projects import rounds, services

    start = dt.datetime(2026, 11, 2, 1, 0)
    day = dt.timedelta(days=1)
    dates = {"proposal_opens_at": start, "review_opens_at": start + 10 * day,
             "voting_opens_at": start + 20 * day, "voting_closes_at": start + 30 * day,
             "execution_opens_at": start + 40 * day, "acceptance_opens_at": start + 100 * day,
             "closes_at": start + 130 * day}

    def build(town, village, cadre, proposer):
        with frozen(start - day):
            round_ = rounds.create_round(town.staff(cadre), region_id=village.id,
                                         title="2027年微实事", ballot_type="approval",
                                         vote_unit="resident", budget_fen=100_000,
                                         dates=dict(dates))
        with frozen(start + day):
            return services.propose_project(
                town.actor(proposer), round_.id, kind="works", title="加装楼道扶手",
                description="老人上下楼不方便，希望加装扶手", location="1号楼楼道",
                estimated_cost_fen=30_000)

    return build


def test_a_project_of_the_village_is_linked_and_one_of_another_village_refused(town,
                                                                               project_in):
    own = project_in(town, town.tree.village_a1, town.cadre, town.author)
    consultation = drafted(town, project_id=own.id)
    assert reading.detail(town.staff(town.cadre), consultation)["project_id"] == own.id
    other = project_in(town, town.tree.village_a2, town.other_cadre, town.other_village)
    assert refused(town, project_id=other.id) == "consultation.bad_project"
    assert refused(town, project_id=999_999) == "consultation.bad_project"
