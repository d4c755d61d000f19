"""权力清单 for residents (``/api/v1/power-items``): their village's active list with legal basis
and procedure steps."""

from __future__ import annotations

from flask import Blueprint

from app.powers import services as powers
from app.powers.models import PowerItem
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import PageQuery, page_of
from miniprogram_api.schemas.powers import PowerItemSchema, PowerItemSummarySchema

bp = Blueprint("powers", __name__, url_prefix="/api/v1/power-items")


def with_steps(item: PowerItem) -> PowerItem:
    item.steps = powers.steps_of(item)
    return item


@endpoint(bp, "", query=PageQuery, response=PowerItemSummarySchema, paged=True,
          summary="本村(社区)权力清单", errors=("power_item.residents_only",))
def village_list(actor, query):
    return page_of(powers.village_list_query(actor), PowerItem.id, cursor=query["cursor"],
                   limit=query["limit"])


@endpoint(bp, "/<int:item_id>", response=PowerItemSchema,
          summary="权力事项：法律依据与办理流程", errors=("power_item.not_found",))
def detail(actor, item_id):
    return with_steps(powers.load_item(actor, item_id))
