"""Who may do what with posts.

Publishing is a staff act scoped by region: cadres and town admins manage every kind of post
inside their grant; grid workers manage notices and service guides for their grid only
(``rules.NOTICE_KINDS``) — policy and news speak for the village or town. The action needed
therefore depends on the post's kind (:func:`manage_action`).

Published posts are public content: anyone, logged in or not, reads them, and their images are
visible to every logged-in user (the media download needs a token). Drafts and withdrawn posts
are seen only by staff who may read posts in scope; to everyone else they do not exist.
"""

from __future__ import annotations

from app.policy import Actor, can, register
from app.posts import rules
from app.posts.models import Post

STAFF = {"grid_worker", "cadre", "town_admin"}

READ = register("post.read", STAFF)
MANAGE = register("post.manage", {"cadre", "town_admin"})
MANAGE_NOTICE = register("post.manage_notice", STAFF)


def manage_action(kind: str) -> str:
    """The action that managing a post of ``kind`` needs."""
    return MANAGE_NOTICE if kind in rules.NOTICE_KINDS else MANAGE


def is_public(post: Post) -> bool:
    return post.status == "published"


def can_read(actor: Actor | None, post: Post) -> bool:
    """Published: anyone. Otherwise staff who read posts where it is published."""
    return is_public(post) or can(actor, READ, post.region_path)


def _may_view_post_media(actor: Actor, target: str) -> bool:
    _, _, raw_id = target.partition(":")
    post = Post.get_or_none(Post.id == int(raw_id)) if raw_id.isdigit() else None
    return post is not None and can_read(actor, post)


def register_media_visibility() -> None:
    """Images of a published post are public content; a draft's only for staff in scope."""
    from app.media.policies import register_visibility

    register_visibility("post", _may_view_post_media)


register_media_visibility()
