"""The caller's notification inbox and subscribe-message reports (``/api/v1``)."""

from flask import Blueprint

from app.notifications import services as notifications
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import Page, PageQuery, decode_cursor, encode_cursor
from miniprogram_api.schemas.notifications import (
    NotificationSchema,
    SubscriptionQuotaSchema,
    SubscriptionReportSchema,
)

bp = Blueprint("notifications", __name__, url_prefix="/api/v1")


@endpoint(bp, "/notifications", query=PageQuery, response=NotificationSchema, paged=True,
          summary="我的通知（含微信提醒未送达的通知）", errors=("pagination.bad_cursor",))
def list_notifications(actor, query):
    inbox = notifications.list_inbox(actor, decode_cursor(query["cursor"]), query["limit"])
    cursor = encode_cursor(inbox.next_cursor) if inbox.next_cursor is not None else None
    return Page(inbox.items, cursor)


@endpoint(bp, "/notifications/<int:notification_id>/read", method="POST",
          response=NotificationSchema, summary="标记通知为已读",
          errors=("notification.not_found",))
def read_notification(actor, notification_id):
    return notifications.mark_read(actor, notification_id)


@endpoint(bp, "/subscriptions", method="POST", body=SubscriptionReportSchema,
          response=SubscriptionQuotaSchema, many=True,
          summary="上报订阅消息授权结果（每个“允许”可多发一条微信提醒）",
          errors=("notification.unknown_template",))
def report_subscriptions(actor, data):
    return notifications.record_subscriptions(actor, data["template_keys"])


@endpoint(bp, "/subscriptions", response=SubscriptionQuotaSchema, many=True,
          summary="我还可以接收的微信订阅消息条数（按模板）")
def list_subscriptions(actor):
    return notifications.list_quotas(actor)
