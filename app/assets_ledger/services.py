"""Keeping the books: fund entries and periods, assets and resources, one row at a time.

Every write checks permission first, validates with :mod:`app.assets_ledger.rules`, then
upserts in one transaction and audits with ids and codes only (never amounts' owners or
holders' names). Lists are queries for keyset paging, scoped to the caller's villages.
Spreadsheet import and export live in :mod:`app.assets_ledger.workbook`; publication in
:mod:`app.assets_ledger.publishing`.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.assets_ledger import policies, rules
from app.assets_ledger.models import Asset, FundEntry, FundPeriod, Resource
from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.errors import InvalidInput, NotFound
from app.policy import Actor, Grant, authorize, can, require_any_scope
from app.regions.models import Region
from app.supervision.places import get_village, narrow_scope, scope_condition

# kind -> (model, natural key columns, validator)
KINDS = {
    "fund_entry": (FundEntry, ("period", "voucher_no"), rules.validate_fund_entry),
    "fund_period": (FundPeriod, ("period",), rules.validate_fund_period),
    "asset": (Asset, ("code",), rules.validate_asset),
    "resource": (Resource, ("code",), rules.validate_resource),
}


def invalid(errors: list[str]) -> InvalidInput:
    return InvalidInput("ledger.invalid_row", "；".join(errors), {"errors": errors})


def _audit(actor: Actor, grant: Grant, action: str, kind: str, row_id: int,
           village: Region, **summary) -> None:
    record(actor=actor, grant=grant, action=f"ledger.{action}", object_type=kind,
           object_id=row_id, region_path=village.path, region_id=village.id, summary=summary)


def upsert(kind: str, village: Region, clean: dict, now) -> tuple[int, bool]:
    """Insert or update one validated row by its natural key, inside the caller's
    transaction; returns (row id, created?)."""
    model, key, _ = KINDS[kind]
    cond = model.village == village.id
    for column in key:
        cond &= getattr(model, column) == clean[column]
    existing = model.get_or_none(cond)
    values = dict(clean, updated_at=now)
    if existing is None:
        row = model.create(village=village.id, village_path=village.path, **values)
        return row.id, True
    model.update({getattr(model, k): v for k, v in values.items()}).where(
        model.id == existing.id).execute()
    return existing.id, False


def save_row(actor: Actor | None, kind: str, *, village_id: int, values: dict) -> int:
    """Add or replace one fund entry / fund period / asset / resource of a village, matched by
    its natural key (period + voucher number, period, or code). Returns the row id.

    Cadres and town admins in scope. Raises region.not_found, ledger.bad_village, Forbidden,
    ledger.invalid_row (every reason in ``details.errors``). Audits ledger.save_<kind>.
    """
    village = get_village(village_id, "ledger.bad_village")
    grant = authorize(actor, policies.WRITE, village.path)
    clean, errors = KINDS[kind][2](values)
    if errors:
        raise invalid(errors)
    with database.atomic():
        row_id, created = upsert(kind, village, clean, utcnow())
        _audit(actor, grant, f"save_{kind}", kind, row_id, village, created=created)
    return row_id


def load_row(actor: Actor | None, kind: str, row_id: int):
    """One row the caller may read (404 ``ledger.not_found`` outside scope)."""
    require_any_scope(actor, policies.READ)
    model = KINDS[kind][0]
    row = model.get_or_none(model.id == row_id)
    if row is None or not can(actor, policies.READ, row.village_path):
        raise NotFound("ledger.not_found", "找不到该账目")
    return row


def rows_query(actor: Actor | None, kind: str, *, village_id: int | None = None,
               period: str | None = None):
    """Rows of ``kind`` in the caller's reading scope (one village when given), for keyset
    paging by id. Supervising staff. Raises Forbidden, region.not_found. Reads only."""
    paths = narrow_scope(require_any_scope(actor, policies.READ), village_id)
    model = KINDS[kind][0]
    query = model.select().where(scope_condition(paths, model.village_path))
    if period is not None and hasattr(model, "period"):
        query = query.where(model.period == period)
    return query


@dataclass(frozen=True)
class PeriodBalance:
    """A month of the cash journal with its totals and whether it balances."""

    period: str
    opening_fen: int | None
    income_fen: int
    expense_fen: int
    closing_fen: int | None
    difference_fen: int | None  # None when the period's balances are not entered yet


def period_totals(village_id: int, period: str) -> tuple[int, int]:
    from peewee import fn

    totals = dict(FundEntry.select(FundEntry.direction, fn.SUM(FundEntry.amount_fen))
                  .where((FundEntry.village == village_id) & (FundEntry.period == period))
                  .group_by(FundEntry.direction).tuples())
    return int(totals.get("income") or 0), int(totals.get("expense") or 0)


def period_balance(actor: Actor | None, *, village_id: int, period: str) -> PeriodBalance:
    """The month's totals and its balance check. Supervising staff in scope. Raises
    region.not_found, ledger.bad_village, Forbidden, ledger.bad_period. Reads only."""
    village = get_village(village_id, "ledger.bad_village")
    authorize(actor, policies.READ, village.path)
    if rules.check_period(period) is None:
        raise InvalidInput("ledger.bad_period", "期间应写成 2026-11 这样的年月")
    return balance_of(village.id, period)


def balance_of(village_id: int, period: str) -> PeriodBalance:
    income, expense = period_totals(village_id, period)
    row = FundPeriod.get_or_none((FundPeriod.village == village_id)
                                 & (FundPeriod.period == period))
    if row is None:
        return PeriodBalance(period, None, income, expense, None, None)
    return PeriodBalance(period, row.opening_fen, income, expense, row.closing_fen,
                         rules.balance_problem(row.opening_fen, income, expense,
                                               row.closing_fen))
