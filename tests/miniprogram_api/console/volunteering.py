"""Shared pieces of the 微行动 / 微星光 / 微心愿 settings page tests: the points test village
(default rules, open pools) with a console login for each staff member, plus builders that go
through the features' services (publish an action, sign up, scan in and out)."""

from __future__ import annotations

import datetime as dt

import pytest

from app import crypto
from app.accounts.models import StaffCredential
from app.actions import attendance, rules, services, signups
from app.clock import frozen, utcnow
from tests.app.actions.conftest import END, NOW, START, publish
from tests.app.points.conftest import Village, make_village
from tests.factories import grant, make_user

USERNAMES = {"cadre": "cadre", "grid_worker": "grid", "town_admin": "townadmin",
             "other_cadre": "othercadre", "sysadmin": "sysadmin"}
SUPERVISOR = "supervisor"  # a supervision committee member of village A1: reads, never acts

__all__ = ["END", "NOW", "START", "USERNAMES", "attend", "publish", "publish_soon", "sign_up"]


@pytest.fixture
def stars_village(password_hash: str) -> Village:
    place = make_village()
    for attr, username in USERNAMES.items():
        StaffCredential.create(user=getattr(place, attr), username=username,
                               password_hash=password_hash)
    supervisor = make_user(name="监委会委员")
    grant(supervisor, "supervision_committee", place.tree.village_a1)
    StaffCredential.create(user=supervisor, username=SUPERVISOR, password_hash=password_hash)
    return place


def publish_soon(village: Village, *, capacity: int, title: str = "敬老院探访"):
    """An action of village A1 starting in two days (real time), so that sign-ups, the
    waitlist and its promotion still work when the pages are used now."""
    start = utcnow().replace(second=0, microsecond=0) + dt.timedelta(days=2)
    return services.create_action(village.actor(village.cadre),
                                  region_id=village.tree.village_a1.id, title=title,
                                  place="东星社区敬老院", starts_at=start,
                                  ends_at=start + dt.timedelta(hours=2), capacity=capacity)


def sign_up(village: Village, action, *users):
    """Sign ``users`` (default: the resident) up, in order: at NOW for an action that
    starts at START, now for any other."""
    for user in users or (village.resident,):
        with frozen(NOW if action.starts_at == START else utcnow()):
            signups.sign_up(village.resident_actor(user), action.id)


def attend(village: Village, action, user, minutes: int = 95):
    """``user`` scans the check-in code 5 minutes after the start and the check-out code
    ``minutes`` later; the attendance then waits for the organiser."""
    key = crypto.derive_key(rules.KEY_PURPOSE)
    actor = village.resident_actor(user)
    t_in = START + dt.timedelta(minutes=5)
    t_out = t_in + dt.timedelta(minutes=minutes)
    with frozen(t_in):
        attendance.check_in(actor, action.id, rules.make_token(key, action.id, "in", t_in))
    with frozen(t_out):
        return attendance.check_out(actor, action.id,
                                    rules.make_token(key, action.id, "out", t_out))
