"""Service records: only confirmed attendance, per issuer, as Excel and a PDF certificate that
states the issuing committee and the hours; staff exports are audited."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import zlib

import pytest
from openpyxl import load_workbook

from app.actions import attendance, records, signups
from app.audit.models import AuditEntry
from app.clock import frozen
from app.errors import Forbidden, InvalidInput
from tests.app.actions.conftest import END, NOW, publish


def served(village, user, minutes, title="清洁家园"):
    action = publish(village, title=title)
    with frozen(NOW):
        signup = signups.sign_up(village.resident_actor(user), action.id)
    with frozen(END):
        attendance.decide_attendance(village.actor(village.cadre), signup.id,
                                     decision="correct", minutes=minutes, reason="现场登记")
    return action


def pdf_text(data: bytes) -> str:
    """Text drawn in a reportlab PDF with a UCS-2 CID font (content streams are ASCII85 then
    Flate encoded; strings are UTF-16BE with PDF escapes)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            body = zlib.decompress(base64.a85decode(stream.strip(), adobe=True))
        except (ValueError, zlib.error):
            continue
        for chunk in re.findall(rb"\((.*?)(?<!\\)\) Tj", body, re.S):
            raw = re.sub(rb"\\(\d{3})", lambda m: bytes([int(m.group(1), 8)]), chunk)
            raw = re.sub(rb"\\([()\\])", rb"\1", raw)
            out.append(raw.decode("utf-16-be", errors="ignore"))
    return "".join(out)


def test_the_record_lists_confirmed_service_only_with_the_issuer(village):
    served(village, village.resident, 90)
    publish(village)  # signed up nowhere: not listed
    service = records.my_service_record(village.resident_actor(village.resident),
                                        issuer_region_id=village.tree.village_a1.id)
    assert service.issuer == "东星社区居民委员会" and service.minutes == 90
    assert [r.recorder for r in service.rows] == ["社区干部"]


def test_the_workbook_has_a_row_per_action_and_a_total(village):
    served(village, village.resident, 90)
    served(village, village.resident, 30, title="=HYPERLINK(\"x\")")
    service = records.my_service_record(village.resident_actor(village.resident))
    sheet = load_workbook(io.BytesIO(records.write_xlsx(service))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:5] == ("序号", "活动名称", "服务日期", "服务地点", "服务时长（小时）")
    assert rows[3][4] == 1.5 and rows[4][1].startswith("'=")
    assert rows[-1][0] == "合计" and rows[-1][4] == 2.0


def test_the_certificate_states_the_issuer_and_the_hours(village):
    served(village, village.resident, 95)
    service = records.my_service_record(village.resident_actor(village.resident),
                                        issuer_region_id=village.tree.village_a1.id)
    data = records.write_pdf(service)
    assert data.startswith(b"%PDF") and b"STSong-Light" in data
    text = pdf_text(data)
    assert "志愿服务记录证明" in text and "东星社区居民委员会" in text
    assert "累计服务时长 1.6 小时" in text and "张阿姨" in text


def test_a_certificate_needs_an_issuer(village):
    service = records.my_service_record(village.resident_actor(village.resident))
    with pytest.raises(InvalidInput):
        records.write_pdf(service)


def test_staff_print_a_volunteers_record_in_their_scope_and_it_is_audited(village):
    served(village, village.resident, 60)
    service = records.volunteer_service_record(village.actor(village.grid_worker),
                                               village.resident.id,
                                               issuer_region_id=village.tree.grid_a1.id)
    assert service.rows == []  # the grid issues nothing: actions here belong to the village
    service = records.volunteer_service_record(village.actor(village.cadre),
                                               village.resident.id,
                                               issuer_region_id=village.tree.village_a1.id)
    assert service.minutes == 60
    assert AuditEntry.select().where(AuditEntry.action == "action.export_record").count() == 2
    with pytest.raises(Forbidden):
        records.volunteer_service_record(village.actor(village.other_cadre),
                                         village.resident.id,
                                         issuer_region_id=village.tree.village_a1.id)


def test_hours_are_shown_with_one_decimal():
    assert records.rules.hours_text(95) == "1.6" and records.rules.hours_text(0) == "0.0"
    assert dt.date(2026, 1, 1)
