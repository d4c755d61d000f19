"""Realistic Chinese names, places and texts for generated rows, drawn from a seeded RNG.

Surnames follow their rough frequency in southern Fujian (陈、林、黄 first); given names are
one or two common characters. Place names combine the syllables Minnan place names are made
of (厝、埔、坑、山、溪 …); the twelve districts of the city scale are Quanzhou's. Texts are
templates of the things residents really write about (垃圾、路灯、漏水、噪音 …) with the
details filled in, so full-text search and lists have something realistic to show.
"""

from __future__ import annotations

import bisect
import itertools
import random

SURNAMES = ("陈林黄张吴王李蔡郑刘许杨洪谢苏曾庄施郭柯蒋周肖叶卢邱颜傅方戴康"
            "骆吕孙胡朱徐高何罗梁宋唐韩冯邓曹彭萧田董袁")
CUM_WEIGHTS = tuple(itertools.accumulate(max(1, 40 - i) for i in range(len(SURNAMES))))
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧建国志文玉兰金凤桂荣海燕"
         "晓红梅春雪丹萍德福顺发宝珠淑珍素琴美玲佳怡欣宇浩然子涵雨轩梓萱一诺")
NICKS = ("阳光", "老陈", "平安是福", "岁月静好", "花开富贵", "知足常乐", "海纳百川", "淡定",
         "小太阳", "幸福一家", "清风", "向日葵")
DISTRICTS = ("鲤城区", "丰泽区", "洛江区", "泉港区", "石狮市", "晋江市", "南安市", "惠安县",
             "安溪县", "永春县", "德化县", "金门县")
SYLLABLES = ("东", "西", "南", "北", "霞", "美", "后", "前", "新", "古", "上", "下", "溪", "山",
             "坑", "埔", "厝", "湖", "洋", "塘", "林", "岭", "桥", "头", "尾", "亭", "浦", "洲",
             "丰", "安", "顺", "兴", "德", "和", "福", "清", "源", "锦", "金", "玉", "梅", "竹")
_MASK = (1 << 64) - 1
RELATIONS = (("户主", 40), ("配偶", 30), ("子女", 20), ("父母", 6), ("租户", 4))


def weighted(rng: random.Random, table):
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def person(rng: random.Random) -> str:
    surname = rng.choices(SURNAMES, cum_weights=CUM_WEIGHTS)[0]
    given = "".join(rng.choice(GIVEN) for _ in range(1 if rng.random() < 0.3 else 2))
    return surname + given


def nickname(rng: random.Random, real_name: str) -> str:
    roll = rng.random()
    if roll < 0.4:
        return real_name
    if roll < 0.7:
        return rng.choice(NICKS)
    return real_name[0] + rng.choice(("阿姨", "叔", "伯", "姐", "哥", "老师"))


def place(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(2))


def district(i: int) -> str:
    return DISTRICTS[i] if i < len(DISTRICTS) else f"{DISTRICTS[i % len(DISTRICTS)]}{i}"


def town(rng: random.Random) -> str:
    return place(rng) + ("镇" if rng.random() < 0.6 else "街道")


def village(rng: random.Random) -> str:
    return place(rng) + ("村" if rng.random() < 0.6 else "社区")


def building(k: int, rng: random.Random) -> str:
    return f"{k + 1}号楼" if rng.random() < 0.7 else f"{place(rng)}{k + 1}号"


def household(k: int) -> str:
    return f"{k // 4 + 1}{k % 4 + 1:02d}室"


REQUESTS = {
    "complaint": ("{p}的垃圾桶已经{n}天没人清理了，气味很大，蚊蝇也多",
                  "{p}夜里有人施工，噪音一直到十二点以后，老人孩子都睡不好",
                  "{p}有人占用消防通道停车，救护车都进不来",
                  "楼上漏水渗到我家天花板，协商了{n}次都没结果"),
    "help": ("家里老人行动不便，想请网格员帮忙代办{p}的社保认证",
             "独居老人家里水管爆了，需要帮忙找人维修",
             "孩子放学后没人照看，想问{p}有没有托管服务"),
    "consultation": ("想咨询一下高龄津贴怎么申请，需要带哪些材料",
                     "请问{p}的电动车充电桩什么时候能装好",
                     "医保缴费的截止日期是哪天？在{p}可以办吗"),
    "suggestion": ("建议在{p}增设电动车充电桩，现在很多人在楼道里充电很危险",
                   "建议{p}的健身器材旁边加装路灯", "建议在{p}门口设置减速带"),
    "mediation": ("和隔壁因为{p}的宅基地边界有纠纷，想请村里调解",
                  "邻居家的狗经常在{p}乱叫咬人，沟通无果"),
    "emergency": ("{p}路口的井盖松动，电动车经过很危险，请尽快处理",
                  "{p}有电线垂落到地面，附近有小孩玩耍"),
}
SPOTS = ("小区门口", "菜市场旁边", "村委会后面", "老年活动中心", "幼儿园门口", "公交站",
         "3号楼楼下", "祠堂前的空地", "溪边步道", "篮球场")
WISHES = ("想请志愿者帮忙把旧家具搬到楼下", "希望有人陪我去医院复查，子女都在外地",
          "家里的老式电视不会用，想请人教一下", "孩子的数学作业辅导不了，想找一位志愿者老师",
          "想学会用手机视频和孙子聊天", "家里灯泡坏了够不着，想请人帮忙换一下",
          "想给独居的老伴过个生日，请邻居们一起热闹一下", "轮椅坏了一个轮子，希望有人帮忙修一下")


def request_text(rng: random.Random, kind: str) -> str:
    return rng.choice(REQUESTS[kind]).format(p=rng.choice(SPOTS), n=rng.randrange(2, 9))


def wish_text(rng: random.Random) -> str:
    return rng.choice(WISHES)


def disclosure_title(place_name: str, kind: str, category: str, when: str) -> str:
    """``when`` is "2026年3月" or "2026年第1季度"."""
    label = {"affairs": "村务公开", "party": "党务公开", "finance": "财务公开"}[kind]
    what = {"income_expense": "收支明细", "decisions": "村民代表会议决定事项",
            "activities": "主题党日活动", "dues": "党费收缴情况",
            "relief_subsidies": "补贴资金发放情况", "projects": "村级工程项目进展"}.get(category,
                                                                                "公开事项")
    return f"{place_name}{when}{label}：{what}"


def disclosure_body(rng: random.Random, kind: str) -> str:
    if kind == "finance":
        income = rng.randrange(20_000, 800_000)
        spent = rng.randrange(10_000, income)
        return (f"本月集体收入{income / 100:.2f}元，支出{spent / 100:.2f}元，"
                f"主要用于道路维修、环境整治和困难群众慰问。单据已经民主理财小组审核。")
    if kind == "party":
        return (f"本月召开支部党员大会1次、支委会{rng.randrange(1, 4)}次，"
                "开展主题党日活动，发展预备党员0名。")
    return (f"经村民代表会议讨论通过，{rng.choice(SPOTS)}改造项目预算{rng.randrange(5, 60)}万元，"
            "现予以公示，如有异议请在七日内向村务监督委员会反映。")


def real_name(seed: int, user_id: int) -> str:
    """The real name of generated user ``user_id``: the same wherever a row needs it.

    A hash of (seed, id) rather than a seeded ``random.Random`` per user, which costs more
    than the rest of the row at a million residents."""
    x = (seed * 0x9E3779B97F4A7C15 ^ user_id * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 31)) * 0x94D049BB133111EB) & _MASK
    x ^= x >> 29
    surname = SURNAMES[bisect.bisect_right(CUM_WEIGHTS, x % CUM_WEIGHTS[-1])]
    x //= CUM_WEIGHTS[-1]
    given = GIVEN[x % len(GIVEN)]
    x //= len(GIVEN)
    if x % 10 >= 3:
        given += GIVEN[(x // 10) % len(GIVEN)]
    return surname + given


def is_volunteer(user_id: int) -> bool:
    """About one resident in eight volunteers; a fixed function of the id, so a claimant can
    be picked without reading the users back."""
    return (user_id * 2_654_435_761) % 97 < 12


def is_party_member(user_id: int) -> bool:
    return (user_id * 40_503) % 101 < 6
