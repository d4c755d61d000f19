"""Shared pieces of the supervision page tests (disclosures, 三资, seals, reports, audit):
the requests test town plus the reviewers those pages need, each with a console login, and
small builders that go through the features' services."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from app.accounts.models import StaffCredential, User
from app.disclosures import services as disclosures
from tests.app.requests.conftest import Town
from tests.factories import grant, make_user

FUND_HEADER = ["期间", "凭证号", "日期", "收支", "类别", "摘要", "金额(元)"]


@dataclass
class Desk:
    town: Town
    finance: User  # 民主理财小组 of village A1
    author_reviewer: User  # a cadre of village A1 who also sits on its finance panel

    def actor(self, user: User):
        return self.town.actor(user)


@pytest.fixture
def desk(staff_town: Town, password_hash: str) -> Desk:
    village = staff_town.tree.village_a1
    finance = make_user(name="理财小组成员")
    grant(finance, "finance_panel", village)
    both = make_user(name="兼任理财小组的干部")
    grant(both, "cadre", village)
    grant(both, "finance_panel", village)
    for user, username in ((finance, "finance"), (both, "cadrefinance")):
        StaffCredential.create(user=user, username=username, password_hash=password_hash)
    return Desk(staff_town, finance, both)


def finance_draft(desk: Desk, author: User | None = None, *, submit: bool = True):
    """A finance disclosure of village A1 (October's 收支明细), submitted for review."""
    author = author or desk.town.cadre
    actor = desk.actor(author)
    d = disclosures.create_disclosure(
        actor, region_id=desk.town.tree.village_a1.id, kind="finance",
        category="income_expense", title="2026年10月财务收支明细",
        body="本月收入鱼塘承包费5000元，支出办公用品1234.56元。", period="2026-10")
    return disclosures.submit_disclosure(actor, d.id) if submit else d


def workbook_bytes(rows: list[list]) -> bytes:
    """A workbook with one 资金收支 sheet holding ``rows`` under the header."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "资金收支"
    ws.append(FUND_HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD_ROWS = [["2026-10", "记-001", "2026-10-08", "收入", "经营收入", "店面租金", 800],
             ["2026-10", "记-002", "2026-10-15", "支出", "管理费用", "水电费", 120.5]]
BAD_ROWS = GOOD_ROWS + [["2026-10", "记-003", "2026-11-02", "支出", "管理费用", "误差",
                         "12.345"]]
