"""WeCom message archive (会话内容存档): pull external-group messages with a ``seq`` cursor.

For groups where residents use personal WeChat (WeCom customer groups) no callback exists;
the archive is pulled instead. Each record of ``GetChatData`` carries ``seq``, ``msgid``,
``publickey_ver``, ``encrypt_random_key`` (RSA/PKCS#1 v1.5 with our archive public key, base64)
and ``encrypt_chat_msg``; the SDK's ``DecryptData`` opens the message with the decrypted random
key and yields JSON: ``msgid``, ``action`` (send/recall/switch), ``from``, ``tolist``,
``roomid``, ``msgtime`` (ms), ``msgtype`` and ``text.content``.

The Tencent SDK (``libWeWorkFinanceSdk_C.so``) is optional: :class:`NativeArchiveSdk` loads it
with ctypes only when ``WECOM_FINANCE_SDK`` names the library. Tests pass a fake SDK object with
the same two methods. The cursor (``BotCursor`` ``archive:<endpoint id>``) moves after each
record; the ledger makes a record seen twice harmless.
"""

from __future__ import annotations

import base64
import ctypes
import datetime as dt
import json
import logging
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from app.bot import config
from app.bot.groups import active_group
from app.bot.inbox import receive
from app.bot.messages import InboundMessage, Sender
from app.bot.models import BotEndpoint
from app.bot.outbound import enqueue_group_text
from app.bot.progress import read_cursor, write_cursor
from app.clock import utcnow
from app.db import database
from app.errors import ServiceUnavailable
from bot.adapters.common import from_epoch

log = logging.getLogger("linli.bot.archive")
CHANNEL = "wecom_archive"
PAGE = 100


class ArchiveSdk(Protocol):
    def get_chat_data(self, seq: int, limit: int, timeout: int) -> str: ...

    def decrypt_data(self, random_key: str, encrypt_msg: str) -> str: ...


class NativeArchiveSdk:
    """ctypes binding of the Tencent C SDK (NewSdk/Init/GetChatData/DecryptData/slices)."""

    def __init__(self, library_path: str, corp_id: str, secret: str):
        lib = ctypes.CDLL(library_path)
        lib.NewSdk.restype = ctypes.c_void_p
        lib.NewSlice.restype = ctypes.c_void_p
        lib.GetContentFromSlice.restype = ctypes.c_char_p
        lib.GetChatData.argtypes = [ctypes.c_void_p, ctypes.c_ulonglong, ctypes.c_uint,
                                    ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int,
                                    ctypes.c_void_p]
        lib.DecryptData.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p]
        lib.GetContentFromSlice.argtypes = [ctypes.c_void_p]
        lib.FreeSlice.argtypes = [ctypes.c_void_p]
        self.lib, self.sdk = lib, lib.NewSdk()
        if lib.Init(ctypes.c_void_p(self.sdk), corp_id.encode(), secret.encode()) != 0:
            raise ServiceUnavailable("bot.archive_init_failed", "会话存档初始化失败")

    def _sliced(self, call) -> str:
        chunk = self.lib.NewSlice()
        try:
            if call(chunk) != 0:
                raise ServiceUnavailable("bot.archive_failed", "会话存档读取失败")
            return self.lib.GetContentFromSlice(chunk).decode("utf-8")
        finally:
            self.lib.FreeSlice(chunk)

    def get_chat_data(self, seq: int, limit: int, timeout: int) -> str:
        return self._sliced(lambda s: self.lib.GetChatData(
            ctypes.c_void_p(self.sdk), seq, limit, b"", b"", timeout, s))

    def decrypt_data(self, random_key: str, encrypt_msg: str) -> str:
        return self._sliced(lambda s: self.lib.DecryptData(
            random_key.encode(), encrypt_msg.encode(), s))


def open_random_key(private_key_pem: str, encrypt_random_key: str) -> str:
    key = load_pem_private_key(private_key_pem.encode(), password=None)
    return key.decrypt(base64.b64decode(encrypt_random_key), padding.PKCS1v15()).decode()


def to_inbound(endpoint: BotEndpoint, record: dict) -> InboundMessage | None:
    """A sent text in a group as an InboundMessage; None for anything else."""
    if record.get("action") != "send" or record.get("msgtype") != "text":
        return None
    room, sender = record.get("roomid"), record.get("from")
    text = (record.get("text") or {}).get("content")
    if not (room and sender and isinstance(text, str) and record.get("msgid")):
        return None
    kind = "wecom_external" if str(sender).startswith(("wo", "wm")) else "wecom_user"
    sent = from_epoch(int(record.get("msgtime", 0)) / 1000) if record.get("msgtime") else utcnow()
    return InboundMessage(
        channel=CHANNEL, msg_id=f"{endpoint.id}:{record['msgid']}",
        chat_id=f"{endpoint.id}:{room}", sender=Sender(kind, sender, endpoint.receive_id),
        text=text.strip(), created_at=sent, chat_type="group", endpoint_id=endpoint.id,
        raw=record)


def pull(endpoint: BotEndpoint, sdk: ArchiveSdk, *, now: dt.datetime | None = None,
         limit: int = PAGE) -> dict:
    """Read the next page of the archive and hand each text message to the dialog.

    Answers (there is no passive reply here) go to the group's robot when it has one.
    """
    now = now or utcnow()
    name = f"archive:{endpoint.id}"
    seq = read_cursor(name)
    page = json.loads(sdk.get_chat_data(seq, limit, 10))
    if page.get("errcode", 0) != 0:
        raise ServiceUnavailable("bot.archive_failed", "会话存档读取失败",
                                 {"wechat_errcode": page.get("errcode")})
    private_key = config.secrets_of(endpoint).private_key or ""
    counts = {"records": 0, "messages": 0}
    for item in page.get("chatdata", []):
        counts["records"] += 1
        record = json.loads(sdk.decrypt_data(
            open_random_key(private_key, item["encrypt_random_key"]), item["encrypt_chat_msg"]))
        inbound = to_inbound(endpoint, record)
        if inbound is not None:
            outcome = receive(inbound, now=now)
            counts["messages"] += 1
            group = active_group(CHANNEL, inbound.chat_id)
            if outcome.answer and outcome.outcome != "duplicate" and group is not None:
                with database.atomic():
                    enqueue_group_text(group, outcome.answer, f"answer:{inbound.msg_id}", now)
        with database.atomic():
            write_cursor(name, int(item["seq"]), now)
    return counts
