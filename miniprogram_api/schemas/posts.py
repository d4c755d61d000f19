"""Schemas of the posts API (residents' feed and the staff console)."""

from __future__ import annotations

import datetime as dt

from marshmallow import Schema, fields, validate

from app.clock import SHANGHAI, iso
from app.posts import rules
from miniprogram_api.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageQuery
from miniprogram_api.schemas.media import MediaSchema, media_url
from miniprogram_api.schemas.requests import Local


class LocalDateTime(fields.DateTime):
    """An ISO 8601 time from a client, stored as naive UTC. Without an offset it is read as
    Asia/Shanghai time, the time residents and staff see."""

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=SHANGHAI)
        return parsed.astimezone(dt.UTC).replace(tzinfo=None)

    def _serialize(self, value, attr, obj, **kwargs):
        return iso(value)


def _excerpt(post) -> str:
    text = " ".join(post.body.split())
    return text if len(text) <= 80 else text[:79] + "…"


class PostSummarySchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    kind_name = fields.Function(lambda p: rules.KIND_NAMES.get(p.kind, p.kind))
    title = fields.String()
    excerpt = fields.Function(_excerpt)
    region_id = fields.Integer(attribute="region_id")
    region_name = fields.Function(lambda p: p.region.name)
    pinned = fields.Boolean()
    published_at = Local()
    read_count = fields.Integer()
    cover_url = fields.Function(
        lambda p: media_url(p.cover_media_id) if p.cover_media_id else None,
        metadata={"description": "封面图片下载地址（需携带登录令牌），没有封面时为 null"})


class PostDetailSchema(PostSummarySchema):
    body = fields.String()
    photos = fields.List(fields.Nested(MediaSchema))


class StaffPostSummarySchema(PostSummarySchema):
    status = fields.String()
    status_name = fields.Function(lambda p: rules.STATE_NAMES.get(p.status, p.status))
    publish_at = Local(metadata={"description": "定时发布时间；为空表示未设置定时"})
    withdrawn_at = Local()
    withdraw_reason = fields.String()
    author_id = fields.Integer(attribute="author_id")
    created_at = Local()
    updated_at = Local()


class StaffPostSchema(StaffPostSummarySchema):
    body = fields.String()
    photos = fields.List(fields.Nested(MediaSchema))
    allowed_actions = fields.List(fields.String())


class PostFeedQuery(Schema):
    region_id = fields.Integer(load_default=None, metadata={
        "description": "查看哪个区域的文章；不填时为本人绑定的住户所在区域"})
    cursor = fields.String(load_default=None)
    limit = fields.Integer(load_default=DEFAULT_LIMIT,
                           validate=validate.Range(min=1, max=MAX_LIMIT))


class StaffPostQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(rules.STATES))
    kind = fields.String(load_default=None, validate=validate.OneOf(rules.KINDS))
    region_id = fields.Integer(load_default=None)


class PostUpdateSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(rules.KINDS))
    title = fields.String(required=True, validate=validate.Length(min=1, max=rules.TITLE_MAX))
    body = fields.String(required=True, validate=validate.Length(min=1, max=rules.BODY_MAX))
    photo_ids = fields.List(fields.Integer(), load_default=list,
                            validate=validate.Length(max=rules.MAX_PHOTOS),
                            metadata={"description": "新增的图片（先上传到 /api/v1/media）"})
    cover_media_id = fields.Integer(load_default=None,
                                    metadata={"description": "封面：本文图片之一"})


class PostCreateSchema(PostUpdateSchema):
    region_id = fields.Integer(required=True)
    pinned = fields.Boolean(load_default=False)


class PostPublishSchema(Schema):
    publish_at = LocalDateTime(load_default=None, metadata={
        "description": "定时发布时间（须晚于现在）；不填则立即发布"})


class PostPinSchema(Schema):
    pinned = fields.Boolean(required=True)


class PostWithdrawSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=rules.REASON_MAX))
