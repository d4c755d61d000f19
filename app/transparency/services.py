"""Transparency log services: append published records, read roots and proofs, sign checkpoints.

Every town has one append-only RFC 6962 Merkle log (``log_id`` = the town's region id). Other
features call :func:`append_record` inside the transaction that publishes a record, so the record
is on the log exactly when its publication commits. Reads are public (anyone, no login): what is
on the log is public by construction. :func:`sign_checkpoint` is called by the
``transparency.checkpoint`` job only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.clock import utcnow
from app.db import database
from app.errors import Conflict, InvalidInput, NotFound
from app.regions.models import Region
from app.transparency import keys, merkle, note, rules, store
from app.transparency.models import LogCheckpoint, LogHead, LogKey, LogLeaf

MAX_PUBLIC_KEYS = 100


@dataclass(frozen=True)
class TreeHead:
    log_id: int
    tree_size: int
    root_hash: bytes


@dataclass(frozen=True)
class Leaf:
    log: str
    leaf_index: int
    leaf_hash: bytes
    record_type: str
    record_id: str
    record: str  # the canonical JSON that was hashed
    created_at: dt.datetime


@dataclass(frozen=True)
class InclusionProof:
    log: str
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    root_hash: bytes
    path: list[bytes]


@dataclass(frozen=True)
class ConsistencyProof:
    log: str
    first: int
    second: int
    first_root: bytes
    second_root: bytes
    path: list[bytes]


@dataclass(frozen=True)
class SignedCheckpoint:
    log: str
    town_code: str
    tree_size: int
    root_hash: bytes
    signed_at: dt.datetime
    key_id: str
    checkpoint: str  # the signed note, as posted to the village groups
    public_key: bytes
    vkey: str


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    name: str
    public_key: bytes
    vkey: str
    first_used_at: dt.datetime
    last_used_at: dt.datetime


def _town_code(log_id: int) -> str | None:
    row = (Region.select(Region.code)
           .where((Region.id == log_id) & (Region.level == "town")).tuples().first())
    return row[0] if row else None


def _origin(log_id: int) -> str:
    return note.origin_for(_town_code(log_id) or str(log_id))


def append_record(log_region_id: int, record_type: str, record_id, body: dict, *,
                  now: dt.datetime | None = None) -> LogLeaf:
    """Append a published record to its town's log and return the leaf row.

    Called by other features' services inside the transaction that publishes the record (it
    opens only a savepoint and never commits); appends to one log are serialised, so leaf
    indexes are gapless. On SQLite a transaction that has already read before appending may
    fail with "database is locked" when another writer committed meanwhile (SQLite cannot
    upgrade a stale read snapshot); it then rolls back whole and can be retried.
    The leaf is SHA-256(0x00 ‖ canonical JSON of ``{"body", "record_id", "record_type"}``)
    (see :mod:`app.transparency.rules`).
    Idempotent: appending the same record again returns the first leaf.
    Raises ValueError for a malformed record, a body with personal fields (phone, openid,
    id_card …) or a log id that is not a town (programming errors, not user input), and
    Conflict ``transparency.record_changed`` when the record is already on the log with a
    different body (a published record never changes: publish a correction instead).
    Changes: log_head, log_leaf, log_node.
    """
    data = rules.leaf_bytes(record_type, record_id, body)
    now = now or utcnow()
    record_id = str(record_id)
    with database.atomic():
        head = store.lock_head(log_region_id, now)  # first statement: see store.lock_head
        if _town_code(log_region_id) is None:
            raise ValueError(f"region {log_region_id} is not a town: logs are kept per town")
        existing = LogLeaf.get_or_none((LogLeaf.log_id == log_region_id)
                                       & (LogLeaf.record_type == record_type)
                                       & (LogLeaf.record_id == record_id))
        if existing is not None:
            if existing.body.encode("utf-8") == data:
                return existing
            raise Conflict("transparency.record_changed", "已公开的记录不能修改，请发布更正记录",
                           {"leaf_index": existing.leaf_index})
        return store.append_leaf(head, record_type=record_type, record_id=record_id, data=data,
                                 now=now)


def log_id_for(town_code: str) -> int:
    """The log of the town ``town_code``. Anyone. Raises NotFound ``transparency.log_not_found``."""
    row = (Region.select(Region.id)
           .where((Region.code == town_code) & (Region.level == "town")).tuples().first())
    if row is None:
        raise NotFound("transparency.log_not_found", "找不到该街道(乡镇)的透明日志")
    return row[0]


def current_root(log_id: int) -> TreeHead:
    """The log's current size and RFC 6962 root (from its head row: no scan). Anyone."""
    head = LogHead.get_or_none(LogHead.log_id == log_id)
    if head is None:
        return TreeHead(log_id, 0, merkle.EMPTY_ROOT)
    return TreeHead(log_id, head.tree_size, merkle.frontier_root(store.frontier_of(head)))


def get_leaf(log_id: int, leaf_index: int) -> Leaf:
    """A leaf and its canonical record. Anyone. Raises NotFound ``transparency.leaf_not_found``."""
    row = LogLeaf.get_or_none((LogLeaf.log_id == log_id) & (LogLeaf.leaf_index == leaf_index))
    if row is None:
        raise NotFound("transparency.leaf_not_found", "日志中没有这一条记录")
    return _leaf(row)


def leaf_for_record(log_id: int, record_type: str, record_id) -> Leaf:
    """The leaf of a published record. Anyone. Raises NotFound ``transparency.record_not_found``."""
    row = LogLeaf.get_or_none((LogLeaf.log_id == log_id) & (LogLeaf.record_type == record_type)
                              & (LogLeaf.record_id == str(record_id)))
    if row is None:
        raise NotFound("transparency.record_not_found", "该记录尚未写入透明日志")
    return _leaf(row)


def _leaf(row: LogLeaf) -> Leaf:
    return Leaf(_origin(row.log_id), row.leaf_index, bytes.fromhex(row.leaf_hash),
                row.record_type, row.record_id, row.body, row.created_at)


def inclusion_proof(log_id: int, leaf_index: int, tree_size: int) -> InclusionProof:
    """RFC 6962 PATH for leaf ``leaf_index`` in the tree of the first ``tree_size`` leaves.

    Anyone. Raises InvalidInput ``transparency.bad_tree_size`` (not 1…current size) or
    ``transparency.bad_index`` (not 0…tree_size-1).
    """
    size = current_root(log_id).tree_size
    if not 1 <= tree_size <= size:
        raise InvalidInput("transparency.bad_tree_size", f"树的大小应在 1 到 {size} 之间",
                           {"current_size": size})
    if not 0 <= leaf_index < tree_size:
        raise InvalidInput("transparency.bad_index", f"记录序号应在 0 到 {tree_size - 1} 之间")
    ranges = merkle.inclusion_ranges(leaf_index, tree_size)
    root, leaf, *path = merkle.hash_ranges(
        [(0, tree_size), (leaf_index, leaf_index + 1), *ranges], store.node_getter(log_id))
    return InclusionProof(_origin(log_id), leaf_index, tree_size, leaf, root, path)


def consistency_proof(log_id: int, first: int, second: int) -> ConsistencyProof:
    """RFC 6962 PROOF that the tree of ``second`` leaves extends the tree of ``first``.

    Anyone. Raises InvalidInput ``transparency.bad_range`` unless 1 ≤ first ≤ second ≤ size.
    """
    size = current_root(log_id).tree_size
    if not 1 <= first <= second <= size:
        raise InvalidInput("transparency.bad_range", f"应满足 1 ≤ first ≤ second ≤ {size}",
                           {"current_size": size})
    ranges = merkle.consistency_ranges(first, second) if first < second else []
    first_root, second_root, *path = merkle.hash_ranges(
        [(0, first), (0, second), *ranges], store.node_getter(log_id))
    return ConsistencyProof(_origin(log_id), first, second, first_root, second_root, path)


def sign_checkpoint(log_id: int, *, now: dt.datetime | None = None,
                    signer: keys.LogSigner | None = None) -> LogCheckpoint | None:
    """Sign the log's current tree head (C2SP checkpoint, Ed25519) and store it.

    The ``transparency.checkpoint`` job only. Returns None for an empty log and the previous
    checkpoint when nothing was appended since. Before signing it proves, from the stored
    nodes, that the current tree extends the last signed checkpoint; raises Conflict
    ``transparency.not_an_extension`` when it does not (history was rewritten: nothing is
    signed). ``signer`` defaults to :func:`app.transparency.keys.default_signer`.
    Changes: log_checkpoint, log_key.
    """
    if LogHead.get_or_none(LogHead.log_id == log_id) is None:
        return None
    signer = signer or keys.default_signer()
    now = now or utcnow()
    with database.atomic():
        head = store.lock_head(log_id, now)  # no append slips between the root and the row
        size, root = head.tree_size, merkle.frontier_root(store.frontier_of(head))
        if size == 0:
            return None
        last = (LogCheckpoint.select().where(LogCheckpoint.log_id == log_id)
                .order_by(LogCheckpoint.tree_size.desc()).first())
        if last is not None:
            if last.tree_size == size and last.root_hash == root.hex():
                return last
            _check_extension(log_id, last, size, root)
        body = note.checkpoint_body(_origin(log_id), size, root)
        signed = signer.sign_note(body)
        (LogKey.insert(key_id=signer.key_id, name=signer.name,
                       public_key=note.b64(signer.public_key), first_used_at=now,
                       last_used_at=now)
         .on_conflict(conflict_target=[LogKey.key_id], update={LogKey.last_used_at: now})
         .execute())
        return LogCheckpoint.create(
            log_id=log_id, tree_size=size, root_hash=root.hex(), signed_at=now,
            signature=signed.rstrip("\n").rsplit(" ", 1)[1], key_id=signer.key_id, note=signed)


def _check_extension(log_id: int, last: LogCheckpoint, size: int, root: bytes) -> None:
    old_root = bytes.fromhex(last.root_hash)
    consistent = last.tree_size < size
    if consistent:
        try:
            path = merkle.consistency_proof(last.tree_size, size, store.node_getter(log_id))
        except LookupError:  # a node the proof needs is gone
            consistent = False
        else:
            consistent = merkle.verify_consistency(last.tree_size, size, path, old_root, root)
    if not consistent:
        raise Conflict("transparency.not_an_extension",
                       "日志与上一个已签名的检查点不一致，拒绝签名",
                       {"log_id": log_id, "signed_size": last.tree_size, "size": size})


def latest_checkpoint(log_id: int) -> SignedCheckpoint:
    """The newest signed checkpoint and its public key. Anyone.

    Raises NotFound ``transparency.no_checkpoint`` before the first one is signed.
    """
    row = (LogCheckpoint.select(LogCheckpoint, LogKey)
           .join(LogKey, on=(LogKey.key_id == LogCheckpoint.key_id), attr="key")
           .where(LogCheckpoint.log_id == log_id)
           .order_by(LogCheckpoint.tree_size.desc()).first())
    if row is None:
        raise NotFound("transparency.no_checkpoint", "该透明日志还没有签名的检查点")
    public_key = note.unb64(row.key.public_key)
    return SignedCheckpoint(_origin(log_id), _town_code(log_id) or "", row.tree_size,
                            bytes.fromhex(row.root_hash), row.signed_at, row.key_id, row.note,
                            public_key, note.vkey(row.key.name, public_key))


def list_public_keys() -> list[PublicKey]:
    """Every key that has signed checkpoints, oldest first (rotated keys stay). Anyone."""
    rows = LogKey.select().order_by(LogKey.first_used_at, LogKey.id).limit(MAX_PUBLIC_KEYS)
    return [PublicKey(r.key_id, r.name, note.unb64(r.public_key),
                      note.vkey(r.name, note.unb64(r.public_key)), r.first_used_at,
                      r.last_used_at) for r in rows]
