"""Tables of disclosures: the disclosure, residents' questions on it, the cadence settings and
the obligations (one per village, kind and period) the cadence job watches.

A published disclosure never changes: no service updates it, and the migration installs a
trigger on both engines that refuses UPDATE of a published row's content columns (and DELETE of
a published row). A correction is a new row whose ``corrects`` points at the one it corrects.
"""

from __future__ import annotations

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel
from app.regions.models import Region

# Columns the database refuses to change once a row is published (see migrations/0013).
CONTENT_COLUMNS = ("kind", "category", "title", "body", "period", "matter_key", "extra",
                   "region_id", "region_path", "village_id", "town_id", "author_id",
                   "corrects_id", "correction_reason", "status", "reviewed_by_id",
                   "reviewed_at", "published_by_id", "published_at")


class Disclosure(BaseModel):
    """One disclosure of a village (or of a town: affairs and party only).

    ``status`` moves draft → submitted → reviewed → published (``rules.TRANSITIONS``).
    ``extra`` is JSON published with the body (a ledger snapshot's digest, a livestream's
    facts): features that draft disclosures for their records put what they publish there.
    ``matter_key`` ties the disclosure to a major matter (``livestream:12``) whose obligation
    it meets. Attachments live in app.media under ``disclosure:<id>``.
    """

    kind = peewee.CharField(max_length=16)
    category = peewee.CharField(max_length=32)
    title = peewee.CharField(max_length=100)
    body = peewee.TextField()
    period = peewee.CharField(max_length=16)
    matter_key = peewee.CharField(max_length=48, null=True)
    extra = peewee.TextField(default="{}")
    region = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    region_path = peewee.CharField(max_length=255)
    village_id = peewee.IntegerField(null=True)
    town_id = peewee.IntegerField()
    author = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    corrects = peewee.ForeignKeyField("self", null=True, on_delete="RESTRICT",
                                      backref="corrections")
    correction_reason = peewee.CharField(max_length=500, default="")
    status = peewee.CharField(max_length=12, default="draft")
    review_note = peewee.CharField(max_length=500, default="")
    submitted_at = peewee.DateTimeField(null=True)
    reviewed_by = peewee.ForeignKeyField(User, null=True, on_delete="RESTRICT",
                                         backref="+")
    reviewed_at = peewee.DateTimeField(null=True)
    published_by = peewee.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    published_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    version = peewee.IntegerField(default=1)

    class Meta:
        indexes = (
            # Residents' list of a place: one index range per node, already in list order.
            (("region", "status", "published_at", "id"), False),
            (("region", "kind", "status", "published_at", "id"), False),
            # Staff lists by scope.
            (("region_path", "status", "id"), False),
            # Cadence: is this village's period (or matter) disclosed?
            (("region", "kind", "period", "status"), False),
            (("matter_key",), False),
            (("corrects",), False),
        )


class DisclosureQuestion(BaseModel):
    """A resident's question about, or objection to, a published disclosure.

    Staff see who asked; the public sees only ``public_question`` (the wording staff publish,
    personal details left out) and the answer, once answered. Answered rows do not change.
    """

    disclosure = peewee.ForeignKeyField(Disclosure, backref="questions", on_delete="RESTRICT")
    region_path = peewee.CharField(max_length=255)
    asker = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    kind = peewee.CharField(max_length=12)
    text = peewee.TextField()
    status = peewee.CharField(max_length=12, default="open")
    public_question = peewee.TextField(default="")
    answer = peewee.TextField(default="")
    answered_by = peewee.ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    answered_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("disclosure", "status", "id"), False),
            (("asker", "id"), False),
            (("region_path", "status", "id"), False),
        )


class CadenceRule(BaseModel):
    """A village's configured rhythm for one kind (absent: quarterly, 10 days' grace)."""

    village = peewee.ForeignKeyField(Region, on_delete="CASCADE")
    kind = peewee.CharField(max_length=16)
    rhythm = peewee.CharField(max_length=12)
    grace_days = peewee.SmallIntegerField()
    major_days = peewee.SmallIntegerField()
    updated_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("village", "kind"), True),)


class DisclosureDue(BaseModel):
    """One required disclosure: a village owes ``kind`` for ``period`` by ``due_at``.

    ``period`` is a month or quarter key, or ``matter:<key>`` for a major matter. The cadence
    job turns ``open`` into ``overdue`` once (a conditional update) and tells the town; the
    publication that meets it sets ``met`` (or ``met_late``) and ``disclosure_id``.
    """

    village = peewee.ForeignKeyField(Region, on_delete="CASCADE")
    village_path = peewee.CharField(max_length=255)
    kind = peewee.CharField(max_length=16)
    period = peewee.CharField(max_length=48)
    due_at = peewee.DateTimeField()
    status = peewee.CharField(max_length=12, default="open")
    disclosure_id = peewee.IntegerField(null=True)
    overdue_at = peewee.DateTimeField(null=True)
    met_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("village", "kind", "period"), True),
            (("status", "due_at"), False),
            (("village_path", "status", "id"), False),
        )
