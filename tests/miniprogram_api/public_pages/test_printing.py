"""Printable A4 pages of a disclosure and a notice: a QR code (SVG) that opens the public page,
the record's place in the transparency log, nothing personal."""

from __future__ import annotations

import segno

from tests.miniprogram_api.public_pages.conftest import SIGNER


def test_a_printed_disclosure_has_a_qr_code_of_its_public_page(client, board, place):
    item = board["second"]
    res = client.get(f"/p/disclosures/{item.id}/print")
    assert res.status_code == 200
    assert '<svg viewBox=' in res.text and 'class="qr"' in res.text
    assert f"http://localhost/p/disclosures/{item.id}" in res.text
    assert "透明日志第 2 条" in res.text  # the second record appended to town A's log
    assert f"签名公钥 {SIGNER.key_id}" in res.text  # the key the page will name
    assert "print.css" in res.text
    for user in place.staff_users.values():
        assert user.display_name not in res.text


def test_the_qr_code_encodes_exactly_the_public_url(client, board):
    from miniprogram_api.public_pages.printing import qr_svg

    url = f"http://localhost/p/disclosures/{board['second'].id}"
    expected = segno.make(url, error="m").svg_inline(border=2, omitsize=True, svgclass="qr",
                                                     lineclass="qr-line", title="t")
    assert str(qr_svg(url, "t")) == expected


def test_a_printed_notice_shows_the_objection_period(client, board):
    notice = board["notice"]
    res = client.get(f"/p/notices/{notice.id}/print")
    assert res.status_code == 200
    assert f"关于{notice.matter}的公示" in res.text and "24:00" in res.text
    assert f"/p/notices/{notice.id}" in res.text


def test_a_draft_has_no_printed_page(client, place):
    from tests.app.disclosures.conftest import draft

    res = client.get(f"/p/disclosures/{draft(place).id}/print")
    assert res.status_code == 404
