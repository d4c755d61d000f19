"""三资 ledger pages: the Excel import with its dry-run report shown row by row, and the
export. Both call ``app.assets_ledger.workbook`` exactly as ``/admin/api/v1/ledger/import``
and ``/export.xlsx`` do: the workbook service validates every row, imports all or nothing,
audits, and checks the caller's scope first.
"""

from __future__ import annotations

from flask import Response, abort
from flask import request as http

from app.assets_ledger import policies, workbook
from app.errors import DomainError, Forbidden, InvalidInput, NotFound, Unauthorized
from app.policy import Actor, can, require_any_scope
from app.regions.models import Region
from app.regions.services import get_region
from app.supervision.places import scope_condition
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, render
from miniprogram_api.console.session import page

SHEET_TITLES = {sheet.kind: sheet.title for sheet in workbook.SHEETS}


def _villages(actor: Actor) -> list[Region]:
    """Villages whose books the actor reads (the service checks again on every call)."""
    paths = require_any_scope(actor, policies.READ)
    return list(Region.select().where((Region.level == "village")
                                      & scope_condition(paths, Region.path))
                .order_by(Region.path).limit(500))


def _page(actor: Actor, village_id: int | None, report=None, error: str | None = None,
          status: int = 200):
    villages = _villages(actor)
    chosen = village_id or (villages[0].id if villages else None)
    village = next((v for v in villages if v.id == chosen), None)
    return render("console/ledger/import.html", villages=villages, village=village,
                  may_import=bool(village and can(actor, policies.WRITE, village.path)),
                  report=report, error=error, sheet_titles=SHEET_TITLES,
                  max_mb=workbook.MAX_BYTES // 1024 // 1024), status


@bp.route("/ledger")
@page
def ledger_import_page(actor: Actor):
    return _page(actor, http.args.get("village_id", type=int))


@bp.route("/ledger/import", methods=["POST"])
@page
def ledger_import(actor: Actor):
    """Upload a workbook: ``mode=dry_run`` only checks it, ``mode=import`` imports it when
    every row is valid (the service refuses the whole file otherwise)."""
    village_id = form_int("village_id")
    upload = http.files.get("file")
    data = upload.stream.read(workbook.MAX_BYTES + 1) if upload else b""
    try:
        if village_id is None:
            raise InvalidInput("ledger.bad_village", "请选择社区(村)")
        report = workbook.import_workbook(actor, village_id=village_id, data=data,
                                          dry_run=http.form.get("mode") != "import")
    except (Unauthorized, Forbidden, NotFound):
        raise
    except DomainError as exc:
        return _page(actor, village_id, error=exc.message, status=exc.status)
    return _page(actor, village_id, report=report, status=422 if report.errors else 200)


@bp.route("/ledger/export.xlsx")
@page
def ledger_export(actor: Actor):
    village_id = http.args.get("village_id", type=int)
    if village_id is None:
        abort(404)
    data = workbook.export_workbook(actor, village_id=village_id)
    response = Response(data, content_type=workbook.CONTENT_TYPE)
    name = workbook.export_filename(get_region(village_id).code)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
