"""OpenAPI entries for the bot's routes (foreign wire formats, recorded with document_raw)."""

from __future__ import annotations

from miniprogram_api.api import document_raw

_WECHAT_ERRORS = {"400": "报文格式错误或无法解密（不保存任何内容）",
                  "403": "签名错误或时间戳超出 5 分钟",
                  "404": "接入配置不存在或已停用", "413": "报文超过 64 KiB"}
_TEXT = {"type": "string"}
# A path whose id is not a number never reaches the bot: the app's router answers it with
# the JSON error envelope, so an error body is either the bot's text or that envelope.
_TEXT_OR_ENVELOPE = {"oneOf": [_TEXT, {"$ref": "#/components/schemas/ErrorEnvelope"}]}


def document(bp) -> None:
    for rule, name in (("/wecom-bot/<int:endpoint_id>", "企业微信智能机器人"),
                       ("/wecom-app/<int:endpoint_id>", "企业微信自建应用"),
                       ("/mp/<int:endpoint_id>", "公众号")):
        document_raw(bp, rule, method="GET", summary=f"{name}回调地址校验（返回明文 echostr）",
                     raw_response=_TEXT, raw_error=_TEXT_OR_ENVELOPE,
                     raw_error_statuses=_WECHAT_ERRORS,
                     tags=("bot",))
        document_raw(bp, rule, method="POST",
                     summary=f"{name}消息回调（微信原生格式，被动回复；重试只回同一答复）",
                     raw_response={"type": "object", "description": "加密的被动回复或空"},
                     raw_error=_TEXT_OR_ENVELOPE, raw_error_statuses=_WECHAT_ERRORS,
                     tags=("bot",))
    envelope = {"type": "object", "properties": {
        "ok": {"type": "boolean"},
        "data": {"type": "object", "properties": {"reply": {"type": "string", "nullable": True},
                                                  "outcome": {"type": "string"}}}}}
    error = {"type": "object", "properties": {"ok": {"type": "boolean"},
                                              "error": {"type": "object"}}}
    document_raw(bp, "/relay", method="POST",
                 summary="社区转发桥推送群消息（X-Linli-Bridge / X-Linli-Timestamp / "
                         "X-Linli-Signature = HMAC-SHA256(时间戳 + 换行 + 正文)）",
                 raw_response=envelope, raw_error=error, raw_error_statuses=_WECHAT_ERRORS,
                 tags=("bot",))
