"""Schemas of the bot's staff console (``/admin/api/v1/bot``). Secrets are load-only: no
schema here ever dumps a token, key or secret, only whether one is set."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.bot.dictionary import BUCKETS
from app.bot.models import ENDPOINT_KINDS
from app.regions.models import Region
from miniprogram_api.pagination import PageQuery
from miniprogram_api.schemas.posts import Local

_CALLBACK_PATHS = {"wecom_bot": "/bot/wecom-bot/{id}", "wecom_app": "/bot/wecom-app/{id}",
                   "official_account": "/bot/mp/{id}", "relay": "/bot/relay",
                   "wecom_archive": None}


def _region_name(row) -> str:
    return Region.select(Region.name).where(Region.id == row.region_id).scalar() or ""


class BindingCodeCreateSchema(Schema):
    region_id = fields.Integer(required=True,
                               metadata={"description": "楼栋、小区、网格或社区(村)"})


class BindingCodeSchema(Schema):
    code = fields.String(metadata={
        "description": "一次性绑定码，只显示这一次；在群里发送「绑定 绑定码」"})
    expires_at = Local()
    region_id = fields.Function(lambda c: c.region.id)
    region_name = fields.Function(lambda c: c.region.name)


class GroupQuery(PageQuery):
    region_id = fields.Integer(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(("active", "unbound")))


class GroupSchema(Schema):
    id = fields.Integer()
    channel = fields.String()
    region_id = fields.Integer(attribute="region_id")
    region_name = fields.Function(_region_name)
    status = fields.String()
    robot_id = fields.Integer(attribute="robot_id", allow_none=True)
    bound_at = Local()
    unbound_at = Local()


class GroupRobotSchema(Schema):
    robot_id = fields.Integer(required=True, allow_none=True)


class KeywordQuery(PageQuery):
    town_id = fields.Integer(load_default=None, metadata={"description": "省略则为默认词典"})
    bucket = fields.String(load_default=None, validate=validate.OneOf(BUCKETS))


class KeywordSchema(Schema):
    id = fields.Integer()
    town_id = fields.Function(lambda k: k.town or None)
    bucket = fields.String(attribute="category_code")
    word = fields.String()
    weight = fields.Float()
    updated_at = Local()


class KeywordSaveSchema(Schema):
    town_id = fields.Integer(load_default=None)
    bucket = fields.String(required=True, validate=validate.OneOf(BUCKETS))
    word = fields.String(required=True, validate=validate.Length(min=1, max=20))
    weight = fields.Float(required=True)


class EndpointCreateSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(ENDPOINT_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    region_id = fields.Integer(required=True)
    receive_id = fields.String(load_default="", validate=validate.Length(max=64),
                               metadata={"description": "企业 CorpID 或公众号 AppID"})
    agent_id = fields.String(load_default="", validate=validate.Length(max=32))
    token = fields.String(load_default=None, load_only=True)
    encoding_aes_key = fields.String(load_default=None, load_only=True)
    secret = fields.String(load_default=None, load_only=True)
    private_key = fields.String(load_default=None, load_only=True,
                                validate=validate.Length(max=8000))


class EndpointUpdateSchema(Schema):
    name = fields.String(load_default=None, validate=validate.Length(min=1, max=50))
    active = fields.Boolean(load_default=None)
    token = fields.String(load_default=None, load_only=True)
    encoding_aes_key = fields.String(load_default=None, load_only=True)
    secret = fields.String(load_default=None, load_only=True)
    private_key = fields.String(load_default=None, load_only=True,
                                validate=validate.Length(max=8000))


class EndpointSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    region_id = fields.Integer(attribute="region_id")
    receive_id = fields.String()
    agent_id = fields.String()
    active = fields.Boolean()
    callback_path = fields.Function(
        lambda e: (_CALLBACK_PATHS[e.kind] or "").format(id=e.id) or None,
        metadata={"description": "填到微信后台的回调路径（转发桥另需 X-Linli-Bridge 头）"})
    has_token = fields.Function(lambda e: bool(e.token_cipher))
    has_aes_key = fields.Function(lambda e: bool(e.aes_key_cipher))
    has_secret = fields.Function(lambda e: bool(e.secret_cipher))
    has_private_key = fields.Function(lambda e: bool(e.private_key_cipher))
    created_at = Local()


class RobotCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    region_id = fields.Integer(required=True)
    webhook_key = fields.String(required=True, load_only=True)


class RobotUpdateSchema(Schema):
    name = fields.String(load_default=None, validate=validate.Length(min=1, max=50))
    active = fields.Boolean(load_default=None)
    webhook_key = fields.String(load_default=None, load_only=True)


class RobotSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    region_id = fields.Integer(attribute="region_id")
    active = fields.Boolean()
    blocked_until = Local()
    last_error = fields.String(allow_none=True)
    created_at = Local()


class AnnouncementSchema(Schema):
    region_id = fields.Integer(required=True)
    text = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    dedupe_key = fields.String(required=True, validate=validate.Length(min=1, max=100))


class AnnouncementResultSchema(Schema):
    notification_id = fields.Integer(attribute="id")
    status = fields.String()
