"""Configuration around reports: retention per handling level, village heads, and the list of
people a reporter may name.

Town admins and sysadmins configure; neither ever sees a report. The defaults ship in
``rules.py`` (retention :data:`rules.DEFAULT_RETENTION_DAYS`); a town or district overrides it.
"""

from __future__ import annotations

from app.accounts.models import ROLE_NAMES, RoleGrant, User
from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.errors import InvalidInput, NotFound
from app.policy import Actor, authorize, require_any_scope
from app.regions import services as regions
from app.regions.models import Region
from app.reports import rules
from app.reports.models import ReportSetting, VillageHead
from app.reports.policies import CONFIGURE

NAMEABLE_ROLES = ("cadre", "grid_worker", "finance_panel", "supervision_committee")


def retention_days_for(region_id: int) -> int:
    """How long concluded reports handled at ``region_id`` are kept (the default if unset)."""
    days = (ReportSetting.select(ReportSetting.retention_days)
            .where(ReportSetting.region == region_id).scalar())
    return days if days is not None else rules.DEFAULT_RETENTION_DAYS


def set_retention(actor: Actor | None, *, region_id: int, retention_days: int) -> dict:
    """Set how many days concluded reports handled at a town or district are kept.

    A town admin (their town) or sysadmin (their scope). Raises Unauthorized / Forbidden;
    NotFound region.not_found; InvalidInput report.bad_region (not a town or district),
    report.bad_retention. Applies to reports concluded afterwards; writes an audit entry.
    """
    require_any_scope(actor, CONFIGURE)
    if not rules.MIN_RETENTION_DAYS <= retention_days <= rules.MAX_RETENTION_DAYS:
        raise InvalidInput("report.bad_retention",
                           f"保存期限应在 {rules.MIN_RETENTION_DAYS} 到 "
                           f"{rules.MAX_RETENTION_DAYS} 天之间")
    region = regions.get_region(region_id)
    grant = authorize(actor, CONFIGURE, region.path)
    if region.level not in ("town", "district"):
        raise InvalidInput("report.bad_region", "请选择街道(乡镇)或区县")
    now = utcnow()
    with database.atomic():
        (ReportSetting.insert(region=region.id, retention_days=retention_days,
                              updated_by=actor.user_id, updated_at=now)
         .on_conflict(conflict_target=[ReportSetting.region],
                      update={ReportSetting.retention_days: retention_days,
                              ReportSetting.updated_by: actor.user_id,
                              ReportSetting.updated_at: now})
         .execute())
        record(actor=actor, grant=grant, action="report.set_retention",
               object_type="report_setting", object_id=region.id, region_path=region.path,
               region_id=region.id, summary={"retention_days": retention_days})
    return {"region_id": region.id, "retention_days": retention_days}


def set_village_head(actor: Actor | None, *, village_id: int, user_id: int,
                     is_head: bool) -> dict:
    """Mark (or unmark) a cadre of a village as its head: reports about them go up a level.

    A town admin or sysadmin whose grant covers the village. Raises Unauthorized / Forbidden;
    NotFound region.not_found; InvalidInput report.bad_region (not a village),
    report.not_a_cadre (the user holds no cadre grant in the village). Writes an audit entry.
    """
    require_any_scope(actor, CONFIGURE)
    village = regions.get_region(village_id)
    grant = authorize(actor, CONFIGURE, village.path)
    if village.level != "village":
        raise InvalidInput("report.bad_region", "请选择社区(村)")
    with database.atomic():
        if is_head:
            if not _is_cadre_of(user_id, village):
                raise InvalidInput("report.not_a_cadre", "只能标记本社区(村)的干部")
            VillageHead.insert(village=village.id, user=user_id).on_conflict_ignore().execute()
        else:
            VillageHead.delete().where((VillageHead.village == village.id)
                                       & (VillageHead.user == user_id)).execute()
        record(actor=actor, grant=grant, action="report.set_village_head",
               object_type="village_head", object_id=user_id, region_path=village.path,
               region_id=village.id, summary={"user_id": user_id, "is_head": is_head})
    return {"village_id": village.id, "user_id": user_id, "is_head": is_head}


def _is_cadre_of(user_id: int, village: Region) -> bool:
    return (RoleGrant.select().join(Region, on=(RoleGrant.region == Region.id))
            .where((RoleGrant.user == user_id) & (RoleGrant.role == "cadre")
                   & RoleGrant.revoked_at.is_null()
                   & regions.in_subtree(Region.path, village.path)).exists())


def village_of(region_id: int) -> Region:
    """The village a node lies in (the node itself when it is one)."""
    try:
        region = regions.get_region(region_id)
    except NotFound:
        raise InvalidInput("report.bad_village", "请选择被举报人所在的社区(村)") from None
    village = regions.ancestor_of_level(region, "village")
    if village is None:
        raise InvalidInput("report.bad_village", "请选择被举报人所在的社区(村)")
    return village


def accused_options(village_id: int) -> list[dict]:
    """Staff a reporter may name for a village: its cadres and village staff, and the
    discipline officers of its town. Public knowledge (村务公开); anyone may ask, nothing is
    recorded. Raises InvalidInput report.bad_village."""
    village = village_of(village_id)
    town = regions.ancestor_of_level(village, "town")
    rows = (RoleGrant.select(RoleGrant.user, RoleGrant.role, User.display_name)
            .join(Region, on=(RoleGrant.region == Region.id))
            .switch(RoleGrant).join(User, on=(RoleGrant.user == User.id))
            .where(RoleGrant.revoked_at.is_null() & (User.status == "active")
                   & ((regions.in_subtree(Region.path, village.path)
                       & RoleGrant.role.in_(NAMEABLE_ROLES))
                      | ((RoleGrant.region == (town.id if town else 0))
                         & (RoleGrant.role == "discipline_officer"))))
            .order_by(RoleGrant.user, RoleGrant.id).limit(500).tuples())
    heads = {row[0] for row in VillageHead.select(VillageHead.user)
             .where(VillageHead.village == village.id).tuples()}
    seen: dict[int, dict] = {}
    for user_id, role, name in rows:
        if user_id not in seen:
            seen[user_id] = {"user_id": user_id, "name": name, "role": role,
                             "role_name": "社区(村)主要负责人" if user_id in heads
                             else ROLE_NAMES[role]}
    return list(seen.values())
