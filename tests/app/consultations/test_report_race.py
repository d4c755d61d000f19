"""Concurrent reports of one comment: every report counts once, and the comment is hidden
pending review exactly once. Each reporter runs in its own thread with its own database
connection, and all of them pass the checks (they all saw the comment visible) before any of
them writes. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import threading

from app.accounts.tokens import load_actor
from app.audit.models import AuditEntry
from app.consultations import comments
from app.consultations.models import ConsultationComment
from app.db import database
from tests.app.consultations.conftest import commented, opened
from tests.factories import make_user

REPORTERS = 5


def test_concurrent_reports_all_count_and_hide_the_comment_once(town, monkeypatch):
    comment = commented(town, opened(town))
    actors = [load_actor(make_user(household=town.household_next_door))
              for _ in range(REPORTERS)]
    barrier = threading.Barrier(REPORTERS, timeout=20)
    original = comments.utcnow

    def everyone_checked():
        barrier.wait()  # every reporter has read the comment as visible by now
        return original()

    monkeypatch.setattr(comments, "utcnow", everyone_checked)
    if not database.is_closed():
        database.close()  # the threads open their own connections; the test's is idle
    failures = []

    def report(actor):
        try:
            with database.connection_context():
                comments.report_comment(actor, comment.id)
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=report, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    row = ConsultationComment.get_by_id(comment.id)
    assert (row.status, row.report_count) == ("pending_review", REPORTERS)
    assert AuditEntry.select().where(
        AuditEntry.action == "consultation.comment_auto_hide").count() == 1
