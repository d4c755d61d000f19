"""Transparency log (透明日志): an append-only RFC 6962 / RFC 9162 Merkle log per town.

Published disclosures, notice results, finance ledger publications and seal-log entries are
appended with :func:`app.transparency.services.append_record`; checkpoints are signed hourly
(Ed25519, C2SP checkpoint format) and posted daily to village groups; anyone can fetch
records, proofs and checkpoints and check them offline with ``python -m
app.transparency.verify``. :mod:`.merkle` and :mod:`.note` are pure and shared with that
verifier, which imports nothing else of ours.
"""
