"""Announcements to every bound group under a region node."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.bot.announce import announce
from app.errors import Forbidden, InvalidInput
from app.notifications.models import Notification
from tests.factories import make_user


def test_a_system_announcement_is_one_outbox_row_for_the_region(bot_town):
    row = announce(None, bot_town.tree.village_a1.id, "本周六上午村务公开直播", "live:1")
    assert (row.channel, row.group_key) == ("group", f"region:{bot_town.tree.village_a1.id}")
    again = announce(None, bot_town.tree.village_a1.id, "本周六上午村务公开直播", "live:1")
    assert again.id == row.id
    assert Notification.select().count() == 1


def test_staff_announce_in_scope_and_are_audited(bot_town):
    announce(bot_town.actor(bot_town.cadre), bot_town.tree.village_a1.id, "微行动报名开始", "a:1")
    assert AuditEntry.select().where(AuditEntry.action == "bot.announce").count() == 1


def test_staff_outside_the_region_and_residents_may_not_announce(bot_town):
    with pytest.raises(Forbidden):
        announce(bot_town.actor(bot_town.other_grid_worker), bot_town.tree.village_a1.id,
                 "通知", "x:1")
    resident = make_user(household=bot_town.tree.household_a1)
    with pytest.raises(Forbidden):
        announce(bot_town.actor(resident, "miniprogram"), bot_town.tree.village_a1.id,
                 "通知", "x:2")
    assert Notification.select().count() == 0


def test_an_empty_announcement_is_refused(bot_town):
    with pytest.raises(InvalidInput):
        announce(None, bot_town.tree.village_a1.id, "  ", "x:3")
