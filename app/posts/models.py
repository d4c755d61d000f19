"""Tables of posts: the post itself and who has read it (for read counts)."""

from __future__ import annotations

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel
from app.regions.models import Region


class Post(BaseModel):
    """A post published to a region node; it applies to that node and everything below it.

    ``status`` is draft → published → withdrawn (``rules.TRANSITIONS``). A draft with
    ``publish_at`` set is scheduled: the ``posts.publish_scheduled`` job publishes it once that
    time has come. Images live in app.media under the target ``post:<id>``; ``cover_media_id``
    names the one of them shown as the cover. ``read_count`` counts distinct logged-in readers
    (one ``PostRead`` row each), never anonymous ones.
    """

    kind = peewee.CharField(max_length=16)
    title = peewee.CharField(max_length=100)
    body = peewee.TextField()
    region = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    region_path = peewee.CharField(max_length=255)
    author = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    status = peewee.CharField(max_length=12, default="draft")
    pinned = peewee.BooleanField(default=False)
    cover_media_id = peewee.IntegerField(null=True)
    publish_at = peewee.DateTimeField(null=True)
    published_at = peewee.DateTimeField(null=True)
    withdrawn_at = peewee.DateTimeField(null=True)
    withdraw_reason = peewee.CharField(max_length=500, default="")
    read_count = peewee.IntegerField(default=0)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)

    class Meta:
        indexes = (
            # The residents' feed: one index range per ancestor node, already in feed order.
            (("region", "status", "pinned", "published_at", "id"), False),
            # Staff lists by scope.
            (("region_path", "status", "id"), False),
            # The scheduled-publishing job.
            (("status", "publish_at"), False),
        )


class PostRead(BaseModel):
    """One logged-in reader of one post; the unique pair makes a second read count nothing."""

    post = peewee.ForeignKeyField(Post, backref="reads", on_delete="CASCADE")
    user = peewee.ForeignKeyField(User, on_delete="CASCADE")
    read_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("post", "user"), True),)
