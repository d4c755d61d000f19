"""The append-only audit log of staff writes."""
