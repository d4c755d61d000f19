"""Home = my work: each role sees the lists of its own work, with counts and links."""

from __future__ import annotations

import re

from app.requests import workflow
from tests.miniprogram_api.console.helpers import submit


def _count(html: str, key: str) -> int:
    block = html.split(f'data-list="{key}"', 1)[1]
    return int(re.search(r'class="count"[^>]*>(\d+)<', block).group(1))


def test_a_grid_worker_sees_requests_to_accept_with_a_link_to_each(console, staff_town):
    first, second = submit(staff_town), submit(staff_town, "小区门口的路灯不亮了，请尽快修")
    html = console("grid").get("/console/").text
    assert _count(html, "requests_to_accept") == 2
    assert f'href="/console/requests/{first.id}"' in html
    assert f'href="/console/requests/{second.id}"' in html
    assert second.tracking_no in html


def test_a_dispatched_request_moves_to_the_handling_units_list(console, staff_town):
    request = submit(staff_town)
    admin = staff_town.actor(staff_town.town_admin)
    workflow.accept_request(admin, request.id)
    workflow.dispatch_request(admin, request.id)
    html = console("grid").get("/console/").text  # the grid worker is in the grid unit
    assert _count(html, "requests_to_accept") == 0
    assert _count(html, "requests_mine") == 1


def test_a_handler_without_a_role_sees_only_the_units_list(console, staff_town):
    from tests.factories import grant

    grant(staff_town.handler, "grid_worker", staff_town.tree.grid_a2)  # to be staff at all
    html = console("handler").get("/console/").text
    assert 'data-list="requests_mine"' in html
    assert 'data-list="wishes_review"' in html  # grid workers review wishes
    assert 'data-list="disclosures_review"' not in html


def test_a_discipline_officer_sees_seal_anomalies_but_not_the_acceptance_queue(console,
                                                                              staff_town):
    html = console("discipline").get("/console/").text
    assert 'data-list="seal_anomalies"' in html
    assert 'data-list="requests_joint"' in html
    assert 'data-list="requests_to_accept"' not in html
    assert 'data-list="wishes_review"' not in html


def test_a_town_admin_sees_disclosures_to_review_and_escalations(console, staff_town):
    html = console("townadmin").get("/console/").text
    for key in ("disclosures_review", "requests_escalated", "requests_extensions",
                "seal_anomalies"):
        assert f'data-list="{key}"' in html
    assert 'data-list="wishes_review"' not in html  # town admins do not review wishes
