"""A town to keep a log for, a fixed signing key, and a helper to publish records."""

from __future__ import annotations

import pytest

from app.db import database
from app.transparency import keys, services
from tests.factories import build_tree


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture
def signer():
    return keys.signer_from_seed(bytes(range(32)))


def record(n: int) -> dict:
    """The body of the n-th published test record (what a disclosure would publish)."""
    return {"kind": "finance", "title": f"2026年第{n}期财务公开", "amount_fen": n * 100,
            "village": "东星社区"}


def publish(log_id: int, count: int, *, start: int = 0, record_type: str = "disclosure"):
    """Append ``count`` records, each in its own transaction as a publishing service would."""
    leaves = []
    for n in range(start, start + count):
        with database.atomic():
            leaves.append(services.append_record(log_id, record_type, n, record(n)))
    return leaves
