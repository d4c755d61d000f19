"""Statistics and exports of requests for the console (``/admin/api/v1/requests``): figures
per village, grid, category or month, and the staff queues as CSV or Excel. Exports are files,
not JSON: they bypass the envelope (errors before the first byte still use it)."""

from __future__ import annotations

import tempfile

from flask import Blueprint, Response

from app.clock import utcnow
from app.requests import export
from app.requests.stats import request_stats
from miniprogram_api.api import endpoint
from miniprogram_api.schemas.requests_admin import ExportQuery, StatsQuery, StatsRowSchema

bp = Blueprint("request_export", __name__, url_prefix="/admin/api/v1/requests")
EXPORT_ERRORS = ("permission.denied", "request.bad_queue", "region.not_found")
_CHUNK = 64 * 1024


@endpoint(bp, "/stats", auth="staff", query=StatsQuery, response=StatsRowSchema, many=True,
          summary="诉求统计：按社区(村)、网格、类别或月份（上海时间）的数量、按期办结率、"
                  "平均办理时长、满意率、退单",
          errors=("permission.denied", "region.not_found", "request.bad_group_by"))
def stats(actor, query):
    return request_stats(actor, **query)


@endpoint(bp, "/export.csv", auth="staff", query=ExportQuery, produces=("text/csv",),
          summary="导出工作队列为 CSV（UTF-8 带 BOM，不含居民姓名、电话和诉求原文）",
          errors=EXPORT_ERRORS)
def export_csv(actor, query):
    job = export.start_export(actor, fmt="csv", **query)
    return _download(export.csv_chunks(job), "csv")


@endpoint(bp, "/export.xlsx", auth="staff", query=ExportQuery,
          produces=(export.FORMATS["xlsx"],),
          summary="导出工作队列为 Excel（不含居民姓名、电话和诉求原文）", errors=EXPORT_ERRORS)
def export_xlsx(actor, query):
    job = export.start_export(actor, fmt="xlsx", **query)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    try:
        export.write_xlsx(job, spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return _download(_file_chunks(spool), "xlsx")


def _download(body, fmt: str) -> Response:
    response = Response(body, content_type=export.FORMATS[fmt])
    name = export.filename(fmt, utcnow())
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _file_chunks(fileobj):
    try:
        while chunk := fileobj.read(_CHUNK):
            yield chunk
    finally:
        fileobj.close()
