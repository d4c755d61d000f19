"""The Ed25519 key that signs checkpoints: where it comes from and how it is named.

By default the 32-byte seed is derived from SECRET_KEY (HKDF via :mod:`app.crypto`, purpose
``transparency.ed25519.<generation>``), so every process of one deployment signs with the same
key and no extra secret has to be distributed. A deployment that wants the signing key apart from
SECRET_KEY configures a base64 seed instead (:func:`signer_from_base64_seed`) and injects the
signer into :func:`app.transparency.services.sign_checkpoint` / the checkpoint job.

Rotation: a key is known by ``key_id`` = ``<name>+<key hash hex>`` (see :mod:`.note`), which
changes whenever the key does. To rotate, raise :data:`KEY_GENERATION` (or change SECRET_KEY, or
configure a new seed): the next checkpoint is signed by the new key, its public key is recorded
in ``log_key`` beside the old ones (``GET /api/v1/transparency/public-keys`` lists all of them),
every checkpoint keeps the ``key_id`` that signed it, and the log continues unbroken because
signing checks consistency with the previous checkpoint whatever key signed that one. Tell the
village groups the new verifier key before the old one stops being used.
"""

from __future__ import annotations

from dataclasses import dataclass

from nacl.signing import SigningKey

from app import crypto
from app.transparency import note

KEY_NAME = "linli"
KEY_GENERATION = 1


@dataclass(frozen=True)
class LogSigner:
    """A named Ed25519 signing key."""

    name: str
    signing_key: SigningKey

    @property
    def public_key(self) -> bytes:
        return bytes(self.signing_key.verify_key)

    @property
    def key_id(self) -> str:
        return f"{self.name}+{note.key_hash(self.name, self.public_key).hex()}"

    @property
    def vkey(self) -> str:
        return note.vkey(self.name, self.public_key)

    def sign_note(self, text: str) -> str:
        """``text`` followed by a blank line and this key's signature line."""
        signature = self.signing_key.sign(text.encode("utf-8")).signature
        return text + "\n" + note.signature_line(self.name, self.public_key, signature)


def signer_from_seed(seed: bytes, name: str = KEY_NAME) -> LogSigner:
    if len(seed) != 32:
        raise ValueError("an Ed25519 seed is 32 bytes")
    return LogSigner(name, SigningKey(seed))


def signer_from_base64_seed(text: str, name: str = KEY_NAME) -> LogSigner:
    """A signer from a configured seed (``base64`` of 32 random bytes)."""
    return signer_from_seed(note.unb64(text.strip(), length=32), name)


def default_signer(generation: int = KEY_GENERATION) -> LogSigner:
    """The deployment's signer, derived from SECRET_KEY (``app.crypto.configure`` must have run)."""
    return signer_from_seed(crypto.derive_key(f"transparency.ed25519.{generation}"))
