"""Pure rules of the 三资 ledger: codes and labels, money and dates, row validation, balance.

Money is integer fen everywhere (never floats); spreadsheets show yuan with two decimals.
Each validator takes one row as a dict of raw values (what a form or a spreadsheet gave; money
in yuan under ``amount``, ``opening``, ``value`` …) and returns ``(clean, errors)``: the
normalised record, or every reason it is invalid at once, so an import's dry run can list
them all.

A fund period (one month) is balanced when opening + income − expense = closing
(:func:`balance_problem`); a funds publication is refused until it is.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

FUND_DIRECTIONS = {"income": "收入", "expense": "支出"}
FUND_CATEGORIES = {
    "income": {"operating": "经营收入", "contracting": "发包及上交收入",
               "investment": "投资收益", "subsidy": "补助收入", "other_income": "其他收入"},
    "expense": {"operating_cost": "经营支出", "management": "管理费用",
                "welfare": "公益福利支出", "construction": "工程建设支出",
                "other_expense": "其他支出"},
}
ASSET_CATEGORIES = {"building": "房屋及建筑物", "machinery": "机器设备", "vehicle": "运输工具",
                    "infrastructure": "基础设施", "other": "其他资产"}
ASSET_STATUSES = {"in_use": "在用", "idle": "闲置", "leased": "出租", "disposed": "已处置"}
RESOURCE_KINDS = {"farmland": "耕地", "forest": "林地", "pond": "水面坑塘", "grassland": "草地",
                  "orchard": "园地", "wasteland": "四荒地", "construction_land": "集体建设用地"}
SECTIONS = {"funds": "资金", "assets": "资产", "resources": "资源"}

MAX_YUAN = Decimal("1000000000")  # one billion yuan per figure is far beyond a village
MAX_AREA = Decimal("1000000")
CODE_MAX, NAME_MAX, TEXT_MAX = 32, 100, 200
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def label(table: dict[str, str], code: str | None) -> str:
    return table.get(code, code or "") if code else ""


def _lookup(table: dict[str, str], raw) -> str | None:
    """A code from its code or its Chinese label (spreadsheets carry labels)."""
    text = text_of(raw)
    if text in table:
        return text
    for code, name in table.items():
        if name == text:
            return code
    return None


def text_of(raw) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates in ISO form, trimmed."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    return str(raw).strip()


def parse_money(raw, *, allow_zero: bool = False) -> int | None:
    """Yuan (a number, or text like ``1,234.50``) → fen; None when invalid."""
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value.as_tuple().exponent < -2:
        return None
    if value < 0 or value > MAX_YUAN or (value == 0 and not allow_zero):
        return None
    return int(value * 100)


def yuan(fen: int | None) -> Decimal | None:
    """Fen → yuan with two decimals (for spreadsheets and display)."""
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))


def parse_area(raw) -> str | None:
    """An area in 亩 with at most two decimals, as canonical text (``12.50``); None if bad."""
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value.as_tuple().exponent < -2 or not 0 < value <= MAX_AREA:
        return None
    return str(value.quantize(Decimal("0.01")))


def parse_date(raw) -> dt.date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(text_of(raw).replace("/", "-"))
    except ValueError:
        return None


def check_period(raw) -> str | None:
    text = text_of(raw)
    match = _PERIOD.match(text)
    if match is None or not 2000 <= int(match.group(1)) <= 2100 or not (
            1 <= int(match.group(2)) <= 12):
        return None
    return text


def _text(errors: list, row: dict, key: str, name: str, limit: int, *,
          required: bool = True) -> str:
    value = text_of(row.get(key))
    if required and not value:
        errors.append(f"{name}不能为空")
    elif len(value) > limit:
        errors.append(f"{name}不超过 {limit} 个字")
    return value


def _money(errors: list, row: dict, key: str, name: str, *, required: bool = True,
           allow_zero: bool = False) -> int | None:
    raw = row.get(key)
    if raw is None or raw == "":
        if required:
            errors.append(f"{name}不能为空")
        return None
    fen = parse_money(raw, allow_zero=allow_zero)
    if fen is None:
        floor = "不小于零" if allow_zero else "大于零"
        errors.append(f"{name}应为{floor}、最多两位小数的金额（元）")
    return fen


def _date(errors: list, row: dict, key: str, name: str, *, required: bool) -> dt.date | None:
    raw = row.get(key)
    if raw is None or raw == "":
        if required:
            errors.append(f"{name}不能为空")
        return None
    value = parse_date(raw)
    if value is None:
        errors.append(f"{name}应为日期，如 2026-11-05")
    return value


def _term(errors: list, start: dt.date | None, end: dt.date | None, name: str) -> None:
    if start and end and end <= start:
        errors.append(f"{name}的结束日期应晚于开始日期")


def validate_fund_entry(row: dict) -> tuple[dict | None, list[str]]:
    errors: list[str] = []
    period = check_period(row.get("period"))
    if period is None:
        errors.append("期间应写成 2026-11 这样的年月")
    voucher = _text(errors, row, "voucher_no", "凭证号", CODE_MAX)
    entry_date = _date(errors, row, "entry_date", "日期", required=True)
    if period and entry_date and entry_date.strftime("%Y-%m") != period:
        errors.append("日期不在所填期间内")
    direction = _lookup(FUND_DIRECTIONS, row.get("direction"))
    if direction is None:
        errors.append("收支应为“收入”或“支出”")
    category = None
    if direction is not None:
        category = _lookup(FUND_CATEGORIES[direction], row.get("category"))
        if category is None:
            errors.append(f"{FUND_DIRECTIONS[direction]}类别应为："
                          f"{'、'.join(FUND_CATEGORIES[direction].values())}")
    summary = _text(errors, row, "summary", "摘要", TEXT_MAX)
    amount = _money(errors, row, "amount", "金额")
    if errors:
        return None, errors
    return {"period": period, "voucher_no": voucher, "entry_date": entry_date,
            "direction": direction, "category": category, "summary": summary,
            "amount_fen": amount}, []


def validate_fund_period(row: dict) -> tuple[dict | None, list[str]]:
    errors: list[str] = []
    period = check_period(row.get("period"))
    if period is None:
        errors.append("期间应写成 2026-11 这样的年月")
    opening = _money(errors, row, "opening", "期初余额", allow_zero=True)
    closing = _money(errors, row, "closing", "期末余额", allow_zero=True)
    if errors:
        return None, errors
    return {"period": period, "opening_fen": opening, "closing_fen": closing}, []


def validate_asset(row: dict) -> tuple[dict | None, list[str]]:
    errors: list[str] = []
    code = _text(errors, row, "code", "资产编号", CODE_MAX)
    name = _text(errors, row, "name", "资产名称", NAME_MAX)
    category = _lookup(ASSET_CATEGORIES, row.get("category"))
    if category is None:
        errors.append(f"资产类别应为：{'、'.join(ASSET_CATEGORIES.values())}")
    value = _money(errors, row, "value", "原值", allow_zero=True)
    acquired = _date(errors, row, "acquired_on", "购置日期", required=False)
    location = _text(errors, row, "location", "存放地点", TEXT_MAX, required=False)
    status = _lookup(ASSET_STATUSES, row.get("status"))
    if status is None:
        errors.append(f"状态应为：{'、'.join(ASSET_STATUSES.values())}")
    holder = _text(errors, row, "lease_holder", "承租方", NAME_MAX, required=False)
    start = _date(errors, row, "lease_start", "租期起", required=status == "leased")
    end = _date(errors, row, "lease_end", "租期止", required=status == "leased")
    rent = _money(errors, row, "lease_rent", "年租金", required=status == "leased",
                  allow_zero=True)
    if status == "leased" and not holder:
        errors.append("出租的资产须填写承租方")
    if status != "leased" and (holder or start or end or rent):
        errors.append("只有出租的资产才填写承租方、租期和租金")
    _term(errors, start, end, "租期")
    if errors:
        return None, errors
    return {"code": code, "name": name, "category": category, "value_fen": value,
            "acquired_on": acquired, "location": location, "status": status,
            "lease_holder": holder, "lease_start": start, "lease_end": end,
            "lease_rent_fen": rent}, []


def validate_resource(row: dict) -> tuple[dict | None, list[str]]:
    errors: list[str] = []
    code = _text(errors, row, "code", "资源编号", CODE_MAX)
    name = _text(errors, row, "name", "资源名称", NAME_MAX)
    kind = _lookup(RESOURCE_KINDS, row.get("kind"))
    if kind is None:
        errors.append(f"资源类型应为：{'、'.join(RESOURCE_KINDS.values())}")
    area = parse_area(row.get("area_mu"))
    if area is None:
        errors.append("面积应为大于零、最多两位小数的亩数")
    location = _text(errors, row, "location", "坐落", TEXT_MAX, required=False)
    holder = _text(errors, row, "holder", "承包方", NAME_MAX, required=False)
    start = _date(errors, row, "term_start", "承包起", required=bool(holder))
    end = _date(errors, row, "term_end", "承包止", required=bool(holder))
    rent = _money(errors, row, "rent", "年租金", required=False, allow_zero=True)
    if not holder and (start or end or rent):
        errors.append("未发包的资源不填写承包期限和租金")
    _term(errors, start, end, "承包期")
    if errors:
        return None, errors
    return {"code": code, "name": name, "kind": kind, "area_mu": area, "location": location,
            "holder": holder, "term_start": start, "term_end": end, "rent_fen": rent}, []


def balance_problem(opening_fen: int, income_fen: int, expense_fen: int,
                    closing_fen: int) -> int:
    """How far a period is off balance (0 when opening + income − expense = closing)."""
    return opening_fen + income_fen - expense_fen - closing_fen
