"""Pure rules of consultations: the workflow, comment moderation, poll checks and the count."""

from __future__ import annotations

import datetime as dt

import pytest

from app.consultations import rules
from app.errors import Conflict, InvalidInput

NOW = dt.datetime(2026, 11, 23, 1, 0)


@pytest.mark.parametrize(("current", "action", "target"), [
    ("draft", "update", "draft"), ("draft", "schedule", "scheduled"), ("draft", "open", "open"),
    ("scheduled", "open", "open"), ("open", "close", "closed"), ("closed", "decide", "decided"),
    ("draft", "withdraw", "withdrawn"), ("scheduled", "withdraw", "withdrawn"),
    ("open", "withdraw", "withdrawn"), ("closed", "withdraw", "withdrawn"),
])
def test_the_workflow_allows_each_listed_step(current, action, target):
    assert rules.next_state(current, action) == target


@pytest.mark.parametrize(("current", "action"), [
    ("draft", "close"), ("draft", "decide"), ("scheduled", "close"), ("open", "decide"),
    ("open", "update"), ("closed", "open"), ("decided", "withdraw"), ("decided", "close"),
    ("withdrawn", "open"), ("withdrawn", "withdraw"), ("open", "no_such_action"),
])
def test_every_other_step_is_an_illegal_transition_with_a_stable_code(current, action):
    with pytest.raises(Conflict) as caught:
        rules.next_state(current, action)
    assert caught.value.code == "consultation.illegal_transition"
    assert caught.value.details == {"state": current, "action": action}


def test_hiding_and_restoring_comments_follow_their_own_table():
    assert rules.next_comment_state("visible", "hide") == "hidden"
    assert rules.next_comment_state("pending_review", "restore") == "visible"
    assert rules.next_comment_state("held", "restore") == "visible"
    with pytest.raises(Conflict) as caught:
        rules.next_comment_state("hidden", "hide")
    assert caught.value.code == "consultation.comment_illegal_transition"
    with pytest.raises(Conflict):
        rules.next_comment_state("visible", "restore")


def test_three_reports_hide_a_visible_comment_unless_staff_already_reviewed_it():
    assert not rules.hidden_by_reports("visible", 2, False)
    assert rules.hidden_by_reports("visible", 3, False)
    assert not rules.hidden_by_reports("visible", 5, True)
    assert not rules.hidden_by_reports("hidden", 3, False)


def test_a_single_choice_poll_allows_exactly_one_option():
    poll = rules.check_poll("single", ["同意", "不同意"], 5, "live")
    assert (poll.max_choices, poll.options) == (1, ("同意", "不同意"))
    assert rules.check_answer("single", 1, [7], [7, 8]) == (7,)
    with pytest.raises(InvalidInput) as caught:
        rules.check_answer("single", 1, [7, 8], [7, 8])
    assert caught.value.code == "consultation.bad_answer"


def test_a_multiple_choice_poll_caps_the_number_of_options():
    poll = rules.check_poll("multiple", ["甲", "乙", "丙"], 2, "after_close")
    assert poll.max_choices == 2
    assert rules.check_answer("multiple", 2, [9, 7], [7, 8, 9]) == (7, 9)
    with pytest.raises(InvalidInput):
        rules.check_answer("multiple", 2, [7, 8, 9], [7, 8, 9])
    assert rules.check_poll("multiple", ["甲", "乙", "丙"], None, "live").max_choices == 3


@pytest.mark.parametrize("choices", [[], [7, 7], [99]])
def test_empty_repeated_or_foreign_options_are_refused(choices):
    with pytest.raises(InvalidInput) as caught:
        rules.check_answer("multiple", 3, choices, [7, 8, 9])
    assert caught.value.code == "consultation.bad_answer"


@pytest.mark.parametrize(("mode", "options", "max_choices", "results"), [
    ("ranked", ["甲", "乙"], None, "live"), ("single", ["甲"], None, "live"),
    ("single", ["甲", "甲"], None, "live"), ("single", ["甲", " "], None, "live"),
    ("multiple", ["甲", "乙", "丙"], 4, "live"), ("single", ["甲", "乙"], None, "never"),
])
def test_malformed_polls_are_refused(mode, options, max_choices, results):
    with pytest.raises(InvalidInput) as caught:
        rules.check_poll(mode, options, max_choices, results)
    assert caught.value.code == "consultation.bad_poll"


def test_the_count_includes_every_option_and_counts_each_resident_once_per_option():
    tally = rules.count_poll([1, 2, 3], [(1,), (1, 2), (2, 2), (99,), ()])
    assert tally.counts == {1: 2, 2: 2, 3: 0}
    assert tally.voters == 3


def test_the_count_of_an_unanswered_poll_is_zero_everywhere():
    assert rules.count_poll([4, 5], []) == rules.PollCount({4: 0, 5: 0}, 0)


def test_choices_survive_encoding_sorted():
    assert rules.decode_choices(rules.encode_choices([9, 3])) == (3, 9)


def test_results_are_shown_live_or_only_after_close():
    assert rules.results_visible("live", "open")
    assert not rules.results_visible("after_close", "open")
    assert rules.results_visible("after_close", "closed")
    assert rules.results_visible("after_close", "decided")


def test_a_closing_time_in_the_past_or_before_the_opening_is_refused():
    with pytest.raises(InvalidInput) as caught:
        rules.check_times(None, NOW, NOW)
    assert caught.value.code == "consultation.closes_in_past"
    with pytest.raises(InvalidInput) as caught:
        rules.check_times(NOW + dt.timedelta(days=3), NOW + dt.timedelta(days=2), NOW)
    assert caught.value.code == "consultation.bad_times"
