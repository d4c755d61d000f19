"""微平台 in the staff console (``/admin/api/v1/posts``): drafts, publishing now or on
schedule, pinning and withdrawal. Views only load, call one service, and present."""

from __future__ import annotations

from flask import Blueprint

from app.posts import rules
from app.posts import services as posts
from app.posts.models import Post
from app.regions.models import Region
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import page_of
from miniprogram_api.schemas.posts import (
    PostCreateSchema,
    PostPinSchema,
    PostPublishSchema,
    PostUpdateSchema,
    PostWithdrawSchema,
    StaffPostQuery,
    StaffPostSchema,
    StaffPostSummarySchema,
)
from miniprogram_api.views.posts import with_photos

bp = Blueprint("admin_posts", __name__, url_prefix="/admin/api/v1/posts")
ERRORS = ("post.not_found", "post.illegal_transition", "post.changed", "permission.denied")


def present(post):
    post = Post.select(Post, Region).join(Region, on=(Post.region == Region.id)).where(
        Post.id == post.id).get()
    post.allowed_actions = rules.allowed_actions(post.status,
                                                 scheduled=post.publish_at is not None)
    return with_photos(post)


@endpoint(bp, "", auth="staff", query=StaffPostQuery, response=StaffPostSummarySchema,
          paged=True, summary="本辖区的文章（草稿、已发布、已撤回）", errors=("permission.denied",))
def staff_list(actor, query):
    return page_of(posts.staff_posts_query(actor, status=query["status"], kind=query["kind"],
                                           region_id=query["region_id"]),
                   Post.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "", method="POST", auth="staff", body=PostCreateSchema, response=StaffPostSchema,
          status=201, summary="新建文章草稿（网格员只能发布本网格的通知公告、办事指南）",
          errors=("post.bad_region", "post.bad_cover", "media.not_found", "permission.denied"))
def create(actor, data):
    return present(posts.create_post(
        actor, kind=data["kind"], title=data["title"], body=data["body"],
        region_id=data["region_id"], pinned=data["pinned"], photo_ids=tuple(data["photo_ids"]),
        cover_media_id=data["cover_media_id"]))


@endpoint(bp, "/<int:post_id>", auth="staff", response=StaffPostSchema, summary="文章详情",
          errors=ERRORS)
def staff_detail(actor, post_id):
    return present(posts.load_for_staff(actor, post_id))


@endpoint(bp, "/<int:post_id>", method="PUT", auth="staff", body=PostUpdateSchema,
          response=StaffPostSchema, summary="修改草稿（类别、标题、正文、封面，追加图片）",
          errors=ERRORS + ("post.bad_cover",))
def update(actor, post_id, data):
    return present(posts.update_post(
        actor, post_id, kind=data["kind"], title=data["title"], body=data["body"],
        cover_media_id=data["cover_media_id"], photo_ids=tuple(data["photo_ids"])))


@endpoint(bp, "/<int:post_id>/publish", method="POST", auth="staff", body=PostPublishSchema,
          response=StaffPostSchema, summary="立即发布，或设置定时发布",
          errors=ERRORS + ("post.schedule_in_past",))
def publish(actor, post_id, data):
    return present(posts.publish_post(actor, post_id, publish_at=data["publish_at"]))


@endpoint(bp, "/<int:post_id>/unschedule", method="POST", auth="staff",
          response=StaffPostSchema, summary="取消定时发布", errors=ERRORS + ("post.not_scheduled",))
def unschedule(actor, post_id):
    return present(posts.unschedule_post(actor, post_id))


@endpoint(bp, "/<int:post_id>/pin", method="POST", auth="staff", body=PostPinSchema,
          response=StaffPostSchema, summary="置顶或取消置顶", errors=ERRORS)
def pin(actor, post_id, data):
    return present(posts.set_pinned(actor, post_id, data["pinned"]))


@endpoint(bp, "/<int:post_id>/withdraw", method="POST", auth="staff", body=PostWithdrawSchema,
          response=StaffPostSchema, summary="撤回文章（须说明理由）",
          errors=ERRORS + ("post.reason_required",))
def withdraw(actor, post_id, data):
    return present(posts.withdraw_post(actor, post_id, reason=data["reason"]))
