"""A database dump taken while reports exist holds none of their plaintext."""

from __future__ import annotations

from app.db import database
from app.reports import handling, reveal, services
from tests.app.reports.world import BODY, RESIDENT_PHONE

SECRETS = {
    "body": BODY,
    "accused_name": "王某某的会计",
    "office": "村集体经济合作社财务室",
    "information": "补充材料：转账发生在三月十二日晚上",
    "reporter_message": "我愿意配合提供录音文件",
    "officer_message": "请问录音是否完整保存",
    "note": "初核组先调取会议记录原件",
    "reason": "需与举报人核对转账截图，申请查看身份",
    "conclusion": "经初步核实举报基本属实，已移送立案审查",
}


def _dump_text() -> str:
    """Every row of every table, as text (what a database administrator can read)."""
    chunks = []
    for table in database.get_tables():
        cursor = database.execute_sql(f'SELECT * FROM "{table}"')
        while True:
            rows = cursor.fetchmany(200)
            if not rows:
                break
            chunks.extend(" ".join("" if v is None else str(v) for v in row) for row in rows)
    return "\n".join(chunks)


def test_a_dump_contains_no_plaintext_of_reports(world):
    anonymous = world.submit("anonymous", accused_name=SECRETS["accused_name"])
    confidential = world.submit("confidential", accused_office=SECRETS["office"],
                                client="c2")
    services.reporter_write(anonymous.receipt, SECRETS["information"], kind="information",
                            client="c")
    services.reporter_write(confidential.receipt, SECRETS["reporter_message"], kind="message",
                            client="c")
    actor, token = world.session(world.officer)
    handling.send_message(actor, confidential.report_id, SECRETS["officer_message"],
                          session_token=token)
    handling.add_note(actor, confidential.report_id, SECRETS["note"], session_token=token)
    reveal.request_reveal(actor, confidential.report_id, SECRETS["reason"], session_token=token)
    handling.transition_report(actor, anonymous.report_id, to="accepted", session_token=token)
    handling.transition_report(actor, anonymous.report_id, to="preliminary_check",
                               session_token=token)
    handling.transition_report(actor, anonymous.report_id, to="concluded",
                               text=SECRETS["conclusion"], session_token=token)
    dump = _dump_text()
    assert dump  # the tables were read
    for name, text in SECRETS.items():
        assert text not in dump, name
        assert text[:8] not in dump, name
    for receipt in (anonymous.receipt, confidential.receipt):
        assert receipt not in dump
    assert RESIDENT_PHONE not in dump
    assert token not in dump
