"""Pure rules of the transparency log: what a leaf contains and how it is serialised.

A leaf is the canonical JSON of the *record document*
``{"body": {...}, "record_id": "<id>", "record_type": "<type>"}``, where ``body`` is what the
publishing feature made public. Canonical JSON here means exactly::

    json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
               allow_nan=False).encode("utf-8")

i.e. UTF-8, object keys sorted by Unicode code point, no insignificant whitespace, non-ASCII
characters written as themselves (control characters, ``"`` and ``\\`` escaped as Python's
``json`` does). Floats are refused because their text form is not stable across languages:
money goes in as integer fen or a decimal string. The leaf hash is SHA-256(0x00 ‖ those bytes).

Leaves are public forever and cannot be removed, so bodies with obviously personal fields
(phone numbers, WeChat openids/unionids, ID-card numbers) are refused outright.
"""

from __future__ import annotations

import json
import re

MAX_RECORD_BYTES = 64 * 1024
_RECORD_TYPE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_PERSONAL_WORDS = re.compile(r"phone|mobile|openid|unionid|身份证|手机|电话")
_ID_NUMBER = re.compile(r"(^|[^a-z])id[_\-\s]?(card|number|no)($|[^a-z])")


def canonical_json(document) -> bytes:
    """The canonical UTF-8 bytes of a JSON-native value (see the module docstring)."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def personal_key(key: str) -> bool:
    """Does a field name look like it holds personal identifiers?"""
    lowered = key.lower()
    return bool(_PERSONAL_WORDS.search(lowered) or _ID_NUMBER.search(lowered))


def check_body(value, path: str = "body") -> None:
    """Refuse (ValueError) personal fields, floats and anything that is not plain JSON."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path}: object keys must be strings")
            if personal_key(key):
                raise ValueError(f"{path}.{key}: personal data must not go on the public log")
            check_body(item, f"{path}.{key}")
    elif isinstance(value, list):
        for position, item in enumerate(value):
            check_body(item, f"{path}[{position}]")
    elif isinstance(value, float):
        raise ValueError(f"{path}: floats are not canonical; use integer fen or a string")
    elif not (value is None or isinstance(value, (str, bool, int))):
        raise ValueError(f"{path}: {type(value).__name__} is not JSON")


def record_document(record_type: str, record_id, body: dict) -> dict:
    """The document a leaf hashes, after validating its parts (ValueError when malformed)."""
    if not _RECORD_TYPE.match(record_type or ""):
        raise ValueError("record_type is 1-32 lowercase letters, digits or _")
    record_id = str(record_id)
    if not 0 < len(record_id) <= 64:
        raise ValueError("record_id is 1-64 characters")
    if not isinstance(body, dict):
        raise ValueError("a record body is a JSON object")
    check_body(body)
    return {"body": body, "record_id": record_id, "record_type": record_type}


def leaf_bytes(record_type: str, record_id, body: dict) -> bytes:
    """The canonical bytes of a record's leaf, refusing records over the size limit."""
    data = canonical_json(record_document(record_type, record_id, body))
    if len(data) > MAX_RECORD_BYTES:
        raise ValueError(f"a published record is at most {MAX_RECORD_BYTES} bytes")
    return data
