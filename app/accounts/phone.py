"""Phone numbers: normalising, masking, and the purposes used for their keys."""

from __future__ import annotations

import re

from app.errors import InvalidInput

LOOKUP_PURPOSE = "phone-lookup"
CIPHER_PURPOSE = "phone-cipher"
_MAINLAND = re.compile(r"^1[3-9]\d{9}$")


def normalize(raw: str) -> str:
    """Digits only, without a +86 / 86 country prefix. Raises InvalidInput if not a mobile."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _MAINLAND.match(digits):
        raise InvalidInput("phone.invalid", "手机号码格式不正确")
    return digits


def mask(phone: str) -> str:
    """``13812341234`` → ``138****1234``."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"
