"""Keeping the power list: save an item with its steps (on a town's template or a village's
list), switch it off, copy the town template into a village, and read the lists.

Every write checks permission first, runs in one transaction and is audited with ids and codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.errors import Forbidden, InvalidInput, NotFound, Unauthorized
from app.policy import Actor, Grant, authorize, require_any_scope
from app.powers import policies, rules
from app.powers.models import PowerItem, PowerStep
from app.regions import rules as region_rules
from app.regions import services as regions
from app.regions.models import Region
from app.supervision.places import (
    get_village,
    narrow_scope,
    resident_places,
    scope_condition,
    town_id_of,
)


def not_found() -> NotFound:
    return NotFound("power_item.not_found", "找不到该权力事项")


def _audit(actor: Actor, grant: Grant, action: str, item: PowerItem, **summary) -> None:
    record(actor=actor, grant=grant, action=f"power_item.{action}", object_type="power_item",
           object_id=item.id, region_path=item.region_path, region_id=item.region_id,
           summary={"code": item.code, **summary})


def _write_steps(item_id: int, steps: list[dict]) -> None:
    PowerStep.delete().where(PowerStep.item == item_id).execute()
    if steps:
        PowerStep.insert_many([dict(step, item=item_id) for step in steps]).execute()


def save_item(actor: Actor | None, *, region_id: int, code: str, name: str, category: str,
              legal_basis: str, steps: list[dict], requires_notice: bool = False,
              active: bool = True) -> PowerItem:
    """Add or replace (by code) an item on a town's template or a village's list.

    Town admins in scope. A town node holds the template; a village node its list. Raises
    region.not_found, power_item.bad_region / bad_code / bad_name / bad_category / bad_basis /
    bad_steps, Forbidden. Replaces the item's steps; audits power_item.save.
    """
    region = regions.get_region(region_id)
    grant = authorize(actor, policies.MANAGE, region.path)
    if region.level not in ("town", "village"):
        raise InvalidInput("power_item.bad_region", "权力清单按街道(乡镇)模板或社区(村)维护")
    code, name, legal_basis = rules.check_item(code, name, category, legal_basis)
    clean_steps = rules.check_steps(steps)
    now = utcnow()
    values = {"name": name, "category": category, "legal_basis": legal_basis,
              "requires_notice": bool(requires_notice), "active": bool(active),
              "updated_at": now}
    with database.atomic():
        item = PowerItem.get_or_none((PowerItem.region == region.id) & (PowerItem.code == code))
        if item is None:
            item = PowerItem.create(region=region.id, region_path=region.path,
                                    is_template=region.level == "town", code=code,
                                    created_at=now, **values)
        else:
            PowerItem.update(values).where(PowerItem.id == item.id).execute()
        _write_steps(item.id, clean_steps)
        _audit(actor, grant, "save", item, steps=len(clean_steps))
    return PowerItem.get_by_id(item.id)


@dataclass(frozen=True)
class TemplateImport:
    added: list[str]
    skipped: list[str]  # codes the village already has (left as they are)


def import_template(actor: Actor | None, *, village_id: int) -> TemplateImport:
    """Copy every active item of the town's template into the village's list, with its steps.

    Town admins in scope. Items whose code the village already has are skipped (a village's
    own adjustments are kept). Raises region.not_found, power_item.bad_village, Forbidden,
    power_item.no_template. Audits power_item.import_template.
    """
    village = get_village(village_id, "power_item.bad_village")
    grant = authorize(actor, policies.MANAGE, village.path)
    templates = list(PowerItem.select().where(
        (PowerItem.region == town_id_of(village.path)) & PowerItem.is_template
        & PowerItem.active).order_by(PowerItem.code))
    if not templates:
        raise InvalidInput("power_item.no_template", "本街道(乡镇)还没有权力清单模板")
    have = {code for (code,) in PowerItem.select(PowerItem.code)
            .where(PowerItem.region == village.id).tuples()}
    steps = {}
    for step in PowerStep.select().where(PowerStep.item.in_([t.id for t in templates])):
        steps.setdefault(step.item_id, []).append(step)
    added, skipped, now = [], [], utcnow()
    with database.atomic():
        for template in templates:
            if template.code in have:
                skipped.append(template.code)
                continue
            item = PowerItem.create(
                region=village.id, region_path=village.path, is_template=False,
                code=template.code, name=template.name, category=template.category,
                legal_basis=template.legal_basis, requires_notice=template.requires_notice,
                source_template_id=template.id, created_at=now, updated_at=now)
            _write_steps(item.id, [{"seq": s.seq, "name": s.name, "description": s.description,
                                    "requires_evidence": s.requires_evidence,
                                    "evidence_hint": s.evidence_hint}
                                   for s in sorted(steps.get(template.id, []),
                                                   key=lambda s: s.seq)])
            added.append(template.code)
        record(actor=actor, grant=grant, action="power_item.import_template",
               object_type="village", object_id=village.id, region_path=village.path,
               region_id=village.id, summary={"added": len(added), "skipped": len(skipped)})
    return TemplateImport(added, skipped)


def load_item(actor: Actor | None, item_id: int) -> PowerItem:
    """An item the caller may read: staff in scope, residents for their village's active
    items. Raises Unauthorized, power_item.not_found."""
    if actor is None:
        raise Unauthorized()
    item = PowerItem.get_or_none(PowerItem.id == item_id)
    if item is None:
        raise not_found()
    if policies.may_read(actor, item.region_path):
        return item
    places = resident_places(actor)
    if places and item.region_id == places[0] and item.active:
        return item
    raise not_found()


def steps_of(item: PowerItem) -> list[PowerStep]:
    return list(PowerStep.select().where(PowerStep.item == item.id).order_by(PowerStep.seq))


def items_query(actor: Actor | None, *, region_id: int | None = None,
                templates: bool | None = None):
    """Items (templates and village lists) that apply to the caller's scope — inside it or on
    the nodes above it — for keyset paging. Staff. Raises Forbidden, region.not_found. Reads
    only."""
    paths = narrow_scope(require_any_scope(actor, policies.READ), region_id)
    above = {node for path in paths for node in region_rules.path_ids(path)}
    query = (PowerItem.select(PowerItem, Region).join(Region, on=(PowerItem.region == Region.id))
             .where(scope_condition(paths, PowerItem.region_path)
                    | PowerItem.region.in_(sorted(above))))
    if templates is not None:
        query = query.where(PowerItem.is_template == templates)
    return query


def village_list_query(actor: Actor | None):
    """The active power list of the caller's village, for keyset paging. Residents bound to
    a household. Raises Unauthorized, Forbidden power_item.residents_only."""
    if actor is None:
        raise Unauthorized()
    places = resident_places(actor)
    if places is None:
        raise Forbidden("power_item.residents_only", "权力清单按村(社区)查看，请先绑定住户")
    return (PowerItem.select(PowerItem, Region).join(Region, on=(PowerItem.region == Region.id))
            .where((PowerItem.region == places[0]) & PowerItem.active))
