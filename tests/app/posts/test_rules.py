"""Pure rules of posts: the transition table and the feed cursor."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import Conflict, InvalidInput
from app.posts import rules

PAIRS = [(state, action) for state in rules.STATES for action in rules.TRANSITIONS]


@pytest.mark.parametrize("state,action", PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_every_move_follows_the_table_or_raises_illegal_transition(state, action):
    transition = rules.TRANSITIONS[action]
    if state in transition.sources:
        assert rules.next_state(state, action) == (transition.target or state)
        return
    with pytest.raises(Conflict) as info:
        rules.next_state(state, action)
    assert (info.value.code, info.value.details) == (
        "post.illegal_transition", {"state": state, "action": action})


def test_a_withdrawn_post_allows_nothing():
    assert rules.allowed_actions("withdrawn") == []
    assert rules.allowed_actions("published") == ["pin", "withdraw"]
    assert "unschedule" not in rules.allowed_actions("draft")
    assert "unschedule" in rules.allowed_actions("draft", scheduled=True)


def test_grid_workers_kinds_are_notices_and_service_guides():
    assert rules.NOTICE_KINDS == {"notice", "service_guide"}
    assert set(rules.KINDS) - rules.NOTICE_KINDS == {"policy", "news"}


@pytest.mark.parametrize("call,code", [
    (lambda: rules.check_kind("gossip"), "post.bad_kind"),
    (lambda: rules.check_text(" ", "正文"), "post.bad_title"),
    (lambda: rules.check_text("标" * 101, "正文"), "post.bad_title"),
    (lambda: rules.check_text("标题", ""), "post.bad_body"),
    (lambda: rules.check_reason("  "), "post.reason_required"),
    (lambda: rules.check_schedule(dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 1)),
     "post.schedule_in_past"),
])
def test_malformed_input_is_refused_with_a_stable_code(call, code):
    with pytest.raises(InvalidInput) as info:
        call()
    assert info.value.code == code


keys = st.builds(rules.FeedKey, st.booleans(),
                 st.datetimes(min_value=dt.datetime(2000, 1, 1),
                              max_value=dt.datetime(2100, 1, 1)),
                 st.integers(min_value=1, max_value=2**53))


@settings(max_examples=80, deadline=None)
@given(keys)
def test_a_cursor_carries_its_key_exactly(key):
    assert rules.decode_cursor(rules.encode_cursor(key)) == key


@settings(max_examples=80, deadline=None)
@given(keys, keys)
def test_feed_order_is_pinned_then_newest_then_highest_id(a, b):
    first, second = sorted([a, b], key=rules.FeedKey.sort_key)
    if a.pinned != b.pinned:
        assert first.pinned and not second.pinned
    elif a.published_at != b.published_at:
        assert first.published_at > second.published_at
    else:
        assert first.id >= second.id


@pytest.mark.parametrize("cursor", ["x", "aWQ6MTI", "cDF8MnwyMDI2LTAxLTAxfDE",
                                    rules.encode_cursor(rules.FeedKey(
                                        True, dt.datetime(2026, 1, 1), 1))[:-3] + "@@@"])
def test_a_forged_or_foreign_cursor_is_refused(cursor):
    with pytest.raises(InvalidInput) as info:
        rules.decode_cursor(cursor)
    assert info.value.code == "pagination.bad_cursor"


def test_no_cursor_is_the_first_page():
    assert rules.decode_cursor(None) is None and rules.decode_cursor("") is None
