"""Reading posts: the residents' feed and a post's page with its read count.

The feed of a place is every published post whose region is that place or one of its
ancestors: a resident of household H sees what the district, town, village, grid and building
above H published. It is ordered pinned first, then newest, with a cursor of the last row's
(pinned, published_at, id).

Cost follows the page, not the table: for each ancestor node one query walks the index
(region_id, status, pinned, published_at, id) from the cursor and stops after ``limit + 1``
keys; the few key lists are merged in Python and only the page's rows are then loaded. A
single ``region_id IN (...)`` query would instead sort every published post of those nodes.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import peewee

from app.clock import utcnow
from app.db import database
from app.errors import InvalidInput, NotFound
from app.policy import Actor
from app.posts import rules
from app.posts.models import Post, PostRead
from app.regions import rules as region_rules
from app.regions import services as regions
from app.regions.models import Region

MAX_LIMIT = 100


@dataclass(frozen=True)
class Feed:
    items: list[Post]
    next_cursor: str | None


def _feed_nodes(actor: Actor | None, region_id: int | None) -> list[int]:
    """The ids of the nodes whose posts apply: the place and its ancestors."""
    if region_id is not None:
        return region_rules.path_ids(regions.path_of(region_id))
    if actor is not None and actor.household_path:
        # Posts never target a household (create_post refuses it): start at its building.
        return region_rules.path_ids(actor.household_path)[:-1]
    raise InvalidInput("post.region_required", "请先选择您所在的社区(村)")


def _keys(region_id: int, after: rules.FeedKey | None, limit: int) -> list[rules.FeedKey]:
    query = (Post.select(Post.pinned, Post.published_at, Post.id)
             .where((Post.region == region_id) & (Post.status == "published")))
    if after is not None:
        published_at = peewee.Value(after.published_at, converter=Post.published_at.db_value)
        query = query.where(peewee.Tuple(Post.pinned, Post.published_at, Post.id)
                            < peewee.Tuple(peewee.Value(after.pinned,
                                                        converter=Post.pinned.db_value),
                                           published_at, after.id))
    query = query.order_by(Post.pinned.desc(), Post.published_at.desc(), Post.id.desc())
    return [rules.FeedKey(bool(p), at, i) for p, at, i in query.limit(limit).tuples()]


def list_posts(actor: Actor | None, *, region_id: int | None = None,
               cursor: str | None = None, limit: int = 20) -> Feed:
    """One page of the feed for ``region_id``, or for the caller's household when omitted.

    Anyone: posts are public content, so a visitor without a household picks a region. Raises
    post.region_required (no region and no household), region.not_found,
    pagination.bad_cursor, post.bad_limit. Changes nothing.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("post.bad_limit", f"每页条数应在 1 到 {MAX_LIMIT} 之间")
    after = rules.decode_cursor(cursor)
    merged = heapq.merge(*(_keys(node_id, after, limit + 1)
                           for node_id in _feed_nodes(actor, region_id)),
                         key=rules.FeedKey.sort_key)
    keys = [key for _, key in zip(range(limit + 1), merged, strict=False)]
    more = len(keys) > limit
    keys = keys[:limit]
    rows = {p.id: p for p in Post.select(Post, Region)
            .join(Region, on=(Post.region == Region.id))
            .where(Post.id.in_([k.id for k in keys]))} if keys else {}
    items = [rows[k.id] for k in keys if k.id in rows]
    return Feed(items, rules.encode_cursor(keys[-1]) if more and keys else None)


def read_post(actor: Actor | None, post_id: int) -> Post:
    """A published post; a logged-in reader's first read adds one to its read count.

    Anyone. The count is a conditional insert of (post, reader) followed by an increment only
    when that insert added a row, so the same reader never counts twice, even when two reads
    race; anonymous reads are not counted. Raises post.not_found for drafts, withdrawn and
    missing posts. Changes PostRead and Post.read_count.
    """
    post = (Post.select(Post, Region).join(Region, on=(Post.region == Region.id))
            .where(Post.id == post_id).first())
    if post is None or post.status != "published":
        raise NotFound("post.not_found", "找不到该文章")
    if actor is None:
        return post
    with database.atomic():
        added = (PostRead.insert(post=post.id, user=actor.user_id, read_at=utcnow())
                 .on_conflict_ignore().as_rowcount().execute())
        if added:
            Post.update(read_count=Post.read_count + 1).where(Post.id == post.id).execute()
    if added:
        post.read_count = Post.select(Post.read_count).where(Post.id == post.id).scalar()
    return post
