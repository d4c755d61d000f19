"""The pure rules of requests: every (state, action) pair of the state machine, the mediation
ladder, the escalation ladder's next level and next look, and tracking numbers. No database."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from app.errors import Conflict, InvalidInput
from app.requests import rules

ACTIVE = ("submitted", "accepted", "dispatched", "in_progress", "waiting_for_resident",
          "returned", "resolved", "reopened")

# The whole table, written out: a change to rules.TRANSITIONS must show up here.
LEGAL = {
    ("submitted", "accept"): "accepted",
    ("accepted", "dispatch"): "dispatched",
    ("returned", "dispatch"): "dispatched",
    ("reopened", "dispatch"): "dispatched",
    ("dispatched", "start"): "in_progress",
    ("dispatched", "return"): "returned",
    ("in_progress", "return"): "returned",
    ("dispatched", "transfer"): "dispatched",
    ("in_progress", "transfer"): "dispatched",
    ("dispatched", "request_extension"): "dispatched",
    ("in_progress", "request_extension"): "in_progress",
    ("dispatched", "approve_extension"): "dispatched",
    ("in_progress", "approve_extension"): "in_progress",
    ("waiting_for_resident", "approve_extension"): "waiting_for_resident",
    ("dispatched", "reject_extension"): "dispatched",
    ("in_progress", "reject_extension"): "in_progress",
    ("waiting_for_resident", "reject_extension"): "waiting_for_resident",
    ("in_progress", "wait_for_resident"): "waiting_for_resident",
    ("waiting_for_resident", "resume"): "in_progress",
    ("in_progress", "resolve"): "resolved",
    ("resolved", "rate"): "closed",
    ("resolved", "reopen"): "reopened",
    ("resolved", "expire_rating"): "closed",
    ("submitted", "merge"): "merged_duplicate",
    ("accepted", "merge"): "merged_duplicate",
    ("submitted", "cancel"): "cancelled",
    ("accepted", "mediate"): "accepted",
    ("dispatched", "mediate"): "dispatched",
    ("in_progress", "mediate"): "in_progress",
    ("waiting_for_resident", "mediate"): "waiting_for_resident",
    **{(state, "note"): state for state in ACTIVE},
    ("resolved", "visit"): "resolved",
    ("closed", "visit"): "closed",
}

ALL_PAIRS = list(itertools.product(rules.STATES, rules.TRANSITIONS))


def test_the_states_and_actions_are_the_documented_ones():
    assert rules.STATES == ACTIVE + ("closed", "merged_duplicate", "cancelled")
    assert rules.TERMINAL == {"closed", "merged_duplicate", "cancelled"}
    assert set(rules.TRANSITIONS) == {
        "accept", "dispatch", "start", "return", "transfer", "request_extension",
        "approve_extension", "reject_extension", "wait_for_resident", "resume", "resolve",
        "rate", "reopen", "expire_rating", "merge", "cancel", "mediate", "note", "visit"}


def test_the_legal_table_is_exactly_the_code_table():
    declared = {(state, action) for action, t in rules.TRANSITIONS.items()
                for state in t.sources}
    assert declared == set(LEGAL)


@pytest.mark.parametrize(("state", "action"), ALL_PAIRS,
                         ids=[f"{s}-{a}" for s, a in ALL_PAIRS])
def test_each_state_and_action_either_moves_to_the_target_or_is_refused(state, action):
    if (state, action) in LEGAL:
        assert rules.next_state(state, action) == LEGAL[(state, action)]
        return
    with pytest.raises(Conflict) as info:
        rules.next_state(state, action)
    assert info.value.code == "request.illegal_transition"
    assert info.value.details == {"state": state, "action": action}
    assert rules.STATE_NAMES[state] in info.value.message


def test_an_unknown_action_is_an_illegal_transition():
    with pytest.raises(Conflict) as info:
        rules.next_state("submitted", "teleport")
    assert info.value.code == "request.illegal_transition"


@pytest.mark.parametrize("state", rules.STATES)
def test_allowed_actions_lists_the_legal_actions_of_a_state(state):
    assert set(rules.allowed_actions(state)) == {a for s, a in LEGAL if s == state}


@pytest.mark.parametrize("state", sorted(rules.TERMINAL))
def test_no_action_leaves_a_terminal_state(state):
    for action in rules.allowed_actions(state):
        assert rules.next_state(state, action) == state


def test_every_action_has_a_plain_chinese_label_and_every_state_a_name():
    assert all(t.label for t in rules.TRANSITIONS.values())
    assert set(rules.STATE_NAMES) == set(rules.STATES)


# -- mediation colours ------------------------------------------------------------------------

MEDIATION_LEGAL = {("yellow", "orange"), ("yellow", "green"), ("orange", "blue"),
                   ("orange", "green"), ("orange", "red"), ("blue", "green"), ("blue", "red")}
MEDIATION_PAIRS = list(itertools.product((None,) + rules.MEDIATION_CODES,
                                         rules.MEDIATION_CODES))


@pytest.mark.parametrize(("current", "target"), MEDIATION_PAIRS,
                         ids=[f"{c}-{t}" for c, t in MEDIATION_PAIRS])
def test_a_mediation_code_moves_only_along_the_ladder(current, target):
    if (current, target) in MEDIATION_LEGAL:
        assert rules.next_mediation_code(current, target) == target
        return
    with pytest.raises(Conflict) as info:
        rules.next_mediation_code(current, target)
    assert info.value.code == "request.illegal_mediation_move"
    assert info.value.details == {"from": current, "to": target}


def test_red_and_green_are_final_mediation_codes():
    assert rules.MEDIATION_MOVES["red"] == rules.MEDIATION_MOVES["green"] == set()


def test_an_unknown_mediation_code_is_invalid_input():
    with pytest.raises(InvalidInput) as info:
        rules.next_mediation_code("yellow", "purple")
    assert info.value.code == "request.bad_mediation_code"


# -- the escalation ladder ----------------------------------------------------------------------

DEADLINE = dt.datetime(2026, 11, 26, 16, 0)
REMIND = dt.timedelta(hours=24)
AFTER = dt.timedelta(hours=24)
HOUR = dt.timedelta(hours=1)
SECOND = dt.timedelta(seconds=1)


def due(level, now, hard=False):
    return rules.due_escalation_level(level=level, now=now, deadline=DEADLINE,
                                      remind_before=REMIND, escalate_after=AFTER, hard=hard)


@pytest.mark.parametrize(("level", "now", "hard", "expected"), [
    (0, DEADLINE - REMIND - SECOND, False, None),
    (0, DEADLINE - REMIND, False, rules.LEVEL_REMINDED),
    (0, DEADLINE + 3 * AFTER, False, rules.LEVEL_REMINDED),  # one step at a time
    (1, DEADLINE - SECOND, False, None),
    (1, DEADLINE, False, rules.LEVEL_URGED),
    (2, DEADLINE + AFTER - SECOND, False, None),
    (2, DEADLINE + AFTER, False, rules.LEVEL_ESCALATED),
    (3, DEADLINE + 10 * AFTER, False, None),
    (3, DEADLINE + AFTER, True, rules.LEVEL_JOINT),
    (4, DEADLINE + 10 * AFTER, True, None),
])
def test_the_next_escalation_level_is_due_one_step_at_a_time(level, now, hard, expected):
    assert due(level, now, hard) == expected


def test_levels_have_names_for_the_timeline():
    assert rules.LEVEL_NAMES == {0: "正常", 1: "临期提醒", 2: "超期催办", 3: "提级督办",
                                 4: "联合督办"}


def look(status, level, *, hard=False, deadline=DEADLINE, resolved_at=None):
    now = DEADLINE + 5 * AFTER
    return rules.next_due_at(status=status, level=level, deadline=deadline,
                             remind_before=REMIND, escalate_after=AFTER, hard=hard, now=now,
                             resolved_at=resolved_at, rating_window=dt.timedelta(days=7))


@pytest.mark.parametrize(("level", "hard", "expected"), [
    (0, False, DEADLINE - REMIND),
    (1, False, DEADLINE),
    (2, False, DEADLINE + AFTER),
    (3, False, None),
    (3, True, DEADLINE + 5 * AFTER),  # a hard case is joined at once (``now``)
    (4, True, None),
])
def test_the_next_look_follows_the_ladder(level, hard, expected):
    assert look("in_progress", level, hard=hard) == expected


@pytest.mark.parametrize("status", ["waiting_for_resident", "closed", "merged_duplicate",
                                    "cancelled"])
def test_paused_and_finished_requests_have_nothing_due(status):
    assert look(status, 0) is None


def test_a_resolved_request_is_looked_at_when_its_rating_window_ends():
    resolved_at = dt.datetime(2026, 11, 25, 2, 0)
    assert look("resolved", 2, resolved_at=resolved_at) == resolved_at + dt.timedelta(days=7)


def test_a_request_without_a_deadline_has_nothing_due():
    assert look("accepted", 0, deadline=None) is None


# -- limits, reopening, tracking numbers ---------------------------------------------------------

def test_default_limits_follow_the_12345_rule_set_and_towns_may_override():
    assert {t: rules.resolve_days(t) for t in rules.TYPES} == {
        "consultation": 3, "help": 3, "complaint": 13, "suggestion": 13, "mediation": 13,
        "emergency": 0}
    assert rules.resolve_days("help", {"help": 5}) == 5
    assert rules.resolve_days("complaint", {"help": 5}) == 13


def test_a_request_may_be_reopened_once():
    rules.check_can_reopen(0)
    with pytest.raises(Conflict) as info:
        rules.check_can_reopen(1)
    assert info.value.code == "request.reopen_limit"


def test_a_tracking_number_is_r_date_dash_four_digit_sequence():
    assert rules.tracking_number(dt.date(2026, 11, 22), 7) == "R20261122-0007"
    assert rules.tracking_number(dt.date(2027, 1, 5), 1234) == "R20270105-1234"
    assert re.fullmatch(r"R\d{8}-\d{4}", rules.tracking_number(dt.date(2026, 1, 1), 1))
