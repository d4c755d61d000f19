"""The public pages over the Flask client: no login, published content only, nothing
personal, keyset paging, Chinese error pages, and the proof box the browser fills."""

from __future__ import annotations

import re

from app.disclosures.models import Disclosure
from tests.app.disclosures.conftest import draft

VILLAGE = "/p/villages/{code}"


def test_the_village_board_lists_published_disclosures_without_login(client, board, place):
    res = client.get(VILLAGE.format(code=place.tree.village_a1.code) + "/disclosures")
    assert res.status_code == 200
    assert "2026年第四季度村务公开" in res.text and "2026年第三季度村务公开" in res.text
    assert res.text.index("第四季度") < res.text.index("第三季度")  # newest first
    assert "linli_console" not in res.headers.get("Set-Cookie", "")
    assert "default-src 'self'" in res.headers["Content-Security-Policy"]


def test_the_board_never_shows_drafts(client, board, place):
    draft(place, title="尚未审核的草稿公开")
    res = client.get(VILLAGE.format(code=place.tree.village_a1.code) + "/disclosures")
    assert "尚未审核的草稿公开" not in res.text


def test_the_board_pages_by_cursor(client, board, place):
    from miniprogram_api.public_pages import pages

    pages_before, pages.PAGE_SIZE = pages.PAGE_SIZE, 1
    try:
        first = client.get(VILLAGE.format(code=place.tree.village_a1.code) + "/disclosures")
        link = re.search(r'href="([^"]*cursor=[^"]+)"', first.text).group(1).replace("&amp;", "&")
        second = client.get(link)
    finally:
        pages.PAGE_SIZE = pages_before
    assert "第四季度" in first.text and "第三季度" not in first.text
    assert "第三季度" in second.text and "第四季度" not in second.text


def test_a_disclosure_page_shows_no_personal_data(client, board, place):
    item = board["second"]
    res = client.get(f"/p/disclosures/{item.id}")
    assert res.status_code == 200
    assert item.title in res.text
    for user in place.staff_users.values():
        assert user.display_name not in res.text
    assert 'data-proof-type="disclosure"' in res.text
    assert f'data-proof-id="{item.id}"' in res.text
    assert f'data-api="/api/v1/transparency/{place.tree.town_a.code}"' in res.text


def test_a_draft_disclosure_is_the_chinese_404(client, place):
    item = draft(place, title="草稿")
    res = client.get(f"/p/disclosures/{item.id}")
    assert res.status_code == 404
    assert "页面不存在" in res.text and "草稿" not in res.text
    assert res.mimetype == "text/html"


def test_an_unknown_village_is_the_chinese_404(client, place):
    res = client.get("/p/villages/000000/disclosures")
    assert res.status_code == 404 and "页面不存在" in res.text


def test_a_bad_cursor_is_a_chinese_error_page(client, board, place):
    res = client.get(VILLAGE.format(code=place.tree.village_a1.code) + "/disclosures?cursor=xx")
    assert res.status_code == 422 and "翻页参数无效" in res.text


def test_notices_open_for_objection_are_listed(client, board, place):
    res = client.get(VILLAGE.format(code=place.tree.village_a1.code) + "/notices")
    assert res.status_code == 200 and "临街店面出租" in res.text
    assert "24:00" in res.text


def test_a_notice_page_shows_its_period_and_no_objector(client, board, place):
    notice = board["notice"]
    res = client.get(f"/p/notices/{notice.id}")
    assert res.status_code == 200
    assert "正在公示" in res.text and 'data-proof-type="notice"' in res.text
    assert place.resident.display_name not in res.text


def test_another_villages_board_does_not_list_village_a1(client, board, place):
    res = client.get(VILLAGE.format(code=place.tree.village_b1.code) + "/disclosures")
    assert res.status_code == 200 and "第四季度" not in res.text
    assert Disclosure.select().where(Disclosure.status == "published").count() == 2
