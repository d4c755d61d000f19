"""Staff dashboards (``/console/dashboards/<board>``): charts drawn in the browser by ECharts
(vendored in static/console/vendor/echarts, no CDN) from a JSON data island, each with its
table underneath and an Excel export of that table.

A board shows the charts whose service the person may call; a Forbidden from every one of
them is the 403 page (a grid worker has no request statistics, but sees volunteer hours).
"""

from __future__ import annotations

import io

from flask import Response, abort, redirect, request, url_for

from app.clock import utcnow
from app.errors import Forbidden
from app.requests.export import defuse
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.dashboard_charts import BOARDS, Chart
from miniprogram_api.console.pages import render
from miniprogram_api.console.session import page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _charts(actor, board: str) -> list[Chart]:
    if board not in BOARDS:
        abort(404)
    charts, refused = [], None
    for build in BOARDS[board][1]:
        try:
            charts.append(build(actor, request.args))
        except Forbidden as exc:
            refused = exc
    if not charts and refused is not None:
        raise refused
    return charts


@bp.route("/dashboards")
@page
def dashboards(actor):
    return redirect(url_for("console.dashboard", board="requests"))


@bp.route("/dashboards/<board>")
@page
def dashboard(actor, board: str):
    charts = _charts(actor, board)
    return render("console/dashboards/board.html", board=board, boards=BOARDS,
                  title=BOARDS[board][0], charts=charts,
                  specs=[chart.spec() for chart in charts], by=request.args.get("by"))


@bp.route("/dashboards/<board>/<chart_id>.xlsx")
@page
def dashboard_export(actor, board: str, chart_id: str):
    """The table under one chart as an Excel workbook (what the page shows, no more)."""
    chart = next((c for c in _charts(actor, board) if c.id == chart_id), None)
    if chart is None:
        abort(404)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append([c.label for c in chart.columns])
    for row in chart.rows:
        sheet.append([_excel(row.get(c.key), c.percent) for c in chart.columns])
    buffer = io.BytesIO()
    book.save(buffer)
    response = Response(buffer.getvalue(), content_type=XLSX)
    name = f"{chart.id}-{utcnow():%Y%m%d-%H%M}.xlsx"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _excel(value, percent: bool):
    if value is None:
        return None
    return round(value * 100, 1) if percent else defuse(value)
