"""Fixtures of the public pages' tests: the supervision town (``place``) and a published
disclosure and notice whose town log has a signed checkpoint (``board``). The browser tests
of these pages live in tests/miniprogram_api/console/test_public_pages_browser.py, beside
the session's one Playwright harness."""

from __future__ import annotations

import pytest

from app.clock import frozen
from app.db import database
from app.notices import services as notices
from app.transparency import keys
from app.transparency import services as tlog
from tests.app.disclosures.conftest import published
from tests.app.supervision import fixtures
from tests.app.supervision.fixtures import MONDAY_9AM

place = fixtures.place
SIGNER = keys.signer_from_seed(b"\x07" * 32)


def sign(place) -> None:
    """Sign the checkpoint of town A's log, as the hourly job does."""
    with database.atomic():
        tlog.sign_checkpoint(tlog.log_id_for(place.tree.town_a.code), signer=SIGNER)


@pytest.fixture
def board(place):  # noqa: F811
    """Two published disclosures of village A1 and one open notice, checkpoint signed."""
    first = published(place, title="2026年第三季度村务公开", period="2026-Q3")
    second = published(place, title="2026年第四季度村务公开",
                       at=MONDAY_9AM + fixtures.DAY)
    with frozen(MONDAY_9AM):
        draft = notices.create_notice(
            place.staff("cadre"), village_id=place.tree.village_a1.id,
            matter_type="asset_lease", matter="临街店面出租",
            proposal="拟以每年 3.6 万元公开招租临街店面，租期三年。", objection_days=30)
    notice = notices.publish_notice(place.staff("cadre"), draft.id)
    sign(place)
    return {"first": first, "second": second, "notice": notice}
