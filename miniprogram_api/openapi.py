"""The OpenAPI 3 document, generated from the operations the ``endpoint`` decorator recorded."""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from miniprogram_api.api import OPERATIONS, Operation

_ERROR_ENVELOPE = {
    "type": "object",
    "required": ["ok", "error"],
    "properties": {
        "ok": {"type": "boolean", "enum": [False]},
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "example": "auth.invalid_code"},
                "message": {"type": "string", "example": "登录凭证无效"},
                "details": {"type": "object", "additionalProperties": True},
            },
        },
    },
}
_DESCRIPTION = "社区居民参与与小微权力监督平台的接口。所有响应使用统一信封。"
_STANDARD_ERRORS = {
    "401": "未登录或登录已失效",
    "403": "没有权限",
    "404": "找不到",
    "422": "提交的内容不符合要求",
    "429": "操作太频繁",
    "500": "服务器错误",
}


def _schema_name(schema_cls) -> str:
    return schema_cls.__name__.removesuffix("Schema") or schema_cls.__name__


def _data_schema(op: Operation, spec: APISpec) -> dict:
    if op.response is None:
        return {"nullable": True}
    name = _schema_name(op.response)
    if name not in spec.components.schemas:
        spec.components.schema(name, schema=op.response)
    ref = {"$ref": f"#/components/schemas/{name}"}
    if op.paged:
        return {"type": "object", "required": ["items"], "properties": {
            "items": {"type": "array", "items": ref},
            "next_cursor": {"type": "string", "nullable": True}}}
    if op.many:
        return {"type": "array", "items": ref}
    return ref


def _success(op: Operation, spec: APISpec) -> dict:
    if not op.envelope:
        return {"description": "成功（该接口的原生格式，不使用信封）",
                "content": {"application/json": {"schema": op.raw_response or {}}}}
    if op.produces:
        binary = {"type": "string", "format": "binary"}
        return {"description": "成功（二进制内容，不使用信封）",
                "content": {media_type: {"schema": binary} for media_type in op.produces}}
    return {
        "description": "成功",
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["ok", "data"],
            "properties": {"ok": {"type": "boolean", "enum": [True]},
                           "data": _data_schema(op, spec)}}}},
    }


def _operation(op: Operation, spec: APISpec) -> dict:
    out: dict = {
        "summary": op.summary,
        "tags": op.tags,
        "operationId": f"{op.method}_{re.sub(r'[^a-zA-Z0-9]+', '_', op.path).strip('_')}",
        "responses": {
            str(op.status): _success(op, spec),
            "default": {"description": "错误", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}},
        },
    }
    if not op.envelope:
        raw_error = {"application/json": {"schema": op.raw_error or {}}}
        out["responses"]["default"] = {"description": "错误", "content": raw_error}
        for status, text in op.raw_error_statuses.items():
            out["responses"][status] = {"description": text, "content": raw_error}
    for status, text in _STANDARD_ERRORS.items() if op.envelope else ():
        if status == "401" and op.auth in (None, "optional"):
            continue
        out["responses"][status] = {"description": text, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}
    params = [{"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
              for name in re.findall(r"{([^}]+)}", op.path)]
    if op.query is not None:
        params.append({"in": "query", "schema": op.query})
    if params:
        out["parameters"] = params
    if op.files:
        out["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": list(op.files),
            "properties": {name: {"type": "string", "format": "binary"} for name in op.files},
        }}}}
        out["responses"]["413"] = {"description": "上传的内容太大", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}
    if op.body is not None:
        name = _schema_name(op.body)
        if name not in spec.components.schemas:
            spec.components.schema(name, schema=op.body)
        out["requestBody"] = {"required": True, "content": {op.content_type: {
            "schema": {"$ref": f"#/components/schemas/{name}"}}}}
    if op.auth in ("user", "staff"):
        out["security"] = [{"bearerAuth": []}]
    elif op.auth == "optional":
        out["security"] = [{}, {"bearerAuth": []}]
    if op.errors:
        out["description"] = "可能的错误代码：" + "、".join(op.errors)
    return out


def build_spec(version: str = "0.1.0") -> dict:
    spec = APISpec(title="邻里 Linli API", version=version, openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": _DESCRIPTION})
    spec.components.schema("ErrorEnvelope", _ERROR_ENVELOPE)
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op, spec)
    for path, operations in sorted(paths.items()):
        spec.path(path=path, operations=operations)
    return spec.to_dict()
