"""The claimant's side of a wish: claim it, give it back, report it fulfilled.

Exactly one claimant: the claim is ``UPDATE wish … WHERE id = ? AND status = 'approved'`` as
the first write of its transaction (``history.apply_action``), so of any number of concurrent
claims one updates the row and every other gets 409 ``wish.already_claimed`` — on SQLite
(the write lock serialises them) and on PostgreSQL (the row lock, then the re-checked WHERE).
"""

from __future__ import annotations

from app.clock import utcnow
from app.content import ContentChecker, WordListChecker, screen_text
from app.db import database
from app.errors import Conflict, Forbidden, InvalidInput
from app.policy import Actor
from app.wishes import notify, policies, rules
from app.wishes.history import apply_action
from app.wishes.models import Wish
from app.wishes.services import name_for_wall, openid_of
from app.wishes.settings import limits_for


def check_may_claim(actor: Actor | None, wish: Wish) -> None:
    """Raise unless ``actor`` may claim ``wish`` (state aside): wish.own_wish,
    wish.claim_not_allowed (neither volunteer nor party member), wish.claim_outside_village."""
    if policies.is_wisher(actor, wish):
        raise Forbidden("wish.own_wish", "不能认领自己的心愿")
    if not (actor.is_volunteer or actor.is_party_member):
        raise Forbidden("wish.claim_not_allowed", "只有志愿者或党员可以认领心愿")
    if not policies.lives_in_village(actor, wish):
        raise Forbidden("wish.claim_outside_village", "只能认领本社区(村)居民的心愿")


def claim_wish(actor: Actor | None, wish_id: int) -> Wish:
    """A volunteer or party member of the wish's village claims it.

    Raises wish.not_found (out of sight), wish.own_wish, wish.claim_not_allowed,
    wish.claim_outside_village, wish.already_claimed (someone holds it, or won the race),
    wish.illegal_transition, wish.past_deadline. Sets the claimant and the claim's due time
    (the town's claim days, or the wish's deadline when sooner); tells the wisher.
    """
    wish = policies.load_visible(actor, wish_id)
    check_may_claim(actor, wish)
    rules.next_state(wish.status, "claim")
    now = utcnow()
    if wish.deadline is not None and wish.deadline <= now:
        raise Conflict("wish.past_deadline", "这个心愿已过期望完成时间，不能再认领")
    limits = limits_for(wish.region_path)
    due = rules.claim_due_at(now, limits.claim_days, wish.deadline)
    name = name_for_wall(actor.user_id, actor.household_id)
    with database.atomic():
        apply_action(wish, "claim", actor=actor, role="volunteer", now=now,
                     changes={"claimant": actor.user_id, "claimant_name": name,
                              "claimed_at": now, "claim_due_at": due})
        notify.to_resident(wish, wish.wisher_id, "wish.claimed",
                           "您的心愿已被认领，认领人会尽快帮您实现",
                           dedupe=f"claimed:{wish.version}")
    return wish


def _held_by(actor: Actor | None, wish_id: int) -> Wish:
    wish = policies.load_visible(actor, wish_id)
    if not policies.is_claimant(actor, wish):
        raise Forbidden("wish.not_claimant", "只有认领人可以进行此操作")
    return wish


def release_claim(actor: Actor | None, wish_id: int, *, reason: str = "") -> Wish:
    """The claimant gives the wish back; it returns to the wall and the wisher is told.

    Raises wish.not_found, wish.not_claimant, wish.illegal_transition, wish.changed.
    """
    wish = _held_by(actor, wish_id)
    reason = rules.check_note(reason, "wish.bad_reason", "", required=False)
    now = utcnow()
    with database.atomic():
        apply_action(wish, "release", actor=actor, role="volunteer", now=now, note=reason,
                     changes={"claimant": None, "claimant_name": "", "claimed_at": None,
                              "claim_due_at": None})
        notify.to_resident(wish, wish.wisher_id, "wish.released",
                           "认领人放弃了认领，您的心愿已重新开放认领",
                           dedupe=f"released:{wish.version}")
    return wish


def fulfil_wish(actor: Actor | None, wish_id: int, *, note: str,
                photo_ids: tuple[int, ...] = (), checker: ContentChecker | None = None,
                openid: str | None = None) -> Wish:
    """The claimant reports the wish fulfilled, with a note and photos, for the wisher to
    confirm; without an answer it is confirmed after the town's auto-confirm days.

    Raises wish.not_found, wish.not_claimant, wish.note_required, wish.too_many_photos,
    content.risky, wish.illegal_transition, wish.changed, media.* errors. A note the content
    check holds for review is shown only to the two of them and staff.
    """
    wish = _held_by(actor, wish_id)
    note = rules.check_note(note, "wish.note_required", "请简要说明心愿是如何实现的")
    if len(photo_ids) > rules.MAX_PHOTOS:
        raise InvalidInput("wish.too_many_photos", f"最多上传 {rules.MAX_PHOTOS} 张照片")
    rules.next_state(wish.status, "fulfil")
    held = screen_text(checker or WordListChecker(), note, openid=openid_of(actor, openid))
    now = utcnow()
    limits = limits_for(wish.region_path)
    with database.atomic():
        apply_action(wish, "fulfil", actor=actor, role="volunteer", now=now,
                     changes={"fulfil_note": note, "fulfil_note_held": held,
                              "fulfilled_at": now, "claim_due_at": None,
                              "confirm_due_at": rules.confirm_due_at(
                                  now, limits.auto_confirm_days)})
        if photo_ids:
            from app.media.services import attach_media

            attach_media(actor, list(photo_ids), f"wish_fulfilment:{wish.id}",
                         limit=rules.MAX_PHOTOS)
        notify.to_resident(wish, wish.wisher_id, "wish.fulfilled",
                           "认领人已完成您的心愿，请确认", dedupe="fulfilled")
    return wish
