"""The counting function: worked examples (ties, an exactly fitting budget) and properties
that must hold for any ballots (hypothesis)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.projects.rules import Candidate, tally


def test_projects_are_ranked_by_votes_and_selected_greedily_within_the_budget():
    candidates = [Candidate(1, 50_000), Candidate(2, 70_000), Candidate(3, 30_000)]
    result = tally(candidates, [[1, 2], [2], [2, 3], [1, 3], [2]], budget_fen=100_000)
    assert [(s.project_id, s.votes, s.rank) for s in result.standings] == [
        (2, 4, 1), (3, 2, 2), (1, 2, 3)]
    # 2 (70 000) fits; 3 (30 000) fits exactly what is left; 1 no longer fits.
    assert result.winners == [2, 3]
    assert result.selected_cost_fen == 100_000
    assert result.ballots == 5


def test_a_tie_goes_to_the_cheaper_project_then_to_the_earlier_proposal():
    candidates = [Candidate(7, 40_000), Candidate(5, 40_000), Candidate(6, 20_000)]
    result = tally(candidates, [[5, 6, 7]], budget_fen=60_000)
    assert [s.project_id for s in result.standings] == [6, 5, 7]
    assert result.winners == [6, 5]


def test_a_project_that_does_not_fit_is_skipped_and_a_cheaper_one_below_it_selected():
    candidates = [Candidate(1, 80_000), Candidate(2, 50_000), Candidate(3, 20_000)]
    result = tally(candidates, [[1, 2, 3], [1, 2], [1]], budget_fen=100_000)
    assert result.winners == [1, 3]
    assert result.selected_cost_fen == 100_000


def test_an_exactly_fitting_budget_selects_every_project():
    candidates = [Candidate(1, 25_000), Candidate(2, 75_000)]
    assert tally(candidates, [[1], [2]], budget_fen=100_000).winners == [1, 2]
    assert tally(candidates, [[1], [2]], budget_fen=99_999).winners == [1]


def test_a_project_without_votes_is_never_selected_and_unknown_ids_are_ignored():
    candidates = [Candidate(1, 10), Candidate(2, 10)]
    result = tally(candidates, [[1, 1, 99]], budget_fen=1_000)
    assert result.counts == {1: 1, 2: 0}
    assert result.winners == [1]


def test_no_ballots_select_nothing():
    result = tally([Candidate(1, 10)], [], budget_fen=100)
    assert (result.winners, result.ballots, result.selected_cost_fen) == ([], 0, 0)


# -- properties ---------------------------------------------------------------------------------

ids = st.integers(min_value=1, max_value=8)
candidate_lists = st.dictionaries(ids, st.integers(min_value=1, max_value=50_000),
                                  min_size=1, max_size=8).map(
    lambda d: [Candidate(i, c) for i, c in d.items()])
ballot_lists = st.lists(st.lists(ids, max_size=8), max_size=30)
budgets = st.integers(min_value=0, max_value=200_000)


@settings(max_examples=300, deadline=None)
@given(candidate_lists, ballot_lists, budgets)
def test_the_selection_never_costs_more_than_the_budget(candidates, ballots, budget):
    result = tally(candidates, ballots, budget)
    costs = {c.id: c.cost_fen for c in candidates}
    assert sum(costs[i] for i in result.winners) == result.selected_cost_fen <= budget


@settings(max_examples=300, deadline=None)
@given(candidate_lists, ballot_lists, budgets, st.data())
def test_adding_a_vote_never_lowers_any_projects_count(candidates, ballots, budget, data):
    extra = data.draw(st.lists(ids, max_size=8))
    before = tally(candidates, ballots, budget).counts
    after = tally(candidates, [*ballots, extra], budget).counts
    assert all(after[i] >= before[i] for i in before)
    for project_id in set(extra) & set(before):
        assert after[project_id] == before[project_id] + 1


@settings(max_examples=300, deadline=None)
@given(candidate_lists, ballot_lists, budgets, st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_ballots_or_candidates(
        candidates, ballots, budget, rnd: random.Random):
    shuffled_ballots, shuffled_candidates = list(ballots), list(candidates)
    rnd.shuffle(shuffled_ballots)
    rnd.shuffle(shuffled_candidates)
    assert tally(candidates, ballots, budget) == tally(shuffled_candidates, shuffled_ballots,
                                                       budget)


@settings(max_examples=200, deadline=None)
@given(candidate_lists, ballot_lists, budgets)
def test_every_unselected_voted_project_was_too_expensive_for_what_was_left(
        candidates, ballots, budget):
    result = tally(candidates, ballots, budget)
    costs = {c.id: c.cost_fen for c in candidates}
    left = budget
    for standing in result.standings:
        if standing.selected:
            left -= costs[standing.project_id]
        elif standing.votes > 0:
            assert costs[standing.project_id] > left
    ranked = [(-s.votes, costs[s.project_id], s.project_id) for s in result.standings]
    assert ranked == sorted(ranked)
