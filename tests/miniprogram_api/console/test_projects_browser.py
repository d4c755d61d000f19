"""微实事 in a real browser (Playwright, system Chromium), in one page session: a cadre opens a
round on the form, reviews a resident's proposal from the home page, moves the round through
its phases, publishes the count and reads the tally with its public link. Residents'
proposals and votes go through the services. The ``browser_page`` fixture asserts that no
request left the app's origin."""

from __future__ import annotations

from app.projects import services, voting
from app.projects.models import Project, ProjectRound
from tests.miniprogram_api.console.civic_world import DESCRIPTION
from tests.miniprogram_api.console.helpers import browser_login, screenshot

TITLE = "2027年东星社区微实事"


def _advance(page, phase_name: str) -> None:
    page.get_by_role("button", name=f"进入“{phase_name}”").click()
    page.get_by_role("status").filter(has_text="已进入下一阶段").wait_for()
    assert page.locator('[data-field="phase"]').inner_text() == phase_name


def test_a_cadre_opens_a_round_reviews_a_proposal_and_reads_the_result(browser_page,
                                                                       staff_town):
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    browser_login(page, "cadre")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="微实事").click()
    page.get_by_role("heading", name="微实事").wait_for()
    page.get_by_role("link", name="开设一轮微实事").click()
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("计票单位").select_option(label="每人一票")
    page.get_by_label("本轮预算（元）").fill("5000")
    page.get_by_role("button", name="开设本轮").click()
    page.get_by_role("heading", name=f"微实事：{TITLE}").wait_for()
    assert page.locator('[data-field="phase"]').inner_text() == "征集提议"
    assert page.locator('[data-field="budget"]').inner_text() == "5,000.00 元"
    round_ = ProjectRound.get()

    resident = staff_town.actor(staff_town.resident, "miniprogram")
    project = services.propose_project(resident, round_.id, kind="works", title="加装楼道扶手",
                                       description=DESCRIPTION, location="1号楼楼道",
                                       estimated_cost_fen=30_000)
    page.get_by_role("link", name="我的工作").click()
    page.locator('[data-list="projects_review"]').get_by_role("link",
                                                             name="加装楼道扶手").click()
    page.get_by_role("heading", name="微实事项目：加装楼道扶手").wait_for()
    page.get_by_role("button", name="审核通过").click()
    page.get_by_role("status").filter(has_text="已通过审核").wait_for()
    assert page.locator('[data-field="status"]').inner_text() == "已入选候选"

    page.get_by_role("link", name="返回本轮").click()
    _advance(page, "审核提议")
    _advance(page, "投票中")
    for user in (staff_town.resident, staff_town.neighbour):
        voting.cast_ballot(staff_town.actor(user, "miniprogram"), round_.id,
                           project_ids=[project.id])
    _advance(page, "结果公示")
    page.get_by_role("button", name="计票并公布结果").click()
    page.get_by_role("status").filter(has_text="已计票并公布结果").wait_for()
    page.get_by_role("link", name="查看计票结果").click()
    page.get_by_role("heading", name=f"计票结果：{TITLE}").wait_for()
    row = page.locator(f'tr[data-project="{project.id}"]')
    assert row.locator('[data-field="votes"]').inner_text() == "2"
    assert row.locator('[data-field="selected"]').inner_text() == "入选"
    assert page.locator('[data-link="public"]').get_attribute("href") == (
        f"/p/project-rounds/{round_.id}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "console-project-result")
    assert Project.get_by_id(project.id).status == "selected"
