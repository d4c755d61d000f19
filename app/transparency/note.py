"""Checkpoints as C2SP ``tlog-checkpoint`` bodies, signed as C2SP signed notes with Ed25519.

A signed checkpoint, byte for byte::

    linli/350500001            <- origin: the log of one town ("linli/<town code>")
    1234                       <- tree size, decimal
    <base64 root hash>         <- RFC 6962 tree head of those leaves
                               <- blank line ends the signed text
    — linli <base64(key hash ‖ Ed25519 signature)>

The signature covers the three text lines including their final newline. The key hash is the
first 4 bytes of SHA-256(key name ‖ "\\n" ‖ 0x01 ‖ public key), so a signature line names the
key that made it; a verifier key is written ``<name>+<key hash hex>+<base64(0x01 ‖ public key)>``
(the signed-note "vkey"). Pure: standard library and PyNaCl only, shared with the verifier.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

ORIGIN_PREFIX = "linli/"
ALG_ED25519 = b"\x01"
SIGNATURE_DASH = "\u2014"  # "—", the em dash that starts a signature line
_NAME = re.compile(r"^[^\s+]+$")
_DECIMAL = re.compile(r"^(0|[1-9][0-9]{0,18})$")


class NoteError(ValueError):
    """A checkpoint or key that is malformed, or whose signature does not verify."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes


def origin_for(town_code: str) -> str:
    return f"{ORIGIN_PREFIX}{town_code}"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, *, length: int | None = None) -> bytes:
    """Strict standard base64 (raises NoteError), optionally of an exact decoded length."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise NoteError("not valid base64") from exc
    if length is not None and len(data) != length:
        raise NoteError(f"expected {length} bytes, got {len(data)}")
    return data


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    if not origin or "\n" in origin or size < 0 or len(root) != 32:
        raise ValueError("malformed checkpoint")
    return f"{origin}\n{size}\n{b64(root)}\n"


def parse_body(text: str) -> Checkpoint:
    """The origin, size and root of a checkpoint body (extension lines after them are ignored)."""
    if not text.endswith("\n"):
        raise NoteError("a checkpoint ends with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or not lines[0] or not _DECIMAL.match(lines[1]):
        raise NoteError("a checkpoint is: origin, tree size, root hash")
    return Checkpoint(lines[0], int(lines[1]), unb64(lines[2], length=32))


def key_hash(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + ALG_ED25519 + public_key).digest()[:4]


def vkey(name: str, public_key: bytes) -> str:
    return f"{name}+{key_hash(name, public_key).hex()}+{b64(ALG_ED25519 + public_key)}"


@dataclass(frozen=True)
class VerifierKey:
    name: str
    hash: bytes
    public_key: bytes


def parse_vkey(text: str) -> VerifierKey:
    """``name+hash+base64(0x01 ‖ key)``; the hash must match the name and key."""
    parts = text.strip().split("+", 2)
    if len(parts) != 3 or not _NAME.match(parts[0]) or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
        raise NoteError("a verifier key is name+hash+key")
    raw = unb64(parts[2], length=33)
    if raw[:1] != ALG_ED25519:
        raise NoteError("only Ed25519 verifier keys are supported")
    key = VerifierKey(parts[0], bytes.fromhex(parts[1]), raw[1:])
    if key_hash(key.name, key.public_key) != key.hash:
        raise NoteError("verifier key hash does not match its name and key")
    return key


def signature_line(name: str, public_key: bytes, signature: bytes) -> str:
    if not _NAME.match(name) or len(signature) != 64:
        raise ValueError("malformed signature")
    return f"{SIGNATURE_DASH} {name} {b64(key_hash(name, public_key) + signature)}\n"


def split_note(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    """The signed text and its signatures ``[(name, key hash ‖ signature)]``."""
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise NoteError("a signed note is text, a blank line, then signature lines")
    text, block = note[:cut + 1], note[cut + 2:]
    signatures = []
    for line in block[:-1].split("\n"):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != SIGNATURE_DASH or not _NAME.match(parts[1]):
            raise NoteError("malformed signature line")
        raw = unb64(parts[2])
        if len(raw) < 5:
            raise NoteError("signature too short")
        signatures.append((parts[1], raw))
    return text, signatures


def open_checkpoint(note: str, key: VerifierKey) -> Checkpoint:
    """The checkpoint of ``note`` if ``key`` signed it; raises NoteError otherwise."""
    text, signatures = split_note(note)
    for name, raw in signatures:
        if name != key.name or raw[:4] != key.hash:
            continue
        try:
            VerifyKey(key.public_key).verify(text.encode("utf-8"), raw[4:])
        except (BadSignatureError, ValueError) as exc:
            raise NoteError("the signature does not verify") from exc
        return parse_body(text)
    raise NoteError("no signature by this key")
