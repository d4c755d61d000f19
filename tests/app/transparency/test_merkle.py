"""RFC 6962 maths: published vectors, an independent implementation, proofs and their mutations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.transparency import merkle
from tests.app.transparency import reference

# The RFC 6962 reference inputs and tree heads used by Certificate Transparency test suites.
CT_ENTRIES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f")]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [  # (index, size, path)
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
CT_CONSISTENCY = [  # (first, second, proof)
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]

BIG = 2000
ENTRIES = [f"记录 {i}".encode() for i in range(BIG)]
LEAVES = [merkle.leaf_hash(e) for e in ENTRIES]
NODES = merkle.memory_nodes(LEAVES)  # perfect nodes of a prefix are the same in the big tree


def root(size: int) -> bytes:
    return merkle.root_hash(size, NODES)


def test_tree_heads_match_the_published_rfc_6962_vectors():
    leaves = [merkle.leaf_hash(e) for e in CT_ENTRIES]
    for size, expected in enumerate(CT_ROOTS):
        assert merkle.root_hash(size, merkle.memory_nodes(leaves[:size])).hex() == expected


def test_proofs_match_the_published_rfc_6962_vectors():
    nodes = merkle.memory_nodes([merkle.leaf_hash(e) for e in CT_ENTRIES])
    for index, size, expected in CT_INCLUSION:
        assert [h.hex() for h in merkle.inclusion_proof(index, size, nodes)] == expected
    for first, second, expected in CT_CONSISTENCY:
        assert [h.hex() for h in merkle.consistency_proof(first, second, nodes)] == expected


def test_roots_equal_an_independent_implementation_for_every_size_up_to_300():
    frontier: list[bytes] = []
    for size in range(1, 301):
        expected = reference.mth(ENTRIES[:size])
        assert root(size) == expected, size
        frontier, _ = merkle.append_to_frontier(frontier, size - 1, LEAVES[size - 1])
        assert merkle.frontier_root(frontier) == expected, size


def test_appending_reports_exactly_the_perfect_nodes_each_leaf_completes():
    frontier, stored = [], {}
    for size in range(64):
        frontier, completed = merkle.append_to_frontier(frontier, size, LEAVES[size])
        stored.update({(level, index): value for level, index, value in completed})
    levels = merkle.completed_nodes(LEAVES[:64])
    assert stored == {(level, index): value for level in range(1, len(levels))
                      for index, value in enumerate(levels[level])}


def test_every_proof_of_small_trees_equals_the_rfc_recursion():
    for size in range(1, 65):
        for index in range(size):
            assert merkle.inclusion_proof(index, size, NODES) == reference.path(
                index, ENTRIES[:size])
        for first in range(1, size + 1):
            assert merkle.consistency_proof(first, size, NODES) == reference.proof(
                first, ENTRIES[:size])


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_inclusion_proofs_verify_for_random_sizes_up_to_2000(data):
    size = data.draw(st.integers(1, BIG))
    index = data.draw(st.integers(0, size - 1))
    path = merkle.inclusion_proof(index, size, NODES)
    assert path == reference.path(index, ENTRIES[:size])
    assert merkle.verify_inclusion(index, size, LEAVES[index], path, reference.mth(ENTRIES[:size]))


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_consistency_proofs_verify_for_random_sizes_up_to_2000(data):
    second = data.draw(st.integers(1, BIG))
    first = data.draw(st.integers(1, second))
    path = merkle.consistency_proof(first, second, NODES)
    assert path == reference.proof(first, ENTRIES[:second])
    assert merkle.verify_consistency(first, second, path, root(first), root(second))


def flip(value: bytes) -> bytes:
    return bytes([value[0] ^ 1]) + value[1:]


def path_mutations(path: list[bytes]):
    """Every sibling changed, the path truncated at either end, extended at either end."""
    for position in range(len(path)):
        yield f"sibling {position}", path[:position] + [flip(path[position])] + path[position + 1:]
    if path:
        yield "last dropped", path[:-1]
        yield "first dropped", path[1:]
    yield "extended", path + [LEAVES[0]]
    yield "prefixed", [LEAVES[0]] + path
    yield "duplicated", path + path[-1:] if path else [LEAVES[1]]


def inclusion_mutations(index: int, size: int, path: list[bytes]):
    """(claim, index, size, leaf, path, root) variants that must all be rejected.

    A changed size comes with that size's own root (the proof presented against another
    checkpoint) or, as in the transparency-dev suite, changes the tree height (×2, ÷2): with
    the original root, size±1 can share the proof's shape and is not a different claim.
    """
    good_root, leaf = root(size), LEAVES[index]
    yield "leaf changed", index, size, flip(leaf), path, good_root
    yield "other leaf", index, size, LEAVES[(index + 1) % BIG], path, good_root
    yield "root changed", index, size, leaf, path, flip(good_root)
    for other in (index - 1, index + 1, index ^ 2, size, -1):
        if other != index:
            yield f"index {other}", other, size, leaf, path, good_root
    for other in (size - 1, size + 1):
        if 0 < other <= BIG and index < other:
            yield f"size {other} with its root", index, other, leaf, path, root(other)
    for other in (size * 2, size // 2):
        if other > index:
            yield f"size {other}", index, other, leaf, path, good_root
    for name, mutated in path_mutations(path):
        yield name, index, size, leaf, mutated, good_root


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 64, 100, 257, 1000, 1999])
def test_every_mutated_inclusion_proof_is_rejected(size):
    for index in sorted({0, 1, size // 2, size - 2, size - 1} & set(range(size))):
        path = merkle.inclusion_proof(index, size, NODES)
        assert merkle.verify_inclusion(index, size, LEAVES[index], path, root(size))
        for claim, *args in inclusion_mutations(index, size, path):
            assert not merkle.verify_inclusion(*args), (size, index, claim)


def consistency_mutations(first: int, second: int, path: list[bytes]):
    r1, r2 = root(first), root(second)
    yield "first root changed", first, second, path, flip(r1), r2
    yield "second root changed", first, second, path, r1, flip(r2)
    yield "roots swapped", first, second, path, r2, r1
    for other in (first - 1, first + 1):
        if 0 < other <= second and other != first:
            yield f"first {other} with its root", other, second, path, root(other), r2
    for other in (second - 1, second + 1):
        if first <= other <= BIG and other != second:
            yield f"second {other} with its root", first, other, path, r1, root(other)
    for other in (second * 2, second // 2):
        if other >= first and other != second:
            yield f"second {other}", first, other, path, r1, r2
    yield "first 0", 0, second, path, r1, r2
    for name, mutated in path_mutations(path):
        yield name, first, second, mutated, r1, r2


@pytest.mark.parametrize("second", [2, 3, 4, 7, 8, 9, 100, 256, 1000, 2000])
def test_every_mutated_consistency_proof_is_rejected(second):
    for first in sorted({1, 2, second // 2, second - 1} & set(range(1, second))):
        path = merkle.consistency_proof(first, second, NODES)
        assert merkle.verify_consistency(first, second, path, root(first), root(second))
        for claim, *args in consistency_mutations(first, second, path):
            assert not merkle.verify_consistency(*args), (first, second, claim)


def test_equal_sizes_need_an_empty_proof_and_equal_roots():
    assert merkle.verify_consistency(5, 5, [], root(5), root(5))
    assert not merkle.verify_consistency(5, 5, [LEAVES[0]], root(5), root(5))
    assert not merkle.verify_consistency(5, 5, [], root(5), root(6))
    assert not merkle.verify_consistency(6, 5, [], root(5), root(5))


def test_malformed_hashes_and_out_of_range_indexes_are_rejected():
    path = merkle.inclusion_proof(3, 10, NODES)
    assert not merkle.verify_inclusion(3, 10, LEAVES[3][:31], path, root(10))
    assert not merkle.verify_inclusion(3, 10, LEAVES[3], [path[0][:16], *path[1:]], root(10))
    assert not merkle.verify_inclusion(10, 10, LEAVES[3], path, root(10))
    assert not merkle.verify_inclusion(0, 0, LEAVES[0], [], merkle.EMPTY_ROOT)
    with pytest.raises(ValueError):
        merkle.inclusion_ranges(10, 10)
    with pytest.raises(ValueError):
        merkle.consistency_ranges(0, 3)
    with pytest.raises(LookupError):
        merkle.inclusion_proof(0, 4, merkle.memory_nodes(LEAVES[:2]))
