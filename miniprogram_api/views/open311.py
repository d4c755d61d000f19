"""Open311 GeoReport v2 (``/open311/v2``), JSON format, so existing civic tools can read and
submit requests.

These routes speak the GeoReport wire format, not our envelope: bodies are JSON arrays and
errors are ``[{"code": <HTTP status>, "description": "…"}]`` (403 for a missing or wrong
api_key, 404 for what does not exist, 400 for anything else). They are registered by hand and
recorded with ``document_raw`` so the OpenAPI document still covers them. Not offered: the XML
format, service definitions (every service has ``metadata: false``) and tokens (``realtime``).
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, g, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load
from werkzeug.exceptions import HTTPException

from app.errors import DomainError
from app.requests import open311
from miniprogram_api.api import document_raw
from miniprogram_api.replica import public_read

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
log = logging.getLogger("linli.api.open311")


class _Lenient(Schema):
    """GeoReport arguments: unknown ones are ignored, and an empty one counts as absent."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _drop_empty(self, data, **kwargs):
        return {k: v for k, v in data.items() if v not in ("", None)}


def _text(description: str) -> fields.String:
    return fields.String(load_default=None, metadata={"description": description})


class Open311ServicesQuery(_Lenient):
    jurisdiction_id = _text("区县、街道(乡镇)或社区(村)代码；不填为默认类别")


class Open311RequestQuery(_Lenient):
    jurisdiction_id = _text("区县、街道(乡镇)或社区(村)代码")


class Open311RequestsQuery(Open311RequestQuery):
    service_request_id = _text("编号，逗号分隔（最多 100 个）；给出时忽略其他条件")
    service_code = _text("服务代码，逗号分隔")
    start_date = _text("W3C 时间，如 2026-11-01T00:00:00+08:00")
    end_date = _text("W3C 时间；与 start_date 相隔不超过 90 天")
    status = _text("open、closed，逗号分隔")


class Open311SubmitForm(_Lenient):
    api_key = _text("必填：对接单位的 API 密钥")
    jurisdiction_id = _text("必填：社区(村)代码")
    service_code = _text("必填：服务代码，见 services.json")
    description = _text("诉求描述，5 到 4000 字")
    address_string = _text("必填：地址（暂不支持经纬度 lat/long 和 address_id）")
    # Accepted as the spec allows, never stored (the organisation keeps its own contact).
    first_name = _text("不保存")
    last_name = _text("不保存")
    phone = _text("不保存")
    email = _text("不保存")


_NULLABLE_TEXT = {"type": "string", "nullable": True}
_ERRORS = {"type": "array", "items": {
    "type": "object", "required": ["code", "description"],
    "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}}}
_SERVICES = {"type": "array", "items": {
    "type": "object",
    "required": ["service_code", "service_name", "metadata", "type", "keywords", "group"],
    "properties": {"service_code": {"type": "string"}, "service_name": {"type": "string"},
                   "description": {"type": "string"}, "metadata": {"type": "boolean"},
                   "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
                   "keywords": {"type": "string"}, "group": {"type": "string"}}}}
_REQUESTS = {"type": "array", "items": {
    "type": "object",
    "required": ["service_request_id", "status", "service_name", "service_code",
                 "requested_datetime", "updated_datetime"],
    "properties": {
        "service_request_id": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "status_notes": _NULLABLE_TEXT, "service_name": {"type": "string"},
        "service_code": {"type": "string"}, "description": _NULLABLE_TEXT,
        "agency_responsible": _NULLABLE_TEXT,
        "requested_datetime": {"type": "string", "format": "date-time"},
        "updated_datetime": {"type": "string", "format": "date-time"},
        "expected_datetime": {"type": "string", "format": "date-time", "nullable": True},
        "address": {"type": "string"}}}}
_CREATED = {"type": "array", "items": {
    "type": "object", "required": ["service_request_id"],
    "properties": {"service_request_id": {"type": "string"}, "service_notice": _NULLABLE_TEXT,
                   "account_id": _NULLABLE_TEXT}}}
_READ_ERRORS = {"400": "参数不正确", "404": "辖区或诉求不存在"}


def _reply(data, status: int = 200) -> Response:
    return Response(current_app.json.dumps(data), status=status,
                    content_type="application/json; charset=utf-8")


def _error(status: int, description: str) -> Response:
    return _reply([{"code": status, "description": description}], status)


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    if exc.status >= 500:
        return _error(exc.status, exc.message)
    status = {401: 403, 403: 403, 404: 404}.get(exc.status, 400)
    return _error(status, exc.message)


@bp.errorhandler(ValidationError)
def _invalid(exc: ValidationError):
    return _error(400, f"参数不正确：{exc.messages}")


@bp.errorhandler(HTTPException)
def _http(exc: HTTPException):
    return _error(exc.code or 400, exc.description or "请求无法完成")


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    log.exception("open311 error request_id=%s", g.get("request_id", "-"))
    return _error(500, "服务器出了点问题，请稍后再试")


def _args(schema: type[Schema]) -> dict:
    """Query arguments; a repeated one is joined with commas (the spec allows both)."""
    return schema().load({k: ",".join(v) for k, v in request.args.lists()})


@bp.get("/services.json")
@public_read
def list_services():
    return _reply(open311.list_services(_args(Open311ServicesQuery)["jurisdiction_id"]))


@bp.get("/requests.json")
@public_read
def list_requests():
    return _reply(open311.find_requests(**_args(Open311RequestsQuery)))


# Not on the replica: a client that just POSTed a request GETs it by the id it was given, and
# replica lag would answer that with a 404.
@bp.get("/requests/<service_request_id>.json")
def get_request(service_request_id):
    query = _args(Open311RequestQuery)
    return _reply([open311.get_request(service_request_id, query["jurisdiction_id"])])


@bp.post("/requests.json")
def submit_request():
    form = Open311SubmitForm().load(request.form.to_dict())
    created = open311.submit(form["api_key"], jurisdiction_id=form["jurisdiction_id"],
                             service_code=form["service_code"],
                             description=form["description"],
                             address_string=form["address_string"],
                             checker=current_app.extensions["content_checker"])
    return _reply([created], 201)


document_raw(bp, "/services.json", summary="Open311：服务列表（诉求类型 × 类别）",
             query=Open311ServicesQuery, raw_response=_SERVICES, raw_error=_ERRORS,
             raw_error_statuses=_READ_ERRORS, errors=("open311.jurisdiction_not_found",))
document_raw(bp, "/requests.json", summary="Open311：诉求列表（公开字段，最多 1000 条、90 天）",
             query=Open311RequestsQuery, raw_response=_REQUESTS, raw_error=_ERRORS,
             raw_error_statuses=_READ_ERRORS,
             errors=("open311.bad_date", "open311.window_too_long", "open311.bad_status"))
document_raw(bp, "/requests/<service_request_id>.json", summary="Open311：单条诉求（公开字段）",
             query=Open311RequestQuery, raw_response=_REQUESTS, raw_error=_ERRORS,
             raw_error_statuses=_READ_ERRORS, errors=("open311.request_not_found",))
document_raw(bp, "/requests.json", method="POST", status=201,
             summary="Open311：对接单位提交诉求（表单，需 API 密钥）",
             body=Open311SubmitForm, content_type="application/x-www-form-urlencoded",
             raw_response=_CREATED, raw_error=_ERRORS,
             raw_error_statuses={"400": "参数不正确或内容不符合要求",
                                 "403": "API 密钥缺失、无效或无权向该辖区提交",
                                 "404": "辖区或服务不存在"},
             errors=("open311.bad_api_key", "open311.out_of_scope", "open311.service_not_found",
                     "open311.location_required", "content.risky"))
