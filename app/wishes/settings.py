"""A town's wish time limits: days to fulfil a claim, days before auto-confirmation.

Defaults live in ``rules``; a town admin may override them for their town. The values are read
when a claim or a fulfilment starts and stored on the wish as due times.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.errors import Forbidden, InvalidInput
from app.policy import Actor, authorize, require_any_scope
from app.regions import rules as region_rules
from app.regions import services as regions
from app.wishes import policies, rules
from app.wishes.models import WishSettings


@dataclass(frozen=True)
class Limits:
    town_id: int | None
    claim_days: int
    auto_confirm_days: int
    customised: bool


def limits_for(region_path: str) -> Limits:
    """The limits of the town containing ``region_path`` (defaults when it set none)."""
    row = (WishSettings.select()
           .where(WishSettings.town.in_(region_rules.path_ids(region_path) or [0])).first())
    if row is None:
        return Limits(None, rules.DEFAULT_CLAIM_DAYS, rules.DEFAULT_AUTO_CONFIRM_DAYS, False)
    return Limits(row.town_id, row.claim_days, row.auto_confirm_days, True)


def _town(town_id: int):
    town = regions.get_region(town_id)
    if town.level != "town":
        raise InvalidInput("wish.not_town", "请选择街道(乡镇)")
    return town


def get_limits(actor: Actor | None, town_id: int) -> Limits:
    """A town's limits. Staff who read wishes anywhere in that town (a village cadre too).
    Raises Unauthorized / Forbidden, region.not_found, wish.not_town. Changes nothing."""
    town = _town(town_id)
    paths = require_any_scope(actor, policies.READ)
    if not any(region_rules.contains(town.path, p) or region_rules.contains(p, town.path)
               for p in paths):
        raise Forbidden(details={"action": policies.READ})
    limits = limits_for(town.path)
    return Limits(town.id, limits.claim_days, limits.auto_confirm_days, limits.customised)


def configure_limits(actor: Actor | None, town_id: int, *, claim_days: int,
                     auto_confirm_days: int) -> Limits:
    """Set a town's limits. Town admins of that town. Raises Forbidden, wish.not_town,
    wish.bad_claim_days / bad_auto_confirm_days. Running clocks keep their due times. Audited.
    """
    town = _town(town_id)
    grant = authorize(actor, policies.CONFIGURE, town.path)
    rules.check_days(claim_days, auto_confirm_days)
    now = utcnow()
    with database.atomic():
        (WishSettings.insert(town=town.id, claim_days=claim_days,
                             auto_confirm_days=auto_confirm_days, updated_at=now)
         .on_conflict(conflict_target=[WishSettings.town],
                      update={WishSettings.claim_days: claim_days,
                              WishSettings.auto_confirm_days: auto_confirm_days,
                              WishSettings.updated_at: now})
         .execute())
        record(actor=actor, grant=grant, action="wish.configure", object_type="town",
               object_id=town.id, region_path=town.path, region_id=town.id,
               summary={"claim_days": claim_days, "auto_confirm_days": auto_confirm_days})
    return Limits(town.id, claim_days, auto_confirm_days, True)
