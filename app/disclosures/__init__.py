"""村务/党务/财务公开 (disclosures): draft → submitted → reviewed → published, immutable once
published, corrections as new records, residents' questions with published answers, and the
cadence of required disclosures with its overdue job. See :mod:`app.supervision`."""
