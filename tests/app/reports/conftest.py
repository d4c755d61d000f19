"""Fixtures of the report tests: cheap Argon2id, and a world of the people a report touches."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.app.reports.world import World, build_world, light_kdf  # noqa: F401

# Monday 2026-11-23 09:00 in Asia/Shanghai, an ordinary working day.
MONDAY_9AM = dt.datetime(2026, 11, 23, 1, 0)


@pytest.fixture
def world(light_kdf) -> World:  # noqa: F811
    return build_world()
