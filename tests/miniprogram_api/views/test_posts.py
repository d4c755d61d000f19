"""HTTP: the residents' feed and a post's page (``/api/v1/posts``), public content."""

from __future__ import annotations

import io

from app.posts.models import PostRead
from tests.app.media import samples
from tests.app.posts import conftest as posts_conftest
from tests.app.posts.conftest import HOUR, MONDAY_9AM, draft, published
from tests.factories import bearer

town = posts_conftest.town  # the service tests' town, shared

SUMMARY_KEYS = {"id", "kind", "kind_name", "title", "excerpt", "region_id", "region_name",
                "pinned", "published_at", "read_count", "cover_url"}


def code_of(res):
    return res.get_json()["error"]["code"]


def test_a_resident_pages_through_their_feed_pinned_first(client, town):
    tree = town.tree
    pinned = published(town, tree.town_a, title="街道置顶", pinned=True)
    newer = published(town, tree.village_a1, title="社区新闻", kind="news",
                      at=MONDAY_9AM + HOUR)
    older = published(town, tree.grid_a1, title="网格通知")
    published(town, tree.village_b1, title="别的街道")
    res = client.get("/api/v1/posts?limit=2", headers=bearer(town.resident))
    assert res.status_code == 200
    page = res.get_json()["data"]
    assert [p["id"] for p in page["items"]] == [pinned.id, newer.id]
    first = page["items"][0]
    assert set(first) == SUMMARY_KEYS
    assert (first["region_name"], first["kind_name"], first["pinned"]) == (
        "东海街道", "通知公告", True)
    assert first["published_at"] == "2026-11-23T09:00:00+08:00"
    more = client.get(f"/api/v1/posts?limit=2&cursor={page['next_cursor']}",
                      headers=bearer(town.resident)).get_json()["data"]
    assert ([p["id"] for p in more["items"]], more["next_cursor"]) == ([older.id], None)


def test_anyone_reads_the_posts_of_a_region_they_pick(client, town):
    post = published(town, town.tree.village_b1, title="仁风社区通知")
    res = client.get(f"/api/v1/posts?region_id={town.tree.village_b1.id}")
    assert [p["id"] for p in res.get_json()["data"]["items"]] == [post.id]
    visitor = client.get("/api/v1/posts", headers=bearer(town.visitor))
    assert visitor.status_code == 422 and code_of(visitor) == "post.region_required"


def test_a_forged_cursor_is_a_validation_error(client, town):
    res = client.get("/api/v1/posts?cursor=aWQ6MTI", headers=bearer(town.resident))
    assert res.status_code == 422 and code_of(res) == "pagination.bad_cursor"


def test_opening_a_post_counts_each_logged_in_reader_once(client, town):
    post = published(town, town.tree.village_a1)
    url = f"/api/v1/posts/{post.id}"
    assert client.get(url).get_json()["data"]["read_count"] == 0
    for _ in range(2):
        body = client.get(url, headers=bearer(town.resident)).get_json()["data"]
    assert body["read_count"] == 1
    assert body["body"] == "明天上午九点到十二点停水，请提前储水。" and body["photos"] == []
    assert PostRead.select().count() == 1


def test_a_draft_is_not_found(client, town):
    post = draft(town, town.tree.village_a1)
    res = client.get(f"/api/v1/posts/{post.id}", headers=bearer(town.resident))
    assert res.status_code == 404 and code_of(res) == "post.not_found"


def test_a_published_posts_cover_is_downloadable_by_any_logged_in_reader(client, town):
    upload = client.post("/api/v1/media", headers=bearer(town.town_admin, "staff"),
                         data={"file": (io.BytesIO(samples.jpeg_bytes()), "c.jpg")},
                         content_type="multipart/form-data").get_json()["data"]
    staff = bearer(town.town_admin, "staff")
    created = client.post("/admin/api/v1/posts", headers=staff, json={
        "kind": "news", "title": "新闻", "body": "正文", "region_id": town.tree.town_a.id,
        "photo_ids": [upload["id"]], "cover_media_id": upload["id"]}).get_json()["data"]
    client.post(f"/admin/api/v1/posts/{created['id']}/publish", headers=staff, json={})
    shown = client.get(f"/api/v1/posts/{created['id']}").get_json()["data"]
    assert shown["cover_url"] == upload["url"]
    assert [p["id"] for p in shown["photos"]] == [upload["id"]]
    got = client.get(shown["cover_url"], headers=bearer(town.resident_b))
    assert got.status_code == 200 and got.mimetype == "image/jpeg"
