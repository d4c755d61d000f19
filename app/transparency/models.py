"""Tables of the transparency log: one append-only Merkle log per town.

``log_id`` is the town's region id. Leaves, perfect nodes and checkpoints are append-only (the
migration installs triggers that refuse UPDATE and DELETE); only the per-log head row changes.
Hashes are stored as lowercase hex.
"""

from __future__ import annotations

import peewee

from app.clock import utcnow
from app.db import BaseModel


class LogHead(BaseModel):
    """The tip of one log: its size and frontier (the perfect nodes tiling the whole tree).

    Appends lock this row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's single writer), so
    a log's leaf indexes are gapless and its frontier gives the current root without a scan.
    """

    log_id = peewee.IntegerField(primary_key=True)
    tree_size = peewee.BigIntegerField(default=0)
    frontier = peewee.TextField(default="")  # hex hashes, largest subtree first, space-separated
    updated_at = peewee.DateTimeField(default=utcnow)


class LogLeaf(BaseModel):
    """One published record: its canonical JSON exactly as hashed, and the leaf hash."""

    log_id = peewee.IntegerField()
    leaf_index = peewee.BigIntegerField()
    leaf_hash = peewee.CharField(max_length=64)
    record_type = peewee.CharField(max_length=32)
    record_id = peewee.CharField(max_length=64)
    body = peewee.TextField()  # canonical JSON (UTF-8); leaf_hash = SHA-256(0x00 ‖ body)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("log_id", "leaf_index"), True),
            (("log_id", "record_type", "record_id"), True),
        )


class LogNode(BaseModel):
    """A completed perfect subtree, level ≥ 1: leaves [index·2^level, (index+1)·2^level)."""

    log_id = peewee.IntegerField()
    level = peewee.SmallIntegerField()
    node_index = peewee.BigIntegerField()
    hash = peewee.CharField(max_length=64)

    class Meta:
        indexes = ((("log_id", "level", "node_index"), True),)


class LogCheckpoint(BaseModel):
    """A signed tree head. ``note`` is the whole signed checkpoint text as published."""

    log_id = peewee.IntegerField()
    tree_size = peewee.BigIntegerField()
    root_hash = peewee.CharField(max_length=64)
    signed_at = peewee.DateTimeField(default=utcnow)
    signature = peewee.CharField(max_length=128)  # base64(key hash ‖ Ed25519 signature)
    key_id = peewee.CharField(max_length=64)
    note = peewee.TextField()

    class Meta:
        indexes = ((("log_id", "tree_size"), True),)


class LogKey(BaseModel):
    """A public key that has signed checkpoints (kept after rotation so old ones verify)."""

    key_id = peewee.CharField(max_length=64, unique=True)
    name = peewee.CharField(max_length=32)
    public_key = peewee.CharField(max_length=64)  # base64 of the 32-byte Ed25519 key
    first_used_at = peewee.DateTimeField(default=utcnow)
    last_used_at = peewee.DateTimeField(default=utcnow)
