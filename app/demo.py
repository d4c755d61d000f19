"""The demo town: one district, one town, three villages, staff of every role and six residents.

``seed_demo()`` builds it through the services (regions, staff accounts, role grants, household
bindings, person flags), so the demo holds exactly what the product itself would write, audit
entries included. It runs in one transaction and is idempotent: every node, account, grant and
binding is looked up before it is created, so a second run writes nothing and returns the same
logins. ``flask --app miniprogram_api seed-demo`` (and ``make run``) call it.

The bootstrap sysadmin grant is the one row written directly: no actor exists yet who could
grant it (the same step a real deployment takes once, by hand).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts import bindings, grants
from app.accounts.models import ROLE_NAMES, HouseholdBinding, RoleGrant, StaffCredential, User
from app.accounts.staff import create_staff_account
from app.accounts.tokens import load_actor
from app.audit.services import record
from app.db import database
from app.policy import Actor
from app.regions.models import Region
from app.regions.services import create_region

DEMO_PASSWORD = "Linli-demo-2026"
DEFAULT_BASE_URL = "http://127.0.0.1:5000"

DISTRICT = ("350503", "泉州市丰泽区")
TOWN = ("350503001", "东海街道")


@dataclass(frozen=True)
class VillagePlan:
    """One village of the demo: its grids, and per grid an optional estate and two buildings."""

    key: str
    name: str
    estates: tuple[str | None, str | None]
    buildings: tuple[str, str]
    households: tuple[str, str, str]


VILLAGES = (
    VillagePlan("001", "东星社区", ("东海湾小区", "星光花园"), ("1号楼", "2号楼"),
                ("101室", "102室", "201室")),
    VillagePlan("002", "宝洲社区", (None, None), ("3幢", "5幢"),
                ("101室", "201室", "301室")),
    VillagePlan("003", "后埔村", (None, None), ("一组", "二组"), ("1号", "2号", "3号")),
)
GRID_NAMES = ("第一网格", "第二网格")

# (openid suffix, display name, is_volunteer, is_party_member); resident i lives in grid i.
RESIDENTS = (
    (1, "陈淑华", True, False),
    (2, "林志强", False, True),
    (3, "黄秀英", True, True),
    (4, "王建国", False, False),
    (5, "吴丽珍", True, False),
    (6, "蔡明辉", False, True),
)
GRID_WORKERS = ("李晓燕", "张伟", "郑美玲", "许家豪", "苏婷婷", "洪志明")
VILLAGE_STAFF = {  # role -> (username prefix, one display name per village)
    "cadre": ("cadre", ("刘书记", "周主任", "庄书记")),
    "finance_panel": ("finance", ("杨理财", "何理财", "谢理财")),
    "supervision_committee": ("supervisor", ("曾监委", "邱监委", "骆监委")),
}


def seed_demo(*, base_url: str = DEFAULT_BASE_URL) -> list[str]:
    """Create the demo town if missing and return human-readable login lines.

    Called by the ``seed-demo`` CLI command and tests; never by the HTTP API. Raises whatever
    the services raise (a clash with non-demo data using the same codes or usernames). Writes
    regions, staff accounts, role grants, residents, bindings and flags, all in one transaction.
    """
    with database.atomic():
        tree = _seed_regions()
        staff_lines, grid_actors = _seed_staff(tree)
        resident_lines = _seed_residents(tree, grid_actors)
    return staff_lines + resident_lines + _curl_lines(base_url)


# -- regions ---------------------------------------------------------------------------------

@dataclass
class DemoTree:
    district: Region
    town: Region
    villages: list[Region]
    grids: list[Region]  # village-major: grids[2 * v + g]
    households: list[Region]  # the first household of each grid, same order as ``grids``


def _region(code: str, name: str, level: str, parent: Region | None) -> Region:
    existing = Region.get_or_none(Region.code == code)
    if existing is not None:
        return existing
    return create_region(code=code, name=name, level=level, parent=parent)


def _seed_regions() -> DemoTree:
    district = _region(*DISTRICT, "district", None)
    town = _region(*TOWN, "town", district)
    tree = DemoTree(district, town, [], [], [])
    for plan in VILLAGES:
        village = _region(f"{town.code}{plan.key}", plan.name, "village", town)
        tree.villages.append(village)
        for g, grid_name in enumerate(GRID_NAMES, start=1):
            grid = _region(f"{village.code}g{g}", grid_name, "grid", village)
            tree.grids.append(grid)
            parent = grid
            estate = plan.estates[g - 1]
            if estate is not None:
                parent = _region(f"{grid.code}e1", estate, "estate", grid)
            first = None
            for b, building_name in enumerate(plan.buildings, start=1):
                building = _region(f"{parent.code}b{b}", building_name, "building", parent)
                for h, household_name in enumerate(plan.households, start=1):
                    household = _region(f"{building.code}h{h}", household_name, "household",
                                        building)
                    first = first or household
            tree.households.append(first)
    return tree


# -- staff -----------------------------------------------------------------------------------

def _staff_user(username: str, display_name: str) -> User:
    credential = StaffCredential.get_or_none(StaffCredential.username == username)
    if credential is not None:
        return credential.user
    return create_staff_account(username=username, password=DEMO_PASSWORD,
                                display_name=display_name)


def _has_grant(user: User, role: str, region: Region) -> bool:
    return (RoleGrant.select()
            .where((RoleGrant.user == user.id) & (RoleGrant.role == role)
                   & (RoleGrant.region == region.id) & RoleGrant.revoked_at.is_null())
            .exists())


def _bootstrap_sysadmin(district: Region) -> User:
    user = _staff_user("sysadmin", "系统管理员")
    if not _has_grant(user, "sysadmin", district):
        grant = RoleGrant.create(user=user, role="sysadmin", region=district)
        record(actor=None, grant=None, action="grant.create", object_type="role_grant",
               object_id=grant.id, region_path=district.path, region_id=district.id,
               summary={"user_id": user.id, "role": "sysadmin", "source": "seed_demo"})
    return user


def _seed_staff(tree: DemoTree) -> tuple[list[str], list[Actor]]:
    """Staff accounts with their grants; returns login lines and one grid worker per grid."""
    admin = _bootstrap_sysadmin(tree.district)
    admin_actor = load_actor(admin, "staff")
    plan: list[tuple[str, str, str, Region]] = []  # username, display name, role, region
    for i, grid in enumerate(tree.grids):
        plan.append((f"grid{i + 1}", GRID_WORKERS[i], "grid_worker", grid))
    for role, (prefix, names) in VILLAGE_STAFF.items():
        for v, village in enumerate(tree.villages):
            plan.append((f"{prefix}{v + 1}", names[v], role, village))
    plan.append(("discipline1", "纪检委员老陈", "discipline_officer", tree.town))
    plan.append(("townadmin", "街道管理员", "town_admin", tree.town))

    lines = [_staff_line("sysadmin", "sysadmin", _address(tree.district))]
    grid_actors = []
    for username, display_name, role, region in plan:
        user = _staff_user(username, display_name)
        if not _has_grant(user, role, region):
            grants.grant_role(admin_actor, user_id=user.id, role=role, region_id=region.id)
        if role == "grid_worker":
            grid_actors.append(load_actor(user, "staff"))
        lines.append(_staff_line(username, role, _address(region)))
    return lines, grid_actors


def _staff_line(username: str, role: str, scope: str) -> str:
    return f"员工 staff  {username:<12} 密码 {DEMO_PASSWORD}  {ROLE_NAMES[role]} ({role}) @ {scope}"


# -- residents -------------------------------------------------------------------------------

def _seed_residents(tree: DemoTree, grid_actors: list[Actor]) -> list[str]:
    lines = []
    for n, name, volunteer, party in RESIDENTS:
        household = tree.households[n - 1]
        user = User.get_or_none(User.openid == f"demo-resident-{n}")
        if user is None:
            user = User.create(openid=f"demo-resident-{n}", display_name=name)
        elif not user.display_name:
            User.update(display_name=name).where(User.id == user.id).execute()
        worker = grid_actors[n - 1]
        if user.household_id is None:
            _bind(user, household, name, worker)
        user = User.get_by_id(user.id)
        if (user.is_volunteer, user.is_party_member) != (volunteer, party):
            grants.set_flags(worker, user.id, is_volunteer=volunteer, is_party_member=party)
        flags = "、".join(label for on, label in ((volunteer, "志愿者"), (party, "党员")) if on)
        lines.append(f"居民 resident  demo-resident-{n}  {name} @ {_address(household)}"
                     + (f"（{flags}）" if flags else ""))
    return lines


def _bind(user: User, household: Region, real_name: str, worker: Actor) -> None:
    """Bind ``user`` to ``household`` the way the product does: request, then approval."""
    pending = (HouseholdBinding.select()
               .where((HouseholdBinding.user == user.id)
                      & (HouseholdBinding.status == "pending")).first())
    if pending is None:
        pending = bindings.request_binding(load_actor(user), household_id=household.id,
                                           real_name=real_name, relation="户主")
    if pending.household_id == household.id:
        bindings.approve_binding(worker, pending.id, reason="演示数据")


def _address(region: Region) -> str:
    """The node's names below the district, e.g. ``东海街道 东星社区 第一网格``."""
    ids = [int(part) for part in region.path.strip("/").split("/")]
    ids = ids[1:] or ids
    names = dict(Region.select(Region.id, Region.name).where(Region.id.in_(ids)).tuples())
    return " ".join(names[i] for i in ids)


def _curl_lines(base_url: str) -> list[str]:
    return [
        "居民登录 resident login (WECHAT_MODE=fake accepts code test:<openid>):",
        f"  curl -s -X POST {base_url}/api/v1/auth/wx-login -H 'Content-Type: application/json'"
        " -d '{\"code\":\"test:demo-resident-1\"}'",
        f"  curl -s {base_url}/api/v1/me -H 'Authorization: Bearer <token>'",
    ]
