"""A small town for the crash test's checks, built through the services, and the ``crash`` and
``load`` markers (``-m "not crash and not load"`` leaves out the tests that start servers)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.accounts.models import User
from app.accounts.tokens import load_actor
from app.points import setup as points_setup
from app.regions.models import Region
from app.requests.setup import ensure_default_categories
from app.transparency import keys
from tests.factories import Tree, build_tree, grant, make_user


def pytest_configure(config):
    config.addinivalue_line("markers", "crash: starts gunicorn and SIGKILLs it (slow)")
    config.addinivalue_line("markers", "load: seeds a database and loads gunicorn (slow)")


@dataclass
class Town:
    tree: Tree
    resident: User
    cadre: User
    log_id: int
    signer: keys.LogSigner

    @property
    def village(self) -> Region:
        return self.tree.village_a1


@pytest.fixture
def town() -> Town:
    tree = build_tree()
    ensure_default_categories()
    points_setup.ensure_default_rules()
    resident = make_user(household=tree.household_a1, name="陈阿姨")
    grant(resident, "resident", tree.household_a1)
    cadre = make_user(name="社区干部")
    grant(cadre, "cadre", tree.village_a1)
    points_setup.open_pool(load_actor(cadre, "staff"), tree.village_a1.id)
    return Town(tree, resident, cadre, tree.town_a.id, keys.signer_from_seed(bytes(range(32))))
