"""``seed-city`` on the test database at the tiny scale, checked through the services."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.accounts.models import RoleGrant, User
from app.accounts.tokens import load_actor
from app.db import database
from app.disclosures import policies as disclosure_policies
from app.disclosures import reading
from app.disclosures.models import Disclosure
from app.disclosures.publication import published_body
from app.errors import Forbidden, NotFound
from app.points import jobs as points_jobs
from app.points import ledger
from app.points.models import PointsAccount, PointsTransfer
from app.points.queries import my_points
from app.policy import can
from app.regions.models import Region
from app.requests import jobs as request_jobs
from app.requests import rules as request_rules
from app.requests import services as requests
from app.requests.models import Request, RequestFollower, TimelineEntry
from app.transparency import merkle
from app.transparency import services as log
from app.transparency.models import LogHead, LogLeaf
from app.wishes import jobs as wish_jobs
from app.wishes import services as wishes
from app.wishes.models import Wish
from miniprogram_api.seeding import SCALES, NotEmpty, Shape, seed_city
from tests.app.transparency.reference import mth
from tests.miniprogram_api.seeding.conftest import NOW


def _resident_with_requests() -> User:
    submitter = (Request.select(Request.submitter).group_by(Request.submitter)
                 .order_by(Request.submitter).first().submitter_id)
    return User.get_by_id(submitter)


def test_the_tiny_scale_writes_the_figures_of_its_row_in_the_scale_table(seeded):
    counts, figures = seeded.counts(), SCALES["tiny"]
    with database.connection_context():
        assert Region.select().where(Region.level == "village").count() == figures["villages"]
        assert Region.select().where(Region.level == "grid").count() == figures["grids"]
        assert User.select().where(User.household.is_null(False)).count() == figures["residents"]
        assert Request.select().count() == figures["requests"]
        assert LogLeaf.select().count() == figures["disclosures"]
        assert Wish.select().count() == figures["wishes"]
        assert PointsTransfer.select().count() == figures["transfers"]
    assert counts["log_leaf"] == figures["disclosures"]


def test_a_generated_resident_lists_their_requests_and_reads_each_timeline(seeded):
    with database.connection_context():
        user = _resident_with_requests()
        actor = load_actor(user)
        mine = list(requests.my_requests_query(actor))
        assert {r.id for r in mine} == {r.id for r in Request.select().where(
            Request.submitter == user.id)}
        for request in mine:
            assert actor.household_path.startswith(request.region_path)
            loaded = requests.get_request(actor, request.id)
            entries = requests.timeline_for(actor, loaded)
            moves = [e for e in entries if e.action != "note"]
            assert moves[0].action == "submit"
            assert moves[-1].to_status == loaded.status
            assert all(a.at <= b.at for a, b in zip(entries, entries[1:], strict=False))
            for before, after in zip(moves, moves[1:], strict=False):
                assert after.from_status == before.to_status
                assert after.at >= before.at
                assert request_rules.next_state(before.to_status, after.action) == after.to_status


def test_live_requests_carry_one_escalation_note_per_level_the_scheduler_reached(seeded):
    with database.connection_context():
        escalated = Request.select().where(Request.escalation_level > 0)
        assert escalated.count() > 0
        for request in escalated:
            notes = (TimelineEntry.select().where((TimelineEntry.request == request.id)
                                                  & (TimelineEntry.action == "note"))
                     .order_by(TimelineEntry.id))
            levels = [json.loads(n.details)["level"] for n in notes]
            assert levels == sorted(levels) and levels[-1] == request.escalation_level
            assert request.overdue_count == (1 if request.escalation_level >= 2 else 0)


def test_the_grid_worker_of_a_requests_grid_reads_it_and_another_villages_worker_may_not(
        seeded):
    with database.connection_context():
        request = Request.select().where(Request.grid_id.is_null(False)).first()
        own = RoleGrant.get((RoleGrant.role == "grid_worker")
                            & (RoleGrant.region == request.grid_id)).user_id
        other_village = Region.get((Region.level == "grid") & ~Region.path.startswith(
            Region.get_by_id(request.village_id).path))
        other = RoleGrant.get((RoleGrant.role == "grid_worker")
                              & (RoleGrant.region == other_village.id)).user_id
        assert requests.get_request(load_actor(User.get_by_id(own)), request.id).id == request.id
        with pytest.raises(NotFound):
            requests.get_request(load_actor(User.get_by_id(other)), request.id)
        stranger = User.select().join(Region, on=(User.household == Region.id)).where(
            Region.path.startswith(other_village.path)).first()
        assert not RequestFollower.select().exists()  # the generator makes no followers
        with pytest.raises(NotFound):
            requests.get_request(load_actor(stranger), request.id)


def test_a_generated_resident_reads_the_published_disclosures_of_their_village_and_town(seeded):
    with database.connection_context():
        actor = load_actor(_resident_with_requests())
        seen, cursor = [], None
        while True:
            page = reading.list_disclosures(actor, cursor=cursor, limit=20)
            seen.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        village, town = [int(p) for p in actor.household_path.strip("/").split("/")[2:0:-1]]
        expected = Disclosure.select().where(Disclosure.region.in_([village, town])
                                             & (Disclosure.status == "published"))
        assert seen and {d.id for d in seen} == {d.id for d in expected}


def test_a_visitor_without_a_household_may_not_read_village_disclosures(seeded):
    with database.connection_context():
        visitor = User.create(openid="visitor-1", display_name="游客")
        with pytest.raises(Forbidden):
            reading.list_disclosures(load_actor(visitor))


def test_every_log_leaf_is_exactly_what_publishing_the_disclosure_would_append(seeded):
    with database.connection_context():
        for leaf in LogLeaf.select().order_by(LogLeaf.log_id, LogLeaf.leaf_index):
            disclosure = Disclosure.get_by_id(int(leaf.record_id))
            assert disclosure.status == "published" and disclosure.town_id == leaf.log_id
            expected = log.rules.leaf_bytes("disclosure", disclosure.id,
                                            published_body(disclosure))
            assert leaf.body.encode("utf-8") == expected
            assert leaf.leaf_hash == merkle.leaf_hash(expected).hex()


def test_every_disclosure_was_written_and_reviewed_by_staff_the_policies_allow(seeded):
    with database.connection_context():
        actors = {}

        def actor(user_id):
            if user_id not in actors:
                actors[user_id] = load_actor(User.get_by_id(user_id))
            return actors[user_id]

        for disclosure in Disclosure.select():
            assert can(actor(disclosure.author_id), disclosure_policies.WRITE,
                       disclosure.region_path)
            if disclosure.reviewed_by_id is not None:
                assert disclosure.reviewed_by_id != disclosure.author_id
                assert can(actor(disclosure.reviewed_by_id),
                           disclosure_policies.review_action(disclosure.kind),
                           disclosure.region_path)


def test_each_towns_log_root_recomputed_from_its_leaves_matches_the_head_and_proofs(seeded):
    with database.connection_context():
        for head in LogHead.select():
            leaves = [row.body.encode("utf-8") for row in LogLeaf.select().where(
                LogLeaf.log_id == head.log_id).order_by(LogLeaf.leaf_index)]
            tree = log.current_root(head.log_id)
            assert tree.tree_size == len(leaves) == head.tree_size
            assert tree.root_hash == mth(leaves)
            for index in range(len(leaves)):
                proof = log.inclusion_proof(head.log_id, index, len(leaves))
                assert merkle.verify_inclusion(index, len(leaves), proof.leaf_hash, proof.path,
                                               tree.root_hash)
            leaf = log.append_record(head.log_id, "disclosure", 10_000_000, {"title": "追加"})
            assert leaf.leaf_index == len(leaves)


def test_the_points_ledger_sums_to_zero_and_every_balance_equals_its_transfers(seeded):
    with database.connection_context():
        assert points_jobs.verify_balances(batch=7)["mismatches"] == 0
        total = sum(a.balance for a in PointsAccount.select())
        assert total == 0
        for account in PointsAccount.select():
            assert account.balance == ledger.signed_sum(account.id)
            assert account.kind == "pool" or account.balance >= 0
        refs = PointsTransfer.select(PointsTransfer.source_ref)
        assert refs.count() == refs.distinct().count()
        user = _resident_with_requests()
        standing = my_points(load_actor(user)).person
        assert standing.balance == ledger.signed_sum(ledger.find_account("person", user.id).id)


def test_the_scheduler_finds_nothing_overdue_to_redo_at_the_generation_time(seeded):
    with database.connection_context():
        before = {r.id: (r.escalation_level, r.status) for r in Request.select()}
        entries = TimelineEntry.select().count()
        assert request_jobs.escalate_due(NOW) == {"checked": 0, "stepped": 0, "expired": 0}
        assert {r.id: (r.escalation_level, r.status) for r in Request.select()} == before
        assert TimelineEntry.select().count() == entries
        assert wish_jobs.expire_claims(NOW)["due"] == 0
        assert wish_jobs.auto_confirm(NOW)["due"] == 0


def test_a_week_later_the_scheduler_works_through_the_generated_clocks_without_error(
        seeded, caplog):
    later = NOW + dt.timedelta(days=8)
    with database.connection_context():
        passes = request_jobs.escalate_due(later)
        assert passes["stepped"] + passes["expired"] == passes["checked"] > 0
        claims, confirms = wish_jobs.expire_claims(later), wish_jobs.auto_confirm(later)
        assert claims["done"] == claims["due"] > 0
        assert confirms["done"] == confirms["due"]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_the_village_wall_shows_the_public_wishes_of_the_residents_village(seeded):
    with database.connection_context():
        actor = load_actor(_resident_with_requests())
        village = int(actor.household_path.strip("/").split("/")[2])
        wall = list(wishes.wall_query(actor))
        assert wall and all(w.village_id == village for w in wall)
        assert {w.status for w in wall} <= {"approved", "claimed", "fulfilled", "confirmed"}
        for wish in wall:
            if wish.claimant_id:
                claimant = User.get_by_id(wish.claimant_id)
                assert claimant.is_volunteer or claimant.is_party_member
                assert Region.get_by_id(claimant.household_id).path.startswith(
                    Region.get_by_id(village).path)


def test_a_second_run_refuses_a_database_that_is_not_empty_and_writes_nothing(seeded):
    with database.connection_context():
        before = Request.select().count(), User.select().count()
        with pytest.raises(NotEmpty):
            seed_city("tiny", seed=8, echo=lambda _line: None)
        assert (Request.select().count(), User.select().count()) == before


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_ones(app, wipe):
    def fingerprint(seed):
        wipe()
        with database.connection_context():
            report = seed_city("tiny", seed=seed, now=NOW, echo=lambda _line: None)
            roots = [log.current_root(h.log_id).root_hash for h in LogHead.select()]
            names = [u.display_name for u in User.select().order_by(User.id)]
            texts = [r.text + r.status for r in Request.select().order_by(Request.id)]
        return report.counts(), roots, names, texts

    first, again, other = fingerprint(7), fingerprint(7), fingerprint(8)
    assert first == again
    assert other[0]["request"] == first[0]["request"]
    assert other[1:] != first[1:]


def test_a_shape_with_other_counts_generates_those_counts(app):
    counts = dict(SCALES["tiny"], villages=3, grids=3, requests=10, transfers=40)
    with database.connection_context():
        report = seed_city(Shape("bench", counts), seed=1, now=NOW, echo=lambda _line: None)
        assert Region.select().where(Region.level == "village").count() == 3
        assert points_jobs.verify_balances()["mismatches"] == 0
    assert report.counts()["request"] == 10 and report.counts()["points_transfer"] == 40


def test_the_cli_generates_a_scale_and_prints_the_time_of_each_table(app):
    result = app.test_cli_runner().invoke(args=["seed-city", "--scale", "tiny", "--seed", "3",
                                                "--now", "2026-11-20"])
    assert result.exit_code == 0, result.output
    for step in ("regions", "residents", "requests", "disclosures", "wishes", "points"):
        assert f"  {step}: " in result.output
    again = app.test_cli_runner().invoke(args=["seed-city", "--scale", "tiny"])
    assert again.exit_code == 1
    assert "不是空的" in again.output
