"""The cryptography of reports: pure functions over bytes, no database.

Every report has its own random 32-byte key. The report's texts are encrypted with it
(XSalsa20-Poly1305, PyNaCl ``SecretBox``); the key itself is stored only *sealed*:

* to each assigned discipline officer's X25519 public key (``SealedBox``), and
* under a key derived from the reporter's receipt (Argon2id, argon2-cffi ``hash_secret_raw``
  with a per-report salt).

One Argon2id run over the receipt yields 64 bytes: the first 32 are the stored *verifier*
(compared in constant time), the last 32 the receipt key that opens the sealed report key. Argon2
output is pseudorandom, so the halves are independent; one run keeps a receipt check at one
Argon2 cost.

An officer's private key is stored encrypted with a key derived from their key password
(Argon2id again); the server only ever holds it unlocked in a short-lived session blob that is
itself encrypted under a key derived from the officer's bearer token (see ``keys.py``).

Every ciphertext carries the purpose it was written for (``"body"``, ``"message"`` …) inside the
authenticated plaintext, so a ciphertext moved into another column fails to open.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

from app import kdf

KEY_BYTES = SecretBox.KEY_SIZE  # 32
SALT_BYTES = 16


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. Stored beside every derived secret so old rows keep verifying after a
    change. The default is argon2-cffi's (RFC 9106's second recommendation: t=3, 64 MiB, p=4)."""

    time_cost: int = 3
    memory_cost: int = 65_536
    parallelism: int = 4


# Module-level so a deployment (or the test suite) can change the cost of *new* derivations.
RECEIPT_KDF = KdfParams()
OFFICER_KDF = KdfParams()


class SealingError(Exception):
    """A ciphertext or sealed key did not open (wrong key, tampered, or moved)."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def argon2id(secret: bytes, salt: bytes, params: KdfParams, length: int) -> bytes:
    with kdf.reserve(params.memory_cost):  # bounded per process, see app.kdf
        return hash_secret_raw(secret=secret, salt=salt, time_cost=params.time_cost,
                               memory_cost=params.memory_cost,
                               parallelism=params.parallelism, hash_len=length, type=Type.ID)


# -- report texts ---------------------------------------------------------------------------

def encrypt(key: bytes, purpose: str, value) -> str:
    """Encrypt a JSON-serialisable ``value`` for ``purpose`` under ``key``; base64 text out."""
    plaintext = json.dumps({"p": purpose, "v": value}, ensure_ascii=False).encode("utf-8")
    return b64(bytes(SecretBox(key).encrypt(plaintext)))


def decrypt(key: bytes, purpose: str, token: str):
    try:
        data = json.loads(SecretBox(key).decrypt(unb64(token)).decode("utf-8"))
    except (CryptoError, ValueError) as exc:
        raise SealingError("ciphertext did not open") from exc
    if data.get("p") != purpose:
        raise SealingError("ciphertext belongs to another field")
    return data["v"]


def encrypt_bytes(key: bytes, data: bytes) -> str:
    return b64(bytes(SecretBox(key).encrypt(data)))


def decrypt_bytes(key: bytes, token: str) -> bytes:
    try:
        return SecretBox(key).decrypt(unb64(token))
    except (CryptoError, ValueError) as exc:
        raise SealingError("ciphertext did not open") from exc


# -- the report key sealed to officers ------------------------------------------------------

def seal_to(public_key_hex: str, report_key: bytes) -> str:
    return b64(SealedBox(PublicKey(bytes.fromhex(public_key_hex))).encrypt(report_key))


def unseal_with(private_key: bytes, sealed: str) -> bytes:
    try:
        return SealedBox(PrivateKey(private_key)).decrypt(unb64(sealed))
    except (CryptoError, ValueError) as exc:
        raise SealingError("sealed key did not open") from exc


# -- the receipt --------------------------------------------------------------------------

@dataclass(frozen=True)
class ReceiptSecrets:
    verifier: bytes  # stored (hex); compared in constant time
    key: bytes       # never stored; opens the receipt-sealed report key


def receipt_secrets(receipt: str, salt: bytes, params: KdfParams) -> ReceiptSecrets:
    raw = argon2id(receipt.encode("ascii"), salt, params, 64)
    return ReceiptSecrets(raw[:32], raw[32:])


def verifiers_match(candidate: bytes, stored: bytes) -> bool:
    """Constant-time equality of two verifiers (the comparison step of a receipt check)."""
    return hmac.compare_digest(candidate, stored)


# -- officers' key pairs ------------------------------------------------------------------

@dataclass(frozen=True)
class WrappedKey:
    public_key_hex: str
    private_key_cipher: str
    salt_hex: str
    params: KdfParams


def new_officer_key(password: str, params: KdfParams | None = None) -> WrappedKey:
    """A fresh X25519 key pair whose private half is encrypted under the key password."""
    params = params or OFFICER_KDF
    private = PrivateKey.generate()
    salt = new_salt()
    wrapping = argon2id(password.encode("utf-8"), salt, params, KEY_BYTES)
    cipher = encrypt_bytes(wrapping, bytes(private))
    return WrappedKey(bytes(private.public_key).hex(), cipher, salt.hex(), params)


def unwrap_officer_key(password: str, wrapped: WrappedKey) -> bytes:
    """The private key, or SealingError for a wrong password."""
    wrapping = argon2id(password.encode("utf-8"), bytes.fromhex(wrapped.salt_hex),
                        wrapped.params, KEY_BYTES)
    private = decrypt_bytes(wrapping, wrapped.private_key_cipher)
    if bytes(PrivateKey(private).public_key).hex() != wrapped.public_key_hex:
        raise SealingError("private key does not match its public key")
    return private
