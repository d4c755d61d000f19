"""Pure rules of 微实事: the transition table, phases from dates, ballot checks."""

from __future__ import annotations

import pytest

from app.errors import Conflict, InvalidInput
from app.projects import rules
from tests.app.projects.conftest import DATES, DAY, IN, T0

PAIRS = [(state, action) for state in rules.STATES for action in rules.TRANSITIONS]


@pytest.mark.parametrize("state,action", PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_every_move_either_follows_the_table_or_is_an_illegal_transition(state, action):
    transition = rules.TRANSITIONS[action]
    if state in transition.sources:
        assert rules.next_state(state, action) == transition.target
        return
    with pytest.raises(Conflict) as info:
        rules.next_state(state, action)
    assert info.value.code == "project.illegal_transition"


def test_rejected_merged_and_completed_projects_allow_no_further_move():
    for state in ("rejected", "merged", "completed"):
        assert not [a for a, t in rules.TRANSITIONS.items() if state in t.sources]


@pytest.mark.parametrize("phase", rules.PHASES)
def test_the_phase_follows_the_dates(phase):
    assert rules.phase_at(DATES, IN[phase]) == phase


def test_a_phase_begins_exactly_at_its_date():
    assert rules.phase_at(DATES, DATES["voting_opens_at"]) == "voting"
    assert rules.phase_at(DATES, DATES["voting_closes_at"]) == "result"


def test_dates_must_be_given_and_strictly_increasing():
    rules.check_dates(DATES)
    for broken in ({**DATES, "voting_closes_at": DATES["voting_opens_at"]},
                   {k: v for k, v in DATES.items() if k != "closes_at"}):
        with pytest.raises(InvalidInput) as info:
            rules.check_dates(broken)
        assert info.value.code == "project.bad_dates"


def test_advancing_moves_only_the_next_boundary_to_now():
    now = T0 + 3 * DAY
    moved = rules.advance_dates(DATES, now, "review")
    assert moved == {**DATES, "review_opens_at": now}
    assert rules.phase_at(moved, now) == "review"
    rules.check_dates(moved)


@pytest.mark.parametrize("to_phase", ["voting", "proposal", "closed", "nonsense"])
def test_a_phase_cannot_be_skipped_or_moved_backwards(to_phase):
    with pytest.raises(Conflict) as info:
        rules.advance_dates(DATES, IN["proposal"], to_phase)
    assert info.value.code == "project.bad_advance"


def test_a_budget_ballot_that_fits_exactly_is_accepted_and_one_cent_over_is_not():
    costs = {1: 60_000, 2: 40_000, 3: 1}
    assert rules.check_ballot("budget", 100_000, [1, 2, 2], costs) == [1, 2]
    with pytest.raises(InvalidInput) as info:
        rules.check_ballot("budget", 100_000, [1, 2, 3], costs)
    assert info.value.code == "project.over_budget"
    assert rules.check_ballot("approval", 100_000, [1, 2, 3], costs) == [1, 2, 3]


@pytest.mark.parametrize("choices,code", [([], "project.empty_ballot"),
                                          ([9], "project.not_candidate")])
def test_a_ballot_must_name_candidates(choices, code):
    with pytest.raises(InvalidInput) as info:
        rules.check_ballot("approval", 100, choices, {1: 10})
    assert info.value.code == code


def test_an_override_or_rejection_needs_a_written_reason():
    for blank in ("", "   ", None):
        with pytest.raises(InvalidInput) as info:
            rules.check_reason(blank, "project.override_reason_required", "x")
        assert info.value.code == "project.override_reason_required"
    assert rules.check_reason(" 安全隐患 ", "c", "x") == "安全隐患"


@pytest.mark.parametrize("field,value,code", [
    ("kind", "party", "project.bad_kind"), ("title", "短", "project.bad_title"),
    ("description", "太短", "project.bad_description"), ("location", " ", "project.bad_location"),
    ("cost", 0, "project.bad_cost"), ("cost", 12.5, "project.bad_cost")])
def test_a_proposal_is_checked_field_by_field(field, value, code):
    good = {"kind": "goods", "title": "添置休闲座椅", "description": "广场上缺少可以休息的座椅",
            "location": "文化广场", "cost": 5000}
    good[field] = value
    with pytest.raises(InvalidInput) as info:
        rules.check_proposal(good["kind"], good["title"], good["description"],
                             good["location"], good["cost"])
    assert info.value.code == code
