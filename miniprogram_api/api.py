"""The ``endpoint`` decorator: one place that loads input, resolves the caller and dumps output.

A view declares its body/query/response schemas and auth level; the decorator registers the
route on the blueprint and the operation in the OpenAPI registry, so the document can never
drift from what the code accepts. Views stay thin: they receive ``actor``, ``data`` and
``query`` (only the ones they name) and call one service. Uploads name their multipart file
fields (``files``) and receive them as ``files``; binary downloads name the media types they
``produce`` and return a Flask response themselves. Routes in a foreign JSON format (Open311)
are registered by hand and recorded with ``document_raw``.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field

from flask import Blueprint, request
from marshmallow import Schema

from app.errors import InvalidInput
from miniprogram_api.auth import current_actor
from miniprogram_api.envelope import ok
from miniprogram_api.pagination import Page
from miniprogram_api.replica import public_read


@dataclass
class Operation:
    path: str
    method: str
    summary: str
    tags: list[str]
    auth: str | None
    body: type[Schema] | None
    query: type[Schema] | None
    response: type[Schema] | None
    many: bool
    paged: bool
    status: int
    errors: list[str] = field(default_factory=list)
    content_type: str = "application/json"
    files: list[str] = field(default_factory=list)
    produces: list[str] = field(default_factory=list)
    # Routes answering in a foreign JSON format (Open311 GeoReport v2) instead of the envelope:
    # ``raw_response`` / ``raw_error`` are OpenAPI schemas of their success and error bodies,
    # ``raw_error_statuses`` the HTTP statuses their errors use.
    envelope: bool = True
    raw_response: dict | None = None
    raw_error: dict | None = None
    raw_error_statuses: dict[str, str] = field(default_factory=dict)


OPERATIONS: list[Operation] = []


def _openapi_path(blueprint: Blueprint, rule: str) -> str:
    import re

    path = (blueprint.url_prefix or "") + rule
    return re.sub(r"<(?:[a-z_]+:)?([a-zA-Z_]+)>", r"{\1}", path)


def endpoint(blueprint: Blueprint, rule: str, *, method: str = "GET", summary: str,
             auth: str | None = "user", body: type[Schema] | None = None,
             query: type[Schema] | None = None, response: type[Schema] | None = None,
             many: bool = False, paged: bool = False, status: int = 200,
             errors: tuple[str, ...] = (), tags: tuple[str, ...] = (),
             files: tuple[str, ...] = (), produces: tuple[str, ...] = (),
             replica: bool = False):
    """Register ``fn`` as ``method rule`` on ``blueprint``.

    ``auth``: None (anonymous), "optional", "user" (any logged-in user) or "staff" (a console
    token). ``paged`` responses are ``{"items": [...], "next_cursor": …}``.
    ``files``: required file fields of a ``multipart/form-data`` body; the view gets
    ``files={name: FileStorage}`` (not combinable with ``body``). ``produces``: the media types
    of a binary success response; the view returns a ready ``flask.Response`` (no envelope).
    ``replica``: read from the read replica (``miniprogram_api.replica``); anonymous GETs only.
    """
    if files and body is not None:
        raise ValueError("an endpoint takes either a JSON body or multipart files, not both")
    if replica and (auth is not None or method != "GET"):
        raise ValueError("only anonymous GET endpoints may read from the replica")

    def decorate(fn):
        wanted = set(inspect.signature(fn).parameters)
        body_schema = body() if body else None
        query_schema = query() if query else None
        out_schema = response(many=many or paged) if response else None

        @functools.wraps(fn)
        def view(**path_args):
            kwargs = dict(path_args)
            if auth is not None:
                actor = current_actor(required=auth != "optional", staff=auth == "staff")
                if "actor" in wanted:
                    kwargs["actor"] = actor
            if body_schema is not None:
                payload = request.get_json(silent=True)
                if payload is None:
                    raise InvalidInput("request.bad_json", "请以 JSON 格式提交请求内容")
                kwargs["data"] = body_schema.load(payload)
            if files:
                kwargs["files"] = _uploaded_files(files)
            if query_schema is not None:
                kwargs["query"] = query_schema.load(request.args.to_dict())
            result = fn(**kwargs)
            if produces:
                return result
            if isinstance(result, Page):
                items = out_schema.dump(result.items) if out_schema else result.items
                return ok({"items": items, "next_cursor": result.next_cursor}, status)
            if out_schema is not None and result is not None:
                result = out_schema.dump(result)
            return ok(result, status)

        blueprint.add_url_rule(rule, endpoint=fn.__name__,
                               view_func=public_read(view) if replica else view,
                               methods=[method])
        OPERATIONS.append(Operation(
            path=_openapi_path(blueprint, rule), method=method.lower(), summary=summary,
            tags=list(tags) or [blueprint.name], auth=auth, body=body, query=query,
            response=response, many=many, paged=paged, status=status, errors=list(errors),
            content_type="multipart/form-data" if files else "application/json",
            files=list(files), produces=list(produces)))
        return fn

    return decorate


def document_raw(blueprint: Blueprint, rule: str, *, method: str = "GET", summary: str,
                 raw_response: dict, raw_error: dict, raw_error_statuses: dict[str, str],
                 query: type[Schema] | None = None, body: type[Schema] | None = None,
                 content_type: str = "application/json", status: int = 200,
                 errors: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> None:
    """Record a route that is registered by hand and answers without the envelope (a
    foreign wire format such as Open311 GeoReport v2), so the OpenAPI document covers it."""
    OPERATIONS.append(Operation(
        path=_openapi_path(blueprint, rule), method=method.lower(), summary=summary,
        tags=list(tags) or [blueprint.name], auth=None, body=body, query=query,
        response=None, many=False, paged=False, status=status, errors=list(errors),
        content_type=content_type, envelope=False, raw_response=raw_response,
        raw_error=raw_error, raw_error_statuses=dict(raw_error_statuses)))


def _uploaded_files(names: tuple[str, ...]) -> dict:
    found = {}
    for name in names:
        upload = request.files.get(name)
        if upload is None:
            raise InvalidInput("request.file_missing", "请选择要上传的文件", {"field": name})
        found[name] = upload
    return found
