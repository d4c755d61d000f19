"""A second, deliberately different RFC 6962 implementation to check ours against.

It follows the RFC's recursive definitions literally over a list of raw entries (not leaf
hashes), hashing with ``hashlib`` directly and finding split points by doubling, so a mistake in
:mod:`app.transparency.merkle` (which works on stored perfect nodes) cannot be mirrored here.
"""

from __future__ import annotations

from hashlib import sha256


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(entries: list[bytes]) -> bytes:
    """MTH(D[n]) (RFC 6962 §2.1)."""
    if not entries:
        return sha256().digest()
    if len(entries) == 1:
        return sha256(b"\x00" + entries[0]).digest()
    k = _k(len(entries))
    return sha256(b"\x01" + mth(entries[:k]) + mth(entries[k:])).digest()


def path(m: int, entries: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) (RFC 6962 §2.1.1)."""
    if len(entries) <= 1:
        return []
    k = _k(len(entries))
    if m < k:
        return path(m, entries[:k]) + [mth(entries[k:])]
    return path(m - k, entries[k:]) + [mth(entries[:k])]


def proof(m: int, entries: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) (RFC 6962 §2.1.2)."""
    return _subproof(m, entries, True)


def _subproof(m: int, entries: list[bytes], complete: bool) -> list[bytes]:
    n = len(entries)
    if m == n:
        return [] if complete else [mth(entries)]
    k = _k(n)
    if m <= k:
        return _subproof(m, entries[:k], complete) + [mth(entries[k:])]
    return _subproof(m - k, entries[k:], False) + [mth(entries[:k])]
