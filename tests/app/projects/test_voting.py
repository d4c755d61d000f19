"""Voting: who may vote, one ballot per household or per resident, changing a ballot, both
ballot types, and the published count."""

from __future__ import annotations

import threading

import peewee
import pytest

from app.clock import frozen
from app.db import database
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.projects import rules, voting
from app.projects.models import Ballot, BallotChoice
from tests.app.projects.conftest import IN, accepted, fresh, make_round, propose, publish, vote


def code(excinfo) -> str:
    return excinfo.value.code


def test_a_resident_of_another_village_or_town_cannot_vote(village):
    round_ = make_round(village)
    project = accepted(village, round_)
    for outsider in (village.other_village, village.other_town):
        with pytest.raises(NotFound) as info:
            vote(village, round_, outsider, project)
        assert code(info) == "project.round_not_found"
    with pytest.raises(Forbidden) as info:
        vote(village, round_, village.visitor, project)
    assert code(info) == "project.household_required"
    assert Ballot.select().count() == 0


def test_a_second_vote_from_the_same_household_is_refused_when_one_per_household(village):
    round_ = make_round(village, vote_unit="household")
    project = accepted(village, round_)
    vote(village, round_, village.proposer, project)
    with pytest.raises(Conflict) as info:
        vote(village, round_, village.spouse, project)
    assert code(info) == "project.household_already_voted"
    vote(village, round_, village.neighbour, project)  # another household
    assert Ballot.select().count() == 2
    ballot, choices = voting.my_ballot(village.actor(village.spouse), round_.id)
    assert (ballot.user_id, choices) == (village.proposer.id, [project.id])


def test_each_resident_of_a_household_votes_when_one_per_resident(village):
    round_ = make_round(village, vote_unit="resident")
    project = accepted(village, round_)
    vote(village, round_, village.proposer, project)
    vote(village, round_, village.spouse, project)
    assert Ballot.select().count() == 2
    publish(village, round_)
    assert fresh(project).vote_count == 2


def test_a_resident_changes_their_ballot_while_voting_is_open(village):
    round_ = make_round(village, vote_unit="household")
    rail = accepted(village, round_)
    lights = accepted(village, round_, title="更换路灯")
    vote(village, round_, village.proposer, rail)
    changed = vote(village, round_, village.proposer, lights)
    assert (Ballot.select().count(), changed.change_count) == (1, 1)
    assert [c.project_id for c in BallotChoice.select()] == [lights.id]
    publish(village, round_)
    assert (fresh(rail).vote_count, fresh(lights).vote_count) == (0, 1)


@pytest.mark.parametrize("phase", ["review", "result"])
def test_no_ballot_is_taken_outside_the_voting_phase(village, phase):
    round_ = make_round(village)
    project = accepted(village, round_)
    with frozen(IN[phase]), pytest.raises(Conflict) as info:
        voting.cast_ballot(village.actor(village.proposer), round_.id,
                           project_ids=[project.id])
    assert code(info) == "project.wrong_phase"


def test_only_accepted_projects_of_the_round_are_candidates(village):
    round_ = make_round(village)
    pending = propose(village, round_)
    other = accepted(village, make_round(village))
    for project in (pending, other):
        with pytest.raises(InvalidInput) as info:
            vote(village, round_, village.proposer, project)
        assert code(info) == "project.not_candidate"


def test_a_budget_ballot_fits_exactly_and_one_over_the_budget_is_refused(village):
    round_ = make_round(village, ballot_type="budget", budget_fen=100_000)
    big = accepted(village, round_, cost=60_000)
    small = accepted(village, round_, title="更换路灯", cost=40_000)
    extra = accepted(village, round_, title="添置座椅", cost=1, kind="goods")
    with pytest.raises(InvalidInput) as info:
        vote(village, round_, village.proposer, big, small, extra)
    assert code(info) == "project.over_budget"
    vote(village, round_, village.proposer, big, small)  # exactly 100 000
    vote(village, round_, village.neighbour, big)
    publish(village, round_)
    # The two selected projects use the budget exactly; nothing is left for the third.
    assert [fresh(p).status for p in (big, small, extra)] == ["selected", "selected",
                                                              "not_selected"]
    assert [fresh(p).rank for p in (big, small, extra)] == [1, 2, 3]


def test_an_approval_round_breaks_a_tie_by_cost_then_by_the_earlier_proposal(village):
    round_ = make_round(village, ballot_type="approval", budget_fen=50_000)
    first = accepted(village, round_, cost=30_000)
    second = accepted(village, round_, title="更换路灯", cost=30_000)
    cheap = accepted(village, round_, title="添置座椅", cost=20_000, kind="goods")
    for user in (village.proposer, village.neighbour):
        vote(village, round_, user, first, second, cheap)
    publish(village, round_)
    ranks = {p.id: (fresh(p).rank, fresh(p).status) for p in (first, second, cheap)}
    assert ranks == {cheap.id: (1, "selected"), first.id: (2, "selected"),
                     second.id: (3, "not_selected")}


def test_the_unique_index_refuses_a_second_ballot_row_for_a_voter_key(village):
    round_ = make_round(village)
    accepted(village, round_)
    vote(village, round_, village.proposer, *list(round_.projects))
    with pytest.raises(peewee.IntegrityError), database.atomic():
        Ballot.create(round=round_.id, voter_key=f"user:{village.proposer.id}",
                      user=village.proposer.id)


def test_two_members_of_a_household_voting_at_once_leave_one_ballot(village, monkeypatch):
    round_ = make_round(village, vote_unit="household")
    project = accepted(village, round_)
    actors = [village.actor(village.proposer), village.actor(village.spouse)]
    barrier = threading.Barrier(2, timeout=20)
    original = rules.check_ballot

    def everyone_checked(*args):
        result = original(*args)
        barrier.wait()
        return result

    monkeypatch.setattr(rules, "check_ballot", everyone_checked)
    winners, codes, unexpected = [], [], []

    def cast(actor):
        try:
            with database.connection_context():
                voting.cast_ballot(actor, round_.id, project_ids=[project.id])
            winners.append(actor.user_id)
        except Conflict as exc:
            codes.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported below
            unexpected.append(exc)

    if not database.is_closed():
        database.close()
    with frozen(IN["voting"]):
        threads = [threading.Thread(target=cast, args=(a,)) for a in actors]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert unexpected == []
    assert (len(winners), codes) == (1, ["project.household_already_voted"])
    [ballot] = Ballot.select()
    assert ballot.user_id == winners[0]
    assert BallotChoice.select().count() == 1
