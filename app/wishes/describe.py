"""What each viewer is shown of a wish, and which moves are open to them.

Everyone who may see a wish reads its text, category, state, masked names and photos. The
wisher, the claimant and staff in scope also see due times and notes the content check held;
the wisher and staff see review and takedown reasons; only staff see user and household ids.
Nobody is ever shown a phone number or a household address here.
"""

from __future__ import annotations

from app.clock import utcnow
from app.media.models import Media
from app.policy import Actor, can
from app.wishes import policies, rules
from app.wishes.models import Wish, WishEvent


def actions_for(actor: Actor | None, wish: Wish) -> list[str]:
    """The moves ``actor`` may make on ``wish`` now (for the client's buttons)."""
    status, moves = wish.status, []
    open_moves = set(rules.allowed_actions(status))
    if policies.is_wisher(actor, wish):
        moves += [m for m in ("withdraw", "confirm") if m in open_moves]
        if "thank" in open_moves and wish.thanked_at is None:
            moves.append("thank")
    if policies.is_claimant(actor, wish) and status == "claimed":
        moves += ["release", "fulfil"]
    if (status == "approved" and actor is not None and not policies.is_wisher(actor, wish)
            and (actor.is_volunteer or actor.is_party_member)
            and policies.lives_in_village(actor, wish)
            and (wish.deadline is None or wish.deadline > utcnow())):
        moves.append("claim")
    if "approve" in open_moves and can(actor, policies.REVIEW, wish.region_path):
        moves += ["approve", "reject"]
    if "take_down" in open_moves and can(actor, policies.TAKE_DOWN, wish.region_path):
        moves.append("take_down")
    return moves


def photos_of(targets: list[str]) -> dict[str, list[Media]]:
    """Images attached to each target, in one query (lists render many wishes at once)."""
    found: dict[str, list[Media]] = {t: [] for t in targets}
    if targets:
        for media in (Media.select().where(Media.attached_to.in_(targets))
                      .order_by(Media.attached_at, Media.id)):
            found[media.attached_to].append(media)
    return found


def summary(actor: Actor | None, wish: Wish, photos: list[Media] | None = None) -> dict:
    """The fields every viewer of ``wish`` may read."""
    party = (policies.is_wisher(actor, wish) or policies.is_claimant(actor, wish)
             or policies.is_staff_reader(actor, wish))
    data = {
        "id": wish.id, "category": wish.category,
        "category_name": rules.CATEGORY_NAMES.get(wish.category, wish.category),
        "text": wish.text, "deadline": wish.deadline, "status": wish.status,
        "status_name": rules.STATE_NAMES.get(wish.status, wish.status),
        "wisher_name": wish.wisher_name, "claimant_name": wish.claimant_name or None,
        "created_at": wish.created_at, "claimed_at": wish.claimed_at,
        "fulfilled_at": wish.fulfilled_at, "confirmed_at": wish.confirmed_at,
        "auto_confirmed": wish.auto_confirmed, "thanked": wish.thanked_at is not None,
        "is_mine": policies.is_wisher(actor, wish),
        "claimed_by_me": policies.is_claimant(actor, wish),
        "photos": photos if photos is not None else [],
    }
    if party or not wish.fulfil_note_held:
        data["fulfil_note"] = wish.fulfil_note or None
    if party or not wish.thanks_held:
        data["thanks"] = wish.thanks or None
    if party:
        data.update(claim_due_at=wish.claim_due_at, confirm_due_at=wish.confirm_due_at)
    if policies.is_wisher(actor, wish) or policies.is_staff_reader(actor, wish):
        data.update(review_reason=wish.review_reason or None,
                    closed_reason=wish.closed_reason or None,
                    held_for_review=wish.held_for_review)
    if policies.is_staff_reader(actor, wish):
        data.update(wisher_user_id=wish.wisher_id, claimant_user_id=wish.claimant_id,
                    household_id=wish.region_id, village_id=wish.village_id,
                    fulfil_note_held=wish.fulfil_note_held, thanks_held=wish.thanks_held)
    return data


def summaries(actor: Actor | None, wishes: list[Wish]) -> list[dict]:
    """A page of wishes, each with its own photos (one query for the whole page)."""
    photos = photos_of([f"wish:{w.id}" for w in wishes])
    return [summary(actor, w, photos[f"wish:{w.id}"]) for w in wishes]


def detail(actor: Actor | None, wish: Wish) -> dict:
    """One wish with its photos, the fulfilment photos, its history and the open moves."""
    targets = [f"wish:{wish.id}", f"wish_fulfilment:{wish.id}"]
    photos = photos_of(targets)
    data = summary(actor, wish, photos[targets[0]])
    data["fulfilment_photos"] = photos[targets[1]]
    events = WishEvent.select().where(WishEvent.wish == wish.id)
    if not policies.is_staff_reader(actor, wish):
        events = events.where(WishEvent.public)
    data["history"] = list(events.order_by(WishEvent.id))
    data["allowed_actions"] = actions_for(actor, wish)
    return data
