"""A4 pages for the paper notice board: a disclosure and a notice, each with a QR code that
opens its public page, where the transparency-log proof is checked on the phone.

The QR is an SVG made here with segno (pure Python; no image library, nothing fetched); the
page also prints the record's log position, the first digits of its leaf hash and the log's
signing key id, so a reader can compare the paper with the page. Print from the browser
(Ctrl+P); ``@page`` sets A4.
"""

from __future__ import annotations

import segno
from flask import render_template, url_for
from markupsafe import Markup

from app.disclosures import rules as disclosure_rules
from app.errors import NotFound
from app.notices import rules as notice_rules
from app.public import board
from app.transparency import services as tlog
from miniprogram_api.public_pages.blueprint import bp
from miniprogram_api.replica import public_read


def qr_svg(url: str, title: str) -> Markup:
    """An inline SVG QR code of ``url`` (error correction M: survives a creased sheet)."""
    return Markup(segno.make(url, error="m").svg_inline(border=2, omitsize=True, title=title,
                                                        svgclass="qr", lineclass="qr-line"))


def log_position(town_code: str, record_type: str, record_id: int) -> dict | None:
    """Where the record is in its town's log (index from 1, leaf hash prefix) and the id of
    the key signing the log, or None. The key id on paper pins the key: the web page names
    the key it checked the signature with, and a reader can compare the two."""
    try:
        log_id = tlog.log_id_for(town_code)
        leaf = tlog.leaf_for_record(log_id, record_type, record_id)
    except NotFound:
        return None
    try:
        key_id = tlog.latest_checkpoint(log_id).key_id
    except NotFound:
        key_id = None  # no checkpoint signed yet
    return {"number": leaf.leaf_index + 1, "hash": leaf.leaf_hash.hex()[:16], "key_id": key_id}


@bp.route("/disclosures/<int:disclosure_id>/print")
@public_read
def print_disclosure(disclosure_id: int):
    item = board.public_disclosure(disclosure_id)
    town = board.town_of(item.region)
    url = url_for("public_pages.disclosure", disclosure_id=item.id, _external=True)
    return render_template(
        "public/print_disclosure.html", item=item, town=town, url=url,
        qr=qr_svg(url, "扫码查看公开页及防篡改校验"),
        kind_name=disclosure_rules.KIND_NAMES.get(item.kind, item.kind),
        category_name=disclosure_rules.CATEGORIES.get(item.kind, {}).get(item.category, ""),
        log=log_position(town.code, "disclosure", item.id))


@bp.route("/notices/<int:notice_id>/print")
@public_read
def print_notice(notice_id: int):
    item = board.public_notice(notice_id)
    town = board.town_of(item.village)
    url = url_for("public_pages.notice", notice_id=item.id, _external=True)
    return render_template(
        "public/print_notice.html", item=item, town=town, url=url,
        qr=qr_svg(url, "扫码查看公示页及防篡改校验"),
        matter_type=notice_rules.MATTER_TYPES.get(item.matter_type, item.matter_type),
        result_name=notice_rules.RESULTS.get(item.result or "", ""),
        log=log_position(town.code, "notice", item.id))
