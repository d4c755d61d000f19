"""What the bot says, in plain Chinese. Short lines: many readers are elderly."""

from __future__ import annotations

CONFIRM_QUESTION = "是否登记为诉求？回复 1 确认"

HELP = ("我是社区诉求助手，可以这样用：\n"
        "· 直接描述问题，或以「报修」「投诉」「求助」「#诉求」开头，登记为诉求\n"
        "· 查询 编号：查看诉求进度，例如「查询 R20261123-0001」\n"
        "· 我的诉求：查看您最近登记的诉求\n"
        "· 帮助：显示本说明")
STAFF_HELP = ("\n网格员命令：\n"
              "· 以上N条转诉求：把居民最近 N 条消息登记为一条诉求\n"
              "· 解绑：本群不再登记诉求")
UNBOUND = ("本群还没有绑定楼栋，暂时不能登记诉求。请网格员在管理后台生成绑定码，"
           "然后在群里发送「绑定 绑定码」。")
PRIVATE_NO_PLACE = "请在已绑定的楼栋群里反映问题，或通过社区小程序提交诉求。"
BOUND = "绑定成功：本群已绑定到「{place}」。群里反映的问题可以登记为诉求了。"
UNBOUND_DONE = "本群已解绑，之后不再登记诉求。"
CREATED = "已登记为诉求，编号 {no}。工作人员会尽快受理，发送「查询 {no}」可查看进度。"
CREATED_HELD = "已收到，编号 {no}。内容需要工作人员审核后再办理，发送「查询 {no}」可查看进度。"
FORWARDED = "已把{name}的 {count} 条消息登记为诉求，编号 {no}。"
ASK_CONFIRM = CONFIRM_QUESTION + "（10 分钟内有效）"
NOT_FOUND = "没有找到诉求 {no}，请核对编号。"
QUERY_USAGE = "请在「查询」后面加上诉求编号，例如「查询 R20261123-0001」。"
STATUS = "诉求 {no}（{type}）当前状态：{state}。"
LATEST = "最新进展：{label}（{when}）"
MINE_EMPTY = "您还没有通过本群登记过诉求。"
MINE_HEAD = "您最近的诉求："
STAFF_ONLY = "只有本群绑定区域的网格员可以使用这个命令。"
NOTHING_TO_FORWARD = "最近没有可以转为诉求的居民消息。"
CIVIL = "请文明交流。如有问题，请直接描述具体情况，我们会尽快处理。"
FLAG_TITLE = "群消息需要关注"
FLAG_BODY = "「{place}」群里出现疑似辱骂或威胁的消息，请及时关注：{excerpt}"
FAILED = "没能登记：{reason}"
