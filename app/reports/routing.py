"""Who receives a report and who must learn nothing of it.

Recipients are the discipline officers holding a grant on exactly the handling node: the
village's town, or the district for a report about a village head or a discipline officer. The
level above the handling node supervises (reads, approves reveals, receives 催办).

Excluded, from the report and from every trace of it (its existence, counts, notices, queues,
statistics and audit views):

* the accused person;
* the people living in the accused's household (whom the accused could simply ask);
* every staff account of the village (any role granted on the village or below it), at
  submission time (stored as keyed hashes) and at every later access (checked live, so a cadre
  appointed later is excluded too);
* the accused's peers: every staff account holding a grant on a node where the accused holds one.

When every officer of a level is excluded, the report goes one level up. Town admins, sysadmins
and other roles are never recipients.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import crypto
from app.accounts.models import RoleGrant, User
from app.policy import STAFF_ROLES, Actor
from app.regions import rules as region_rules
from app.regions.models import Region
from app.regions.services import ancestor_of_level, in_subtree
from app.reports.models import Report, ReportExclusion, VillageHead

ELEVATING_ROLES = ("head", "discipline_officer")
ACCUSED_ROLES = ("cadre", "head", "discipline_officer", "other")
_VILLAGE_DEPTH = 3  # ids in a village's path: district, town, village


@dataclass(frozen=True)
class Route:
    handling: Region
    supervising: Region | None
    elevated: bool
    excluded: frozenset[int]
    handlers: tuple[int, ...]
    supervisors: tuple[int, ...]


def exclusion_tag(user_id: int) -> str:
    return crypto.keyed_hash("reports.exclusion", str(user_id))


def _live_staff_grants():
    return (RoleGrant.select(RoleGrant.user).join(Region, on=(RoleGrant.region == Region.id))
            .where(RoleGrant.revoked_at.is_null() & RoleGrant.role.in_(sorted(STAFF_ROLES))))


def excluded_users(village: Region, accused_user_id: int | None) -> frozenset[int]:
    """The accounts excluded from a report about ``accused_user_id`` in ``village``."""
    ids = {row[0] for row in _live_staff_grants()
           .where(in_subtree(Region.path, village.path)).tuples()}
    if accused_user_id is not None:
        ids.add(accused_user_id)
        household = User.select(User.household).where(User.id == accused_user_id).scalar()
        if household is not None:
            ids |= {row[0] for row in User.select(User.id)
                    .where(User.household == household).tuples()}
        nodes = (RoleGrant.select(RoleGrant.region)
                 .where((RoleGrant.user == accused_user_id) & RoleGrant.revoked_at.is_null()
                        & RoleGrant.role.in_(sorted(STAFF_ROLES))))
        ids |= {row[0] for row in _live_staff_grants()
                .where(RoleGrant.region.in_(nodes)).tuples()}
    return frozenset(ids)


def is_elevating(village: Region, accused_user_id: int | None, accused_role: str) -> bool:
    """A report about a village head or a discipline officer goes to the level above."""
    if accused_role in ELEVATING_ROLES:
        return True
    if accused_user_id is None:
        return False
    if VillageHead.select().where((VillageHead.village == village.id)
                                  & (VillageHead.user == accused_user_id)).exists():
        return True
    return (RoleGrant.select().where((RoleGrant.user == accused_user_id)
                                     & (RoleGrant.role == "discipline_officer")
                                     & RoleGrant.revoked_at.is_null()).exists())


def officers_at(region_id: int) -> list[int]:
    """Users holding a live discipline_officer grant on exactly this node."""
    return [row[0] for row in RoleGrant.select(RoleGrant.user)
            .where((RoleGrant.region == region_id) & (RoleGrant.role == "discipline_officer")
                   & RoleGrant.revoked_at.is_null())
            .distinct().order_by(RoleGrant.user).tuples()]


def route(village: Region, accused_user_id: int | None, accused_role: str) -> Route:
    """Where a report about ``accused_user_id`` (or an office) in ``village`` goes."""
    levels = [node for node in (ancestor_of_level(village, "town"),
                                ancestor_of_level(village, "district")) if node is not None]
    excluded = excluded_users(village, accused_user_id)
    elevated = is_elevating(village, accused_user_id, accused_role)
    start = min(1 if elevated else 0, len(levels) - 1)
    index = start
    for i in range(start, len(levels)):
        if [u for u in officers_at(levels[i].id) if u not in excluded]:
            index = i
            break
    supervising = levels[index + 1] if index + 1 < len(levels) else None
    handlers = tuple(u for u in officers_at(levels[index].id) if u not in excluded)
    supervisors = tuple(u for u in officers_at(supervising.id) if u not in excluded
                        and u not in handlers) if supervising else ()
    return Route(levels[index], supervising, index > 0, excluded, handlers, supervisors)


# -- exclusion at access time -------------------------------------------------------------

def actor_village_paths(actor: Actor) -> list[str]:
    """The villages in which the actor holds a staff grant (on the village or below it)."""
    paths = set()
    for grant in actor.grants:
        ids = region_rules.path_ids(grant.region_path)
        if grant.role in STAFF_ROLES and len(ids) >= _VILLAGE_DEPTH:
            paths.add("/" + "/".join(str(i) for i in ids[:_VILLAGE_DEPTH]) + "/")
    return sorted(paths)


def is_excluded(actor: Actor, report: Report) -> bool:
    if report.village_path in actor_village_paths(actor):
        return True
    return (ReportExclusion.select()
            .where((ReportExclusion.report == report.id)
                   & (ReportExclusion.user_tag == exclusion_tag(actor.user_id))).exists())
