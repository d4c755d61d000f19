"""Signing checkpoints: the C2SP note, key rotation, and refusing a rewritten history."""

from __future__ import annotations

import contextlib
import datetime as dt

import peewee
import pytest

from app.clock import utcnow
from app.db import database
from app.errors import Conflict, NotFound
from app.transparency import keys, merkle, note, rules, services
from app.transparency.models import LogCheckpoint, LogKey
from tests.app.transparency.conftest import publish

T0 = dt.datetime(2026, 11, 23, 1, 0)


def open_note(checkpoint: LogCheckpoint, signer: keys.LogSigner) -> note.Checkpoint:
    return note.open_checkpoint(checkpoint.note, note.parse_vkey(signer.vkey))


def test_an_empty_or_unknown_log_is_not_signed(tree, signer):
    assert services.sign_checkpoint(tree.town_a.id, signer=signer) is None
    assert services.sign_checkpoint(999_999, signer=signer) is None
    assert LogCheckpoint.select().count() == 0


def test_a_checkpoint_is_a_signed_c2sp_note_of_the_current_tree(tree, signer):
    publish(tree.town_a.id, 5)
    checkpoint = services.sign_checkpoint(tree.town_a.id, signer=signer, now=T0)
    head = services.current_root(tree.town_a.id)
    origin, size, root_line, blank, signature = checkpoint.note.split("\n")[:5]
    assert (origin, size, root_line, blank) == ("linli/350500001", "5", note.b64(head.root_hash),
                                                "")
    assert signature.startswith("\u2014 linli ")
    assert open_note(checkpoint, signer) == note.Checkpoint("linli/350500001", 5, head.root_hash)
    assert (checkpoint.key_id, checkpoint.signed_at) == (signer.key_id, T0)
    latest = services.latest_checkpoint(tree.town_a.id)
    assert (latest.tree_size, latest.checkpoint, latest.vkey) == (5, checkpoint.note, signer.vkey)


def test_another_key_or_an_altered_checkpoint_does_not_verify(tree, signer):
    publish(tree.town_a.id, 2)
    checkpoint = services.sign_checkpoint(tree.town_a.id, signer=signer)
    other = keys.signer_from_seed(b"\x07" * 32)
    with pytest.raises(note.NoteError, match="no signature by this key"):
        open_note(checkpoint, other)
    forged = checkpoint.note.replace("\n2\n", "\n3\n", 1)
    with pytest.raises(note.NoteError, match="does not verify"):
        note.open_checkpoint(forged, note.parse_vkey(signer.vkey))


def test_nothing_new_means_no_new_checkpoint(tree, signer):
    publish(tree.town_a.id, 3)
    first = services.sign_checkpoint(tree.town_a.id, signer=signer)
    assert services.sign_checkpoint(tree.town_a.id, signer=signer).id == first.id
    assert LogCheckpoint.select().count() == 1


def test_a_grown_log_gets_a_checkpoint_consistent_with_the_last_one(tree, signer):
    publish(tree.town_a.id, 3)
    old = open_note(services.sign_checkpoint(tree.town_a.id, signer=signer), signer)
    publish(tree.town_a.id, 4, start=3)
    new = open_note(services.sign_checkpoint(tree.town_a.id, signer=signer), signer)
    proof = services.consistency_proof(tree.town_a.id, old.size, new.size)
    assert (old.size, new.size) == (3, 7)
    assert merkle.verify_consistency(3, 7, proof.path, old.root, new.root)


def forge_checkpoint(log_id: int, size: int, root: bytes, signer) -> None:
    """Store a checkpoint as if it had been signed for another history."""
    body = note.checkpoint_body("linli/350500001", size, root)
    signed = signer.sign_note(body)
    LogCheckpoint.create(log_id=log_id, tree_size=size, root_hash=root.hex(), signed_at=utcnow(),
                         signature=signed.split()[-1], key_id=signer.key_id, note=signed)


def test_a_tree_that_does_not_extend_the_last_checkpoint_is_refused(tree, signer):
    other_history = [rules.leaf_bytes("disclosure", n, {"title": f"另一份{n}"}) for n in range(3)]
    leaves = [merkle.leaf_hash(data) for data in other_history]
    forge_checkpoint(tree.town_a.id, 3, merkle.root_hash(3, merkle.memory_nodes(leaves)), signer)
    publish(tree.town_a.id, 5)
    with pytest.raises(Conflict) as caught:
        services.sign_checkpoint(tree.town_a.id, signer=signer)
    assert caught.value.code == "transparency.not_an_extension"
    assert LogCheckpoint.select().count() == 1


def test_a_log_shorter_than_its_last_checkpoint_is_refused(tree, signer):
    publish(tree.town_a.id, 4)
    forge_checkpoint(tree.town_a.id, 9, merkle.leaf_hash(b"x"), signer)
    with pytest.raises(Conflict, match="transparency.not_an_extension"):
        services.sign_checkpoint(tree.town_a.id, signer=signer)


@contextlib.contextmanager
def append_only_triggers_off(is_postgres: bool):
    """Let a test play an attacker with database access (triggers are the only guard)."""
    if is_postgres:
        database.execute_sql("SET session_replication_role = replica")
        try:
            yield
        finally:
            database.execute_sql("SET session_replication_role = DEFAULT")
    else:
        database.execute_sql("DROP TRIGGER log_leaf_no_update")
        database.execute_sql("DROP TRIGGER log_node_no_update")
        yield  # the next test starts from a fresh copy of the migrated database


@pytest.mark.parametrize("table, column", [("log_node", "hash"), ("log_leaf", "leaf_hash")])
def test_history_rewritten_in_the_database_is_refused(tree, signer, is_postgres, table, column):
    publish(tree.town_a.id, 4)
    services.sign_checkpoint(tree.town_a.id, signer=signer)
    publish(tree.town_a.id, 3, start=4)
    forged = merkle.leaf_hash(b"rewritten").hex()
    mark = database.param
    with append_only_triggers_off(is_postgres):
        database.execute_sql(f"UPDATE {table} SET {column} = {mark} WHERE log_id = {mark}",
                             (forged, tree.town_a.id))
    with pytest.raises(Conflict, match="transparency.not_an_extension"):
        services.sign_checkpoint(tree.town_a.id, signer=signer)


def test_rotated_keys_both_stay_listed_and_the_log_continues(tree, signer):
    publish(tree.town_a.id, 2)
    services.sign_checkpoint(tree.town_a.id, signer=signer, now=T0)
    rotated = keys.signer_from_seed(b"\x09" * 32)
    publish(tree.town_a.id, 2, start=2)
    checkpoint = services.sign_checkpoint(tree.town_a.id, signer=rotated,
                                          now=T0 + dt.timedelta(hours=1))
    assert open_note(checkpoint, rotated).size == 4
    assert [k.key_id for k in services.list_public_keys()] == [signer.key_id, rotated.key_id]
    assert LogKey.get(LogKey.key_id == signer.key_id).last_used_at == T0
    assert services.latest_checkpoint(tree.town_a.id).vkey == rotated.vkey


def test_the_default_key_is_derived_from_the_secret_and_changes_with_its_generation(app):
    assert keys.default_signer().vkey == keys.default_signer().vkey
    assert keys.default_signer(2).key_id != keys.default_signer().key_id
    seed = note.b64(b"\x05" * 32)
    assert keys.signer_from_base64_seed(seed).public_key == keys.signer_from_seed(
        b"\x05" * 32).public_key


def test_a_log_without_checkpoints_has_no_latest_one(tree):
    with pytest.raises(NotFound, match="transparency.no_checkpoint"):
        services.latest_checkpoint(tree.town_a.id)


def test_checkpoints_cannot_be_changed_in_the_database(tree, signer):
    publish(tree.town_a.id, 1)
    services.sign_checkpoint(tree.town_a.id, signer=signer)
    with pytest.raises(peewee.DatabaseError), database.atomic():
        database.execute_sql("UPDATE log_checkpoint SET tree_size = 5")
