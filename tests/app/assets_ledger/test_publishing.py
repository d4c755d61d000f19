"""Entries become public only through a finance disclosure: frozen at drafting, shown once the
disclosure is published, committed to on the transparency log, never changed silently."""

from __future__ import annotations

import hashlib
import json

import pytest

from app.assets_ledger import publishing
from app.assets_ledger import services as ledger
from app.disclosures import services as disclosures
from app.errors import Conflict, Forbidden, NotFound
from app.transparency import services as log
from tests.app.assets_ledger.conftest import books


def publish(place, disclosure):
    disclosures.submit_disclosure(place.staff("cadre"), disclosure.id)
    disclosures.approve_disclosure(place.staff("finance_panel"), disclosure.id)
    return disclosures.publish_disclosure(place.staff("cadre"), disclosure.id)


def test_a_month_that_does_not_balance_cannot_be_published(place):
    books(place)
    ledger.save_row(place.staff("cadre"), "fund_period", village_id=place.tree.village_a1.id,
                    values={"period": "2026-10", "opening": "10000", "closing": "13765.45"})
    with pytest.raises(Conflict) as info:
        publishing.draft_ledger_disclosure(place.staff("cadre"),
                                           village_id=place.tree.village_a1.id,
                                           section="funds", period="2026-10")
    assert (info.value.code, info.value.details) == ("ledger.unbalanced",
                                                     {"difference_fen": -1})
    with pytest.raises(Conflict) as info:
        publishing.draft_ledger_disclosure(place.staff("cadre"),
                                           village_id=place.tree.village_a1.id,
                                           section="funds", period="2026-09")
    assert info.value.code == "ledger.period_missing"


def test_books_reach_residents_only_when_their_finance_disclosure_is_published(place):
    books(place)
    resident = place.actor(place.resident)
    draft = publishing.draft_ledger_disclosure(place.staff("cadre"),
                                               village_id=place.tree.village_a1.id,
                                               section="funds", period="2026-10")
    assert (draft.kind, draft.category, draft.period, draft.status) == (
        "finance", "income_expense", "2026-10", "draft")
    assert "本期收入 5000.00 元" in draft.body
    assert publishing.ledger_summary(resident).sections == []
    with pytest.raises(NotFound):
        publishing.published_snapshot(resident, draft.id)
    publish(place, draft)
    summary = publishing.ledger_summary(resident)
    assert [(s.section, s.period, s.totals["closing_fen"]) for s in summary.sections] == [
        ("funds", "2026-10", 1_376_544)]
    snapshot = publishing.published_snapshot(resident, draft.id)
    assert [row["voucher_no"] for row in json.loads(snapshot.content)["rows"]] == [
        "记-001", "记-002"]


def test_the_log_leaf_commits_to_the_exact_published_rows(place):
    books(place)
    draft = publishing.draft_ledger_disclosure(place.staff("cadre"),
                                               village_id=place.tree.village_a1.id,
                                               section="assets", period="2026-10-31")
    publish(place, draft)
    snapshot = publishing.published_snapshot(place.actor(place.resident), draft.id)
    leaf = json.loads(log.leaf_for_record(place.tree.town_a.id, "disclosure", draft.id).record)
    ledger_fact = leaf["body"]["extra"]["ledger"]
    assert ledger_fact["sha256"] == hashlib.sha256(snapshot.content.encode()).hexdigest()
    assert (ledger_fact["assets"], ledger_fact["value_fen"], ledger_fact["leased"]) == (
        2, 117_000_000, 1)
    assert "超市" not in json.dumps(leaf, ensure_ascii=False)


def test_later_bookkeeping_changes_nothing_residents_see_until_the_next_publication(place):
    books(place)
    draft = publishing.draft_ledger_disclosure(place.staff("cadre"),
                                               village_id=place.tree.village_a1.id,
                                               section="resources", period="2026-10-31")
    publish(place, draft)
    ledger.save_row(place.staff("cadre"), "resource", village_id=place.tree.village_a1.id,
                    values={"code": "ZY-002", "name": "后山林地", "kind": "林地",
                            "area_mu": "80"})
    summary = publishing.ledger_summary(place.actor(place.resident))
    assert summary.sections[0].totals["resources"] == 1
    assert summary.sections[0].totals["area_mu_by_kind"] == {"pond": "12.50"}


def test_the_summary_is_for_the_village_and_its_supervisors(place):
    books(place)
    with pytest.raises(NotFound):
        publishing.ledger_summary(place.actor(place.resident_b),
                                  village_id=place.tree.village_a1.id)
    assert publishing.ledger_summary(place.staff("discipline_officer"),
                                     village_id=place.tree.village_a1.id).sections == []
    with pytest.raises(Forbidden):
        publishing.draft_ledger_disclosure(place.staff("finance_panel"),
                                           village_id=place.tree.village_a1.id,
                                           section="assets")
