"""微星光 rules and rankings in the console: every version of the points rules that apply to a
place (keyset pages), publishing a new version and stopping one; the rankings of a grid,
village or town (people, or households as 星级文明户) with star levels, and the star
thresholds.

Every call is one ``/admin/api/v1/points`` makes (``app.points.setup`` and
``queries.staff_ranking``). A rule is never edited: a new version closes the one in force
(the services' rule), so every credit stays explainable by the version that produced it.
"""

from __future__ import annotations

from flask import request as http
from flask import url_for

from app.points import policies, queries, rules, setup
from app.points.models import PointsRule
from app.policy import Actor, can, require_any_scope
from app.regions.models import Region
from miniprogram_api.console.actions_admin_pages import parse_local
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, form_text, keyset_page, perform, render, tab_arg
from miniprogram_api.console.points_pages import PERIOD_NAMES
from miniprogram_api.console.region_choices import labels, picked, places_in_scope
from miniprogram_api.console.session import page

PAGE_SIZE = 30
SCOPE_LEVELS = ("town", "village", "grid")
UNIT_NAMES = {"event": "次", "hour": "小时"}
RANKED = {"person": "志愿者个人", "household": "星级文明户"}
STAR_PERIODS = {"all": "累计积分", "year": "本年积分"}


def _config_places(actor: Actor) -> list[Region]:
    return places_in_scope(actor, policies.CONFIGURE, setup.CONFIG_LEVELS)


@bp.route("/points/rules")
@page
def points_rules(actor: Actor):
    places = places_in_scope(actor, policies.READ, SCOPE_LEVELS)
    region_id = picked(places, http.args.get("region_id"))
    if region_id is None:
        require_any_scope(actor, policies.READ)  # no place to show: the 403 page, if any
        return render("console/points/rules.html", places=[], rows=[], region_id=None)
    query = setup.rule_history(actor, region_id)
    rows, next_url = keyset_page(query, PointsRule.id, "console.points_rules", limit=PAGE_SIZE,
                                 region_id=region_id)
    in_force = {r.id for r in setup.rules_in_force(Region.get_by_id(region_id).path)}
    scopes = labels(list(Region.select().where(
        Region.id.in_({r.scope_region_id for r in rows} - {None} or {0}))))
    config = _config_places(actor)
    return render("console/points/rules.html", places=places, place_names=labels(places),
                  region_id=region_id, rows=rows, in_force=in_force, scopes=scopes,
                  next_url=next_url, config_places=config, config_names=labels(config),
                  may_end={r.id for r in rows
                           if r.scope_region_id and r.effective_to is None
                           and can(actor, policies.CONFIGURE, r.scope_path)},
                  event_types=rules.EVENT_TYPES, units=UNIT_NAMES)


@bp.route("/points/rules", methods=["POST"])
@page
def points_rule_new(actor: Actor):
    region_id = form_int("region_id") or 0
    starts = form_text("effective_from", 20)

    def publish():
        return setup.set_rule(
            actor, region_id=region_id,
            event_type=form_text("custom_type", 48) or form_text("event_type", 48),
            points=form_int("points") or 0, unit=form_text("unit", 8),
            name=form_text("name", 50), reason=form_text("reason", 200),
            effective_from=parse_local(starts) if starts else None)

    return perform(publish, back=url_for("console.points_rules", region_id=region_id),
                   done="已发布积分规则新版本，旧版本在新版本生效时停止")


@bp.route("/points/rules/<int:rule_id>/end", methods=["POST"])
@page
def points_rule_end(actor: Actor, rule_id: int):
    back = url_for("console.points_rules", region_id=form_int("region_id"))
    return perform(lambda: setup.end_rule(actor, rule_id, reason=form_text("reason", 200)),
                   back=back, done="该积分规则已停止，之后的事件等待新规则")


@bp.route("/points/rankings")
@page
def points_rankings(actor: Actor):
    places = places_in_scope(actor, policies.READ, SCOPE_LEVELS)
    region_id = picked(places, http.args.get("region_id"))
    period = tab_arg(PERIOD_NAMES, "month", name="period")
    kind = tab_arg(RANKED, "person", name="kind")
    if region_id is None:
        require_any_scope(actor, policies.READ)
        ranking = None
    else:
        ranking = queries.staff_ranking(actor, region_id=region_id, period_kind=period,
                                        account_kind=kind)
    config = _config_places(actor)
    return render("console/points/rankings.html", places=places, place_names=labels(places),
                  region_id=region_id, period=period, periods=PERIOD_NAMES, kind=kind,
                  kinds=RANKED, ranking=ranking, config_places=config,
                  config_names=labels(config), star_periods=STAR_PERIODS)


@bp.route("/points/star-schemes", methods=["POST"])
@page
def points_star_scheme(actor: Actor):
    region_id = form_int("region_id") or 0
    kind = form_text("account_kind", 12)
    thresholds = [v for v in form_text("thresholds", 200).replace("，", ",").split(",")
                  if v.strip()]
    return perform(lambda: setup.set_star_scheme(
        actor, region_id=region_id, account_kind=kind,
        period_kind=form_text("period_kind", 8), thresholds=thresholds),
        back=url_for("console.points_rankings", region_id=region_id, kind=kind or None),
        done="已设置星级标准")
