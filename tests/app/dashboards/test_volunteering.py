"""Volunteer hours and points by village, over the actions' and points' own scopes."""

from __future__ import annotations

import pytest

from app.actions import attendance, signups
from app.clock import frozen
from app.dashboards import volunteering
from app.errors import Forbidden
from tests.app.actions.conftest import END, NOW, publish
from tests.app.actions.test_attendance import attended


@pytest.fixture
def served(village):
    """The resident served 95 minutes in one action, confirmed by the cadre (15 points)."""
    action = publish(village)
    with frozen(NOW):
        signups.sign_up(village.resident_actor(village.resident), action.id)
    signup = attended(village, action)
    with frozen(END):
        attendance.decide_attendance(village.actor(village.cadre), signup.id,
                                     decision="confirm")
    return action


def test_confirmed_service_hours_are_summed_by_village(village, served):
    [row] = volunteering.hours_by_village(village.actor(village.cadre))
    assert row == {"region_id": village.tree.village_a1.id,
                   "label": village.tree.village_a1.name, "hours": 1.6, "volunteers": 1,
                   "actions": 1}


def test_points_earned_are_summed_by_village(village, served):
    [row] = volunteering.points_by_village(village.actor(village.grid_worker))
    assert row["label"] == village.tree.village_a1.name
    assert row["person_points"] == 15 and row["earners"] == 1


def test_another_villages_cadre_sees_no_hours_or_points(village, served):
    other = village.actor(village.other_cadre)
    assert volunteering.hours_by_village(other) == []
    assert volunteering.points_by_village(other) == []


def test_a_resident_may_not_read_either(village, served):
    resident = village.resident_actor(village.resident)
    with pytest.raises(Forbidden):
        volunteering.hours_by_village(resident)
    with pytest.raises(Forbidden):
        volunteering.points_by_village(resident)
