"""爱心超市 redemptions in the console: the redemptions at the stores in scope (keyset pages,
waiting ones first on the home page), confirming the hand-over of the goods, and cancelling
one with a reason (the points come back by a reversing transfer, the stock goes back).

Every call is one ``/admin/api/v1/points/redemptions`` makes (``app.points.store``).
"""

from __future__ import annotations

from flask import url_for

from app.accounts.models import User
from app.points import policies, store
from app.points.models import Redemption, StoreItem
from app.policy import Actor, can
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_text, keyset_page, perform, render, tab_arg
from miniprogram_api.console.session import page

PAGE_SIZE = 20
TABS = {"reserved": "待交付", "handed_over": "已交付", "cancelled": "已取消", "all": "全部"}


@bp.route("/points/redemptions")
@page
def points_redemptions(actor: Actor):
    tab = tab_arg(TABS, "reserved")
    query = store.staff_redemptions(actor, status=None if tab == "all" else tab)
    rows, next_url = keyset_page(query, Redemption.id, "console.points_redemptions",
                                 limit=PAGE_SIZE, tab=tab)
    items = dict(StoreItem.select(StoreItem.id, StoreItem.name)
                 .where(StoreItem.id.in_({r.item_id for r in rows} or {0})).tuples())
    people = dict(User.select(User.id, User.display_name)
                  .where(User.id.in_({r.user_id for r in rows} or {0})).tuples())
    return render("console/points/redemptions.html", tab=tab, tabs=TABS, rows=rows,
                  items=items, people=people, next_url=next_url,
                  may_handle={r.id for r in rows if r.status == "reserved"
                              and can(actor, policies.STORE_HAND_OVER, r.region_path)})


@bp.route("/points/redemptions/<int:redemption_id>/hand-over", methods=["POST"])
@page
def points_hand_over(actor: Actor, redemption_id: int):
    return perform(lambda: store.hand_over(actor, redemption_id),
                   back=url_for("console.points_redemptions"), done="已确认交付")


@bp.route("/points/redemptions/<int:redemption_id>/cancel", methods=["POST"])
@page
def points_cancel_redemption(actor: Actor, redemption_id: int):
    return perform(lambda: store.cancel_redemption(actor, redemption_id,
                                                   reason=form_text("reason", 200)),
                   back=url_for("console.points_redemptions"),
                   done="兑换已取消，积分已退回，库存已恢复")
