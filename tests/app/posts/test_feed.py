"""The residents' feed: what applies to a place (its node and every ancestor), pinned first
then newest, paged by a (pinned, published_at, id) cursor; and read counts."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.db import database
from app.errors import InvalidInput, NotFound
from app.posts import reading
from app.posts.models import Post, PostRead
from tests.app.posts.conftest import HOUR, MONDAY_9AM, draft, fresh, published


def titles(feed):
    return [p.title for p in feed.items]


def every_page(actor, *, region_id=None, limit):
    seen, cursor = [], None
    while True:
        page = reading.list_posts(actor, region_id=region_id, cursor=cursor, limit=limit)
        seen += [p.id for p in page.items]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


def test_a_resident_reads_what_every_level_above_their_household_published(town):
    tree = town.tree
    for hours, region in enumerate((tree.district, tree.town_a, tree.village_a1, tree.grid_a1,
                                    tree.building_a1)):
        published(town, region, title=region.level, at=MONDAY_9AM + hours * HOUR)
    for region in (tree.village_a2, town.grid_a1_east, tree.town_b):
        published(town, region, title=f"其他{region.level}")
    draft(town, tree.village_a1)
    feed = reading.list_posts(town.actor(town.resident))
    assert titles(feed) == ["building", "grid", "village", "town", "district"]


def test_pinned_posts_come_first_then_newest_then_highest_id(town):
    tree = town.tree
    old_pinned = published(town, tree.town_a, title="置顶旧", pinned=True)
    newest = published(town, tree.village_a1, title="最新", at=MONDAY_9AM + 2 * HOUR)
    same_time_a = published(town, tree.grid_a1, title="同时A", at=MONDAY_9AM + HOUR)
    same_time_b = published(town, tree.village_a1, title="同时B", at=MONDAY_9AM + HOUR)
    feed = reading.list_posts(town.actor(town.resident))
    assert [p.id for p in feed.items] == [old_pinned.id, newest.id, same_time_b.id,
                                          same_time_a.id]


def test_pages_follow_each_other_without_gaps_or_repeats(town):
    tree = town.tree
    made = [published(town, region, at=MONDAY_9AM + (i % 3) * HOUR, pinned=i % 4 == 0)
            for i, region in enumerate([tree.town_a, tree.village_a1, tree.grid_a1] * 4)]
    expected = [p.id for p in sorted(
        (fresh(p) for p in made),
        key=lambda p: (not p.pinned, -p.published_at.timestamp(), -p.id))]
    for limit in (1, 2, 5, 100):
        assert every_page(town.actor(town.resident), limit=limit) == expected


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["district", "town_a", "village_a1", "grid_a1",
                                           "village_a2"]),
                          st.integers(min_value=0, max_value=3), st.booleans()),
                min_size=0, max_size=12),
       st.integers(min_value=1, max_value=4))
def test_paging_the_feed_equals_sorting_what_applies(town, posts, limit):
    Post.delete().execute()
    ids = []
    for place, hour, pinned in posts:
        region = getattr(town.tree, place)
        ids.append(Post.create(kind="notice", title="t", body="b", region=region.id,
                               region_path=region.path, author=town.town_admin.id,
                               status="published", pinned=pinned,
                               published_at=MONDAY_9AM + hour * HOUR).id)
    applies = [p for p in Post.select() if p.region.level != "village"
               or p.region_id == town.tree.village_a1.id]
    expected = [p.id for p in sorted(applies, key=lambda p: (
        not p.pinned, -p.published_at.timestamp(), -p.id))]
    assert every_page(town.actor(town.resident), limit=limit) == expected


def test_a_visitor_picks_a_region_and_reads_its_public_posts(town):
    published(town, town.tree.village_b1, title="仁风社区通知")
    published(town, town.tree.village_a1, title="东星社区通知")
    with pytest.raises(InvalidInput) as info:
        reading.list_posts(town.actor(town.visitor))
    assert info.value.code == "post.region_required"
    for who in (town.actor(town.visitor), None, town.actor(town.resident)):
        feed = reading.list_posts(who, region_id=town.tree.village_b1.id)
        assert titles(feed) == ["仁风社区通知"]


def test_a_malformed_cursor_or_limit_is_refused(town):
    with pytest.raises(InvalidInput) as info:
        reading.list_posts(town.actor(town.resident), cursor="bm9wZQ")
    assert info.value.code == "pagination.bad_cursor"
    with pytest.raises(InvalidInput) as info:
        reading.list_posts(town.actor(town.resident), limit=0)
    assert info.value.code == "post.bad_limit"


# -- read counts -------------------------------------------------------------------------------

def test_a_reader_counts_once_and_anonymous_reads_not_at_all(town):
    post = published(town, town.tree.village_a1)
    assert reading.read_post(town.actor(town.resident), post.id).read_count == 1
    assert reading.read_post(town.actor(town.resident), post.id).read_count == 1
    assert reading.read_post(None, post.id).read_count == 1
    assert reading.read_post(town.actor(town.resident_b), post.id).read_count == 2
    assert PostRead.select().count() == 2


def test_a_draft_is_not_read_and_not_counted(town):
    post = draft(town, town.tree.village_a1)
    with pytest.raises(NotFound) as info:
        reading.read_post(town.actor(town.resident), post.id)
    assert info.value.code == "post.not_found"
    assert fresh(post).read_count == 0


def test_the_same_reader_opening_a_post_twice_at_once_counts_once(town):
    post = published(town, town.tree.village_a1)
    reader = town.actor(town.resident)
    barrier, errors = threading.Barrier(4, timeout=20), []

    def read():
        try:
            with database.connection_context():
                barrier.wait()
                reading.read_post(reader, post.id)
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)

    if not database.is_closed():
        database.close()
    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert fresh(post).read_count == 1


def test_read_counts_do_not_move_a_post_in_the_feed(town):
    first = published(town, town.tree.village_a1, at=MONDAY_9AM)
    second = published(town, town.tree.village_a1, at=MONDAY_9AM + dt.timedelta(minutes=1))
    reading.read_post(town.actor(town.resident), first.id)
    assert [p.id for p in reading.list_posts(town.actor(town.resident)).items] == [
        second.id, first.id]
