"""Pure rules of wishes: the transition table, name masking, due times and limits."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import Conflict, InvalidInput
from app.wishes import rules

PAIRS = [(state, action) for state in rules.STATES for action in rules.TRANSITIONS]


@pytest.mark.parametrize("state,action", PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_every_move_either_follows_the_table_or_raises_a_stable_code(state, action):
    transition = rules.TRANSITIONS[action]
    if state in transition.sources:
        assert rules.next_state(state, action) == (transition.target or state)
        assert action in rules.allowed_actions(state)
        return
    with pytest.raises(Conflict) as info:
        rules.next_state(state, action)
    expected = ("wish.already_claimed" if action == "claim" and state in rules.HELD_BY_CLAIMANT
                else "wish.illegal_transition")
    assert info.value.code == expected
    assert action not in rules.allowed_actions(state)


def test_terminal_states_allow_nothing_but_thanks_after_confirmation():
    assert {s: rules.allowed_actions(s) for s in rules.TERMINAL} == {
        "rejected": [], "withdrawn": [], "confirmed": ["thank", "take_down"], "taken_down": []}


def test_an_unknown_action_is_illegal_from_every_state():
    with pytest.raises(Conflict) as info:
        rules.next_state("approved", "teleport")
    assert info.value.code == "wish.illegal_transition"


@pytest.mark.parametrize("name,masked", [
    ("张三", "张*"), ("张", "张*"), ("张小明", "张**"), ("张阿姨", "张**"), ("欧阳娜娜", "欧**"),
    (" 李 四 ", "李*"), ("Tom", "T**"), ("", "邻居"), (None, "邻居"), ("   ", "邻居"),
])
def test_names_are_masked_to_the_first_character(name, masked):
    assert rules.mask_name(name) == masked


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_a_masked_name_reveals_at_most_its_first_character(name):
    masked = rules.mask_name(name)
    text = "".join(name.split())
    if not text:
        assert masked == "邻居"
        return
    assert masked[0] == text[0]
    assert set(masked[1:]) == {"*"} and 1 <= len(masked) - 1 <= 2


def test_a_claim_is_due_after_the_claim_days_or_at_the_deadline_if_sooner():
    at = dt.datetime(2026, 11, 23, 1)
    assert rules.claim_due_at(at, 7, None) == at + dt.timedelta(days=7)
    assert rules.claim_due_at(at, 7, at + dt.timedelta(days=2)) == at + dt.timedelta(days=2)
    assert rules.claim_due_at(at, 1, at + dt.timedelta(days=9)) == at + dt.timedelta(days=1)
    assert rules.confirm_due_at(at, 5) == at + dt.timedelta(days=5)


@pytest.mark.parametrize("claim_days,confirm_days,code", [
    (0, 7, "wish.bad_claim_days"), (61, 7, "wish.bad_claim_days"),
    (7, 0, "wish.bad_auto_confirm_days"), (7, 31, "wish.bad_auto_confirm_days"),
])
def test_limits_outside_their_range_are_refused(claim_days, confirm_days, code):
    with pytest.raises(InvalidInput) as info:
        rules.check_days(claim_days, confirm_days)
    assert info.value.code == code
    rules.check_days(1, 1)
    rules.check_days(60, 30)
