"""Tables of the 三资 ledger: fund periods and entries, assets, resources, and the snapshots
published through finance disclosures.

The working tables change as staff keep the books; residents never read them. What residents
see is a :class:`LedgerSnapshot`: the section frozen as canonical JSON when a finance
disclosure of it was drafted, shown once that disclosure is published (its SHA-256 goes on the
transparency log with the disclosure).
"""

from __future__ import annotations

import peewee

from app.clock import utcnow
from app.db import BaseModel
from app.regions.models import Region


class FundPeriod(BaseModel):
    """A month of the cash journal: the opening and closing balance staff counted."""

    village = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    village_path = peewee.CharField(max_length=255)
    period = peewee.CharField(max_length=7)
    opening_fen = peewee.BigIntegerField()
    closing_fen = peewee.BigIntegerField()
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("village", "period"), True),)


class FundEntry(BaseModel):
    """One income or expense entry with its voucher number (unique per village and month)."""

    village = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    village_path = peewee.CharField(max_length=255)
    period = peewee.CharField(max_length=7)
    voucher_no = peewee.CharField(max_length=32)
    entry_date = peewee.DateField()
    direction = peewee.CharField(max_length=8)
    category = peewee.CharField(max_length=32)
    summary = peewee.CharField(max_length=200)
    amount_fen = peewee.BigIntegerField()
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("village", "period", "voucher_no"), True),
                   (("village_path", "id"), False))


class Asset(BaseModel):
    """A fixed asset of the collective (register entry, unique code per village)."""

    village = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    village_path = peewee.CharField(max_length=255)
    code = peewee.CharField(max_length=32)
    name = peewee.CharField(max_length=100)
    category = peewee.CharField(max_length=16)
    value_fen = peewee.BigIntegerField()
    acquired_on = peewee.DateField(null=True)
    location = peewee.CharField(max_length=200, default="")
    status = peewee.CharField(max_length=12)
    lease_holder = peewee.CharField(max_length=100, default="")
    lease_start = peewee.DateField(null=True)
    lease_end = peewee.DateField(null=True)
    lease_rent_fen = peewee.BigIntegerField(null=True)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("village", "code"), True), (("village_path", "id"), False))


class Resource(BaseModel):
    """A natural resource of the collective: land, pond, forest … with its contract."""

    village = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    village_path = peewee.CharField(max_length=255)
    code = peewee.CharField(max_length=32)
    name = peewee.CharField(max_length=100)
    kind = peewee.CharField(max_length=24)
    area_mu = peewee.DecimalField(max_digits=12, decimal_places=2, auto_round=False)
    location = peewee.CharField(max_length=200, default="")
    holder = peewee.CharField(max_length=100, default="")
    term_start = peewee.DateField(null=True)
    term_end = peewee.DateField(null=True)
    rent_fen = peewee.BigIntegerField(null=True)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("village", "code"), True), (("village_path", "id"), False))


class LedgerSnapshot(BaseModel):
    """One section of a village's ledger as published by the finance disclosure
    ``disclosure_id``: ``content`` is canonical JSON, ``sha256`` its digest, ``totals`` the
    figures of the residents' summary."""

    village = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    section = peewee.CharField(max_length=12)
    period = peewee.CharField(max_length=16)
    disclosure_id = peewee.IntegerField(unique=True)
    content = peewee.TextField()
    sha256 = peewee.CharField(max_length=64)
    totals = peewee.TextField()
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("village", "section", "id"), False),)
