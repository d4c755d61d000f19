"""Shared pieces of the bot channels' property-based tests: hypothesis settings, malformed
bodies and query strings, the stored-row counts, one-byte mutations of a signed payload."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from app.bot.models import BotLedger, BotMessage, BotOutbound
from app.requests.models import Request
from bot.http import MAX_BODY

# Function-scoped fixtures (the bot town) are shared by all examples of a test: every property
# compares counts before and after one request, so rows left by earlier examples do not matter.
FUZZ = settings(max_examples=100, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
FEW = settings(FUZZ, max_examples=30)

QUERY_KEYS = ("msg_signature", "signature", "timestamp", "nonce", "echostr", "encrypt_type")


def stored() -> tuple[int, int, int, int]:
    """What a callback may write: ledger rows, chat messages, outbox rows and requests."""
    return (BotLedger.select().count(), BotMessage.select().count(),
            BotOutbound.select().count(), Request.select().count())


def _encoded_text():
    return st.tuples(st.text(max_size=300), st.sampled_from(
        ("utf-8", "utf-16", "gb18030", "latin-1"))).map(
        lambda pair: pair[0].encode(pair[1], errors="replace"))


bodies = st.one_of(
    st.binary(max_size=2000),
    _encoded_text(),
    st.sampled_from((b"", b"{}", b"[]", b"null", b'{"encrypt": 1}', b'{"encrypt": null}',
                     b'{"encrypt": ""}', b"<xml></xml>", b"<xml><Encrypt></Encrypt></xml>",
                     b"<xml><Encrypt><a>1</a></Encrypt></xml>", b"<xml><Encrypt>",
                     b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>"
                     b"<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]><xml><Encrypt>&b;</Encrypt></xml>",
                     b"\xff\xfe<\x00x\x00", b"\x00" * 64,
                     b"x" * (MAX_BODY + 1))),
)

query = st.dictionaries(
    st.sampled_from(QUERY_KEYS),
    st.one_of(st.text(max_size=80), st.text(string.digits, min_size=1, max_size=12),
              st.just("aes"), st.just(""), st.text(min_size=5000, max_size=5000)),
    max_size=len(QUERY_KEYS))

headers = st.dictionaries(
    st.sampled_from(("Content-Type", "Content-Encoding", "X-Linli-Bridge", "X-Linli-Timestamp",
                     "X-Linli-Signature")),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60), max_size=5)

# Plaintexts a correctly signed, correctly encrypted envelope may carry: the parsers behind
# the crypto must refuse them cleanly or take them as a message, never crash.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(("msgid", "msgtype", "from", "userid", "text", "content", "chattype",
                         "chatid", "response_url", "aibotid")) | st.text(max_size=8),
        inner, max_size=6),
    max_leaves=20)


def mutate(data: bytes, position: int, replacement: int, *, header: bool = False) -> bytes:
    """``data`` with the byte at ``position`` (mod its length) replaced by a different one; a
    hex or ASCII letter never becomes the same letter in the other case (signatures are
    compared case-insensitively, so that would be the same signature). For a ``header`` the
    new byte is printable ASCII (a test client cannot send a newline in a header)."""
    index = position % len(data)
    old = data[index]
    new = 32 + replacement % 95 if header else replacement % 256
    if new == old or bytes([new]).lower() == bytes([old]).lower():
        new = (old + 1) % 256 if not chr(old).isalnum() else ord("!")
    return data[:index] + bytes([new]) + data[index + 1:]


_DROP = object()


def near(template: dict):
    """``template`` (a valid message) with one field dropped or set to any JSON value, or its
    text replaced by any text: payloads that reach the dialog as often as they are refused."""
    def apply(change):
        key, value = change
        data = dict(template)
        if value is _DROP:
            data.pop(key)
        else:
            data[key] = value
        return data

    changed = st.tuples(st.sampled_from(sorted(template)), st.just(_DROP) | json_values)
    return changed.map(apply) | st.text(max_size=300).map(
        lambda text: {**template, "text": ({"content": text} if isinstance(template["text"], dict)
                                           else text)})
