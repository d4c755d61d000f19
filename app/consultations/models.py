"""Tables of consultations: the topic, its poll options, residents' answers, comments and
comment reports."""

from __future__ import annotations

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel
from app.regions.models import Region


class Consultation(BaseModel):
    """A topic for a village or a town. ``status`` follows ``rules.TRANSITIONS``.

    ``opens_at`` (optional) and ``closes_at`` are the planned times: the
    ``consultations.advance`` job opens a scheduled topic and closes an open one when they come.
    ``poll_mode`` is empty when the topic has no poll. The outcome — what was decided and why —
    is written once, when it is published. ``notice_id`` / ``project_id`` link a 事前公示 or a
    微实事 project (ids only: those rows belong to their own features). Images of the background
    material live in app.media (``consultation:<id>``).
    """

    region = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    region_path = peewee.CharField(max_length=255)
    title = peewee.CharField(max_length=100)
    background = peewee.TextField()
    status = peewee.CharField(max_length=12, default="draft")
    opens_at = peewee.DateTimeField(null=True)
    closes_at = peewee.DateTimeField()
    opened_at = peewee.DateTimeField(null=True)
    closed_at = peewee.DateTimeField(null=True)
    poll_mode = peewee.CharField(max_length=12, default="")
    poll_max_choices = peewee.SmallIntegerField(default=0)
    poll_results = peewee.CharField(max_length=12, default="after_close")
    notice_id = peewee.IntegerField(null=True)
    project_id = peewee.IntegerField(null=True)
    outcome = peewee.TextField(default="")
    outcome_reason = peewee.TextField(default="")
    decided_by = peewee.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    decided_at = peewee.DateTimeField(null=True)
    withdraw_reason = peewee.CharField(max_length=500, default="")
    withdrawn_at = peewee.DateTimeField(null=True)
    author = peewee.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)

    class Meta:
        indexes = (
            (("region", "status", "id"), False),        # residents' list per region node
            (("region_path", "status", "id"), False),   # staff lists by scope
            (("status", "opens_at"), False),            # the advance job
            (("status", "closes_at"), False),
        )


class ConsultationOption(BaseModel):
    """One option of a topic's poll, in ``position`` order."""

    consultation = peewee.ForeignKeyField(Consultation, backref="options", on_delete="CASCADE")
    position = peewee.SmallIntegerField()
    label = peewee.CharField(max_length=100)

    class Meta:
        indexes = ((("consultation", "position"), True),)


class ConsultationAnswer(BaseModel):
    """A resident's answer to a poll: the unique pair keeps it to one per resident; changing the
    answer rewrites ``choices`` (sorted option ids, comma-separated)."""

    consultation = peewee.ForeignKeyField(Consultation, on_delete="CASCADE")
    voter = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    choices = peewee.CharField(max_length=255)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("consultation", "voter"), True),)


class ConsultationComment(BaseModel):
    """A resident's comment. ``status`` follows ``rules.COMMENT_TRANSITIONS``.

    ``author_name`` is masked when written (``app.wishes.rules.mask_name``): public lists never
    need the real name. ``reviewed`` is set once staff decided on the comment's reports (restore
    or keep hidden), so the same reports do not hide it again. ``hidden_reason`` is shown to
    the author.
    """

    consultation = peewee.ForeignKeyField(Consultation, backref="comments", on_delete="CASCADE")
    region_path = peewee.CharField(max_length=255)
    author = peewee.ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    author_name = peewee.CharField(max_length=20)
    content = peewee.TextField()
    status = peewee.CharField(max_length=16, default="visible")
    report_count = peewee.IntegerField(default=0)
    reviewed = peewee.BooleanField(default=False)
    hidden_reason = peewee.CharField(max_length=500, default="")
    moderated_by = peewee.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    moderated_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)

    class Meta:
        indexes = (
            (("consultation", "status", "id"), False),
            (("consultation", "author", "id"), False),
            (("region_path", "status", "id"), False),  # staff moderation queue
        )


class ConsultationReport(BaseModel):
    """One resident's report of one comment; the unique pair counts each resident once."""

    comment = peewee.ForeignKeyField(ConsultationComment, backref="reports", on_delete="CASCADE")
    reporter = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    reason = peewee.CharField(max_length=200, default="")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("comment", "reporter"), True),)
