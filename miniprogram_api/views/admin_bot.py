"""The bot in the staff console (``/admin/api/v1/bot``): binding codes, groups, the classifier
dictionary, channel endpoints, group robots and announcements. Secrets are write-only."""

from __future__ import annotations

from flask import Blueprint

from app.bot import config, dictionary, groups
from app.bot.announce import announce
from app.bot.models import BotEndpoint, BotGroup, BotKeyword, BotRobot
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import PageQuery, page_of
from miniprogram_api.schemas.bot import (
    AnnouncementResultSchema,
    AnnouncementSchema,
    BindingCodeCreateSchema,
    BindingCodeSchema,
    EndpointCreateSchema,
    EndpointSchema,
    EndpointUpdateSchema,
    GroupQuery,
    GroupRobotSchema,
    GroupSchema,
    KeywordQuery,
    KeywordSaveSchema,
    KeywordSchema,
    RobotCreateSchema,
    RobotSchema,
    RobotUpdateSchema,
)

bp = Blueprint("admin_bot", __name__, url_prefix="/admin/api/v1/bot")
DENIED = ("permission.denied",)


@endpoint(bp, "/binding-codes", method="POST", auth="staff", body=BindingCodeCreateSchema,
          response=BindingCodeSchema, status=201,
          summary="生成一次性群绑定码（24 小时内有效，只显示一次）",
          errors=("bot.bad_binding_region", "region.not_found") + DENIED)
def issue_code(actor, data):
    return groups.issue_binding_code(actor, data["region_id"])


@endpoint(bp, "/groups", auth="staff", query=GroupQuery, response=GroupSchema, paged=True,
          summary="本辖区已绑定的群", errors=DENIED)
def list_groups(actor, query):
    return page_of(groups.groups_query(actor, region_id=query["region_id"],
                                       status=query["status"]),
                   BotGroup.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/groups/<int:group_id>/unbind", method="POST", auth="staff",
          response=GroupSchema, summary="解绑群（不再登记诉求、不再接收通知）",
          errors=("bot.group_not_found",) + DENIED)
def unbind(actor, group_id):
    return groups.unbind_group(actor, group_id)


@endpoint(bp, "/groups/<int:group_id>/robot", method="PUT", auth="staff",
          body=GroupRobotSchema, response=GroupSchema, summary="设置群通知使用的群机器人",
          errors=("bot.group_not_found", "bot.robot_not_found") + DENIED)
def set_robot(actor, group_id, data):
    return groups.set_group_robot(actor, group_id, data["robot_id"])


@endpoint(bp, "/keywords", auth="staff", query=KeywordQuery, response=KeywordSchema,
          paged=True, summary="诉求识别词典（默认词典或某街道的词）", errors=DENIED)
def list_keywords(actor, query):
    return page_of(dictionary.keywords_query(actor, town_id=query["town_id"],
                                             bucket=query["bucket"]),
                   BotKeyword.id, cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/keywords", method="POST", auth="staff", body=KeywordSaveSchema,
          response=KeywordSchema, status=201, summary="新增或修改词典中的词（权重 0 停用默认词）",
          errors=("bot.bad_bucket", "bot.bad_word", "bot.bad_weight",
                  "bot.dictionary_needs_town") + DENIED)
def save_keyword(actor, data):
    return dictionary.save_keyword(actor, word=data["word"], bucket=data["bucket"],
                                   weight=data["weight"], town_id=data["town_id"])


@endpoint(bp, "/keywords/<int:keyword_id>", method="DELETE", auth="staff",
          summary="删除词典中的词", errors=("bot.keyword_not_found",) + DENIED)
def delete_keyword(actor, keyword_id):
    dictionary.delete_keyword(actor, keyword_id)


@endpoint(bp, "/endpoints", auth="staff", query=PageQuery, response=EndpointSchema,
          paged=True, summary="接入配置（企业微信机器人、应用、公众号、会话存档、转发桥）",
          errors=DENIED)
def list_endpoints(actor, query):
    return page_of(config.endpoints_query(actor), BotEndpoint.id, cursor=query["cursor"],
                   limit=query["limit"])


_ENDPOINT_ERRORS = ("bot.bad_kind", "bot.endpoint_incomplete", "bot.bad_token",
                    "bot.bad_aes_key", "bot.weak_secret") + DENIED


@endpoint(bp, "/endpoints", method="POST", auth="staff", body=EndpointCreateSchema,
          response=EndpointSchema, status=201, summary="新增接入配置（密钥只写不读）",
          errors=_ENDPOINT_ERRORS)
def create_endpoint(actor, data):
    return config.create_endpoint(actor, **data)


@endpoint(bp, "/endpoints/<int:endpoint_id>", method="PUT", auth="staff",
          body=EndpointUpdateSchema, response=EndpointSchema,
          summary="修改接入配置、停用或更换密钥",
          errors=("bot.endpoint_not_found",) + _ENDPOINT_ERRORS)
def update_endpoint(actor, endpoint_id, data):
    return config.update_endpoint(actor, endpoint_id, **data)


@endpoint(bp, "/robots", auth="staff", query=PageQuery, response=RobotSchema, paged=True,
          summary="群机器人（Webhook key 只写不读）", errors=DENIED)
def list_robots(actor, query):
    return page_of(config.robots_query(actor), BotRobot.id, cursor=query["cursor"],
                   limit=query["limit"])


@endpoint(bp, "/robots", method="POST", auth="staff", body=RobotCreateSchema,
          response=RobotSchema, status=201, summary="新增群机器人",
          errors=("bot.bad_webhook_key",) + DENIED)
def create_robot(actor, data):
    return config.create_robot(actor, **data)


@endpoint(bp, "/robots/<int:robot_id>", method="PUT", auth="staff", body=RobotUpdateSchema,
          response=RobotSchema, summary="修改、停用群机器人或更换 key",
          errors=("bot.robot_not_found", "bot.bad_webhook_key") + DENIED)
def update_robot(actor, robot_id, data):
    return config.update_robot(actor, robot_id, **data)


@endpoint(bp, "/announcements", method="POST", auth="staff", body=AnnouncementSchema,
          response=AnnouncementResultSchema, status=201,
          summary="向某区域下所有已绑定的群发通知（同一 dedupe_key 只发一次）",
          errors=("bot.bad_announcement", "region.not_found") + DENIED)
def post_announcement(actor, data):
    return announce(actor, data["region_id"], data["text"], data["dedupe_key"])
