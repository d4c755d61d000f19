"""Health checks and the OpenAPI document.

``/healthz``: the process answers (liveness; never touches the database, so a database outage
does not make the supervisor restart healthy workers). ``/readyz``: this instance can serve
(readiness; the load balancer's probe): the database answers and its schema is at least as new
as this code's migrations, so a freshly deployed instance gets no traffic before ``db
upgrade``. Not ready is a 503 in the envelope, never a 500 with a traceback. The read
replica's state is reported (``replica``: none / ok / unavailable) but never makes the
instance unready: public reads then fall back to the primary.
"""

import logging

import peewee
from flask import Blueprint, jsonify

import migrations
from app.db import database
from app.replica import replica_state
from miniprogram_api.envelope import fail
from miniprogram_api.openapi import build_spec

bp = Blueprint("meta", __name__)
log = logging.getLogger("linli.health")
_spec_cache: dict = {}
_schema_current: list[bool] = []  # set once the schema was seen up to date (code cannot change)


@bp.get("/healthz")
def healthz():
    return jsonify({"ok": True, "data": {"status": "alive"}})


@bp.get("/readyz")
def readyz():
    try:
        database.execute_sql("SELECT 1")
        if not _schema_current:
            if migrations.pending(database.obj):
                return fail(503, "service.schema_behind", "服务正在升级，请稍后再试")
            _schema_current.append(True)
    except peewee.DatabaseError as exc:  # OperationalError / InterfaceError included
        log.warning("not ready: database unreachable (%s)", type(exc).__name__)
        return fail(503, "service.database_unavailable", "服务暂时不可用，请稍后再试")
    return jsonify({"ok": True, "data": {"status": "ready", "replica": replica_state()}})


@bp.get("/api/v1/openapi.json")
def openapi():
    if "spec" not in _spec_cache:
        _spec_cache["spec"] = build_spec()
    return jsonify(_spec_cache["spec"])
