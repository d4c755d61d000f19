"""WeChat callback security: SHA1 signatures, the replay window and the WeCom JSON crypt.

WeCom apps, official accounts in safe mode and the WeCom smart bot share one scheme: the AES
key is ``base64(EncodingAESKey + "=")`` (32 bytes), AES-256-CBC with IV = key[:16], plaintext
= 16 random bytes + 4-byte big-endian length + message + receive id, PKCS#7-padded to 32-byte
blocks, base64; ``msg_signature`` = SHA1 of the sorted token, timestamp, nonce and ciphertext.
The XML flavours use wechatpy's ``WeChatCrypto``; the smart bot's JSON flavour (receive id "")
uses wechatpy's ``PrpCrypto`` for the AES part and this module for the envelope.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import struct

from wechatpy.work.crypto import PrpCrypto

REPLAY_WINDOW_SECONDS = 300


class CallbackRefused(Exception):
    """A callback we must not process: ``status`` 400 (malformed), 403 (signature, replay),
    404 (no such endpoint) or 413 (too large). ``code`` is a stable string for logs."""

    def __init__(self, status: int, code: str):
        super().__init__(code)
        self.status, self.code = status, code


def sha1_signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(str(p) for p in parts)).encode("utf-8")).hexdigest()


def check_sha1(signature: str | None, *parts: str) -> None:
    # Bytes, not str: compare_digest raises TypeError on a non-ASCII str (a forged query).
    if not signature or not hmac.compare_digest(sha1_signature(*parts).encode(),
                                                signature.lower().encode("utf-8", "replace")):
        raise CallbackRefused(403, "bot.bad_signature")


def check_timestamp(timestamp: str | None, now_epoch: int,
                    window: int = REPLAY_WINDOW_SECONDS) -> int:
    """The timestamp as an int, or 403 when missing or outside the window (a replay)."""
    try:
        value = int(timestamp or "")
    except ValueError as exc:
        raise CallbackRefused(403, "bot.stale_timestamp") from exc
    if abs(now_epoch - value) > window:
        raise CallbackRefused(403, "bot.stale_timestamp")
    return value


def aes_key(encoding_aes_key: str) -> bytes:
    key = base64.b64decode(encoding_aes_key + "=")
    if len(key) != 32:
        raise ValueError("EncodingAESKey must decode to 32 bytes")
    return key


def decrypt(key: bytes, ciphertext: str, receive_id: str) -> str:
    """Decrypt one ``Encrypt`` value; 400 for anything malformed or another receive id."""
    try:
        return PrpCrypto(key).decrypt(ciphertext, receive_id)
    except (binascii.Error, ValueError, struct.error, UnicodeDecodeError, IndexError,
            TypeError) as exc:
        raise CallbackRefused(400, "bot.undecryptable") from exc
    except Exception as exc:  # wechatpy's InvalidCorpIdException: not meant for us
        raise CallbackRefused(400, "bot.wrong_receiver") from exc


def encrypt(key: bytes, plaintext: str, receive_id: str) -> str:
    return PrpCrypto(key).encrypt(plaintext, receive_id).decode("ascii")


class JsonCrypt:
    """The WeCom smart bot's JSON callbacks (``{"encrypt": …}``), receive id ""."""

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str = ""):
        self.token, self.key, self.receive_id = token, aes_key(encoding_aes_key), receive_id

    def verify_url(self, msg_signature: str | None, timestamp: str, nonce: str,
                   echostr: str | None) -> str:
        if not echostr:
            raise CallbackRefused(400, "bot.malformed")
        check_sha1(msg_signature, self.token, timestamp, nonce, echostr)
        return decrypt(self.key, echostr, self.receive_id)

    def decrypt_body(self, body: bytes, msg_signature: str | None, timestamp: str,
                     nonce: str) -> dict:
        try:
            envelope = json.loads(body)
            ciphertext = envelope["encrypt"]
        except (ValueError, TypeError, KeyError) as exc:
            raise CallbackRefused(400, "bot.malformed") from exc
        if not isinstance(ciphertext, str):
            raise CallbackRefused(400, "bot.malformed")
        check_sha1(msg_signature, self.token, timestamp, nonce, ciphertext)
        plaintext = decrypt(self.key, ciphertext, self.receive_id)
        try:
            message = json.loads(plaintext)
        except ValueError as exc:
            raise CallbackRefused(400, "bot.malformed") from exc
        if not isinstance(message, dict):
            raise CallbackRefused(400, "bot.malformed")
        return message

    def encrypt_reply(self, reply: dict, nonce: str, timestamp: str) -> dict:
        ciphertext = encrypt(self.key, json.dumps(reply, ensure_ascii=False), self.receive_id)
        return {"encrypt": ciphertext,
                "msgsignature": sha1_signature(self.token, timestamp, nonce, ciphertext),
                "timestamp": int(timestamp), "nonce": nonce}
