"""A village with points set up, and helpers to publish an action and move through it."""

from __future__ import annotations

import datetime as dt

import pytest

from app.actions import services
from app.clock import frozen
from tests.app.points.conftest import make_village

# Monday 2026-11-23 09:00 Shanghai; actions start a day later at 09:00 and last two hours.
NOW = dt.datetime(2026, 11, 23, 1, 0)
START = NOW + dt.timedelta(days=1)
END = START + dt.timedelta(hours=2)


@pytest.fixture
def village():
    return make_village()


def publish(village, *, capacity=2, by=None, region=None, title="清洁家园", **fields):
    actor = by or village.actor(village.cadre)
    with frozen(NOW):
        return services.create_action(
            actor, region_id=(region or village.tree.village_a1).id, title=title,
            place="东星社区广场", starts_at=START, ends_at=END, capacity=capacity, **fields)
