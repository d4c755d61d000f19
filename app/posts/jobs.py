"""Scheduled work of posts: publish the drafts whose scheduled time has come.

Each post is published by a conditional update on (id, status 'draft', publish_at <= now): two
scheduler runs at once, or a crash and a rerun, publish it exactly once, and a schedule
cancelled or moved in the meantime is respected.
"""

from __future__ import annotations

import logging

from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.posts.models import Post

log = logging.getLogger("linli.jobs.posts")


def publish_scheduled(now=None, *, batch: int = 500) -> dict:
    """One pass: publish every due scheduled draft (at most ``batch``). Idempotent."""
    now = now or utcnow()
    counts = {"due": 0, "published": 0}
    due = (Post.select(Post.id).where((Post.status == "draft") & (Post.publish_at <= now))
           .order_by(Post.publish_at, Post.id).limit(batch).tuples())
    for (post_id,) in list(due):
        counts["due"] += 1
        try:
            if _publish(post_id, now):
                counts["published"] += 1
        except Exception:  # one bad row must not stop the pass; it is retried next run
            log.exception("scheduled publishing failed for post id=%s", post_id)
    return counts


def _publish(post_id: int, now) -> bool:
    with database.atomic():
        won = (Post.update(status="published", published_at=now, publish_at=None,
                           updated_at=now, version=Post.version + 1)
               .where((Post.id == post_id) & (Post.status == "draft")
                      & (Post.publish_at <= now))
               .execute())
        if won != 1:
            return False  # published, withdrawn or rescheduled meanwhile
        post = Post.get_by_id(post_id)
        record(actor=None, grant=None, action="post.publish_scheduled", object_type="post",
               object_id=post.id, region_path=post.region_path, region_id=post.region_id)
    return True
