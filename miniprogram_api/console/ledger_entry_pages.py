"""三资 single-row entry, beside the Excel import: one fund entry, month balance, asset or
resource typed into a form, and the newest rows of that book for the chosen village.

The calls are the ones ``/admin/api/v1/ledger/<book>`` makes: ``app.assets_ledger.services.
save_row`` (validates every field at once, adds or replaces the row by its natural key, audits)
and ``rows_query`` for the list. The form's field names are the validators' own keys, so the
reasons refused are the same words the import's dry run gives.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask import request as http

from app.assets_ledger import policies, rules
from app.assets_ledger import services as ledger
from app.errors import DomainError, Forbidden, NotFound, Unauthorized
from app.policy import Actor, can
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, form_text, keyset_page, render
from miniprogram_api.console.region_choices import places_in_scope
from miniprogram_api.console.session import page

PAGE_SIZE = 20
BOOKS = {"fund_entry": "资金收支", "fund_period": "月度余额", "asset": "资产", "resource": "资源"}
FUND_CATEGORIES = {code: f"{rules.FUND_DIRECTIONS[d]} · {name}"
                   for d, table in rules.FUND_CATEGORIES.items() for code, name in table.items()}
# book -> ((field, label, input type or a dict of choices, required), …)
FIELDS = {
    "fund_entry": (("period", "期间（如 2026-11）", "text", True),
                   ("voucher_no", "凭证号", "text", True),
                   ("entry_date", "日期", "date", True),
                   ("direction", "收支", rules.FUND_DIRECTIONS, True),
                   ("category", "类别", FUND_CATEGORIES, True),
                   ("summary", "摘要", "text", True),
                   ("amount", "金额（元）", "money", True)),
    "fund_period": (("period", "期间（如 2026-11）", "text", True),
                    ("opening", "期初余额（元）", "money", True),
                    ("closing", "期末余额（元）", "money", True)),
    "asset": (("code", "资产编号", "text", True), ("name", "资产名称", "text", True),
              ("category", "资产类别", rules.ASSET_CATEGORIES, True),
              ("value", "原值（元）", "money", True), ("acquired_on", "购置日期", "date", False),
              ("location", "存放地点", "text", False),
              ("status", "状态", rules.ASSET_STATUSES, True),
              ("lease_holder", "承租方（出租的资产填写）", "text", False),
              ("lease_start", "租期起", "date", False), ("lease_end", "租期止", "date", False),
              ("lease_rent", "年租金（元）", "money", False)),
    "resource": (("code", "资源编号", "text", True), ("name", "资源名称", "text", True),
                 ("kind", "资源类型", rules.RESOURCE_KINDS, True),
                 ("area_mu", "面积（亩）", "money", True), ("location", "坐落", "text", False),
                 ("holder", "承包方（已发包的填写）", "text", False),
                 ("term_start", "承包起", "date", False), ("term_end", "承包止", "date", False),
                 ("rent", "年租金（元）", "money", False)),
}


def _summary(book: str, row) -> list[str]:
    """The columns the list shows for a row of ``book``."""
    if book == "fund_entry":
        return [row.period, row.voucher_no, rules.FUND_DIRECTIONS.get(row.direction, ""),
                row.summary, f"{rules.yuan(row.amount_fen)}"]
    if book == "fund_period":
        return [row.period, f"{rules.yuan(row.opening_fen)}", f"{rules.yuan(row.closing_fen)}"]
    if book == "asset":
        return [row.code, row.name, rules.label(rules.ASSET_STATUSES, row.status),
                f"{rules.yuan(row.value_fen)}"]
    return [row.code, row.name, rules.label(rules.RESOURCE_KINDS, row.kind), row.area_mu]


HEADERS = {"fund_entry": ["期间", "凭证号", "收支", "摘要", "金额（元）"],
           "fund_period": ["期间", "期初余额（元）", "期末余额（元）"],
           "asset": ["编号", "名称", "状态", "原值（元）"],
           "resource": ["编号", "名称", "类型", "面积（亩）"]}


def _page(actor: Actor, book: str, village_id: int | None, *, values=None,
          error: str | None = None):
    villages = places_in_scope(actor, policies.READ, ("village",))
    if not villages:
        raise Forbidden()
    village_id = village_id or villages[0].id
    query = ledger.rows_query(actor, book, village_id=village_id)  # Forbidden/404 out of scope
    rows, next_url = keyset_page(query, ledger.KINDS[book][0].id, "console.ledger_rows",
                                 limit=PAGE_SIZE, book=book, village_id=village_id)
    village = next((v for v in villages if v.id == village_id), None)
    return render("console/ledger/rows.html", books=BOOKS, book=book, villages=villages,
                  village=village, village_id=village_id, fields=FIELDS[book],
                  values=values or {}, error=error, headers=HEADERS[book],
                  rows=[_summary(book, r) for r in rows], next_url=next_url,
                  may_write=bool(village and can(actor, policies.WRITE, village.path))
                  ), (422 if error else 200)


@bp.route("/ledger/<any(" + ",".join(BOOKS) + "):book>")
@page
def ledger_rows(actor: Actor, book: str):
    return _page(actor, book, http.args.get("village_id", type=int))


@bp.route("/ledger/<any(" + ",".join(BOOKS) + "):book>", methods=["POST"])
@page
def ledger_row_save(actor: Actor, book: str):
    """Save one row; a refused row comes back with what was typed and every reason."""
    village_id = form_int("village_id") or 0
    values = {name: form_text(name, 400) for name, *_ in FIELDS[book]}
    try:
        ledger.save_row(actor, book, village_id=village_id, values=values)
    except (Unauthorized, Forbidden, NotFound):
        raise
    except DomainError as exc:
        return _page(actor, book, village_id, values=values, error=exc.message)
    flash(f"已保存一条{BOOKS[book]}记录，并已记入审计日志", "info")
    return redirect(url_for("console.ledger_rows", book=book, village_id=village_id),
                    code=303)
