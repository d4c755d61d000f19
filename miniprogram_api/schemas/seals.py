"""Schemas of the seal-log API (staff console only)."""

from __future__ import annotations

import json

from marshmallow import Schema, fields, validate

from app.seals import rules
from app.seals.services import KINDS
from miniprogram_api.pagination import PageQuery
from miniprogram_api.schemas.posts import Local, LocalDateTime


class SealSchema(Schema):
    id = fields.Integer()
    village_id = fields.Integer(attribute="village_id")
    name = fields.String()
    kind = fields.String()
    kind_name = fields.Function(lambda s: KINDS.get(s.kind, s.kind))
    keeper_id = fields.Integer(attribute="keeper_id", allow_none=True)
    active = fields.Boolean()


class SealBodySchema(Schema):
    village_id = fields.Integer(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    kind = fields.String(required=True, validate=validate.OneOf(tuple(KINDS)))
    keeper_user_id = fields.Integer(load_default=None)


class AnomalySchema(Schema):
    code = fields.String()
    name = fields.String()


def _anomalies(use) -> list[dict]:
    return [{"code": code, "name": rules.ANOMALIES.get(code, code)}
            for code in json.loads(use.anomalies)]


class SealUseSchema(Schema):
    id = fields.Integer()
    seal_id = fields.Integer(attribute="seal_id")
    village_id = fields.Integer(attribute="village_id")
    document = fields.String()
    copies = fields.Integer()
    purpose = fields.String()
    applicant_name = fields.String(metadata={"description": "仅工作人员可见，不公开"})
    applicant_user_id = fields.Integer(attribute="applicant_user_id", allow_none=True)
    approver_user_id = fields.Integer(attribute="approver_user_id", allow_none=True)
    power_item_id = fields.Integer(attribute="power_item_id", allow_none=True)
    notice_id = fields.Integer(attribute="notice_id", allow_none=True)
    decision_ref = fields.String()
    used_at = Local()
    recorded_by_id = fields.Integer(attribute="recorded_by_id")
    recorded_at = Local()
    flagged = fields.Boolean()
    anomalies = fields.Function(_anomalies, metadata={"description": "异常规则命中的项目"})


class SealUseBodySchema(Schema):
    document = fields.String(required=True, validate=validate.Length(
        min=1, max=rules.DOCUMENT_MAX), metadata={"description": "会公开，请勿写个人信息"})
    purpose = fields.String(required=True, validate=validate.Length(min=1, max=rules.PURPOSE_MAX),
                            metadata={"description": "会公开，请勿写个人信息"})
    copies = fields.Integer(load_default=1)
    applicant_name = fields.String(required=True, validate=validate.Length(
        min=1, max=rules.NAME_MAX))
    applicant_user_id = fields.Integer(load_default=None)
    approver_user_id = fields.Integer(load_default=None)
    power_item_id = fields.Integer(load_default=None)
    notice_id = fields.Integer(load_default=None)
    decision_ref = fields.String(load_default="", validate=validate.Length(max=rules.REF_MAX))
    used_at = LocalDateTime(required=True,
                            metadata={"description": "用印时间（不带时区按上海时间）"})


class SealUseQuery(PageQuery):
    flagged = fields.Boolean(load_default=None, metadata={"description": "true 只看异常"})
    region_id = fields.Integer(load_default=None)


class SealQuery(PageQuery):
    region_id = fields.Integer(load_default=None)
