"""“要求公开”: a resident's complaint about a missing disclosure becomes a tracked request."""

from __future__ import annotations

import pytest

from app.disclosures import complaints
from app.errors import Forbidden, InvalidInput, Unauthorized
from app.requests.models import Request


def test_a_residents_complaint_becomes_a_tracked_complaint_request(place):
    request = complaints.request_disclosure(place.actor(place.resident), kind="finance",
                                            text="十月份的财务收支一直没有公开")
    row = Request.get_by_id(request.id)
    assert (row.type, row.category_code, row.village_id, row.status) == (
        "complaint", "disclosure", place.tree.village_a1.id, "submitted")
    assert row.text.startswith("【要求公开·财务公开】")
    assert row.tracking_no


def test_only_residents_bound_to_a_household_may_complain(place):
    with pytest.raises(Unauthorized):
        complaints.request_disclosure(None, kind="finance", text="十月份的财务没有公开")
    with pytest.raises(Forbidden):
        complaints.request_disclosure(place.actor(place.visitor), kind="finance",
                                      text="十月份的财务没有公开")


def test_a_complaint_needs_a_kind_and_some_words(place):
    with pytest.raises(InvalidInput) as info:
        complaints.request_disclosure(place.actor(place.resident), kind="weather",
                                      text="十月份的财务没有公开")
    assert info.value.code == "disclosure.bad_kind"
    with pytest.raises(InvalidInput) as info:
        complaints.request_disclosure(place.actor(place.resident), kind="affairs", text="没")
    assert info.value.code == "disclosure.bad_request_text"
    assert Request.select().count() == 0


def test_without_an_active_disclosure_category_the_complaint_is_refused_clearly(place):
    from app.errors import Conflict
    from app.requests.models import RequestCategory

    RequestCategory.update(active=False).where(RequestCategory.code == "disclosure").execute()
    with pytest.raises(Conflict) as info:
        complaints.request_disclosure(place.actor(place.resident), kind="finance",
                                      text="十月份的财务收支一直没有公开")
    assert info.value.code == "disclosure.requests_unavailable"
    assert Request.select().count() == 0
