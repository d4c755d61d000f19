"""The dialog through a recording replier: bind, confirm, query, my requests, help, forward."""

from __future__ import annotations

import datetime as dt
import re

from app.accounts.models import User
from app.bot import texts
from app.bot.groups import issue_binding_code
from app.bot.models import BotGroup, BotIdentity, BotRequestLink
from app.clock import frozen
from app.notifications.models import Notification
from app.requests.models import Request
from tests.app.bot.harness import Chat

TRACKING = re.compile(r"R\d{8}-\d{4}")
NOW = dt.datetime(2026, 11, 23, 1, 0)


def test_an_unbound_group_gets_the_instruction_when_addressed_and_nothing_else(bot_town):
    chat = Chat()
    assert chat.send("r1", "投诉 楼道里堆满了杂物，消防通道都堵了") == texts.UNBOUND
    assert chat.send("r1", "@机器人 你好", mentioned=True) == texts.UNBOUND
    assert chat.send("r1", "楼下的路灯坏了一个星期了，晚上黑乎乎的") is None
    assert Request.select().count() == 0
    assert BotGroup.select().count() == 0


def test_a_grid_worker_binds_the_group_with_a_one_time_code(bot_town):
    chat = Chat()
    code = issue_binding_code(bot_town.actor(bot_town.grid_worker),
                              bot_town.tree.building_a1.id).code
    assert chat.send("gw-zhang", f"绑定 {code}") == texts.BOUND.format(place="1号楼")
    group = BotGroup.get()
    assert (group.region_id, group.status) == (bot_town.tree.building_a1.id, "active")
    assert group.bound_by_id == bot_town.grid_worker.id
    other = Chat(chat_id="wecom:chat-2")
    assert other.send("r9", f"绑定 {code}").startswith("绑定码无效")
    assert BotGroup.select().count() == 1


def test_binding_links_the_grid_workers_channel_identity_to_their_account(bot_town):
    bot_town.bound_chat(staff_sender="gw-zhang")
    assert BotIdentity.get().user_id == bot_town.grid_worker.id


def test_an_expired_code_does_not_bind(bot_town):
    with frozen(NOW):
        code = issue_binding_code(bot_town.actor(bot_town.grid_worker),
                                  bot_town.tree.building_a1.id).code
    with frozen(NOW + dt.timedelta(hours=25)):
        assert Chat().send("gw", f"绑定 {code}").startswith("绑定码无效")


def test_a_complaint_with_a_marker_creates_one_request_and_answers_its_number(bot_town):
    chat = bot_town.bound_chat()
    answer = chat.send("resident-1", "投诉 楼道里堆满了杂物，消防通道都堵了，太危险了")
    request = Request.get()
    assert request.tracking_no in answer
    assert (request.channel, request.type) == ("group_bot", "complaint")
    assert request.region_id == bot_town.tree.building_a1.id
    assert BotRequestLink.get().request_id == request.id


def test_an_unknown_sender_becomes_a_user_with_no_personal_data(bot_town):
    chat = bot_town.bound_chat()
    chat.send("resident-1", "报修：2单元电梯又坏了，卡在三楼不动")
    submitter = User.get_by_id(Request.get().submitter_id)
    assert (submitter.openid, submitter.phone_hash, submitter.display_name) == (None, None, "")
    assert submitter.household_id is None


def test_an_implicit_complaint_is_registered_only_after_the_sender_confirms(bot_town):
    chat = bot_town.bound_chat()
    assert chat.send("r1", "楼下的路灯坏了一个星期了，晚上黑乎乎的") == texts.ASK_CONFIRM
    assert texts.CONFIRM_QUESTION in texts.ASK_CONFIRM
    assert Request.select().count() == 0
    assert chat.send("r2", "1") is None  # a neighbour's "1" confirms nothing
    answer = chat.send("r1", "1")
    assert TRACKING.search(answer).group(0) == Request.get().tracking_no
    assert Request.get().category_code == "roads"
    assert chat.send("r1", "1") is None
    assert Request.select().count() == 1


def test_a_confirmation_expires_after_ten_minutes(bot_town):
    with frozen(NOW):
        chat = bot_town.bound_chat()
        chat.send("r1", "楼下的路灯坏了一个星期了，晚上黑乎乎的", at=NOW)
    later = NOW + dt.timedelta(minutes=11)
    with frozen(later):
        assert chat.send("r1", "1", at=later) is None
    assert Request.select().count() == 0


def test_chatter_and_greetings_are_left_alone(bot_town):
    chat = bot_town.bound_chat()
    assert chat.send("r1", "大家早上好！") is None
    assert chat.send("r1", "今天菜市场的青菜好便宜") is None
    assert Request.select().count() == 0


def test_query_answers_the_status_in_plain_chinese(bot_town):
    chat = bot_town.bound_chat()
    number = TRACKING.search(chat.send("r1", "报修 楼道的灯不亮了，麻烦物业来看看")).group(0)
    answer = chat.send("r2", f"查询 {number}")
    assert answer.startswith(f"诉求 {number}（求助")
    assert "已提交" in answer
    assert chat.send("r1", "查询") == texts.QUERY_USAGE


def test_query_of_a_request_from_another_group_is_not_found(bot_town):
    first = bot_town.bound_chat("wecom:chat-1")
    number = TRACKING.search(first.send("r1", "报修 楼道的灯不亮了，麻烦物业来看看")).group(0)
    second = bot_town.bound_chat("wecom:chat-2")
    assert second.send("r2", f"查询 {number}") == texts.NOT_FOUND.format(no=number)
    assert second.send("r1", f"查询 {number}").startswith(f"诉求 {number}")  # their own


def test_my_requests_lists_the_senders_numbers_and_states(bot_town):
    chat = bot_town.bound_chat()
    assert chat.send("r1", "我的诉求") == texts.MINE_EMPTY
    one = TRACKING.search(chat.send("r1", "报修 楼道的灯不亮了，麻烦物业来看看")).group(0)
    two = TRACKING.search(chat.send("r1", "投诉 小区门口的垃圾桶好几天没人清了")).group(0)
    answer = chat.send("r1", "我的诉求")
    assert answer.splitlines() == [texts.MINE_HEAD, f"{two} 已提交", f"{one} 已提交"]


def test_help_and_unknown_commands_get_help_not_silence(bot_town):
    chat = bot_town.bound_chat()
    assert chat.send("r1", "帮助") == texts.HELP
    assert chat.send("r1", "/菜单栏") == texts.HELP
    assert chat.send("r1", "在吗", mentioned=True) == texts.HELP  # mention stripped
    assert chat.send("r1", "谢谢网格员！辛苦了", mentioned=True) == texts.HELP
    assert Request.select().count() == 0
    assert chat.send("gw-zhang", "帮助") == texts.HELP + texts.STAFF_HELP


def test_a_mention_with_a_description_is_an_explicit_request(bot_town):
    chat = bot_town.bound_chat()
    answer = chat.send("r1", "地下车库入口的栏杆坏了", mentioned=True)
    assert Request.get().tracking_no in answer


def test_the_grid_worker_turns_a_residents_last_messages_into_one_request(bot_town):
    chat = bot_town.bound_chat(staff_sender="gw-zhang")
    chat.send("r1", "今天菜市场的青菜好便宜")
    chat.send("r2", "我家厨房的水管")
    chat.send("r2", "漏水了，水流得到处都是")
    chat.send("r2", "谁能帮忙找人修一下")
    answer = chat.send("gw-zhang", "以上3条转诉求")
    request = Request.get()
    assert request.text == "我家厨房的水管\n漏水了，水流得到处都是\n谁能帮忙找人修一下"
    assert answer == texts.FORWARDED.format(name="群友", count=3, no=request.tracking_no)
    assert request.channel == "group_bot"
    assert request.submitter_id != bot_town.grid_worker.id


def test_residents_cannot_forward_or_unbind(bot_town):
    chat = bot_town.bound_chat()
    chat.send("r1", "我家厨房的水管漏水了")
    assert chat.send("r1", "以上1条转诉求") == texts.STAFF_ONLY
    assert chat.send("r1", "解绑") == texts.STAFF_ONLY
    assert Request.select().count() == 0
    assert BotGroup.get().status == "active"


def test_the_grid_worker_unbinds_the_group_by_command(bot_town):
    chat = bot_town.bound_chat(staff_sender="gw-zhang")
    assert chat.send("gw-zhang", "解绑") == texts.UNBOUND_DONE
    assert BotGroup.get().status == "unbound"
    assert chat.send("r1", "投诉 楼道里堆满了杂物，消防通道都堵了") == texts.UNBOUND


def test_insults_are_flagged_to_the_grid_worker_and_never_registered(bot_town):
    chat = bot_town.bound_chat()
    assert chat.send("r1", "网格员就是个摆设，什么用都没有，废物") is None
    assert chat.send("r1", "投诉 物业这帮人都是吸血鬼，不得好死") == texts.CIVIL
    assert Request.select().count() == 0
    flagged = Notification.select().where(Notification.kind == "bot.flagged")
    assert {n.recipient_user_id for n in flagged} == {bot_town.grid_worker.id}
    assert flagged.count() == 2


def test_the_same_message_three_times_creates_one_request_and_the_same_answer(bot_town):
    chat = bot_town.bound_chat()
    answers = [chat.send("r1", "投诉 小区门口的垃圾桶好几天没人清了", msg_id="retry-1")
               for _ in range(3)]
    assert Request.select().count() == 1
    assert answers[0] == answers[1] == answers[2]
    assert Request.get().tracking_no in answers[0]


def test_private_chat_without_a_household_is_told_where_to_report(bot_town):
    chat = Chat(chat_id="wecom:single-r1", chat_type="single")
    assert chat.send("r1", "报修 我家厨房的水管漏水了") == texts.PRIVATE_NO_PLACE
    assert Request.select().count() == 0


def test_a_category_no_longer_offered_is_filed_under_other(bot_town):
    from app.requests.models import RequestCategory

    RequestCategory.update(active=False).where(RequestCategory.code == "roads").execute()
    chat = bot_town.bound_chat()
    chat.send("r1", "投诉 门口马路上有个井盖没了，晚上看不见要出事的")
    assert Request.get().category_code == "other"
