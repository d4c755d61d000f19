"""Password hashing with argon2id.

Parameters: OWASP's Password Storage Cheat Sheet configuration m=19 MiB, t=2, p=1, rather than
argon2-cffi's default (RFC 9106's 64 MiB, t=3, p=4): OWASP rates its configurations as
equivalent defences, and 19 MiB keeps a web worker under its memory target while logins run
in parallel (each computation also reserves its memory in :mod:`app.kdf`). Hashes made with
the older parameters keep verifying and are rehashed at the next login (:func:`needs_rehash`).
"""

from __future__ import annotations

from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app import kdf
from app.errors import InvalidInput

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_LENGTH = 10
# A valid hash to verify against when the username is unknown, so both paths cost the same.
DUMMY_HASH = _hasher.hash("linli-dummy-password")


def _hash(password: str) -> str:
    with kdf.reserve(_hasher.memory_cost):
        return _hasher.hash(password)


def hash_password(password: str) -> str:
    check_strength(password)
    return _hash(password)


def rehash(password: str) -> str:
    """Hash an already accepted password with the current parameters (no strength check).

    Used after a successful login when :func:`needs_rehash` says the stored hash is outdated;
    the password predates any newer strength rule, so it must not be refused here.
    """
    return _hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        with kdf.reserve(_stored_memory_cost(password_hash)):
            return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _stored_memory_cost(password_hash: str) -> int:
    """The m= of a stored hash (verifying costs what hashing did), or ours if unreadable."""
    try:
        return extract_parameters(password_hash).memory_cost
    except InvalidHashError:
        return _hasher.memory_cost


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput("password.too_short", f"密码至少需要 {MIN_LENGTH} 个字符")
    classes = sum(any(f(c) for c in password)
                  for f in (str.isdigit, str.islower, str.isupper, lambda c: not c.isalnum()))
    if classes < 2:
        raise InvalidInput("password.too_simple", "密码需要包含字母、数字或符号中的至少两类")
