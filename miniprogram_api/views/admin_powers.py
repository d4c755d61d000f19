"""权力清单 in the staff console (``/admin/api/v1``): town templates, village lists, copying the
template into a village."""

from __future__ import annotations

from flask import Blueprint

from app.powers import services as powers
from app.powers.models import PowerItem
from app.regions.models import Region
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import page_of
from miniprogram_api.schemas.powers import (
    PowerItemBodySchema,
    PowerItemQuery,
    PowerItemSchema,
    PowerItemSummarySchema,
    TemplateImportSchema,
)
from miniprogram_api.views.powers import with_steps

bp = Blueprint("admin_powers", __name__, url_prefix="/admin/api/v1")


def present(item: PowerItem) -> PowerItem:
    item = (PowerItem.select(PowerItem, Region).join(Region, on=(PowerItem.region == Region.id))
            .where(PowerItem.id == item.id).get())
    return with_steps(item)


@endpoint(bp, "/power-items", auth="staff", query=PowerItemQuery,
          response=PowerItemSummarySchema, paged=True,
          summary="适用于本辖区的权力清单与街道模板", errors=("permission.denied",))
def staff_list(actor, query):
    return page_of(powers.items_query(actor, region_id=query["region_id"],
                                      templates=query["templates"]),
                   PowerItem.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/power-items", method="PUT", auth="staff", body=PowerItemBodySchema,
          response=PowerItemSchema, summary="新增或修改权力事项（按编号匹配，连同办理步骤）",
          errors=("power_item.bad_region", "power_item.bad_steps", "permission.denied"))
def save(actor, data):
    return present(powers.save_item(
        actor, region_id=data["region_id"], code=data["code"], name=data["name"],
        category=data["category"], legal_basis=data["legal_basis"], steps=data["steps"],
        requires_notice=data["requires_notice"], active=data["active"]))


@endpoint(bp, "/power-items/<int:item_id>", auth="staff", response=PowerItemSchema,
          summary="权力事项详情", errors=("power_item.not_found",))
def staff_detail(actor, item_id):
    return present(powers.load_item(actor, item_id))


@endpoint(bp, "/villages/<int:village_id>/power-items/import-template", method="POST",
          auth="staff", response=TemplateImportSchema,
          summary="把街道(乡镇)模板导入本村权力清单（本村已有的编号保留不覆盖）",
          errors=("power_item.no_template", "power_item.bad_village", "permission.denied"))
def import_template(actor, village_id):
    return powers.import_template(actor, village_id=village_id)
