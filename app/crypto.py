"""Keys derived from SECRET_KEY, keyed hashes and authenticated encryption for personal data.

Composition roots call :func:`configure` once. Each purpose gets its own HKDF-derived key so a
leak of one derived key (say, the phone lookup key) does not expose another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_master: bytes | None = None
_derived: dict[str, bytes] = {}


def configure(secret_key: str) -> None:
    global _master
    _master = secret_key.encode("utf-8")
    _derived.clear()


def derive_key(purpose: str) -> bytes:
    if _master is None:
        raise RuntimeError("app.crypto.configure() was not called")
    key = _derived.get(purpose)
    if key is None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"linli",
                   info=purpose.encode()).derive(_master)
        _derived[purpose] = key
    return key


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 hex of ``value``: equal inputs give equal hashes, for indexed lookup."""
    return hmac.new(derive_key(purpose), value.encode("utf-8"), hashlib.sha256).hexdigest()


def encrypt(purpose: str, plaintext: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(derive_key(purpose)).encrypt(nonce, plaintext.encode("utf-8"),
                                                  purpose.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt(purpose: str, token: str) -> str:
    raw = base64.urlsafe_b64decode(token.encode("ascii"))
    return AESGCM(derive_key(purpose)).decrypt(raw[:12], raw[12:], purpose.encode()).decode()


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
