"""微平台 for residents and visitors (``/api/v1/posts``): the feed of a place and one post.

Posts are public content: no token is needed. With a token the feed defaults to the caller's
household, and opening a post counts the caller once towards its read count.
"""

from __future__ import annotations

from flask import Blueprint

from app.media.services import attached_media
from app.posts import reading
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import Page
from miniprogram_api.schemas.posts import PostDetailSchema, PostFeedQuery, PostSummarySchema

bp = Blueprint("posts", __name__, url_prefix="/api/v1")


def with_photos(post):
    post.photos = attached_media(f"post:{post.id}")
    return post


@endpoint(bp, "/posts", auth="optional", query=PostFeedQuery, response=PostSummarySchema,
          paged=True, summary="文章列表：本区域及上级区域发布的文章（置顶在前）",
          errors=("post.region_required", "region.not_found", "pagination.bad_cursor"))
def feed(actor, query):
    page = reading.list_posts(actor, region_id=query["region_id"], cursor=query["cursor"],
                              limit=query["limit"])
    return Page(page.items, page.next_cursor)


@endpoint(bp, "/posts/<int:post_id>", auth="optional", response=PostDetailSchema,
          summary="文章详情（登录用户首次阅读计入阅读数）", errors=("post.not_found",))
def read(actor, post_id):
    return with_photos(reading.read_post(actor, post_id))
