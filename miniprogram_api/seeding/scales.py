"""The sizes ``seed-city`` generates, and the arithmetic that places every row in them.

One table, :data:`SCALES`: ``town`` is one town of 20 villages, ``county`` 15 towns (300
villages), ``city`` the figures of Quanzhou in seed 004 (12 districts and county-level cities,
2,300 villages, 34,000 grids, 1,000,000 residents …). The per-village figures of the two smaller
scales are the city's, so a village looks the same whatever the scale. ``tiny`` (hidden from
``--help``) is for the tests.

Rows are never looked up while generating: a node's id, parent and path follow from its index
by integer arithmetic (:class:`Shape`), so a million households need no dictionary in memory.
Items of one level are spread evenly over the level above: item ``i`` of ``n`` belongs to
parent ``i * m // n`` of ``m``, so every parent gets ``n // m`` or ``n // m + 1`` children.
"""

from __future__ import annotations

LEVELS = ("district", "town", "village", "grid", "building", "household")

# districts, towns, villages, grids, buildings, households, residents,
# requests, disclosures (published, all on the log), wishes, point transfers
SCALES: dict[str, dict[str, int]] = {
    "tiny": dict(districts=1, towns=1, villages=2, grids=4, buildings=8, households=24,
                 residents=60, requests=80, disclosures=40, wishes=30, transfers=300),
    "town": dict(districts=1, towns=1, villages=20, grids=296, buildings=870,
                 households=3_480, residents=8_700, requests=4_350, disclosures=5_435,
                 wishes=870, transfers=43_480),
    "county": dict(districts=1, towns=15, villages=300, grids=4_435, buildings=13_045,
                   households=52_175, residents=130_435, requests=65_220,
                   disclosures=81_520, wishes=13_045, transfers=652_175),
    "city": dict(districts=12, towns=150, villages=2_300, grids=34_000, buildings=100_000,
                 households=400_000, residents=1_000_000, requests=500_000,
                 disclosures=625_000, wishes=100_000, transfers=5_000_000),
}
PUBLIC_SCALES = ("town", "county", "city")


def spread(i: int, n: int, m: int) -> int:
    """The parent (of ``m``) of item ``i`` (of ``n``) when ``n`` items spread evenly."""
    return i * m // n


def children(p: int, n: int, m: int) -> range:
    """The items (of ``n``) whose parent is ``p`` (of ``m``): the inverse of :func:`spread`."""
    return range(-(-p * n // m), -(-(p + 1) * n // m))


class Shape:
    """One scale's counts and the id arithmetic of its region tree, residents and staff.

    Called millions of times at city scale, so counts and first ids are precomputed per level.
    """

    def __init__(self, name: str, counts: dict[str, int]):
        self.name = name
        self.counts = counts
        self._n = [counts["households" if lv == "household" else f"{lv}s"] for lv in LEVELS]
        self._first = [1 + sum(self._n[:d]) for d in range(len(LEVELS))]
        self._depth = {lv: d for d, lv in enumerate(LEVELS)}

    @classmethod
    def of(cls, name: str) -> Shape:
        return cls(name, dict(SCALES[name]))

    def n(self, level: str) -> int:
        return self._n[self._depth[level]]

    # -- regions: ids level by level, districts first ------------------------------------
    def first_id(self, level: str) -> int:
        """The id of item 0 of ``level`` (ids are 1-based and contiguous per level)."""
        return self._first[self._depth[level]]

    def region_id(self, level: str, i: int) -> int:
        return self._first[self._depth[level]] + i

    def parent_index(self, level: str, i: int) -> int:
        depth = self._depth[level]
        return i * self._n[depth - 1] // self._n[depth]

    def chain(self, level: str, i: int) -> list[int]:
        """Indexes from the district down to the node."""
        depth = self._depth[level]
        out = [i]
        n = self._n
        while depth > 0:
            i = i * n[depth - 1] // n[depth]
            depth -= 1
            out.append(i)
        out.reverse()
        return out

    def ancestors(self, level: str, i: int) -> dict[str, int]:
        """Index of the node and of each node above it, by level."""
        return dict(zip(LEVELS, self.chain(level, i), strict=False))

    def path(self, level: str, i: int) -> str:
        first = self._first
        return "/" + "".join(f"{first[d] + k}/" for d, k in enumerate(self.chain(level, i)))

    def regions_total(self) -> int:
        return sum(self.n(level) for level in LEVELS)

    # -- people -------------------------------------------------------------------------
    def household_of(self, resident: int) -> int:
        """Household index of resident ``resident`` (0-based); the user id is resident + 1."""
        return spread(resident, self.counts["residents"], self.counts["households"])

    def residents_of_village(self, village: int) -> range:
        """Resident indexes living in village ``village`` (contiguous, by construction)."""
        households = self._descendants("village", village, "household")
        return range(-(-households.start * self.counts["residents"] // self.n("household")),
                     -(-households.stop * self.counts["residents"] // self.n("household")))

    def _descendants(self, level: str, i: int, below: str) -> range:
        lo, hi = i, i + 1
        depth = LEVELS.index(level)
        while LEVELS[depth] != below:
            n, m = self.n(LEVELS[depth + 1]), self.n(LEVELS[depth])
            lo, hi = children(lo, n, m).start, children(hi - 1, n, m).stop
            depth += 1
        return range(lo, hi)

    # staff, in id order: (key, role granted, level of the grant); two town admins per town
    STAFF = (("grid_worker", "grid_worker", "grid"), ("cadre", "cadre", "village"),
             ("finance_panel", "finance_panel", "village"),
             ("supervision_committee", "supervision_committee", "village"),
             ("town_admin", "town_admin", "town"), ("town_deputy", "town_admin", "town"))

    def staff_id(self, key: str, i: int) -> int:
        """User id of staff member ``key`` (see :attr:`STAFF`) of grid / village / town ``i``;
        staff ids follow the residents'."""
        offset = self.counts["residents"] + 1
        for other, _, level in self.STAFF:
            if other == key:
                return offset + i
            offset += self.n(level)
        raise KeyError(key)

    def staff_total(self) -> int:
        return sum(self.n(level) for _, _, level in self.STAFF)

    # -- handling units: one per grid, one per village, two departments per town --------
    def unit_id(self, kind: str, i: int) -> int:
        grids, villages = self.n("grid"), self.n("village")
        return 1 + {"grid": i, "village": grids + i, "department": grids + villages + i}[kind]
