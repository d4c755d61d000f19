"""Disclosure pages (村务/党务/财务公开): the queue by status, a disclosure's detail with the
forms its reader may use, the draft form, and the overdue obligations of the cadence.

Reads go through the services ``/admin/api/v1/disclosures`` calls
(``services.staff_disclosures_query``, ``services.load_for_staff``, ``cadence.dues_query``);
the POST side is :mod:`miniprogram_api.console.disclosure_actions`.
"""

from __future__ import annotations

from flask import redirect, url_for
from flask import request as http

from app.accounts.models import User
from app.disclosures import cadence, cadence_rules, policies, rules
from app.disclosures import services as disclosures
from app.disclosures.models import Disclosure, DisclosureDue
from app.errors import DomainError, Forbidden, NotFound, Unauthorized
from app.policy import Actor, require_any_scope
from app.regions.models import Region
from app.supervision.places import scope_condition
from miniprogram_api.console import disclosure_forms
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_text, keyset_page, render
from miniprogram_api.console.session import page

PAGE_SIZE = 20
STATUS_TABS = {"submitted": "待审核", "reviewed": "已审核待公开", "draft": "草稿",
               "published": "已公开", "all": "全部"}


@bp.app_template_filter("disclosure_kind")
def _kind_name(value: str) -> str:
    return rules.KIND_NAMES.get(value, value)


@bp.app_template_filter("disclosure_status")
def _status_name(value: str) -> str:
    return rules.STATE_NAMES.get(value, value)


def category_name(kind: str, category: str) -> str:
    return rules.CATEGORIES.get(kind, {}).get(category, category)


@bp.route("/disclosures")
@page
def disclosure_queue(actor: Actor):
    status = http.args.get("status") or "submitted"
    query = disclosures.staff_disclosures_query(
        actor, status=None if status == "all" else status)
    rows, next_url = keyset_page(query, Disclosure.id, "console.disclosure_queue",
                                 limit=PAGE_SIZE, status=status)
    return render("console/disclosures/queue.html", status=status, tabs=STATUS_TABS,
                  rows=rows, next_url=next_url, category_name=category_name,
                  may_write=bool(_writable_places(actor)))


@bp.route("/disclosures/<int:disclosure_id>")
@page
def disclosure_detail(actor: Actor, disclosure_id: int):
    d = disclosures.load_for_staff(actor, disclosure_id)
    region = Region.get_by_id(d.region_id)
    names = dict(User.select(User.id, User.display_name)
                 .where(User.id.in_([u for u in (d.author_id, d.reviewed_by_id,
                                                 d.published_by_id) if u] or [0])).tuples())
    corrections = list(Disclosure.select(Disclosure.id, Disclosure.title, Disclosure.status)
                       .where(Disclosure.corrects == d.id).order_by(Disclosure.id))
    forms = disclosure_forms.offered(actor, d)
    return render("console/disclosures/detail.html", d=d, region=region, names=names,
                  category=category_name(d.kind, d.category), forms=forms,
                  form_names={f.name for f in forms}, corrections=corrections,
                  categories=rules.CATEGORIES[d.kind],
                  own_review=disclosure_forms.own_review_withheld(actor, d))


def _writable_places(actor: Actor) -> list[Region]:
    """Villages and towns where the actor may draft (``policies.WRITE``), for the form."""
    try:
        paths = require_any_scope(actor, policies.WRITE)
    except (Forbidden, Unauthorized):
        return []
    return list(Region.select().where(Region.level.in_(("village", "town"))
                                      & scope_condition(paths, Region.path))
                .order_by(Region.path).limit(500))


@bp.route("/disclosures/new", methods=["GET", "POST"])
@page
def disclosure_new(actor: Actor):
    places = _writable_places(actor)
    if not places:
        raise Forbidden()
    values = {"kind": form_text("kind") or http.args.get("kind", "affairs"),
              "region_id": form_text("region_id"), "category": form_text("category"),
              "title": form_text("title", 200), "body": form_text("body", 20000),
              "period": form_text("period", 20)}
    error = None
    if http.method == "POST":
        try:
            created = disclosures.create_disclosure(
                actor, region_id=int(values["region_id"] or 0), kind=values["kind"],
                category=values["category"], title=values["title"], body=values["body"],
                period=values["period"])
        except (Unauthorized, Forbidden, NotFound):
            raise
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(url_for("console.disclosure_detail", disclosure_id=created.id),
                            code=303)
    return render("console/disclosures/new.html", places=places, values=values, error=error,
                  kinds=rules.KIND_NAMES, categories=rules.CATEGORIES), (422 if error else 200)


@bp.route("/disclosures/dues")
@page
def disclosure_dues(actor: Actor):
    """Required disclosures (overdue first by default): the cadence the town watches."""
    status = http.args.get("status") or "overdue"
    query = cadence.dues_query(actor, status=status)
    rows, next_url = keyset_page(query, DisclosureDue.id, "console.disclosure_dues",
                                 limit=PAGE_SIZE, status=status)
    return render("console/disclosures/dues.html", rows=rows, status=status,
                  states=cadence_rules.DUE_STATE_NAMES, next_url=next_url,
                  kind_names=rules.KIND_NAMES)
