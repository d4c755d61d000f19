"""微心愿 settings in the console: a town's wish time limits (days a volunteer has to fulfil a
claim, days before an unanswered fulfilment counts as confirmed), and the photos shown on a
wish's page.

The limits are the calls ``/admin/api/v1/wishes/settings`` makes (``app.wishes.settings``):
staff who read wishes anywhere in the town see them, the town admin changes them; running
clocks keep their due times. Photos are served through ``app.media.services.open_media``,
the call behind ``/api/v1/media/<id>``: the wish feature's visibility rule decides, and
anything else is the 404 page.
"""

from __future__ import annotations

import os

from flask import Response, current_app, url_for
from flask import request as http

from app.media import services as media
from app.media.storage import FileSystemStorage
from app.policy import Actor, can, require_any_scope
from app.regions.models import Region
from app.wishes import policies, rules, settings
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, perform, render
from miniprogram_api.console.region_choices import picked, towns_around
from miniprogram_api.console.session import page


def _storage() -> FileSystemStorage:
    root = current_app.config.get("MEDIA_ROOT") or os.path.join(current_app.instance_path,
                                                                "media")
    return FileSystemStorage(root)


@bp.route("/wishes/settings")
@page
def wish_settings(actor: Actor):
    towns = towns_around(actor, policies.READ)
    town_id = picked(towns, http.args.get("town_id"))
    if town_id is None:
        require_any_scope(actor, policies.READ)  # roles without wishes: the 403 page
    limits = settings.get_limits(actor, town_id or 0)
    town = Region.get_by_id(limits.town_id)
    return render("console/wishes/settings.html", towns=towns, town=town, limits=limits,
                  may_configure=can(actor, policies.CONFIGURE, town.path),
                  claim_range=rules.CLAIM_DAYS_RANGE,
                  confirm_range=rules.AUTO_CONFIRM_DAYS_RANGE)


@bp.route("/wishes/settings", methods=["POST"])
@page
def wish_settings_save(actor: Actor):
    town_id = form_int("town_id") or 0
    return perform(lambda: settings.configure_limits(
        actor, town_id, claim_days=form_int("claim_days") or 0,
        auto_confirm_days=form_int("auto_confirm_days") or 0),
        back=url_for("console.wish_settings", town_id=town_id),
        done="已保存本街道的心愿时限，之后认领或完成的心愿按新时限计算")


@bp.route("/wishes/photos/<int:media_id>")
@page
def wish_photo(actor: Actor, media_id: int):
    """One photo of a wish (or of its fulfilment) the person may see, as the stored bytes."""
    row, data = media.open_media(actor, media_id, storage=_storage())
    response = Response(data, mimetype=row.mime)
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
