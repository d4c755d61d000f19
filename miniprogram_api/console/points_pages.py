"""微星光 accounts in the console: the points accounts in scope (people and households, keyset
pages, filtered by place), one account with its standing, star level and statement (every
transfer with the rule and version behind it, keyset pages), a staff award with a reason,
and the reversal (冲正) of a credit with a reason.

Every call is one ``/admin/api/v1/points`` makes (``app.points.queries`` and
``app.points.awards``). Names only, never phone numbers. A hidden one-time ``request_key``
in each form makes a double-clicked award or reversal count once (the services' own rule).
"""

from __future__ import annotations

import uuid

from flask import request as http
from flask import url_for

from app.accounts.models import User
from app.points import awards, policies, queries, rules
from app.points.models import PointsAccount
from app.policy import Actor, can
from app.regions.models import Region
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, form_text, keyset_page, perform, render, tab_arg
from miniprogram_api.console.region_choices import labels, places_in_scope
from miniprogram_api.console.session import page
from miniprogram_api.pagination import decode_cursor, encode_cursor

PAGE_SIZE = 20
LINES = 20
KINDS = {"person": "个人", "household": "户（星级文明户）"}
PERIOD_NAMES = {"all": "累计", "year": "本年", "month": "本月"}


def owner_names(accounts: list[PointsAccount]) -> dict[int, str]:
    """``{account id: name}``: a person's display name, a household's place and number."""
    people = dict(User.select(User.id, User.display_name).where(
        User.id.in_({a.owner_id for a in accounts if a.kind == "person"} or {0})).tuples())
    homes = list(Region.select().where(
        Region.id.in_({a.owner_id for a in accounts if a.kind == "household"} or {0})))
    home_names = labels(homes)
    return {a.id: (people.get(a.owner_id) or "居民") if a.kind == "person"
            else home_names.get(a.owner_id, "") for a in accounts}


@bp.app_template_filter("stars")
def _stars(count: int) -> str:
    return "★" * count if count else "未评星"


@bp.route("/points")
@page
def points_accounts(actor: Actor):
    kind = tab_arg(KINDS, "person", name="kind")
    places = places_in_scope(actor, policies.READ, ("village", "grid"))
    raw = http.args.get("region_id", "")
    region_id = int(raw) if raw.isdigit() else None
    query = queries.staff_accounts(actor, region_id=region_id, kind=kind)
    rows, next_url = keyset_page(query, PointsAccount.id, "console.points_accounts",
                                 limit=PAGE_SIZE, kind=kind, region_id=raw or None)
    return render("console/points/accounts.html", kind=kind, kinds=KINDS, rows=rows,
                  names=owner_names(rows), places=places, place_names=labels(places),
                  region_id=region_id, next_url=next_url)


@bp.route("/points/accounts/<int:account_id>")
@page
def points_account(actor: Actor, account_id: int):
    account = queries.staff_account(actor, account_id)
    standing = queries.staff_standing(actor, account_id)
    statement = queries.staff_statement(actor, account_id,
                                        before_id=decode_cursor(http.args.get("cursor")),
                                        limit=LINES)
    next_url = (url_for("console.points_account", account_id=account_id,
                        cursor=encode_cursor(statement.next_before_id))
                if statement.next_before_id is not None else None)
    # Offer only the forms the person's grants open; the services check again.
    may_award = account.kind in KINDS and can(actor, policies.AWARD, account.region_path)
    reversible = {line.id for line in statement.lines
                  if account.kind == "person" and line.amount > 0
                  and line.reverses_id is None and line.event_type != rules.REDEMPTION
                  and can(actor, policies.REVERSE, account.region_path)}
    return render("console/points/account.html", account=account, standing=standing,
                  name=owner_names([account])[account.id], lines=statement.lines,
                  next_url=next_url, may_award=may_award, reversible=reversible,
                  request_key=uuid.uuid4().hex, kinds=KINDS, periods=PERIOD_NAMES)


def _back_to_account() -> str:
    account_id = form_int("account_id")
    if account_id is None:
        return url_for("console.points_accounts")
    return url_for("console.points_account", account_id=account_id)


@bp.route("/points/awards", methods=["POST"])
@page
def points_award(actor: Actor):
    """Award points to the person (``user_id``) or household (``household_id``) posted."""
    return perform(lambda: awards.award_points(
        actor, points=form_int("points") or 0, reason=form_text("reason", 200),
        request_key=form_text("request_key", 64), user_id=form_int("user_id"),
        household_id=form_int("household_id")),
        back=_back_to_account(), done="已奖励积分，记入账户明细")


@bp.route("/points/transfers/<int:transfer_id>/reverse", methods=["POST"])
@page
def points_reverse(actor: Actor, transfer_id: int):
    """Reverse a credit (all that is left of it, or the amount typed) with a reason."""
    return perform(lambda: awards.reverse_transfer(
        actor, transfer_id, reason=form_text("reason", 200), amount=form_int("amount"),
        request_key=form_text("request_key", 64) or None),
        back=_back_to_account(), done="已冲正，个人与本户积分一并扣回")
