"""Schemas of the power-list API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.powers import rules
from miniprogram_api.pagination import PageQuery
from miniprogram_api.schemas.posts import Local


class StepSchema(Schema):
    seq = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=rules.NAME_MAX))
    description = fields.String(load_default="", validate=validate.Length(max=rules.STEP_MAX))
    requires_evidence = fields.Boolean(load_default=False)
    evidence_hint = fields.String(load_default="", validate=validate.Length(max=rules.HINT_MAX),
                                  metadata={"description": "须留存的证据，如会议记录"})


class PowerItemSummarySchema(Schema):
    id = fields.Integer()
    region_id = fields.Integer(attribute="region_id")
    region_name = fields.Function(lambda i: i.region.name)
    is_template = fields.Boolean()
    code = fields.String()
    name = fields.String()
    category = fields.String()
    category_name = fields.Function(lambda i: rules.CATEGORIES.get(i.category, i.category))
    requires_notice = fields.Boolean(metadata={"description": "行使前须事前公示"})
    active = fields.Boolean()
    updated_at = Local()


class PowerItemSchema(PowerItemSummarySchema):
    legal_basis = fields.String()
    steps = fields.List(fields.Nested(StepSchema))


class PowerItemBodySchema(Schema):
    region_id = fields.Integer(required=True, metadata={
        "description": "街道(乡镇)：模板；社区(村)：本村清单"})
    code = fields.String(required=True)
    name = fields.String(required=True)
    category = fields.String(required=True, validate=validate.OneOf(tuple(rules.CATEGORIES)))
    legal_basis = fields.String(required=True)
    requires_notice = fields.Boolean(load_default=False)
    active = fields.Boolean(load_default=True)
    steps = fields.List(fields.Nested(StepSchema), required=True,
                        validate=validate.Length(min=1, max=rules.MAX_STEPS))


class PowerItemQuery(PageQuery):
    region_id = fields.Integer(load_default=None)
    templates = fields.Boolean(load_default=None, metadata={
        "description": "true 只看模板，false 只看村清单"})


class TemplateImportSchema(Schema):
    added = fields.List(fields.String())
    skipped = fields.List(fields.String(), metadata={"description": "本村已有、未覆盖的编号"})
