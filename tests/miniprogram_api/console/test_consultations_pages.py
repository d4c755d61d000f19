"""议事 pages over HTTP: drafting a topic with a poll (and the refusals of bad input), opening,
closing, publishing the outcome (refused without a reason), withdrawing, the links to a
事前公示 and a 微实事 project, the comment moderation queue (restore, or hide with a reason),
and the 403/404 pages for roles and places the consultation services refuse."""

from __future__ import annotations

import datetime as dt

import pytest

from app.audit.models import AuditEntry
from app.clock import frozen
from app.consultations import comments, poll, topics
from app.consultations.models import Consultation, ConsultationComment, ConsultationOption
from app.notices import services as notices
from tests.factories import make_user
from tests.miniprogram_api.console.civic_world import make_round, other_cadre, post, propose

NOW = dt.datetime(2026, 11, 23, 1, 0)  # Monday 09:00 in Asia/Shanghai
DAY = dt.timedelta(days=1)
TITLE = "小区停车位如何分配"
FORM = {"title": TITLE, "background": "小区新增车位 20 个，请大家议一议。",
        "closes_at": "2026-11-30T18:00", "poll": "yes", "poll_mode": "single",
        "poll_options": "按先来后到\n抽签分配\n", "poll_results": "after_close"}


def _draft(town, **kw) -> Consultation:
    with frozen(NOW):
        return topics.create_consultation(town.actor(town.cadre),
                                          region_id=town.tree.village_a1.id,
                                          draft=topics.Draft(
                                              title=TITLE, background=FORM["background"],
                                              closes_at=NOW + 7 * DAY,
                                              poll={"mode": "single",
                                                    "options": ["同意", "不同意"],
                                                    "results": "after_close"}, **kw))


def _opened(town, **kw) -> Consultation:
    consultation = _draft(town, **kw)
    with frozen(NOW):
        return topics.publish_consultation(town.actor(town.cadre), consultation.id)


def _closed(town) -> Consultation:
    consultation = _opened(town)
    with frozen(NOW + DAY):
        return topics.close_consultation(town.actor(town.cadre), consultation.id)


def _reported(town, consultation) -> ConsultationComment:
    """A comment of the resident that three neighbours reported (now pending review)."""
    with frozen(NOW):
        comment = comments.create_comment(town.actor(town.resident, "miniprogram"),
                                          consultation.id, content="隔壁那家人天天乱停车")
        third = make_user(household=town.tree.household_a1, name="赵大海")
        for user in (town.neighbour, third, make_user(household=town.tree.household_a1)):
            comments.report_comment(town.actor(user, "miniprogram"), comment.id)
    return ConsultationComment.get_by_id(comment.id)


def _act(web, consultation_id: int, action: str, **data):
    return post(web, f"/console/consultations/{consultation_id}/{action}", **data)


def test_the_cadre_drafts_a_topic_with_a_poll_and_opens_it(console, staff_town):
    with frozen(NOW):
        web = console("cadre")
        assert 'href="/console/consultations"' in web.get("/console/").text  # the menu
        res = post(web, "/console/consultations/new", page="/console/consultations/new",
                   region_id=str(staff_town.tree.village_a1.id), **FORM)
        assert res.status_code == 200 and f"议题：{TITLE}" in res.text
        assert 'data-field="status">草稿' in res.text and "按先来后到" in res.text
        consultation = Consultation.get()
        res = _act(web, consultation.id, "open")
        assert "议题已发布" in res.text and 'data-field="status">议事中' in res.text
        assert TITLE in web.get("/console/consultations?tab=open").text
    assert [o.label for o in ConsultationOption.select().order_by(
        ConsultationOption.position)] == ["按先来后到", "抽签分配"]
    # 18:00 in Asia/Shanghai is 10:00 UTC.
    assert Consultation.get_by_id(consultation.id).closes_at == dt.datetime(2026, 11, 30, 10)
    assert AuditEntry.get(AuditEntry.action == "consultation.open").object_id == str(
        consultation.id)


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": " "}, "请填写议题标题"),
    ({"poll_options": "只有一个选项"}, "投票选项应有 2 到 20 个"),
    ({"closes_at": "2026-11-20T18:00"}, "截止时间须晚于现在"),
    ({"closes_at": ""}, "请填写截止时间"),
    ({"opens_at": "2026-12-01T09:00"}, "开始时间须早于截止时间"),
])
def test_bad_input_on_the_topic_form_is_explained_and_nothing_is_saved(console, staff_town,
                                                                       changes, message):
    with frozen(NOW):
        res = post(console("cadre"), "/console/consultations/new",
                   page="/console/consultations/new",
                   region_id=str(staff_town.tree.village_a1.id), **{**FORM, **changes})
    assert res.status_code == 422 and message in res.text
    assert "小区新增车位 20 个" in res.text  # what was typed stays on the form
    assert Consultation.select().count() == 0


def test_a_grid_worker_gets_the_403_page_and_drafts_nothing(console, staff_town):
    with frozen(NOW):
        web = console("grid")
        assert 'href="/console/consultations"' not in web.get("/console/").text
        for url in ("/console/consultations", "/console/consultations/new",
                    "/console/consultation-comments"):
            res = web.get(url)
            assert res.status_code == 403 and "没有权限" in res.text
        res = post(web, "/console/consultations/new",
                   region_id=str(staff_town.tree.village_a1.id), **FORM)
    assert res.status_code == 403 and Consultation.select().count() == 0


def test_a_cadre_of_another_village_cannot_see_or_close_the_topic(console, staff_town,
                                                                  password_hash):
    other_cadre(staff_town, password_hash)
    consultation = _opened(staff_town)
    with frozen(NOW):
        web = console("othercadre")
        assert TITLE not in web.get("/console/consultations").text
        page = web.get(f"/console/consultations/{consultation.id}")
        assert page.status_code == 404 and TITLE not in page.text
        res = _act(web, consultation.id, "close")
        assert res.status_code == 404
        res = post(web, "/console/consultations/new",
                   region_id=str(staff_town.tree.village_a1.id), **FORM)
        assert res.status_code == 403
    assert Consultation.get_by_id(consultation.id).status == "open"
    assert Consultation.select().count() == 1


def test_the_outcome_is_refused_without_a_reason_and_published_with_one(console, staff_town):
    consultation = _opened(staff_town)
    with frozen(NOW):
        poll.answer_poll(staff_town.actor(staff_town.resident, "miniprogram"),
                         consultation.id, option_ids=[ConsultationOption.get().id])
    with frozen(NOW + DAY):
        web = console("townadmin")
        page = web.get(f"/console/consultations/{consultation.id}").text
        assert 'data-table="poll"' in page and "1 人参与" in page  # staff see counts live
        res = _act(web, consultation.id, "close")
        assert "已截止讨论和投票" in res.text and 'data-action="decide"' in res.text
        refused = _act(web, consultation.id, "decide", outcome="按抽签分配车位", reason="")
        assert "请写明作出该决定的理由" in refused.text
        assert Consultation.get_by_id(consultation.id).status == "closed"
        res = _act(web, consultation.id, "decide", outcome="按抽签分配车位",
                   reason="过半数居民赞成，抽签最公平")
    assert "议事结果已公布" in res.text and "过半数居民赞成，抽签最公平" in res.text
    stored = Consultation.get_by_id(consultation.id)
    assert (stored.status, stored.outcome) == ("decided", "按抽签分配车位")


@pytest.mark.parametrize("username", ["grid", "discipline", "sysadmin"])
def test_roles_outside_consultations_cannot_publish_an_outcome(console, staff_town, username):
    consultation = _closed(staff_town)
    with frozen(NOW + DAY):
        res = _act(console(username), consultation.id, "decide", outcome="按抽签分配",
                   reason="理由")
    assert res.status_code == 403 and "没有权限" in res.text
    assert Consultation.get_by_id(consultation.id).status == "closed"


def test_the_cadre_withdraws_a_draft_with_a_reason(console, staff_town):
    consultation = _draft(staff_town)
    with frozen(NOW):
        web = console("cadre")
        refused = _act(web, consultation.id, "withdraw", reason=" ")
        assert "请说明撤回议题的理由" in refused.text
        res = _act(web, consultation.id, "withdraw", reason="车位尚未建成，暂缓讨论")
    assert "议题已撤回" in res.text and "车位尚未建成，暂缓讨论" in res.text
    assert Consultation.get_by_id(consultation.id).status == "withdrawn"


def test_the_topic_links_its_notice_and_its_project(console, staff_town):
    cadre = staff_town.actor(staff_town.cadre)
    project = propose(staff_town, make_round(staff_town))
    notice = notices.create_notice(cadre, village_id=staff_town.tree.village_a1.id,
                                   matter_type="small_works", matter="停车场划线工程",
                                   proposal="拟在小区东侧空地划设 20 个车位")
    consultation = _draft(staff_town, notice_id=notice.id, project_id=project.id)
    with frozen(NOW):
        page = console("cadre").get(f"/console/consultations/{consultation.id}").text
    assert f'href="/console/notices/{notice.id}" data-link="notice"' in page
    assert f'href="/console/projects/{project.id}" data-link="project"' in page


def test_the_cadre_restores_a_reported_comment_from_the_queue(console, staff_town):
    consultation = _opened(staff_town)
    comment = _reported(staff_town, consultation)
    assert comment.status == "pending_review"
    with frozen(NOW):
        web = console("cadre")
        home = web.get("/console/").text
        assert 'data-list="consultation_comments"' in home and "隔壁那家人天天乱停车" in home
        queue = web.get("/console/consultation-comments").text
        assert f'data-comment="{comment.id}"' in queue and "被标记 3 次" in queue
        res = post(web, f"/console/consultation-comments/{comment.id}/restore",
                   back="/console/consultation-comments")
        assert "评论已恢复显示" in res.text and "暂无需要复核的评论" in res.text
    assert ConsultationComment.get_by_id(comment.id).status == "visible"
    assert AuditEntry.get(AuditEntry.action == "consultation.comment_restore").object_id \
        == str(comment.id)


def test_the_cadre_hides_a_reported_comment_only_with_a_reason(console, staff_town):
    consultation = _opened(staff_town)
    comment = _reported(staff_town, consultation)
    with frozen(NOW):
        web = console("townadmin")
        refused = post(web, f"/console/consultation-comments/{comment.id}/hide", reason="")
        assert "请说明隐藏评论的理由" in refused.text
        assert ConsultationComment.get_by_id(comment.id).status == "pending_review"
        res = post(web, f"/console/consultation-comments/{comment.id}/hide",
                   reason="含有针对邻居的不实指责")
        assert "评论已隐藏" in res.text and "含有针对邻居的不实指责" in res.text
        assert f"/console/consultations/{consultation.id}" in res.request.path  # the topic
    stored = ConsultationComment.get_by_id(comment.id)
    assert (stored.status, stored.hidden_reason) == ("hidden", "含有针对邻居的不实指责")


@pytest.mark.parametrize(("username", "status"), [("grid", 403), ("othercadre", 404)])
def test_staff_outside_the_village_cannot_moderate_its_comments(console, staff_town,
                                                                password_hash, username,
                                                                status):
    other_cadre(staff_town, password_hash)
    consultation = _opened(staff_town)
    comment = _reported(staff_town, consultation)
    with frozen(NOW):
        web = console(username)
        res = post(web, f"/console/consultation-comments/{comment.id}/restore")
        assert res.status_code == status and "隔壁那家人天天乱停车" not in res.text
        res = post(web, f"/console/consultation-comments/{comment.id}/hide", reason="删掉")
        assert res.status_code == status
    assert ConsultationComment.get_by_id(comment.id).status == "pending_review"


def test_the_cadre_changes_a_draft_on_the_edit_form(console, staff_town):
    consultation = _draft(staff_town)
    with frozen(NOW):
        web = console("cadre")
        form = web.get(f"/console/consultations/{consultation.id}/edit").text
        assert 'value="小区停车位如何分配"' in form and "同意\n不同意" in form
        assert 'value="2026-11-30T09:00"' in form  # closes_at shown in Asia/Shanghai
        res = post(web, f"/console/consultations/{consultation.id}/edit",
                   page=f"/console/consultations/{consultation.id}/edit",
                   **{**FORM, "title": "新增车位分配办法", "poll": ""})
        assert "草稿已保存" in res.text and "议题：新增车位分配办法" in res.text
    stored = Consultation.get_by_id(consultation.id)
    assert (stored.title, stored.poll_mode) == ("新增车位分配办法", "")
    assert ConsultationOption.select().count() == 0


def test_an_open_topic_can_no_longer_be_edited(console, staff_town):
    consultation = _opened(staff_town)
    with frozen(NOW):
        web = console("cadre")
        assert 'data-link="edit"' not in web.get(
            f"/console/consultations/{consultation.id}").text
        res = post(web, f"/console/consultations/{consultation.id}/edit",
                   **{**FORM, "title": "改个标题"})
    assert res.status_code == 422 and "当前状态（议事中）不能进行此操作" in res.text
    assert Consultation.get_by_id(consultation.id).title == TITLE


def test_a_cadre_of_another_village_cannot_edit_the_draft(console, staff_town, password_hash):
    other_cadre(staff_town, password_hash)
    consultation = _draft(staff_town)
    with frozen(NOW):
        web = console("othercadre")
        assert web.get(f"/console/consultations/{consultation.id}/edit").status_code == 404
        res = post(web, f"/console/consultations/{consultation.id}/edit",
                   **{**FORM, "title": "改个标题"})
    assert res.status_code == 404 and Consultation.get_by_id(consultation.id).title == TITLE
