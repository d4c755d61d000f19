"""What the wisher does — post, withdraw, confirm, thank — and the lists residents read.

The claimant's side is in ``claims.py``, staff review in ``review.py``, scheduled work in
``jobs.py``. Every write reads the wish and checks who may act before its one transaction,
whose first write is the conditional status update (``history.apply_action``).
"""

from __future__ import annotations

import datetime as dt

from app.accounts.models import HouseholdBinding, User
from app.clock import utcnow
from app.content import ContentChecker, WordListChecker, screen_text
from app.db import database
from app.errors import Conflict, Forbidden, InvalidInput, Unauthorized
from app.policy import Actor
from app.regions import rules as region_rules
from app.regions.models import Region
from app.wishes import notify, points, policies, rules
from app.wishes.history import add_event, apply_action
from app.wishes.models import Wish

REVIEWERS = {"grid_worker", "cadre"}


def _resident(actor: Actor | None) -> Actor:
    if actor is None:
        raise Unauthorized()
    if actor.household_id is None or actor.household_path is None:
        raise Forbidden("wish.household_required", "请先绑定您家的住户信息")
    return actor


def village_of(household_path: str) -> Region:
    """The village above a household (one query over the path's ids)."""
    ids = region_rules.path_ids(household_path)
    village = (Region.select().where(Region.id.in_(ids) & (Region.level == "village")).first())
    if village is None:
        raise InvalidInput("wish.no_village", "您的住户不属于任何社区(村)，请联系网格员")
    return village


def name_for_wall(user_id: int, household_id: int | None) -> str:
    """The masked name of a person: their approved binding's real name, else their nickname."""
    binding = (HouseholdBinding.select(HouseholdBinding.real_name)
               .where((HouseholdBinding.user == user_id)
                      & (HouseholdBinding.household == household_id)
                      & (HouseholdBinding.status == "approved"))
               .order_by(HouseholdBinding.id.desc()).first()) if household_id else None
    name = binding.real_name if binding else User.get_by_id(user_id).display_name
    return rules.mask_name(name)


def openid_of(actor: Actor, openid: str | None) -> str | None:
    return openid or User.select(User.openid).where(User.id == actor.user_id).scalar()


def create_wish(actor: Actor | None, *, category: str, text: str,
                deadline: dt.datetime | None = None, photo_ids: tuple[int, ...] = (),
                checker: ContentChecker | None = None, openid: str | None = None) -> Wish:
    """A resident bound to a household posts a wish for staff review.

    Raises Unauthorized; wish.household_required (403) for a visitor; wish.bad_category /
    text_too_short / text_too_long / deadline_in_past / too_many_photos; content.risky
    (rejected text); media.* errors. Text the content check holds for review is kept with
    ``held_for_review`` for the reviewer. Creates the wish, attaches its photos
    (``wish:<id>``), writes its history and notices to the reviewers of the area.
    """
    actor = _resident(actor)
    now = utcnow()
    text = rules.check_wish(category, text, deadline, now)
    if len(photo_ids) > rules.MAX_PHOTOS:
        raise InvalidInput("wish.too_many_photos", f"最多上传 {rules.MAX_PHOTOS} 张照片")
    village = village_of(actor.household_path)
    held = screen_text(checker or WordListChecker(), text, openid=openid_of(actor, openid))
    name = name_for_wall(actor.user_id, actor.household_id)
    with database.atomic():
        wish = Wish.create(wisher=actor.user_id, wisher_name=name,
                           region=actor.household_id, region_path=actor.household_path,
                           village=village.id, category=category, text=text,
                           deadline=deadline, held_for_review=held, created_at=now)
        if photo_ids:
            from app.media.services import attach_media

            attach_media(actor, list(photo_ids), f"wish:{wish.id}", limit=rules.MAX_PHOTOS)
        add_event(wish, actor=actor, role="resident", action="submit", from_status=None,
                  to_status="submitted", at=now)
        notify.to_staff(wish, REVIEWERS, "wish.to_review", "有新的微心愿待审核",
                        dedupe="to_review")
    return wish


def get_wish(actor: Actor | None, wish_id: int) -> Wish:
    """The wish if the caller may see it (see ``policies``); otherwise wish.not_found."""
    return policies.load_visible(actor, wish_id)


def _own(actor: Actor | None, wish_id: int) -> Wish:
    wish = policies.load_visible(actor, wish_id)
    if not policies.is_wisher(actor, wish):
        raise Forbidden("wish.not_wisher", "只有许愿人本人可以进行此操作")
    return wish


def withdraw_wish(actor: Actor | None, wish_id: int, *, reason: str = "") -> Wish:
    """The wisher withdraws their wish before it is fulfilled (a claimant is told).

    Raises wish.not_found, wish.not_wisher, wish.illegal_transition, wish.changed.
    """
    wish = _own(actor, wish_id)
    reason = rules.check_note(reason, "wish.bad_reason", "", required=False)
    now = utcnow()
    claimant_id = wish.claimant_id
    with database.atomic():
        apply_action(wish, "withdraw", actor=actor, role="resident", now=now, note=reason,
                     changes={"closed_at": now, "closed_reason": reason, "claim_due_at": None})
        if claimant_id is not None:
            notify.to_resident(wish, claimant_id, "wish.withdrawn",
                               "您认领的心愿已被许愿人撤回，无需再办理", dedupe="withdrawn")
    return wish


def confirm_wish(actor: Actor | None, wish_id: int) -> Wish:
    """The wisher confirms that the claimant fulfilled the wish; the claimant earns the points
    event (``points.record_fulfilment``). Raises wish.not_found, wish.not_wisher,
    wish.illegal_transition, wish.changed."""
    wish = _own(actor, wish_id)
    now = utcnow()
    with database.atomic():
        apply_action(wish, "confirm", actor=actor, role="resident", now=now,
                     changes={"confirmed_at": now, "confirm_due_at": None})
        points.record_fulfilment(wish, now)
        notify.to_resident(wish, wish.claimant_id, "wish.confirmed",
                           "许愿人已确认心愿实现，感谢您的帮助", dedupe="confirmed")
    return wish


def thank_claimant(actor: Actor | None, wish_id: int, *, text: str,
                   checker: ContentChecker | None = None, openid: str | None = None) -> Wish:
    """The wisher writes thanks to the claimant, once, after confirmation.

    Raises wish.not_found, wish.not_wisher, wish.bad_thanks, content.risky,
    wish.illegal_transition (not confirmed), wish.already_thanked. Thanks the content check
    holds for review are shown only to the two of them and staff.
    """
    wish = _own(actor, wish_id)
    text = rules.check_note(text, "wish.bad_thanks", "请写下您的感谢")
    rules.next_state(wish.status, "thank")
    if wish.thanked_at is not None:
        raise Conflict("wish.already_thanked", "您已经写过感谢了")
    held = screen_text(checker or WordListChecker(), text, openid=openid_of(actor, openid))
    now = utcnow()
    with database.atomic():
        apply_action(wish, "thank", actor=actor, role="resident", now=now,
                     changes={"thanks": text, "thanks_held": held, "thanked_at": now})
        notify.to_resident(wish, wish.claimant_id, "wish.thanked", "许愿人给您写了感谢",
                           dedupe="thanked")
    return wish


# -- lists (unevaluated queries, for keyset paging by Wish.id) --------------------------------

WALL_STATES = ("approved", "claimed", "fulfilled", "confirmed")


def wall_query(actor: Actor | None, *, status: str = "approved"):
    """The wall of the caller's village: approved wishes (default) or those in another public
    state. Residents bound to a household only. Approved wishes past their own deadline are
    left out (nobody can claim them any more). Raises wish.household_required, wish.bad_status.
    """
    actor = _resident(actor)
    if status not in WALL_STATES:
        raise InvalidInput("wish.bad_status", "未知的心愿状态")
    village = village_of(actor.household_path)
    query = Wish.select().where((Wish.village == village.id) & (Wish.status == status))
    if status == "approved":
        query = query.where(Wish.deadline.is_null() | (Wish.deadline > utcnow()))
    return query


def my_wishes_query(actor: Actor | None):
    """The caller's own wishes, whatever their state."""
    if actor is None:
        raise Unauthorized()
    return Wish.select().where(Wish.wisher == actor.user_id)


def my_claims_query(actor: Actor | None):
    """The wishes the caller currently holds or has fulfilled as claimant."""
    if actor is None:
        raise Unauthorized()
    return Wish.select().where(Wish.claimant == actor.user_id)
