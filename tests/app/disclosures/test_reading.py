"""Residents read the published disclosures of their own village and town, newest first."""

from __future__ import annotations

import pytest

from app.disclosures import reading
from app.errors import Forbidden, InvalidInput, NotFound, Unauthorized
from tests.app.disclosures.conftest import draft, published
from tests.app.supervision.fixtures import HOUR, MONDAY_9AM


def ids(listing):
    return [d.id for d in listing.items]


def test_a_resident_sees_their_village_and_town_but_not_drafts_or_other_villages(place):
    mine = published(place, at=MONDAY_9AM)
    other = published(place, region=place.tree.village_a2, at=MONDAY_9AM + 2 * HOUR,
                      by="town_admin")
    draft(place)
    listing = reading.list_disclosures(place.actor(place.resident))
    assert ids(listing) == [mine.id]
    assert ids(reading.list_disclosures(place.actor(place.resident_a2))) == [other.id]
    assert ids(reading.list_disclosures(place.actor(place.resident_b))) == []


def test_town_disclosures_reach_every_village_of_the_town(place):
    item = published(place, region=place.tree.town_a, by="town_admin")
    assert ids(reading.list_disclosures(place.actor(place.resident))) == [item.id]
    assert ids(reading.list_disclosures(place.actor(place.resident_a2))) == [item.id]
    assert ids(reading.list_disclosures(place.actor(place.resident_b))) == []


def test_the_list_pages_by_cursor_and_filters_by_kind(place):
    made = [published(place, at=MONDAY_9AM + n * HOUR, kind=kind,
                      period="2026-10" if kind == "finance" else "2026-Q4")
            for n, kind in enumerate(("affairs", "finance", "affairs", "party", "affairs"))]
    resident = place.actor(place.resident)
    first = reading.list_disclosures(resident, limit=2)
    second = reading.list_disclosures(resident, limit=2, cursor=first.next_cursor)
    third = reading.list_disclosures(resident, limit=2, cursor=second.next_cursor)
    assert ids(first) + ids(second) + ids(third) == [d.id for d in reversed(made)]
    assert third.next_cursor is None
    assert ids(reading.list_disclosures(resident, kind="affairs")) == [
        made[4].id, made[2].id, made[0].id]
    with pytest.raises(InvalidInput):
        reading.list_disclosures(resident, cursor="garbage")


def test_only_residents_bound_to_a_household_read_the_list(place):
    with pytest.raises(Unauthorized):
        reading.list_disclosures(None)
    with pytest.raises(Forbidden) as info:
        reading.list_disclosures(place.actor(place.visitor))
    assert info.value.code == "disclosure.residents_only"


def test_a_disclosure_of_another_village_or_a_draft_is_not_found_for_a_resident(place):
    other = published(place, region=place.tree.village_a2, by="town_admin")
    pending = draft(place)
    for item in (other, pending):
        with pytest.raises(NotFound):
            reading.read_disclosure(place.actor(place.resident), item.id)
    assert reading.read_disclosure(place.staff("discipline_officer"), pending.id).id == pending.id
