"""Staff intents on posts: write a draft, edit it, publish now or on schedule, pin, withdraw.

Every function checks permission first (the action depends on the post's kind, see
``policies.manage_action``), then changes the post in one transaction with an optimistic
version check (``_apply``), and audits the change with ids and codes only — never the text.
Reading for residents lives in ``reading.py``; the scheduled publishing job in ``jobs.py``.
"""

from __future__ import annotations

import datetime as dt

from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.errors import Conflict, InvalidInput, NotFound
from app.policy import Actor, Grant, authorize, can, require_any_scope
from app.posts import policies, rules
from app.posts.models import Post
from app.regions import rules as region_rules
from app.regions import services as regions
from app.regions.models import Region


def _not_found() -> NotFound:
    return NotFound("post.not_found", "找不到该文章")


def load_for_staff(actor: Actor | None, post_id: int) -> Post:
    """The post if the actor reads posts where it is published; otherwise post.not_found."""
    post = Post.get_or_none(Post.id == post_id)
    if post is None or not can(actor, policies.READ, post.region_path):
        raise _not_found()
    return post


def _audit(actor: Actor, grant: Grant | None, action: str, post: Post, **summary) -> None:
    record(actor=actor, grant=grant, action=f"post.{action}", object_type="post",
           object_id=post.id, region_path=post.region_path, region_id=post.region_id,
           summary=summary)


def _apply(post: Post, action: str, changes: dict, now: dt.datetime) -> Post:
    """Move ``post`` by ``action`` and save ``changes``, unless someone changed it meanwhile.

    The conditional update is the transaction's first write, so on SQLite it takes the write
    lock before anything is read inside the transaction.
    """
    target = rules.next_state(post.status, action)
    values = dict(changes, status=target, version=post.version + 1, updated_at=now)
    updated = (Post.update({getattr(Post, k): v for k, v in values.items()})
               .where((Post.id == post.id) & (Post.version == post.version)).execute())
    if updated != 1:
        raise Conflict("post.changed", "该文章刚被其他人修改过，请刷新后再试")
    for key, value in values.items():
        setattr(post, key, value)
    return post


def _attach(actor: Actor, post: Post, photo_ids, cover_media_id: int | None) -> None:
    from app.media.services import attach_media, attached_media

    if photo_ids:
        attach_media(actor, list(photo_ids), f"post:{post.id}", limit=rules.MAX_PHOTOS)
    if cover_media_id is not None:
        if cover_media_id not in {m.id for m in attached_media(f"post:{post.id}")}:
            raise InvalidInput("post.bad_cover", "封面须是本文已上传的图片之一")


def create_post(actor: Actor | None, *, kind: str, title: str, body: str, region_id: int,
                pinned: bool = False, photo_ids: tuple[int, ...] = (),
                cover_media_id: int | None = None) -> Post:
    """Write a draft post for ``region_id`` (a district, town, village, grid, estate or building).

    Cadres and town admins in scope, any kind; grid workers in their grid, notices and service
    guides only. Raises Unauthorized/Forbidden, region.not_found, post.bad_kind /
    bad_title / bad_body / bad_region / bad_cover, media.* errors. Creates the draft, attaches
    the uploaded images (``post:<id>``), audits post.create.
    """
    rules.check_kind(kind)
    region = regions.get_region(region_id)
    grant = authorize(actor, policies.manage_action(kind), region.path)
    title, body = rules.check_text(title, body)
    if region.level == "household":
        raise InvalidInput("post.bad_region", "文章只能发布到楼栋及以上的区域")
    now = utcnow()
    with database.atomic():
        post = Post.create(kind=kind, title=title, body=body, region=region.id,
                           region_path=region.path, author=actor.user_id, pinned=pinned,
                           created_at=now, updated_at=now)
        _attach(actor, post, photo_ids, cover_media_id)
        if cover_media_id is not None:
            post.cover_media_id = cover_media_id
            Post.update(cover_media_id=cover_media_id).where(Post.id == post.id).execute()
        _audit(actor, grant, "create", post, kind=kind, pinned=pinned)
    return post


def update_post(actor: Actor | None, post_id: int, *, kind: str, title: str, body: str,
                cover_media_id: int | None = None,
                photo_ids: tuple[int, ...] = ()) -> Post:
    """Replace a draft's kind, title, body and cover, and add more images.

    Who may manage the post's current kind and its new kind in scope. Raises post.not_found,
    Forbidden, post.illegal_transition (not a draft), post.changed, the validation errors of
    :func:`create_post`. Audits post.update.
    """
    post = load_for_staff(actor, post_id)
    grant = authorize(actor, policies.manage_action(post.kind), post.region_path)
    authorize(actor, policies.manage_action(rules.check_kind(kind)), post.region_path)
    title, body = rules.check_text(title, body)
    now = utcnow()
    with database.atomic():
        _apply(post, "update", {"kind": kind, "title": title, "body": body,
                                "cover_media_id": cover_media_id}, now)
        _attach(actor, post, photo_ids, cover_media_id)
        _audit(actor, grant, "update", post, kind=kind)
    return post


def publish_post(actor: Actor | None, post_id: int, *,
                 publish_at: dt.datetime | None = None) -> Post:
    """Publish a draft now, or schedule it when ``publish_at`` (naive UTC) is given.

    Who may manage the post's kind in scope. A scheduled draft stays a draft until the
    ``posts.publish_scheduled`` job publishes it. Raises post.not_found, Forbidden,
    post.illegal_transition, post.schedule_in_past, post.changed. Audits post.publish or
    post.schedule.
    """
    post = load_for_staff(actor, post_id)
    grant = authorize(actor, policies.manage_action(post.kind), post.region_path)
    now = utcnow()
    with database.atomic():
        if publish_at is not None:
            rules.check_schedule(publish_at, now)
            _apply(post, "schedule", {"publish_at": publish_at}, now)
            _audit(actor, grant, "schedule", post, publish_at=publish_at.isoformat())
        else:
            _apply(post, "publish", {"published_at": now, "publish_at": None}, now)
            _audit(actor, grant, "publish", post)
    return post


def unschedule_post(actor: Actor | None, post_id: int) -> Post:
    """Cancel a scheduled publication; the post stays a draft. Raises post.not_scheduled."""
    post = load_for_staff(actor, post_id)
    grant = authorize(actor, policies.manage_action(post.kind), post.region_path)
    if post.status == "draft" and post.publish_at is None:
        raise Conflict("post.not_scheduled", "该文章没有设置定时发布")
    now = utcnow()
    with database.atomic():
        _apply(post, "unschedule", {"publish_at": None}, now)
        _audit(actor, grant, "unschedule", post)
    return post


def set_pinned(actor: Actor | None, post_id: int, pinned: bool) -> Post:
    """Pin a post to the top of the feed, or unpin it (drafts keep the flag for later).

    Who may manage the post's kind in scope. Raises post.not_found, Forbidden,
    post.illegal_transition (withdrawn), post.changed. Audits post.pin.
    """
    post = load_for_staff(actor, post_id)
    grant = authorize(actor, policies.manage_action(post.kind), post.region_path)
    now = utcnow()
    with database.atomic():
        _apply(post, "pin", {"pinned": bool(pinned)}, now)
        _audit(actor, grant, "pin", post, pinned=bool(pinned))
    return post


def withdraw_post(actor: Actor | None, post_id: int, *, reason: str) -> Post:
    """Withdraw a published post (or discard a draft) with a reason kept for the record.

    Who may manage the post's kind in scope. Residents no longer see it. Raises
    post.not_found, Forbidden, post.reason_required, post.illegal_transition, post.changed.
    Audits post.withdraw (the reason stays on the post, not in the audit summary).
    """
    post = load_for_staff(actor, post_id)
    grant = authorize(actor, policies.manage_action(post.kind), post.region_path)
    reason = rules.check_reason(reason)
    now = utcnow()
    with database.atomic():
        _apply(post, "withdraw", {"withdrawn_at": now, "withdraw_reason": reason,
                                  "publish_at": None}, now)
        _audit(actor, grant, "withdraw", post)
    return post


def staff_posts_query(actor: Actor | None, *, status: str | None = None,
                      kind: str | None = None, region_id: int | None = None):
    """Posts published anywhere in the caller's scope, for keyset paging by ``Post.id``.

    Grid workers, cadres and town admins. Raises Unauthorized/Forbidden, region.not_found,
    post.bad_kind / bad_status. Changes nothing.
    """
    paths = require_any_scope(actor, policies.READ)
    if region_id is not None:
        inner = regions.path_of(region_id)
        if any(region_rules.contains(outer, inner) for outer in paths):
            paths = [inner]
        else:
            paths = [p for p in paths if region_rules.contains(inner, p)]
    cond = None
    for path in paths:
        part = regions.in_subtree(Post.region_path, path)
        cond = part if cond is None else (cond | part)
    query = (Post.select(Post, Region).join(Region, on=(Post.region == Region.id))
             .where(cond if cond is not None else Post.id.in_([])))
    if status is not None:
        if status not in rules.STATES:
            raise InvalidInput("post.bad_status", "未知的文章状态")
        query = query.where(Post.status == status)
    if kind is not None:
        query = query.where(Post.kind == rules.check_kind(kind))
    return query
