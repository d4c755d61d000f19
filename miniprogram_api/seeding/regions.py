"""Generated region tree, residents (bound to households) and first-line staff.

Regions: districts → towns → villages → grids → buildings → households, ids and paths from
:class:`~miniprogram_api.seeding.scales.Shape`. Residents are what an approved household
binding leaves behind (``app.accounts.bindings.approve_binding``): ``user.household`` set, an
approved ``household_binding`` decided by the grid's worker, a ``resident`` grant on the
household. Staff: a grid worker per grid; a cadre, a finance-panel and a supervision-committee
member per village; two town admins per town; each with their grant and handling-unit
membership (a unit per grid and per village, two departments per town), as
``app.requests.setup`` would leave them.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator

from app.accounts.models import HouseholdBinding, RoleGrant, User
from app.regions.models import Region
from app.requests.models import HandlingUnit, UnitMember
from miniprogram_api.seeding import bulk, names
from miniprogram_api.seeding.scales import LEVELS, Shape, children

DEPARTMENTS = (("城建办", ["道路交通", "市政设施", "违章搭建"]),
               ("综治办", ["安全隐患", "矛盾纠纷", "治安巡逻"]))
CHUNK = 20_000
UNIT_DUTIES = json.dumps(["环境卫生", "邻里纠纷", "设施报修", "政策咨询"], ensure_ascii=False)


def place_names(shape: Shape, seed: int) -> dict[str, list[str]]:
    """Names of every district, town and village (small lists; the same for the same seed)."""
    rng = random.Random(f"{seed}:places")
    return {"district": [names.district(i) for i in range(shape.n("district"))],
            "town": [names.town(rng) for _ in range(shape.n("town"))],
            "village": [names.village(rng) for _ in range(shape.n("village"))]}


def region_code(region_id: int) -> str:
    return f"sc{region_id:07d}"


def _regions(shape: Shape, seed: int, start: dt.datetime) -> Iterator[tuple]:
    rng = random.Random(f"{seed}:regions")
    named = place_names(shape, seed)
    for depth, level in enumerate(LEVELS):
        for i in range(shape.n(level)):
            region_id = shape.region_id(level, i)
            parent = None
            local = i
            if depth:
                up = LEVELS[depth - 1]
                p = shape.parent_index(level, i)
                parent = shape.region_id(up, p)
                local = i - children(p, shape.n(level), shape.n(up)).start
            if level in named:
                name = named[level][i]
            elif level == "grid":
                name = f"第{local + 1}网格"
            elif level == "building":
                name = names.building(local, rng)
            else:
                name = names.household(local)
            yield (region_id, region_code(region_id), name, level, parent,
                   shape.path(level, i), depth, start)


def write_regions(shape: Shape, seed: int, start: dt.datetime) -> int:
    """Every region of the scale, level by level; returns how many."""
    fields = [Region.id, Region.code, Region.name, Region.level, Region.parent, Region.path,
              Region.depth, Region.created_at]
    return bulk.insert(Region, fields, _regions(shape, seed, start))


def _resident(rng, shape: Shape, seed: int, r: int, start, span: int, head: bool):
    """(user, binding, grant) rows of resident ``r``; ``head`` for a household's first."""
    h = shape.household_of(r)
    household_id = shape.region_id("household", h)
    worker = shape.staff_id("grid_worker", shape.chain("household", h)[3])  # its grid
    user_id = r + 1
    real_name = names.real_name(seed, user_id)
    created = start + dt.timedelta(seconds=rng.randrange(span // 2))
    decided = created + dt.timedelta(hours=rng.randrange(1, 72))
    relation = "户主" if head else names.weighted(rng, names.RELATIONS[1:])
    return ((user_id, f"seed-{user_id}", names.nickname(rng, real_name), household_id,
             names.is_volunteer(user_id), names.is_party_member(user_id), "active", created),
            (user_id, household_id, shape.path("household", h), real_name, relation,
             "approved", worker, created, decided),
            (user_id, "resident", household_id, worker, decided))


def write_residents(shape: Shape, seed: int, start: dt.datetime,
                    now: dt.datetime) -> dict[str, int]:
    """Residents with their approved bindings and grants, in chunks; rows per table."""
    users = [User.id, User.openid, User.display_name, User.household, User.is_volunteer,
             User.is_party_member, User.status, User.created_at]
    bindings = [HouseholdBinding.user, HouseholdBinding.household, HouseholdBinding.region_path,
                HouseholdBinding.real_name, HouseholdBinding.relation, HouseholdBinding.status,
                HouseholdBinding.decided_by, HouseholdBinding.created_at,
                HouseholdBinding.decided_at]
    grants = [RoleGrant.user, RoleGrant.role, RoleGrant.region, RoleGrant.granted_by,
              RoleGrant.created_at]
    rng = random.Random(f"{seed}:residents")
    span = int((now - start).total_seconds())
    total = shape.counts["residents"]
    written = {"user": 0, "household_binding": 0, "role_grant": 0}
    for first in range(0, total, CHUNK):
        rows = [_resident(rng, shape, seed, r, start, span,
                          r == 0 or shape.household_of(r - 1) != shape.household_of(r))
                for r in range(first, min(total, first + CHUNK))]
        written["user"] += bulk.insert(User, users, (u for u, _, _ in rows))
        written["household_binding"] += bulk.insert(HouseholdBinding, bindings,
                                                    (b for _, b, _ in rows))
        written["role_grant"] += bulk.insert(RoleGrant, grants, (g for _, _, g in rows))
    return written


def _staff(shape: Shape, seed: int, start: dt.datetime):
    """(user row, grant row, unit ids) per staff member, in user id order."""
    for key, role, level in Shape.STAFF:
        for i in range(shape.n(level)):
            user_id = shape.staff_id(key, i)
            units = {"grid_worker": [shape.unit_id("grid", i)],
                     "cadre": [shape.unit_id("village", i)],
                     "town_admin": [shape.unit_id("department", 2 * i),
                                    shape.unit_id("department", 2 * i + 1)]}.get(key, [])
            yield ((user_id, names.real_name(seed, user_id), "active", start),
                   (user_id, role, shape.region_id(level, i), None, start), units)


def _units(shape: Shape, seed: int) -> Iterator[tuple]:
    named = place_names(shape, seed)
    for g in range(shape.n("grid")):
        village = shape.parent_index("grid", g)
        local = g - children(village, shape.n("grid"), shape.n("village")).start
        yield (shape.unit_id("grid", g), f"{named['village'][village]}第{local + 1}网格", "grid",
               shape.region_id("grid", g), UNIT_DUTIES)
    for v in range(shape.n("village")):
        yield (shape.unit_id("village", v), f"{named['village'][v]}两委", "village",
               shape.region_id("village", v), UNIT_DUTIES)
    for t in range(shape.n("town")):
        for k, (name, duties) in enumerate(DEPARTMENTS):
            yield (shape.unit_id("department", 2 * t + k), f"{named['town'][t]}{name}",
                   "department", shape.region_id("town", t), json.dumps(duties,
                                                                        ensure_ascii=False))


def write_staff(shape: Shape, seed: int, start: dt.datetime) -> dict[str, int]:
    """Staff users, their grants, the handling units and memberships; rows per table."""
    users = [User.id, User.display_name, User.status, User.created_at]
    grants = [RoleGrant.user, RoleGrant.role, RoleGrant.region, RoleGrant.granted_by,
              RoleGrant.created_at]
    written = {"user": bulk.insert(User, users, (u for u, _, _ in _staff(shape, seed, start))),
               "role_grant": bulk.insert(RoleGrant, grants,
                                         (g for _, g, _ in _staff(shape, seed, start)))}
    written["handling_unit"] = bulk.insert(
        HandlingUnit, [HandlingUnit.id, HandlingUnit.name, HandlingUnit.kind,
                       HandlingUnit.region, HandlingUnit.responsibilities], _units(shape, seed))
    written["unit_member"] = bulk.insert(
        UnitMember, [UnitMember.unit, UnitMember.user],
        ((unit, u[0]) for u, _, units in _staff(shape, seed, start) for unit in units))
    return written
