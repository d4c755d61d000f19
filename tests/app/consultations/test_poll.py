"""The poll: one answer per resident, changeable while open, counted by ``rules.count_poll``,
shown live or after close as the topic says."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.clock import frozen
from app.consultations import poll, rules, topics
from app.consultations.models import ConsultationAnswer
from app.errors import Conflict, InvalidInput
from tests.app.consultations.conftest import DAY, MONDAY_9AM, closed, opened

MULTI = {"mode": "multiple", "options": ["修路灯", "装座椅", "种树"], "max_choices": 2,
         "results": "live"}


def answer(town, user, consultation, *labels, at=MONDAY_9AM):
    ids = {o.label: o.id for o in poll.options_of(consultation.id)}
    with frozen(at):
        return poll.answer_poll(town.actor(user), consultation.id,
                                option_ids=[ids[label] for label in labels])


def counts(consultation) -> dict[str, int]:
    tally = poll.count(consultation)
    return {o.label: tally.counts[o.id] for o in poll.options_of(consultation.id)}


def test_each_resident_has_one_answer_and_may_change_it_while_open(town):
    consultation = opened(town)
    answer(town, town.author, consultation, "同意")
    answer(town, town.author, consultation, "不同意")
    answer(town, town.neighbours[0], consultation, "同意")
    assert ConsultationAnswer.select().count() == 2
    assert counts(consultation) == {"同意": 1, "不同意": 1, "弃权": 0}
    assert poll.count(consultation).voters == 2


def test_answers_are_refused_once_the_topic_closes(town):
    consultation = closed(town)
    with pytest.raises(Conflict) as caught:
        answer(town, town.author, consultation, "同意", at=MONDAY_9AM + 2 * DAY)
    assert caught.value.code == "consultation.not_open"


def test_a_single_choice_poll_refuses_two_options(town):
    consultation = opened(town)
    with pytest.raises(InvalidInput) as caught:
        answer(town, town.author, consultation, "同意", "不同意")
    assert caught.value.code == "consultation.bad_answer"


def test_a_multiple_choice_poll_counts_every_chosen_option_up_to_its_cap(town):
    consultation = opened(town, poll=MULTI)
    answer(town, town.author, consultation, "修路灯", "种树")
    answer(town, town.neighbours[0], consultation, "种树")
    with pytest.raises(InvalidInput):
        answer(town, town.neighbours[1], consultation, "修路灯", "装座椅", "种树")
    assert counts(consultation) == {"修路灯": 1, "装座椅": 0, "种树": 2}


def test_an_option_of_another_topic_is_refused(town):
    first, second = opened(town), opened(town)
    foreign = poll.options_of(second.id)[0].id
    with frozen(MONDAY_9AM), pytest.raises(InvalidInput) as caught:
        poll.answer_poll(town.actor(town.author), first.id, option_ids=[foreign])
    assert caught.value.code == "consultation.bad_answer"


def test_a_topic_without_a_poll_takes_no_answers(town):
    consultation = opened(town, poll=None)
    with frozen(MONDAY_9AM), pytest.raises(Conflict) as caught:
        poll.answer_poll(town.actor(town.author), consultation.id, option_ids=[1])
    assert caught.value.code == "consultation.no_poll"
    assert poll.view(town.actor(town.author), consultation) is None


def test_results_after_close_are_hidden_from_residents_until_then(town):
    consultation = opened(town)
    answer(town, town.author, consultation, "同意")
    view = poll.view(town.actor(town.neighbours[0]), consultation)
    assert not view.results_visible and view.voters is None
    assert {o.count for o in view.options} == {None}
    mine = poll.view(town.actor(town.author), consultation)
    assert mine.my_choices == [poll.options_of(consultation.id)[0].id]
    staff = poll.view(town.staff(town.cadre), consultation)
    assert staff.results_visible and staff.voters == 1
    with frozen(MONDAY_9AM + DAY):
        done = topics.close_consultation(town.staff(town.cadre), consultation.id)
    after = poll.view(town.actor(town.neighbours[0]), done)
    assert after.results_visible and [o.count for o in after.options] == [1, 0, 0]


def test_live_results_are_shown_while_the_poll_is_open(town):
    consultation = opened(town, poll=MULTI)
    answer(town, town.author, consultation, "种树")
    view = poll.view(town.actor(town.neighbours[0]), consultation)
    assert view.results_visible and [o.count for o in view.options] == [0, 0, 1]


options_st = st.lists(st.integers(1, 8), min_size=2, max_size=8, unique=True)
ballot_st = st.lists(st.integers(0, 10), max_size=6)


@given(options_st, st.lists(ballot_st, max_size=30), ballot_st)
def test_adding_a_ballot_never_lowers_a_count(option_ids, ballots, extra):
    before = rules.count_poll(option_ids, ballots)
    after = rules.count_poll(option_ids, [*ballots, extra])
    assert all(after.counts[o] >= before.counts[o] for o in option_ids)
    assert after.voters in (before.voters, before.voters + 1)


@given(options_st, st.lists(ballot_st, max_size=30))
def test_no_option_counts_more_voters_than_answered(option_ids, ballots):
    tally = rules.count_poll(option_ids, ballots)
    assert set(tally.counts) == set(option_ids)
    assert all(0 <= n <= tally.voters <= len(ballots) for n in tally.counts.values())
