"""The baseline for ``me_bench.py``: a bare Flask app with one JSON endpoint, no database.

It answers in the same envelope and about the same size as ``GET /api/v1/me``, so the gap
between the two measures what the real app adds (auth lookup, queries, serialisation) over
Flask + gunicorn themselves.
"""

from __future__ import annotations

from flask import Flask, jsonify

PROFILE = {
    "id": 1, "display_name": "压测居民", "phone": None, "phone_masked": None,
    "is_volunteer": False, "is_party_member": False, "is_resident": True,
    "household": {"id": 6, "name": "101室", "code": "bench-h1",
                  "address": "压测区 压测街道 压测社区 第一网格 1号楼 101室"},
    "grants": [{"id": 1, "role": "resident",
                "region": {"id": 6, "name": "101室", "level": "household"}}],
}


def create_app() -> Flask:
    app = Flask(__name__)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    @app.get("/bare")
    def bare():
        return jsonify({"ok": True, "data": PROFILE})

    return app
