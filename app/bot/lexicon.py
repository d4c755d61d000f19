"""The seed dictionary of the message classifier (staff edit their copy in the console).

Each entry is (bucket, word, weight). Buckets are request category codes (see
``app.requests.setup.DEFAULT_CATEGORIES``) plus three special ones: ``signal`` (words that make
any message sound like a problem report, counted toward every category's total), ``ignore``
(greetings, thanks, ads: negative weights) and ``moderation`` (insults and threats: a message
scoring here is flagged to the grid worker, never registered).
"""

from __future__ import annotations

SIGNAL, IGNORE, MODERATION = "signal", "ignore", "moderation"
SPECIAL = (SIGNAL, IGNORE, MODERATION)


def _bucket(name: str, weight: float, words: str) -> list[tuple[str, str, float]]:
    return [(name, word, weight) for word in words.split()]


SEED: tuple[tuple[str, str, float], ...] = tuple(
    _bucket("environment", 1.5, "垃圾 垃圾桶 垃圾站 臭 臭气 发臭 恶心 苍蝇 蚊子 老鼠 污水 排污 "
            "油烟 狗屎 化粪池 建筑垃圾 卫生 小广告 积水 发霉 噪音 扰民 施工 打桩 鞭炮 喇叭 "
            "鸣笛 异响 电钻 电锯 吵 太吵 吵得 闹 大吵大闹 音响 低音炮 广场舞 声音 噪声 整夜 "
            "清运 虫子 排污水 烟味 抽烟")
    + _bucket("property", 1.5, "物业 物业费 保安 门卫 门禁 电梯 楼道 道闸 监控 充电桩 信报箱 "
              "对讲机 外墙 瓷砖 楼顶 公共区域 绿化带 健身器材 喷泉 车库 地下车库 灯 "
              "声控灯 感应灯 窗户 玻璃 单元门 防盗门 锁 收费 态度")
    + _bucket("roads", 1.5, "路灯 路面 塌陷 井盖 马路 人行道 坑 乱停车 停车 消防通道 共享单车 "
              "下水道 雨棚 台阶 公交站 摊贩 占道 "
              "栏杆 路口")
    + _bucket("water_power", 1.5, "漏水 水管 停水 没水 自来水 水表 停电 没电 电闸 跳闸 线路 "
              "燃气 燃气灶 燃气表 暖气 热水器 水龙头 渗水 漏雨 爆管 爆了 防水 "
              "水箱 管道 发黄 空调")
    + _bucket("neighbour", 1.5, "楼上 隔壁 邻居 装修 半夜 深夜 凌晨 跑跳 剁 麻将 狗叫 叫个不停 "
              "吵架 拖椅子")
    + _bucket("safety", 1.5, "危险 不安全 安全隐患 高空抛物 私拉电线 电线 消防 灭火器 消防栓 "
              "流浪狗 咬伤 小偷 围墙 倒了 砸 砸坏 掉下来 塌")
    + _bucket("elderly", 1.0, "老人 独居 行动不便 扶手")
    + _bucket(SIGNAL, 1.0, "坏了 坏 不亮 不灵 打不开 打不着 关不上 关不紧 堵了 堵 堵死 破了 "
              "断了 松了 掉了 脱落 漏 修 维修 报修 修理 处理 解决 管一管 没人管 不管 好几天 "
              "一个星期 好久 一直 反映 投诉 麻烦 赶紧 尽快 请物业 严重 睡不着 受不了 没法 "
              "不了 不方便 影响 乱 占 满了 没人 扰民 太大 到处 每天 天天 清理 怎么办 "
              "什么时候 很大 特别大")
    + _bucket(IGNORE, -2.0, "优惠 限时 扫码 代购 加我 微信 私聊 开盘 首付 砍一刀 点赞 转发 "
              "领取 免费 兼职 刷单 日结 团购 接龙 截单 回收 收购 报名 理财 收益 会员 抢购 "
              "投票 酬宾 出租 拎包入住 红包 链接 上架 试听 质保 一个电话 上门")
    + _bucket(IGNORE, -1.5, "谢谢 感谢 辛苦 快乐 早上好 晚上好 晚安 欢迎 点赞 修好了 "
              "解决了 恢复 好的 收到 通知 维保 保养 借 借用 听说")
    + _bucket(MODERATION, 2.0, "废物 不得好死 傻逼 滚 滚出 滚蛋 打死 弄死 狗官 垃圾人 饭桶 "
              "畜生 老不死 王八蛋 聋了 瞎了 同归于尽 堵你 白痴 骗子 吸血鬼 脑子有病 "
              "你算什么东西 砸了 扎了 让你们好看 你等着 一群")
)

# Request type (app.requests.rules.TYPES) per category when the message gives no marker.
CATEGORY_TYPES = {
    "environment": "complaint", "property": "complaint", "roads": "complaint",
    "water_power": "help", "neighbour": "mediation", "safety": "help", "elderly": "help",
    "other": "consultation",
}
# Leading markers that make a message a request whatever the classifier says.
MARKERS = {"#诉求": None, "＃诉求": None, "报修": "help", "投诉": "complaint",
           "求助": "help"}
