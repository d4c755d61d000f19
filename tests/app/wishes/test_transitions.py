"""Every move a service offers, tried from every state the table does not allow it from.

Each move is made by the person entitled to it (the wisher confirms, the claimant fulfils, a
party member claims, the cadre reviews), so the refusal comes from the wish's state — or,
where the state leaves that person without a role (no claimant yet, a wish not on the wall),
from that. Nothing changes: status and version stay as they were.
"""

from __future__ import annotations

import pytest

from app.errors import DomainError
from app.wishes import claims, review, rules
from app.wishes import services as wishes
from tests.app.wishes.conftest import approved, claimed, fresh, fulfilled, submitted


def rejected(village):
    wish = submitted(village)
    return review.reject_wish(village.staff(village.cadre), wish.id, reason="不属于微心愿范围")


def confirmed(village):
    wish = fulfilled(village)
    return wishes.confirm_wish(village.actor(village.wisher), wish.id)


def withdrawn(village):
    wish = claimed(village)
    return wishes.withdraw_wish(village.actor(village.wisher), wish.id)


def taken_down(village):
    wish = claimed(village)
    return review.take_down_wish(village.staff(village.cadre), wish.id, reason="重复发布")


BUILD = {"submitted": submitted, "approved": approved, "rejected": rejected,
         "claimed": claimed, "fulfilled": fulfilled, "confirmed": confirmed,
         "withdrawn": withdrawn, "taken_down": taken_down}

MOVES = {
    "approve": lambda v, w: review.approve_wish(v.staff(v.cadre), w.id),
    "reject": lambda v, w: review.reject_wish(v.staff(v.cadre), w.id, reason="理由"),
    "take_down": lambda v, w: review.take_down_wish(v.staff(v.cadre), w.id, reason="理由"),
    "claim": lambda v, w: claims.claim_wish(v.actor(v.party_member), w.id),
    "release": lambda v, w: claims.release_claim(v.actor(v.volunteer), w.id),
    "fulfil": lambda v, w: claims.fulfil_wish(v.actor(v.volunteer), w.id, note="完成了"),
    "confirm": lambda v, w: wishes.confirm_wish(v.actor(v.wisher), w.id),
    "thank": lambda v, w: wishes.thank_claimant(v.actor(v.wisher), w.id, text="谢谢"),
    "withdraw": lambda v, w: wishes.withdraw_wish(v.actor(v.wisher), w.id),
}
ILLEGAL = [(state, move) for state in BUILD for move in MOVES
           if state not in rules.TRANSITIONS[move].sources]


def expected_code(state, move, wish, village):
    helper = move in ("claim", "release", "fulfil")
    holds = wish.claimant_id == village.volunteer.id and move != "claim"
    if helper and not holds and state not in rules.PUBLIC_STATES:
        return "wish.not_found"  # a neighbour cannot see a wish that is off the wall
    if move == "claim" and state in rules.HELD_BY_CLAIMANT:
        return "wish.already_claimed"
    if helper and move != "claim" and not holds:
        return "wish.not_claimant"
    return "wish.illegal_transition"


def test_the_states_built_here_are_the_states_of_the_table():
    assert set(BUILD) == set(rules.STATES)
    assert set(MOVES) | {"submit", "expire_claim", "auto_confirm"} == set(rules.TRANSITIONS)


@pytest.mark.parametrize("state,move", ILLEGAL, ids=[f"{s}-{m}" for s, m in ILLEGAL])
def test_an_illegal_move_is_refused_and_changes_nothing(village, state, move):
    wish = fresh(BUILD[state](village))
    assert wish.status == state
    with pytest.raises(DomainError) as info:
        MOVES[move](village, wish)
    assert info.value.code == expected_code(state, move, wish, village)
    after = fresh(wish)
    assert (after.status, after.version) == (wish.status, wish.version)
