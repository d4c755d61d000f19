"""微心愿 review pages: the review queue (or every wish in scope), one wish with its history,
and the approve / reject / take-down forms. Every call is the one ``/admin/api/v1/wishes``
makes (``app.wishes.review`` and ``app.wishes.describe``); the reasons typed here are shown to
the wisher (and, for a takedown, to the claimant)."""

from __future__ import annotations

from flask import url_for

from app.policy import Actor, scope_paths
from app.regions.models import Region
from app.wishes import describe, policies, review, rules
from app.wishes.models import Wish
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_text, keyset_page, perform, render, tab_arg
from miniprogram_api.console.session import page

PAGE_SIZE = 20
TABS = {"review": "待审核", "all": "全部心愿"}
# form name -> (button label, message on success, service call taking (actor, wish_id))
ACTIONS = {
    "approve": ("审核通过", "已通过审核，心愿已上心愿墙",
                lambda a, i: review.approve_wish(a, i)),
    "reject": ("不通过", "已退回，许愿人会看到理由",
               lambda a, i: review.reject_wish(a, i, reason=form_text("reason", 600))),
    "take_down": ("下架", "心愿已下架，许愿人会看到理由",
                  lambda a, i: review.take_down_wish(a, i, reason=form_text("reason", 600))),
}


@bp.app_template_filter("wish_status")
def _status_name(status: str) -> str:
    return rules.STATE_NAMES.get(status, status)


@bp.app_template_filter("wish_category")
def _category_name(category: str) -> str:
    return rules.CATEGORY_NAMES.get(category, category)


@bp.route("/wishes")
@page
def wish_queue(actor: Actor):
    """The review queue for reviewers; everyone else who reads wishes (town admins) starts on
    the full list. A tab the person's role does not open is the service's 403."""
    default = "review" if scope_paths(actor, policies.REVIEW) else "all"
    tab = tab_arg(TABS, default)
    query = review.staff_wishes_query(actor, queue=tab)
    rows, next_url = keyset_page(query, Wish.id, "console.wish_queue", limit=PAGE_SIZE, tab=tab)
    villages = dict(Region.select(Region.id, Region.name)
                    .where(Region.id.in_({w.village_id for w in rows} or {0})).tuples())
    tabs = {key: name for key, name in TABS.items()
            if key == "all" or scope_paths(actor, policies.REVIEW)}
    return render("console/wishes/queue.html", tab=tab, tabs=tabs, rows=rows,
                  villages=villages, next_url=next_url)


@bp.route("/wishes/<int:wish_id>")
@page
def wish_detail(actor: Actor, wish_id: int):
    data = describe.detail(actor, review.get_for_staff(actor, wish_id))
    moves = data["allowed_actions"]
    forms = [(name, ACTIONS[name][0]) for name in ACTIONS if name in moves]
    return render("console/wishes/detail.html", w=data, forms=forms,
                  village=Region.get_or_none(Region.id == data["village_id"]))


@bp.route("/wishes/<int:wish_id>/<any(" + ",".join(ACTIONS) + "):action>", methods=["POST"])
@page
def wish_action(actor: Actor, wish_id: int, action: str):
    _, done, call = ACTIONS[action]
    return perform(lambda: call(actor, wish_id),
                   back=url_for("console.wish_detail", wish_id=wish_id), done=done)
