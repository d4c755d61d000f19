"""WeChat's callback crypto written out independently of wechatpy, to build test payloads.

AES-256-CBC with key = base64(EncodingAESKey + "="), IV = key[:16]; plaintext = 16 random
bytes + 4-byte big-endian length + message + receive id, PKCS#7-padded to 32-byte blocks;
signature = SHA1 of the sorted token, timestamp, nonce and ciphertext.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
import time

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

# The sample configuration published in WeCom's callback documentation.
DOC_TOKEN = "QDG6eK"
DOC_AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
DOC_CORP_ID = "wx5823bf96d3bd56c7"


def _key(encoding_aes_key: str) -> bytes:
    return base64.b64decode(encoding_aes_key + "=")


def encrypt(encoding_aes_key: str, plaintext: str, receive_id: str,
            random16: bytes | None = None) -> str:
    key = _key(encoding_aes_key)
    body = plaintext.encode()
    raw = (random16 or os.urandom(16)) + struct.pack(">I", len(body)) + body + receive_id.encode()
    pad = 32 - len(raw) % 32
    raw += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(raw) + encryptor.finalize()).decode()


def decrypt(encoding_aes_key: str, ciphertext: str) -> tuple[str, str]:
    """(message, receive id)."""
    key = _key(encoding_aes_key)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    raw = decryptor.update(base64.b64decode(ciphertext)) + decryptor.finalize()
    raw = raw[:-raw[-1]]
    length = struct.unpack(">I", raw[16:20])[0]
    return raw[20:20 + length].decode(), raw[20 + length:].decode()


def sha1(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def now_ts() -> str:
    return str(int(time.time()))


def smart_bot_post(token: str, aes_key: str, message: dict, *, timestamp: str | None = None,
                   nonce: str = "n0nce") -> tuple[dict, bytes]:
    """Query args and body of a smart-bot message callback."""
    timestamp = timestamp or now_ts()
    ciphertext = encrypt(aes_key, json.dumps(message, ensure_ascii=False), "")
    args = {"msg_signature": sha1(token, timestamp, nonce, ciphertext),
            "timestamp": timestamp, "nonce": nonce}
    return args, json.dumps({"encrypt": ciphertext}).encode()


def xml_post(token: str, aes_key: str, receive_id: str, xml: str, *,
             timestamp: str | None = None, nonce: str = "n0nce") -> tuple[dict, bytes]:
    """Query args and body of an encrypted XML callback (WeCom app, safe-mode account)."""
    timestamp = timestamp or now_ts()
    ciphertext = encrypt(aes_key, xml, receive_id)
    body = (f"<xml><ToUserName><![CDATA[{receive_id}]]></ToUserName>"
            f"<Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>")
    args = {"msg_signature": sha1(token, timestamp, nonce, ciphertext),
            "timestamp": timestamp, "nonce": nonce}
    return args, body.encode()


def text_xml(*, to: str, sender: str, content: str, msg_id: str, agent_id: str | None = None,
             created: int | None = None) -> str:
    agent = f"<AgentID>{agent_id}</AgentID>" if agent_id else ""
    return (f"<xml><ToUserName><![CDATA[{to}]]></ToUserName>"
            f"<FromUserName><![CDATA[{sender}]]></FromUserName>"
            f"<CreateTime>{created or int(time.time())}</CreateTime>"
            f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content>"
            f"<MsgId>{msg_id}</MsgId>{agent}</xml>")


def relay_headers(bridge_id: int, secret: str, body: bytes,
                  timestamp: str | None = None) -> dict:
    timestamp = timestamp or now_ts()
    digest = hmac.new(secret.encode(), timestamp.encode() + b"\n" + body,
                      hashlib.sha256).hexdigest()
    return {"X-Linli-Bridge": str(bridge_id), "X-Linli-Timestamp": timestamp,
            "X-Linli-Signature": digest, "Content-Type": "application/json"}
