"""RFC 6962 / RFC 9162 Merkle tree maths: hashes, tree heads, proofs and their verification.

Pure and self-contained (``hashlib`` only, no other import of ours), so the offline verifier
(:mod:`app.transparency.verify`) can use it without the server.

Vocabulary: a tree of ``size`` leaves holds leaf hashes ``D[0:size]``. A *perfect node*
``(level, index)`` is the hash of the aligned block ``D[index * 2**level : (index + 1) * 2**level]``
(level 0 is a leaf hash). The hash of any range that RFC 6962's recursion visits (the whole tree,
or a range starting at a multiple of a power of two at least as large as the range) is a fold
of a few perfect nodes (:func:`perfect_nodes`), so a store that keeps every completed perfect
node answers roots and proofs with O(log n) reads. Generation functions therefore take a
``get_nodes(keys) -> {key: hash}`` callable, called once with every node they need.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = SHA-256() (RFC 6962 §2.1)

NodeKey = tuple[int, int]  # (level, index)
GetNodes = Callable[[list[NodeKey]], dict[NodeKey, bytes]]


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 ‖ data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 ‖ left ‖ right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (``n`` ≥ 2)."""
    if n < 2:
        raise ValueError("a split needs at least two leaves")
    return 1 << ((n - 1).bit_length() - 1)


# ---- ranges and the perfect nodes that make them up -------------------------------------------

def perfect_nodes(start: int, end: int) -> list[NodeKey]:
    """The perfect nodes, left to right, whose right-to-left fold is MTH(D[start:end]).

    Valid for ranges RFC 6962's recursion produces: ``start`` is 0 or a multiple of a power
    of two at least ``end - start``. Each block is the largest aligned power of two that fits.
    """
    if not 0 <= start < end:
        raise ValueError(f"empty or negative range [{start}, {end})")
    keys = []
    while start < end:
        level = (end - start).bit_length() - 1
        while start % (1 << level):
            level -= 1
        keys.append((level, start >> level))
        start += 1 << level
    return keys


def fold(hashes: Sequence[bytes]) -> bytes:
    """Combine perfect-node hashes (left to right) into one subtree hash, right to left."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def hash_ranges(ranges: Sequence[tuple[int, int]], get_nodes: GetNodes) -> list[bytes]:
    """MTH of each range, fetching every perfect node needed with one ``get_nodes`` call."""
    plans = [perfect_nodes(start, end) for start, end in ranges]
    wanted = sorted({key for plan in plans for key in plan})
    found = get_nodes(wanted) if wanted else {}
    missing = [key for key in wanted if key not in found]
    if missing:
        raise LookupError(f"perfect nodes missing from the store: {missing[:5]}")
    return [fold([found[key] for key in plan]) for plan in plans]


def root_hash(size: int, get_nodes: GetNodes) -> bytes:
    """MTH(D[0:size]); the empty tree hashes to :data:`EMPTY_ROOT`."""
    if size < 0:
        raise ValueError("negative tree size")
    if size == 0:
        return EMPTY_ROOT
    return hash_ranges([(0, size)], get_nodes)[0]


# ---- proof generation (RFC 6962 §2.1.1 PATH, §2.1.2 PROOF) ------------------------------------

def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The ranges whose hashes form PATH(index, D[0:size]), leaf end first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} outside a tree of {size}")
    ranges: list[tuple[int, int]] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index - start < k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()  # the recursion appends the top sibling last: PATH(m, D[0:k]) : MTH(...)
    return ranges


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """The ranges whose hashes form PROOF(first, D[0:second]) (empty when first == second)."""
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from {first} to {second}")
    ranges: list[tuple[int, int]] = []
    start, end, m, whole = 0, second, first, True
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        ranges.append((start, end))  # SUBPROOF(m, D[m], false) = {MTH(D[m])}
    ranges.reverse()
    return ranges


def inclusion_proof(index: int, size: int, get_nodes: GetNodes) -> list[bytes]:
    return hash_ranges(inclusion_ranges(index, size), get_nodes)


def consistency_proof(first: int, second: int, get_nodes: GetNodes) -> list[bytes]:
    if first == second:
        return []
    return hash_ranges(consistency_ranges(first, second), get_nodes)


# ---- verification (RFC 9162 §2.1.3.2 and §2.1.4.2, step by step) ------------------------------

def _well_formed(hashes: Iterable[bytes]) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in hashes)


def _lsb(value: int) -> bool:
    return bool(value & 1)


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes],
                     root: bytes) -> bool:
    """Does ``path`` prove leaf hash ``leaf`` at ``index`` in the tree of ``size`` with ``root``?"""
    if not _well_formed([leaf, root, *path]) or index < 0 or index >= size:
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in path:
        if sn == 0:
            return False  # more path than the tree has levels
        if _lsb(fn) or fn == sn:
            r = node_hash(p, r)
            while not _lsb(fn) and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, path: Sequence[bytes], first_root: bytes,
                       second_root: bytes) -> bool:
    """Does ``path`` prove the tree of ``second`` leaves extends the tree of ``first``?"""
    if not _well_formed([first_root, second_root, *path]) or first < 1 or second < first:
        return False
    if first == second:
        return not path and first_root == second_root
    if not path:
        return False
    path = list(path)
    if first & (first - 1) == 0:  # an exact power of two: the old root is itself a node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while _lsb(fn):
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if _lsb(fn) or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not _lsb(fn) and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


# ---- in-memory trees (tests, benchmarks, bulk loads) ------------------------------------------

def completed_nodes(leaf_hashes: Sequence[bytes]) -> list[list[bytes]]:
    """Every completed perfect node of a tree, ``levels[level][index]`` (level 0 = leaves)."""
    levels = [list(leaf_hashes)]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])
    return levels


def memory_nodes(leaf_hashes: Sequence[bytes]) -> GetNodes:
    """A ``get_nodes`` over a list of leaf hashes (for tests and small offline trees)."""
    levels = completed_nodes(leaf_hashes)

    def get_nodes(keys: list[NodeKey]) -> dict[NodeKey, bytes]:
        return {(level, index): levels[level][index] for level, index in keys
                if level < len(levels) and index < len(levels[level])}

    return get_nodes


def append_to_frontier(frontier: list[bytes], size: int,
                       leaf: bytes) -> tuple[list[bytes], list[tuple[int, int, bytes]]]:
    """Add one leaf to a tree of ``size`` described by its ``frontier``.

    The frontier is the list of perfect nodes (largest first) that tile ``D[0:size]``: one per
    set bit of ``size``. Returns the new frontier and the perfect nodes the leaf completed, as
    ``(level, index, hash)`` with level ≥ 1 (the leaf itself is level 0 and not repeated).
    """
    if len(frontier) != bin(size).count("1"):
        raise ValueError("frontier does not match the tree size")
    frontier = list(frontier)
    carry, level, completed = leaf, 0, []
    while size >> level & 1:
        carry = node_hash(frontier.pop(), carry)
        level += 1
        completed.append((level, size >> level, carry))
    frontier.append(carry)
    return frontier, completed


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """MTH of the tree a frontier tiles (:data:`EMPTY_ROOT` for none)."""
    return fold(frontier) if frontier else EMPTY_ROOT
