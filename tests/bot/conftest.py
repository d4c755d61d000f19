"""Channel tests share the bot town of the dialog tests and endpoints configured through the
console service."""

from __future__ import annotations

import pytest

from app.bot import config
from app.bot.groups import issue_binding_code
from tests.app.bot.conftest import bot_town  # noqa: F401  (the fixture, re-exported)
from tests.bot import wire

RELAY_SECRET = "relay-secret-0123456789abcdef"


@pytest.fixture
def endpoints(bot_town):  # noqa: F811
    admin = bot_town.actor(bot_town.town_admin)
    town = bot_town.tree.town_a.id
    return {
        "wecom_bot": config.create_endpoint(admin, kind="wecom_bot", name="智能机器人",
                                            region_id=town, token=wire.DOC_TOKEN,
                                            encoding_aes_key=wire.DOC_AES_KEY),
        "wecom_app": config.create_endpoint(admin, kind="wecom_app", name="社区应用",
                                            region_id=town, token=wire.DOC_TOKEN,
                                            encoding_aes_key=wire.DOC_AES_KEY,
                                            receive_id=wire.DOC_CORP_ID, agent_id="1000002"),
        "mp": config.create_endpoint(admin, kind="official_account", name="公众号",
                                     region_id=town, token=wire.DOC_TOKEN,
                                     encoding_aes_key=wire.DOC_AES_KEY,
                                     receive_id="wx2c2769f8efd9abc2"),
        "relay": config.create_endpoint(admin, kind="relay", name="转发桥", region_id=town,
                                        secret=RELAY_SECRET),
    }


@pytest.fixture
def binding_code(bot_town):  # noqa: F811
    def issue(region=None) -> str:
        return issue_binding_code(bot_town.actor(bot_town.grid_worker),
                                  (region or bot_town.tree.building_a1).id).code
    return issue
