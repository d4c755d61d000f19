"""The id arithmetic of the scales: parents, children, paths and residents agree."""

from __future__ import annotations

import pytest

from miniprogram_api.seeding.scales import LEVELS, SCALES, Shape, children, spread


@pytest.mark.parametrize("n,m", [(34_000, 2_300), (24, 8), (7, 7), (2_300, 150)])
def test_children_is_the_inverse_of_spread(n, m):
    for p in range(m):
        kids = children(p, n, m)
        assert len(kids) in (n // m, n // m + 1)
        assert all(spread(i, n, m) == p for i in kids)
    assert sum(len(children(p, n, m)) for p in range(m)) == n


def test_every_scale_has_at_least_one_child_under_every_node():
    for name, counts in SCALES.items():
        shape = Shape.of(name)
        sizes = [shape.n(level) for level in LEVELS]
        assert sizes == sorted(sizes), name
        assert counts["residents"] >= counts["households"]


def test_a_households_path_lists_its_ancestors_ids_from_the_district_down():
    shape = Shape.of("county")
    h = shape.n("household") - 1
    ids = [int(part) for part in shape.path("household", h).strip("/").split("/")]
    assert len(ids) == len(LEVELS)
    up = shape.ancestors("household", h)
    assert ids == [shape.region_id(level, up[level]) for level in LEVELS]
    assert ids[-1] == shape.regions_total()


def test_the_residents_of_a_village_are_exactly_those_whose_household_is_in_it():
    shape = Shape.of("tiny")
    seen = []
    for v in range(shape.n("village")):
        people = shape.residents_of_village(v)
        assert all(shape.ancestors("household", shape.household_of(r))["village"] == v
                   for r in people)
        seen.extend(people)
    assert seen == list(range(shape.counts["residents"]))


def test_city_scale_has_the_figures_of_the_issue():
    city = SCALES["city"]
    assert (city["villages"], city["grids"], city["residents"], city["requests"],
            city["disclosures"], city["wishes"], city["transfers"]) == (
        2_300, 34_000, 1_000_000, 500_000, 625_000, 100_000, 5_000_000)
