"""Health checks and the OpenAPI document."""

from flask import Blueprint, jsonify

from app.db import database
from miniprogram_api.openapi import build_spec

bp = Blueprint("meta", __name__)
_spec_cache: dict = {}


@bp.get("/healthz")
def healthz():
    return jsonify({"ok": True, "data": {"status": "alive"}})


@bp.get("/readyz")
def readyz():
    database.execute_sql("SELECT 1")
    return jsonify({"ok": True, "data": {"status": "ready"}})


@bp.get("/api/v1/openapi.json")
def openapi():
    if "spec" not in _spec_cache:
        _spec_cache["spec"] = build_spec()
    return jsonify(_spec_cache["spec"])
