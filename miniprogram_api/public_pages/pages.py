"""The public pages of a village: its disclosure board, a disclosure, the notices open for
objection and a notice — each record with its transparency-log proof checked in the browser.

Thin like the API views: read the query string, call one ``app.public.board`` service,
render. Nothing personal is shown: no author, reviewer, asker or objector.
"""

from __future__ import annotations

import json

from flask import redirect, render_template, request, url_for

from app.clock import utcnow
from app.disclosures import rules as disclosure_rules
from app.media.services import attached_media
from app.notices import objections
from app.notices import rules as notice_rules
from app.notices.models import Notice
from app.public import board
from miniprogram_api.pagination import page_of
from miniprogram_api.public_pages.blueprint import bp
from miniprogram_api.replica import public_read

PAGE_SIZE = 20


def proof_box(town_code: str, record_type: str, record_id: int, title: str) -> dict:
    """What ``proof.js`` needs to check a record: where it is, and the title it must carry."""
    return {"town": town_code, "type": record_type, "id": str(record_id), "title": title}


@bp.route("/villages/<code>")
def village(code: str):
    return redirect(url_for("public_pages.disclosure_board", code=code))


@bp.route("/villages/<code>/disclosures")
@public_read
def disclosure_board(code: str):
    place = board.village_by_code(code)
    kind = request.args.get("kind") or None
    listing = board.disclosure_board(place, kind=kind, cursor=request.args.get("cursor"),
                                     limit=PAGE_SIZE)
    return render_template("public/board.html", village=place, rows=listing.items,
                           next_cursor=listing.next_cursor, kind=kind,
                           kinds=disclosure_rules.KIND_NAMES)


@bp.route("/disclosures/<int:disclosure_id>")
@public_read
def disclosure(disclosure_id: int):
    item = board.public_disclosure(disclosure_id)
    town = board.town_of(item.region)
    return render_template(
        "public/disclosure.html", item=item, town=town,
        kind_name=disclosure_rules.KIND_NAMES.get(item.kind, item.kind),
        category_name=disclosure_rules.CATEGORIES.get(item.kind, {}).get(item.category, ""),
        attachments=[m.sha256 for m in attached_media(f"disclosure:{item.id}")],
        corrections=board.published_corrections(item),
        extra=json.loads(item.extra or "{}"),
        proof=proof_box(town.code, "disclosure", item.id, item.title))


@bp.route("/villages/<code>/notices")
@public_read
def notice_board(code: str):
    place = board.village_by_code(code)
    listing = page_of(board.open_notices_query(place), Notice.id,
                      cursor=request.args.get("cursor"), limit=PAGE_SIZE)
    return render_template("public/notices.html", village=place, rows=listing.items,
                           next_cursor=listing.next_cursor,
                           matter_types=notice_rules.MATTER_TYPES)


@bp.route("/notices/<int:notice_id>")
@public_read
def notice(notice_id: int):
    item = board.public_notice(notice_id)
    town = board.town_of(item.village)
    return render_template(
        "public/notice.html", item=item, town=town,
        matter_type=notice_rules.MATTER_TYPES.get(item.matter_type, item.matter_type),
        result_name=notice_rules.RESULTS.get(item.result or "", ""),
        open_now=item.status == "published" and notice_rules.period_open(item.period_ends_at,
                                                                          utcnow()),
        answered=objections.public_objections(item),
        attachments=[m.sha256 for m in attached_media(f"notice:{item.id}")],
        proof=proof_box(town.code, "notice", item.id, item.matter))
