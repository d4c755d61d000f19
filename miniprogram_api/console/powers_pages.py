"""权力清单 pages: the items that apply to the person's scope (village lists and the town's
template), one item with its procedure steps, the add / edit form, and copying the town
template into a village.

Every call is the one ``/admin/api/v1/power-items`` makes (``app.powers.services``): the list
is ``items_query``, an item ``load_item`` + ``steps_of``, the form ``save_item`` (an item is
matched by its code on its node, so editing keeps the code), the copy ``import_template``.
The power list has no draft state: a saved active item is in force; switching it off
(``active``) takes it out of the seal form and the residents' list.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask import request as http

from app.errors import DomainError, Forbidden, NotFound, Unauthorized
from app.policy import Actor, can
from app.powers import policies, rules
from app.powers import services as powers
from app.powers.models import PowerItem
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, form_text, keyset_page, perform, render, tab_arg
from miniprogram_api.console.region_choices import places_in_scope
from miniprogram_api.console.session import page

PAGE_SIZE = 20
TABS = {"lists": "村(社区)清单", "templates": "街道模板", "all": "全部"}
TEMPLATE_FILTER = {"lists": False, "templates": True, "all": None}
BLANK_STEPS = 3  # empty step rows offered below the existing ones


@bp.app_template_filter("power_category")
def _category_name(category: str) -> str:
    return rules.CATEGORIES.get(category, category)


def _managed_places(actor: Actor):
    return places_in_scope(actor, policies.MANAGE, ("town", "village"))


@bp.route("/power-items")
@page
def power_items(actor: Actor):
    tab = tab_arg(TABS, "lists")
    query = powers.items_query(actor, templates=TEMPLATE_FILTER[tab])
    rows, next_url = keyset_page(query, PowerItem.id, "console.power_items", limit=PAGE_SIZE,
                                 tab=tab)
    managed = _managed_places(actor)
    return render("console/powers/list.html", tab=tab, tabs=TABS, rows=rows,
                  next_url=next_url, may_manage=bool(managed),
                  villages=[p for p in managed if p.level == "village"])


@bp.route("/power-items/<int:item_id>")
@page
def power_item_detail(actor: Actor, item_id: int):
    item = powers.load_item(actor, item_id)
    return render("console/powers/detail.html", item=item, steps=powers.steps_of(item),
                  region=item.region, may_manage=can(actor, policies.MANAGE, item.region_path))


def _steps_from_form() -> list[dict]:
    """The step rows of the form in order; rows left wholly blank are dropped."""
    steps = []
    for number in range(1, rules.MAX_STEPS + 1):
        row = {"name": form_text(f"step-{number}-name", 200),
               "description": form_text(f"step-{number}-description", 2000),
               "requires_evidence": http.form.get(f"step-{number}-evidence") == "1",
               "evidence_hint": form_text(f"step-{number}-hint", 400)}
        if row["name"] or row["description"] or row["evidence_hint"] or row[
                "requires_evidence"]:
            steps.append(row)
    return steps


def _form(actor: Actor, item: PowerItem | None):
    places = _managed_places(actor)
    if not places:
        raise Forbidden()
    if item is not None:
        values = {"region_id": str(item.region_id), "code": item.code, "name": item.name,
                  "category": item.category, "legal_basis": item.legal_basis,
                  "requires_notice": item.requires_notice, "active": item.active}
        steps = [{"name": s.name, "description": s.description,
                  "requires_evidence": s.requires_evidence, "evidence_hint": s.evidence_hint}
                 for s in powers.steps_of(item)]
    else:
        values = {"region_id": http.args.get("region_id", ""), "code": "", "name": "",
                  "category": "", "legal_basis": "", "requires_notice": False, "active": True}
        steps = []
    error = None
    if http.method == "POST":
        values = {"region_id": str(item.region_id) if item else form_text("region_id"),
                  "code": item.code if item else form_text("code", 64),
                  "name": form_text("name", 200), "category": form_text("category"),
                  "legal_basis": form_text("legal_basis", 4000),
                  "requires_notice": http.form.get("requires_notice") == "1",
                  "active": http.form.get("active") == "1" if item else True}
        steps = _steps_from_form()
        try:
            saved = powers.save_item(
                actor, region_id=int(values["region_id"]) if values["region_id"].isdigit() else 0,
                code=values["code"], name=values["name"], category=values["category"],
                legal_basis=values["legal_basis"], steps=steps,
                requires_notice=values["requires_notice"], active=values["active"])
        except (Unauthorized, Forbidden, NotFound):
            raise
        except DomainError as exc:
            error = exc.message
        else:
            flash("权力事项已保存", "info")
            return redirect(url_for("console.power_item_detail", item_id=saved.id), code=303)
    rows = steps + [{} for _ in range(BLANK_STEPS)]
    return render("console/powers/form.html", item=item, places=places, values=values,
                  steps=rows[:rules.MAX_STEPS], categories=rules.CATEGORIES,
                  error=error), (422 if error else 200)


@bp.route("/power-items/new", methods=["GET", "POST"])
@page
def power_item_new(actor: Actor):
    return _form(actor, None)


@bp.route("/power-items/<int:item_id>/edit", methods=["GET", "POST"])
@page
def power_item_edit(actor: Actor, item_id: int):
    return _form(actor, powers.load_item(actor, item_id))


@bp.route("/power-items/import-template", methods=["POST"])
@page
def power_import_template(actor: Actor):
    """Copy the town's template into the chosen village; the message says what was added."""
    village_id = form_int("village_id") or 0
    outcome = []
    back = url_for("console.power_items")
    response = perform(lambda: outcome.append(powers.import_template(
        actor, village_id=village_id)), back=back, done="已导入街道模板")
    if outcome:
        done = outcome[0]
        flash(f"新增 {len(done.added)} 项，本村已有而保留不变 {len(done.skipped)} 项", "info")
    return response
