"""Appending to a town's log and reading roots and proofs back from the database."""

from __future__ import annotations

import peewee
import pytest

from app.db import database
from app.errors import Conflict, InvalidInput, NotFound
from app.transparency import merkle, rules, services
from app.transparency.models import LogLeaf, LogNode
from tests.app.transparency import reference
from tests.app.transparency.conftest import publish, record


def entries(count: int) -> list[bytes]:
    return [rules.leaf_bytes("disclosure", n, record(n)) for n in range(count)]


def test_an_empty_log_has_the_empty_root(tree):
    head = services.current_root(tree.town_a.id)
    assert (head.tree_size, head.root_hash) == (0, merkle.EMPTY_ROOT)


def test_appended_records_get_gapless_indexes_and_their_canonical_body(tree):
    leaves = publish(tree.town_a.id, 3)
    assert [leaf.leaf_index for leaf in leaves] == [0, 1, 2]
    assert leaves[1].body.encode() == entries(2)[1]
    assert leaves[1].leaf_hash == merkle.leaf_hash(entries(2)[1]).hex()
    assert publish(tree.town_b.id, 1)[0].leaf_index == 0  # every town has its own log


def test_the_root_after_every_append_equals_an_independent_implementation_up_to_300(tree):
    data = entries(300)
    for size in range(1, 301):
        publish(tree.town_a.id, 1, start=size - 1)
        expected = reference.mth(data[:size])
        assert services.current_root(tree.town_a.id).root_hash == expected, size
    # and every older size is still answered from the stored nodes
    for size in (1, 2, 3, 64, 100, 255, 256, 299):
        proof = services.consistency_proof(tree.town_a.id, size, 300)
        assert (proof.first_root, proof.second_root) == (reference.mth(data[:size]),
                                                        reference.mth(data))


def test_inclusion_and_consistency_proofs_from_the_database_verify(tree):
    publish(tree.town_a.id, 37)
    data = entries(37)
    for size in (1, 2, 5, 16, 17, 37):
        for index in range(size):
            proof = services.inclusion_proof(tree.town_a.id, index, size)
            assert proof.path == reference.path(index, data[:size])
            assert merkle.verify_inclusion(index, size, proof.leaf_hash, proof.path,
                                           proof.root_hash)
            assert proof.log == "linli/350500001"
        for first in range(1, size + 1):
            proof = services.consistency_proof(tree.town_a.id, first, size)
            assert proof.path == reference.proof(first, data[:size])
            assert merkle.verify_consistency(first, size, proof.path, proof.first_root,
                                             proof.second_root)


def test_nodes_are_stored_once_per_completed_subtree(tree):
    publish(tree.town_a.id, 8)
    assert LogNode.select().where(LogNode.log_id == tree.town_a.id).count() == 4 + 2 + 1


@pytest.mark.parametrize("index, size, code", [
    (0, 0, "transparency.bad_tree_size"), (0, 6, "transparency.bad_tree_size"),
    (3, 3, "transparency.bad_index"), (-1, 3, "transparency.bad_index"),
])
def test_inclusion_proofs_outside_the_tree_are_refused(tree, index, size, code):
    publish(tree.town_a.id, 5)
    with pytest.raises(InvalidInput) as caught:
        services.inclusion_proof(tree.town_a.id, index, size)
    assert caught.value.code == code


@pytest.mark.parametrize("first, second", [(0, 3), (4, 3), (2, 6)])
def test_consistency_proofs_outside_the_tree_are_refused(tree, first, second):
    publish(tree.town_a.id, 5)
    with pytest.raises(InvalidInput, match="transparency.bad_range"):
        services.consistency_proof(tree.town_a.id, first, second)


def test_appending_the_same_record_again_returns_its_leaf(tree):
    first = publish(tree.town_a.id, 1)[0]
    again = services.append_record(tree.town_a.id, "disclosure", 0, record(0))
    assert again.id == first.id
    assert services.current_root(tree.town_a.id).tree_size == 1


def test_a_published_record_cannot_be_changed_through_the_log(tree):
    publish(tree.town_a.id, 1)
    with pytest.raises(Conflict, match="transparency.record_changed"):
        services.append_record(tree.town_a.id, "disclosure", 0, {**record(0), "amount_fen": 1})
    assert services.get_leaf(tree.town_a.id, 0).record == entries(1)[0].decode()


def test_records_with_personal_fields_or_outside_a_town_are_refused(tree):
    with pytest.raises(ValueError, match="personal"):
        services.append_record(tree.town_a.id, "seal_use", 1, {"applicant_phone": "1380000"})
    with pytest.raises(ValueError, match="not a town"):
        services.append_record(tree.village_a1.id, "disclosure", 1, record(1))
    assert services.current_root(tree.town_a.id).tree_size == 0


def test_a_record_is_found_by_type_and_id_and_a_missing_one_is_404(tree):
    publish(tree.town_a.id, 2)
    assert services.leaf_for_record(tree.town_a.id, "disclosure", 1).leaf_index == 1
    with pytest.raises(NotFound, match="transparency.record_not_found"):
        services.leaf_for_record(tree.town_a.id, "disclosure", 9)
    with pytest.raises(NotFound, match="transparency.leaf_not_found"):
        services.get_leaf(tree.town_a.id, 2)


def test_an_append_inside_a_rolled_back_publication_leaves_no_trace(tree):
    with pytest.raises(RuntimeError), database.atomic():
        services.append_record(tree.town_a.id, "disclosure", 0, record(0))
        raise RuntimeError("the publishing service failed after appending")
    assert services.current_root(tree.town_a.id).tree_size == 0
    assert publish(tree.town_a.id, 1)[0].leaf_index == 0


@pytest.mark.parametrize("statement", [
    "UPDATE log_leaf SET body = '{}'", "DELETE FROM log_leaf",
    "UPDATE log_node SET hash = 'x'", "DELETE FROM log_node",
])
def test_leaves_and_nodes_cannot_be_changed_or_deleted_in_the_database(tree, statement):
    publish(tree.town_a.id, 2)
    with pytest.raises(peewee.DatabaseError), database.atomic():
        database.execute_sql(statement)
    assert LogLeaf.select().count() == 2
