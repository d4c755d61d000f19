"""A fake of the Tencent message-archive SDK yielding records in the real decrypted format.

The random key really is RSA-encrypted (PKCS#1 v1.5) with the archive public key, as WeCom
does; only the symmetric layer inside ``DecryptData`` is simplified (the SDK's is opaque).
"""

from __future__ import annotations

import base64
import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def private_key_pem() -> tuple[str, object]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return pem, key.public_key()


def record(seq: int, text: str, *, sender: str = "wmResident1", room: str = "wrRoom1",
           action: str = "send", msgtype: str = "text") -> dict:
    """One decrypted record as the SDK's DecryptData returns it."""
    data = {"msgid": f"msg{seq}_archive", "action": action, "from": sender,
            "tolist": ["gw_userid"], "roomid": room, "msgtime": 1_790_000_000_000 + seq,
            "msgtype": msgtype}
    if msgtype == "text":
        data["text"] = {"content": text}
    return data


class FakeArchiveSdk:
    def __init__(self, public_key, records: list[dict]):
        self.public_key, self.records, self.calls = public_key, records, []

    def get_chat_data(self, seq: int, limit: int, timeout: int) -> str:
        self.calls.append(seq)
        chatdata = []
        for number, item in enumerate(self.records, start=1):
            if number <= seq or len(chatdata) >= limit:
                continue
            random_key = f"key{number:013d}"
            sealed = self.public_key.encrypt(random_key.encode(), padding.PKCS1v15())
            inner = base64.b64encode(f"{random_key}|{json.dumps(item)}".encode()).decode()
            chatdata.append({"seq": number, "msgid": item["msgid"], "publickey_ver": 1,
                             "encrypt_random_key": base64.b64encode(sealed).decode(),
                             "encrypt_chat_msg": inner})
        return json.dumps({"errcode": 0, "errmsg": "ok", "chatdata": chatdata})

    def decrypt_data(self, random_key: str, encrypt_msg: str) -> str:
        key, _, payload = base64.b64decode(encrypt_msg).decode().partition("|")
        if key != random_key:
            raise ValueError("wrong random key")
        return payload
