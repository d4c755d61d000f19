"""Tables of reports. No column holds report text, the accused or the reporter in plaintext.

What a database reader sees: that a report exists for a village, its status and dates, which
officers may open it, and opaque ciphertexts, keyed hashes and Argon2id verifiers. The body,
the accused, the reporter's identity (confidential mode), messages, notes, reveal reasons and
attachments are ciphertexts under the report's own key; that key exists only sealed to officers'
public keys and under the receipt (``sealing.py``). Destroying a report deletes those sealed
keys and the ciphertexts (``jobs.destroy_expired``).
"""

from __future__ import annotations

import peewee

from app.accounts.models import User
from app.clock import utcnow
from app.db import BaseModel
from app.regions.models import Region

MODES = ("anonymous", "confidential")


class OfficerKey(BaseModel):
    """A discipline officer's X25519 key pair; the private half encrypted by their key password
    (Argon2id, parameters stored beside it)."""

    user = peewee.ForeignKeyField(User, unique=True, on_delete="CASCADE")
    public_key = peewee.CharField(max_length=64)
    private_key_cipher = peewee.TextField()
    kdf_salt = peewee.CharField(max_length=32)
    kdf_time = peewee.SmallIntegerField()
    kdf_memory = peewee.IntegerField()
    kdf_lanes = peewee.SmallIntegerField()
    created_at = peewee.DateTimeField(default=utcnow)


class Report(BaseModel):
    """One report. ``handling_path`` is the level that handles it (the village's town, or the
    district when it is about a village head or a discipline officer)."""

    mode = peewee.CharField(max_length=16)
    village = peewee.ForeignKeyField(Region, on_delete="RESTRICT", backref="+")
    village_path = peewee.CharField(max_length=255)
    handling_region = peewee.ForeignKeyField(Region, on_delete="RESTRICT", backref="+")
    handling_path = peewee.CharField(max_length=255)
    supervising_region = peewee.ForeignKeyField(Region, null=True, on_delete="RESTRICT",
                                                backref="+")
    elevated = peewee.BooleanField(default=False)
    status = peewee.CharField(max_length=24, default="received")
    body_cipher = peewee.TextField(null=True)
    identity_cipher = peewee.TextField(null=True)
    receipt_tag = peewee.CharField(max_length=16)
    receipt_verifier = peewee.CharField(max_length=64)
    receipt_salt = peewee.CharField(max_length=32)
    kdf_time = peewee.SmallIntegerField()
    kdf_memory = peewee.IntegerField()
    kdf_lanes = peewee.SmallIntegerField()
    receipt_sealed_key = peewee.TextField(null=True)
    retention_days = peewee.IntegerField()
    stage_deadline = peewee.DateTimeField(null=True)
    next_due_at = peewee.DateTimeField(null=True)
    escalation_level = peewee.SmallIntegerField(default=0)
    created_at = peewee.DateTimeField(default=utcnow)
    decided_at = peewee.DateTimeField(null=True)
    closed_at = peewee.DateTimeField(null=True)
    purge_after = peewee.DateTimeField(null=True)
    destroyed_at = peewee.DateTimeField(null=True)
    version = peewee.IntegerField(default=1)

    class Meta:
        indexes = (
            (("receipt_tag",), False),
            (("next_due_at",), False),
            (("purge_after",), False),
            (("handling_path", "status", "id"), False),
        )


class ReportRecipient(BaseModel):
    """An officer who may open a report: ``handler`` (the handling level) or ``supervisor``
    (the level above). ``sealed_key`` is the report key sealed to their public key; it is empty
    until they have a key and someone holding the report key seals it to them."""

    report = peewee.ForeignKeyField(Report, on_delete="CASCADE", backref="recipients")
    user = peewee.ForeignKeyField(User, on_delete="CASCADE", backref="+")
    level = peewee.CharField(max_length=16)
    sealed_key = peewee.TextField(null=True)
    added_at = peewee.DateTimeField(default=utcnow)
    recused_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("report", "user"), True), (("user", "report"), False))


class ReportExclusion(BaseModel):
    """An account excluded from a report, as a keyed hash of its user id (no plain id)."""

    report = peewee.ForeignKeyField(Report, on_delete="CASCADE", backref="+")
    user_tag = peewee.CharField(max_length=64)

    class Meta:
        indexes = ((("report", "user_tag"), True), (("user_tag",), False))


class ReportMessage(BaseModel):
    """A message of the thread: ``information`` and ``message`` from the reporter, ``message``,
    ``decision`` and ``conclusion`` from officers to the reporter, ``note`` officers only."""

    report = peewee.ForeignKeyField(Report, on_delete="CASCADE", backref="+")
    kind = peewee.CharField(max_length=16)
    side = peewee.CharField(max_length=12)  # reporter | officer
    author = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    body_cipher = peewee.TextField()
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("report", "id"), False),)


class ReportAttachment(BaseModel):
    """An image added to a report: metadata stripped, then encrypted under the report key."""

    report = peewee.ForeignKeyField(Report, on_delete="CASCADE", backref="+")
    mime = peewee.CharField(max_length=32)
    data_cipher = peewee.TextField()
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("report", "id"), False),)


class RevealRequest(BaseModel):
    """A written request to reveal a confidential reporter's identity, decided by a second
    officer of the same or a higher level."""

    report = peewee.ForeignKeyField(Report, on_delete="CASCADE", backref="+")
    requested_by = peewee.ForeignKeyField(User, on_delete="CASCADE", backref="+")
    reason_cipher = peewee.TextField(null=True)
    status = peewee.CharField(max_length=12, default="pending")  # pending|approved|refused
    decided_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    decided_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("report", "status"), False),)


class ReportSetting(BaseModel):
    """Per handling level (town or district): how long concluded reports are kept."""

    region = peewee.ForeignKeyField(Region, unique=True, on_delete="CASCADE", backref="+")
    retention_days = peewee.IntegerField()
    updated_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    updated_at = peewee.DateTimeField(default=utcnow)


class VillageHead(BaseModel):
    """A cadre flagged as the head of a village (书记/主任): reports about them go up a level."""

    village = peewee.ForeignKeyField(Region, on_delete="CASCADE", backref="+")
    user = peewee.ForeignKeyField(User, on_delete="CASCADE", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("village", "user"), True), (("user",), False))
