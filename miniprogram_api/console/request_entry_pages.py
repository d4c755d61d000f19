"""代居民登记诉求: a staff member enters a request for a resident who phoned or came in.

GET shows the form with the places ``entry.entry_places`` offers (Forbidden, hence the 403
page, for anyone without the ENTER permission); POST calls ``services.submit_request`` with a
staff channel, the call ``POST /admin/api/v1/requests`` makes. The resident's phone number
travels only in the POST body and is never shown back in full: the request page shows the
submitter's masked number. A refusal re-renders the form with what was typed and the
service's Chinese message; nothing is written.
"""

from __future__ import annotations

from flask import flash, redirect, url_for

from app.errors import DomainError, Forbidden, InvalidInput, NotFound, Unauthorized
from app.policy import Actor
from app.requests import entry, rules
from app.requests import services as requests
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, form_text, render
from miniprogram_api.console.region_choices import labels
from miniprogram_api.console.session import page
from miniprogram_api.views.requests import checker

CHANNEL_NAMES = {"phone": "电话", "walk_in": "来访"}


def _form(actor: Actor, values: dict, error: str | None = None, status: int = 200):
    places = entry.entry_places(actor)
    categories = requests.list_categories(places[0].id if places else None)
    return render("console/requests/new.html", places=places, place_names=labels(places),
                  categories=categories,
                  types=rules.TYPE_NAMES, channels=CHANNEL_NAMES, values=values,
                  error=error), status


@bp.route("/requests/new")
@page
def request_new(actor: Actor):
    return _form(actor, {})


@bp.route("/requests/new", methods=["POST"])
@page
def request_enter(actor: Actor):
    values = {"channel": form_text("channel", 16), "type": form_text("type", 16),
              "category_code": form_text("category_code", 32), "text": form_text("text"),
              "region_id": form_int("region_id"), "address_text": form_text("address_text", 200),
              "name": form_text("name", 50), "phone": form_text("phone", 20)}
    try:
        if values["channel"] not in CHANNEL_NAMES:
            raise InvalidInput("console.channel_required", "请选择登记方式（电话或来访）")
        request = requests.submit_request(
            actor, type=values["type"], category_code=values["category_code"],
            text=values["text"], region_id=values["region_id"],
            address_text=values["address_text"], channel=values["channel"], checker=checker(),
            on_behalf={"name": values["name"], "phone": values["phone"]})
    except (Unauthorized, Forbidden, NotFound):
        raise
    except DomainError as exc:
        return _form(actor, values, error=exc.message, status=422)
    flash(f"已代居民登记诉求，编号 {request.tracking_no}", "info")
    return redirect(url_for("console.request_detail", request_id=request.id), code=303)
