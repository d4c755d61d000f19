"""A town ready for the bot: categories, the seed dictionary, a grid worker and a cadre."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.accounts.models import User
from app.accounts.tokens import load_actor
from app.bot.dictionary import ensure_seed_dictionary
from app.bot.groups import issue_binding_code
from app.policy import Actor
from app.requests import setup
from tests.app.bot.harness import Chat
from tests.factories import Tree, build_tree, grant, make_user


@dataclass
class BotTown:
    tree: Tree
    grid_worker: User
    cadre: User
    town_admin: User
    sysadmin: User
    other_grid_worker: User

    def actor(self, user: User, kind: str = "staff") -> Actor:
        return load_actor(User.get_by_id(user.id), kind)

    def bound_chat(self, chat_id: str = "wecom:chat-1", *, region=None,
                   staff_sender: str = "gw-zhang") -> Chat:
        """A chat bound to building A1 by the grid worker, who sends from ``staff_sender``."""
        chat = Chat(chat_id=chat_id)
        code = issue_binding_code(self.actor(self.grid_worker),
                                  (region or self.tree.building_a1).id).code
        answer = chat.send(staff_sender, f"绑定 {code}")
        assert answer.startswith("绑定成功")
        return chat


@pytest.fixture
def bot_town() -> BotTown:
    tree = build_tree()
    setup.ensure_default_categories()
    ensure_seed_dictionary()
    grid_worker = make_user(name="网格员小陈")
    grant(grid_worker, "grid_worker", tree.grid_a1)
    cadre = make_user(name="社区干部")
    grant(cadre, "cadre", tree.village_a1)
    town_admin = make_user(name="街道管理员")
    grant(town_admin, "town_admin", tree.town_a)
    sysadmin = make_user(name="系统管理员")
    grant(sysadmin, "sysadmin", tree.district)
    other = make_user(name="别的网格员")
    grant(other, "grid_worker", tree.grid_b1)
    return BotTown(tree, grid_worker, cadre, town_admin, sysadmin, other)
