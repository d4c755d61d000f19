"""Disclosure cadence compliance by village, counted in SQL over the cadence readers' scope."""

from __future__ import annotations

import datetime as dt

import pytest

from app.dashboards import cadence
from app.db import database
from app.disclosures.cadence import ensure_due
from app.disclosures.models import DisclosureDue
from app.errors import Forbidden

DUE = dt.datetime(2026, 10, 15, 16, 0)


def dues(village, statuses: dict[str, str]) -> None:
    with database.atomic():
        for period, status in statuses.items():
            ensure_due(village.tree.village_a1, "affairs", period, DUE, DUE)
            DisclosureDue.update(status=status).where(DisclosureDue.period == period).execute()


def test_obligations_are_counted_by_state_with_the_on_time_rate(village):
    dues(village, {"2026-Q1": "met", "2026-Q2": "met", "2026-Q3": "overdue",
                   "2026-Q4": "open", "2025-Q4": "met_late"})
    [row] = cadence.compliance_by_village(village.actor(village.cadre))
    assert row["label"] == village.tree.village_a1.name
    assert (row["met"], row["met_late"], row["overdue"], row["open"]) == (2, 1, 1, 1)
    assert row["on_time_rate"] == 0.5  # met / (met + met_late + overdue)


def test_a_cadre_of_another_village_sees_none_of_it(village):
    dues(village, {"2026-Q1": "met"})
    assert cadence.compliance_by_village(village.actor(village.other_cadre)) == []


def test_a_grid_worker_may_not_read_cadence(village):
    with pytest.raises(Forbidden):
        cadence.compliance_by_village(village.actor(village.grid_worker))
