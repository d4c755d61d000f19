"""Schemas for the in-app inbox and subscribe-message subscriptions."""

from marshmallow import Schema, fields, validate

from app.clock import iso


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "通知类别，如 request.accepted"})
    title = fields.String()
    body = fields.String()
    page = fields.String(allow_none=True, metadata={"description": "点击后打开的小程序页面"})
    created_at = fields.Function(lambda item: iso(item.created_at))
    read_at = fields.Function(lambda item: iso(item.read_at), allow_none=True)
    delivery = fields.String(metadata={
        "description": "in_app | wechat_pending | wechat_sent | wechat_not_subscribed | "
                       "wechat_failed"})
    delivery_note = fields.String(allow_none=True,
                                  metadata={"description": "关于微信提醒的说明，例如未订阅"})


class SubscriptionReportSchema(Schema):
    template_keys = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)), required=True,
        validate=validate.Length(min=1, max=10),
        metadata={"description": "wx.requestSubscribeMessage 中用户选择“允许”的模板"})


class SubscriptionQuotaSchema(Schema):
    template_key = fields.String()
    title = fields.String()
    remaining = fields.Integer(metadata={"description": "还可以发送的订阅消息条数"})
