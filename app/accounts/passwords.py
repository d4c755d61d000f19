"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's recommendations)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.errors import InvalidInput

_hasher = PasswordHasher()
MIN_LENGTH = 10
# A valid hash to verify against when the username is unknown, so both paths cost the same.
DUMMY_HASH = _hasher.hash("linli-dummy-password")


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def rehash(password: str) -> str:
    """Hash an already accepted password with the current parameters (no strength check).

    Used after a successful login when :func:`needs_rehash` says the stored hash is outdated;
    the password predates any newer strength rule, so it must not be refused here.
    """
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput("password.too_short", f"密码至少需要 {MIN_LENGTH} 个字符")
    classes = sum(any(f(c) for c in password)
                  for f in (str.isdigit, str.islower, str.isupper, lambda c: not c.isalnum()))
    if classes < 2:
        raise InvalidInput("password.too_simple", "密码需要包含字母、数字或符号中的至少两类")
