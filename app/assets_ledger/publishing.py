"""Making the books public: only through a finance disclosure, never silently.

:func:`draft_ledger_disclosure` freezes one section of a village's books — the funds of one
month (refused until the month balances), or the whole asset register or resource register —
as canonical JSON (:class:`LedgerSnapshot`) and drafts the finance disclosure that will publish
it, in one transaction. The disclosure carries the snapshot's SHA-256 and totals in its
``extra``; it goes through review like any finance disclosure, and when it is published its
leaf on the transparency log commits to exactly those rows. Residents read a snapshot (and the
summary built from the latest published snapshot of each section) only once its disclosure is
published; later bookkeeping changes nothing they see until the next publication.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from app.assets_ledger import policies, rules
from app.assets_ledger.models import Asset, FundEntry, LedgerSnapshot, Resource
from app.assets_ledger.services import balance_of
from app.calendar.rules import local_day
from app.clock import utcnow
from app.db import database
from app.disclosures.models import Disclosure
from app.errors import Conflict, InvalidInput, NotFound, Unauthorized
from app.policy import Actor, authorize, can
from app.regions.models import Region
from app.supervision.places import get_village, lives_under, resident_places

MAX_SNAPSHOT_ROWS = 5000
CATEGORY = {"funds": "income_expense", "assets": "assets", "resources": "resources"}


def canonical(document) -> str:
    """Canonical JSON text (sorted keys, no spaces, UTF-8 characters as themselves)."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def _limited(query) -> list:
    rows = list(query.limit(MAX_SNAPSHOT_ROWS + 1))
    if len(rows) > MAX_SNAPSHOT_ROWS:
        raise Conflict("ledger.too_large", f"一次公开最多 {MAX_SNAPSHOT_ROWS} 条账目，请分期公开")
    return rows


def _d(value) -> str | None:
    return value.isoformat() if value else None


def _funds(village: Region, period: str) -> tuple[dict, dict]:
    balance = balance_of(village.id, period)
    if balance.difference_fen is None:
        raise Conflict("ledger.period_missing", "请先录入该月的期初、期末余额")
    if balance.difference_fen != 0:
        raise Conflict("ledger.unbalanced", "该月账目不平：期初余额 + 收入 − 支出 ≠ 期末余额",
                       {"difference_fen": balance.difference_fen})
    entries = _limited(FundEntry.select().where((FundEntry.village == village.id)
                                                & (FundEntry.period == period))
                       .order_by(FundEntry.entry_date, FundEntry.voucher_no))
    totals = {"opening_fen": balance.opening_fen, "income_fen": balance.income_fen,
              "expense_fen": balance.expense_fen, "closing_fen": balance.closing_fen,
              "entries": len(entries)}
    rows = [{"voucher_no": e.voucher_no, "date": _d(e.entry_date), "direction": e.direction,
             "category": e.category, "summary": e.summary, "amount_fen": e.amount_fen}
            for e in entries]
    return totals, {"rows": rows, **totals}


def _assets(village: Region) -> tuple[dict, dict]:
    assets = _limited(Asset.select().where(Asset.village == village.id).order_by(Asset.code))
    held = [a for a in assets if a.status != "disposed"]
    totals = {"assets": len(held), "value_fen": sum(a.value_fen for a in held),
              "leased": sum(1 for a in held if a.status == "leased"),
              "idle": sum(1 for a in held if a.status == "idle"),
              "lease_rent_fen": sum(a.lease_rent_fen or 0 for a in held
                                    if a.status == "leased")}
    rows = [{"code": a.code, "name": a.name, "category": a.category, "value_fen": a.value_fen,
             "acquired_on": _d(a.acquired_on), "location": a.location, "status": a.status,
             "lease_holder": a.lease_holder or None, "lease_start": _d(a.lease_start),
             "lease_end": _d(a.lease_end), "lease_rent_fen": a.lease_rent_fen}
            for a in assets]
    return totals, {"rows": rows, **totals}


def _resources(village: Region) -> tuple[dict, dict]:
    from decimal import Decimal

    resources = _limited(Resource.select().where(Resource.village == village.id)
                         .order_by(Resource.code))
    areas: dict[str, Decimal] = {}
    for r in resources:
        areas[r.kind] = areas.get(r.kind, Decimal(0)) + Decimal(rules.parse_area(r.area_mu))
    totals = {"resources": len(resources),
              "area_mu_by_kind": {k: str(v) for k, v in sorted(areas.items())},
              "contracted": sum(1 for r in resources if r.holder),
              "rent_fen": sum(r.rent_fen or 0 for r in resources)}
    rows = [{"code": r.code, "name": r.name, "kind": r.kind,
             "area_mu": rules.parse_area(r.area_mu), "location": r.location,
             "holder": r.holder or None, "term_start": _d(r.term_start),
             "term_end": _d(r.term_end), "rent_fen": r.rent_fen} for r in resources]
    return totals, {"rows": rows, **totals}


def _body(section: str, period: str, totals: dict) -> str:
    y = rules.yuan
    if section == "funds":
        return (f"{period} 资金收支：期初余额 {y(totals['opening_fen'])} 元，本期收入 "
                f"{y(totals['income_fen'])} 元，本期支出 {y(totals['expense_fen'])} 元，期末余额 "
                f"{y(totals['closing_fen'])} 元，共 {totals['entries']} 笔，明细见附表。")
    if section == "assets":
        return (f"截至 {period} 集体资产 {totals['assets']} 项，原值合计 "
                f"{y(totals['value_fen'])} 元，其中出租 {totals['leased']} 项、闲置 "
                f"{totals['idle']} 项，年租金合计 {y(totals['lease_rent_fen'])} 元，明细见附表。")
    areas = "，".join(f"{rules.RESOURCE_KINDS.get(k, k)} {v} 亩"
                     for k, v in totals["area_mu_by_kind"].items()) or "无"
    return (f"截至 {period} 集体资源 {totals['resources']} 处（{areas}），已发包 "
            f"{totals['contracted']} 处，年租金合计 {y(totals['rent_fen'])} 元，明细见附表。")


def draft_ledger_disclosure(actor: Actor | None, *, village_id: int, section: str,
                            period: str | None = None, title: str | None = None,
                            note: str = "", corrects_id: int | None = None,
                            correction_reason: str = "") -> Disclosure:
    """Freeze a section of the books and draft the finance disclosure that publishes it.

    Cadres and town admins in scope. ``section`` funds needs ``period`` (a month, which must
    balance); assets and resources default to today's date (Asia/Shanghai) as their period.
    ``corrects_id`` makes it a correction of an earlier publication. Raises region.not_found,
    ledger.bad_village / bad_section / bad_period, Forbidden, ledger.period_missing /
    unbalanced / too_large, and what ``create_disclosure`` raises. Creates the snapshot and
    the draft disclosure (audited by the disclosures feature) and audits ledger.draft_publication.
    """
    from app.audit.services import record
    from app.disclosures.services import create_disclosure

    village = get_village(village_id, "ledger.bad_village")
    grant = authorize(actor, policies.WRITE, village.path)
    if section not in rules.SECTIONS:
        raise InvalidInput("ledger.bad_section", "请选择资金、资产或资源")
    if section == "funds":
        if rules.check_period(period) is None:
            raise InvalidInput("ledger.bad_period", "资金公开请选择月份，如 2026-11")
    else:
        period = period or local_day(utcnow()).isoformat()
    # Frozen before the transaction, whose first statement is then a write (SQLite takes its
    # write lock there): what the reviewers see is exactly this content.
    totals, document = {"funds": lambda: _funds(village, period),
                        "assets": lambda: _assets(village),
                        "resources": lambda: _resources(village)}[section]()
    content = canonical({"section": section, "village": village.code, "period": period,
                         **document})
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    body = _body(section, period, totals) + (f"\n{note.strip()}" if note.strip() else "")
    with database.atomic():
        disclosure = create_disclosure(
            actor, region_id=village.id, kind="finance", category=CATEGORY[section],
            title=title or f"{village.name}{period}{rules.SECTIONS[section]}公开", body=body,
            period=period, corrects_id=corrects_id, correction_reason=correction_reason,
            extra={"ledger": {"section": section, "sha256": digest, **totals}})
        snapshot = LedgerSnapshot.create(
            village=village.id, section=section, period=period, disclosure_id=disclosure.id,
            content=content, sha256=digest, totals=canonical(totals), created_at=utcnow())
        record(actor=actor, grant=grant, action="ledger.draft_publication",
               object_type="ledger_snapshot", object_id=snapshot.id, region_path=village.path,
               region_id=village.id, summary={"section": section, "period": period,
                                              "disclosure": disclosure.id})
    return disclosure


@dataclass(frozen=True)
class SectionSummary:
    section: str
    period: str
    disclosure_id: int
    published_at: object
    sha256: str
    totals: dict


@dataclass(frozen=True)
class LedgerSummary:
    village: Region
    sections: list[SectionSummary]


def ledger_summary(actor: Actor | None, *, village_id: int | None = None) -> LedgerSummary:
    """咱厝家底: the latest published figures of each section of a village's books.

    Residents of the village (their own village when ``village_id`` is omitted) and
    supervising staff in scope. Only snapshots whose finance disclosure is published count.
    Raises Unauthorized, ledger.village_required, region.not_found, ledger.bad_village,
    NotFound ``ledger.not_found`` for anyone else. Changes nothing.
    """
    if actor is None:
        raise Unauthorized()
    if village_id is None:
        places = resident_places(actor)
        if places is None:
            raise InvalidInput("ledger.village_required", "请先绑定住户，或选择社区(村)")
        village_id = places[0]
    village = get_village(village_id, "ledger.bad_village")
    if not (lives_under(actor, village.path) or can(actor, policies.READ, village.path)):
        raise NotFound("ledger.not_found", "找不到该社区(村)的三资公开")
    sections = []
    for section in rules.SECTIONS:
        row = (LedgerSnapshot.select(LedgerSnapshot, Disclosure.published_at)
               .join(Disclosure, on=(Disclosure.id == LedgerSnapshot.disclosure_id))
               .where((LedgerSnapshot.village == village.id)
                      & (LedgerSnapshot.section == section)
                      & (Disclosure.status == "published"))
               .order_by(Disclosure.published_at.desc(), Disclosure.id.desc())
               .objects().first())
        if row is not None:
            sections.append(SectionSummary(section, row.period, row.disclosure_id,
                                           row.published_at, row.sha256,
                                           json.loads(row.totals)))
    return LedgerSummary(village, sections)


def published_snapshot(actor: Actor | None, disclosure_id: int) -> LedgerSnapshot:
    """The rows a published finance disclosure made public, for whoever may read it.

    Raises Unauthorized, disclosure.not_found (what ``read_disclosure`` raises), and
    ledger.not_found when the disclosure publishes no ledger section or is not published.
    """
    from app.disclosures.reading import read_disclosure

    disclosure = read_disclosure(actor, disclosure_id)
    snapshot = LedgerSnapshot.get_or_none(LedgerSnapshot.disclosure_id == disclosure.id)
    if snapshot is None or (disclosure.status != "published"
                            and not can(actor, policies.READ, disclosure.region_path)):
        raise NotFound("ledger.not_found", "该公开事项没有三资明细")
    return snapshot
