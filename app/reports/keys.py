"""Officers' key pairs: create one, unlock it for a working session, lock it again.

The private key is stored only encrypted under the officer's key password (Argon2id). Unlocking
puts it in a short-lived session blob in the shared expiring store, keyed by the SHA-256 of the
officer's staff token and encrypted under a key derived from that token (HMAC with a server
key): the token is never stored, so neither a database reader nor another session can open the
blob, and every worker of the officer's session can. The blob expires after
:data:`SESSION_SECONDS` and is deleted on :func:`lock_key`.
"""

from __future__ import annotations

import hashlib
import hmac

from nacl.secret import SecretBox

from app import crypto, kvstore
from app.accounts import passwords
from app.audit.services import record
from app.db import database
from app.errors import Conflict, Forbidden, Unauthorized
from app.policy import Actor, require_any_scope
from app.reports import sealing, throttle
from app.reports.models import OfficerKey, ReportRecipient
from app.reports.policies import HANDLE

SESSION_SECONDS = 30 * 60


def _session_id(session_token: str) -> str:
    return "reports.key_session:" + crypto.sha256_hex(session_token)


def _session_box(session_token: str) -> SecretBox:
    key = hmac.new(crypto.derive_key("reports.key_session"), session_token.encode("utf-8"),
                   hashlib.sha256).digest()
    return SecretBox(key)


def _wrapped(row: OfficerKey) -> sealing.WrappedKey:
    return sealing.WrappedKey(row.public_key, row.private_key_cipher, row.kdf_salt,
                              sealing.KdfParams(row.kdf_time, row.kdf_memory, row.kdf_lanes))


def has_key(user_id: int) -> bool:
    return OfficerKey.select().where(OfficerKey.user == user_id).exists()


def set_up_key(actor: Actor | None, key_password: str) -> OfficerKey:
    """Create the caller's key pair, protected by ``key_password`` (not the login password).

    A discipline officer, once. Raises Unauthorized / Forbidden; InvalidInput password.too_short
    / password.too_simple; Conflict report.key_exists. Creates one OfficerKey and an audit entry.
    """
    paths = require_any_scope(actor, HANDLE)
    passwords.check_strength(key_password)
    wrapped = sealing.new_officer_key(key_password)
    with database.atomic():
        if has_key(actor.user_id):
            raise Conflict("report.key_exists", "您已设置过举报密钥")
        row = OfficerKey.create(
            user=actor.user_id, public_key=wrapped.public_key_hex,
            private_key_cipher=wrapped.private_key_cipher, kdf_salt=wrapped.salt_hex,
            kdf_time=wrapped.params.time_cost, kdf_memory=wrapped.params.memory_cost,
            kdf_lanes=wrapped.params.parallelism)
        grant = next(g for g in actor.grants if g.role == "discipline_officer")
        record(actor=actor, grant=grant, action="report.key_create", object_type="officer_key",
               object_id=row.id, region_path=paths[0])
    return row


def unlock_key(actor: Actor | None, key_password: str, *, session_token: str) -> int:
    """Unlock the caller's private key for this staff session; returns its lifetime in seconds.

    A discipline officer with a key. Raises Unauthorized / Forbidden; Conflict report.no_key;
    Unauthorized report.bad_key_password (counted: repeated failures lock unlocking,
    report.too_many_attempts 429). Writes the encrypted session blob.
    """
    require_any_scope(actor, HANDLE)
    row = OfficerKey.get_or_none(OfficerKey.user == actor.user_id)
    if row is None:
        raise Conflict("report.no_key", "请先设置举报密钥")
    client = f"user:{actor.user_id}"
    throttle.check("unlock", client)
    try:
        private = sealing.unwrap_officer_key(key_password, _wrapped(row))
    except sealing.SealingError:
        throttle.record_failure("unlock", client)
        raise Unauthorized("report.bad_key_password", "密钥口令不正确") from None
    blob = sealing.b64(bytes(_session_box(session_token).encrypt(private)))
    kvstore.set_value(_session_id(session_token), blob, ttl_seconds=SESSION_SECONDS)
    return SESSION_SECONDS


def lock_key(actor: Actor | None, *, session_token: str) -> None:
    """Forget the unlocked key of this session. Any discipline officer. Raises Forbidden."""
    require_any_scope(actor, HANDLE)
    with database.atomic():
        kvstore.delete_value(_session_id(session_token))


def session_private_key(actor: Actor, session_token: str | None) -> bytes:
    """The caller's unlocked private key, or Forbidden report.key_locked."""
    blob = kvstore.get_value(_session_id(session_token)) if session_token else None
    if blob is None:
        raise Forbidden("report.key_locked", "请先输入密钥口令解锁")
    try:
        return _session_box(session_token).decrypt(sealing.unb64(blob))
    except Exception as exc:  # a blob of another token cannot open: treat as locked
        raise Forbidden("report.key_locked", "请先输入密钥口令解锁") from exc


def report_key(actor: Actor, recipient: ReportRecipient, session_token: str | None) -> bytes:
    """The report key through the caller's sealed copy (Conflict report.key_pending when the
    report has not been sealed to them yet)."""
    private = session_private_key(actor, session_token)
    if recipient.sealed_key is None:
        raise Conflict("report.key_pending", "该举报尚未向您的密钥开放，请稍后再试")
    return sealing.unseal_with(private, recipient.sealed_key)


def public_keys(user_ids) -> dict[int, str]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    return dict(OfficerKey.select(OfficerKey.user, OfficerKey.public_key)
                .where(OfficerKey.user.in_(ids)).tuples())


def key_state(actor: Actor | None, *, session_token: str | None) -> dict:
    """Whether the caller has a key and whether this session has it unlocked.
    Any discipline officer. Raises Unauthorized / Forbidden. Changes nothing."""
    require_any_scope(actor, HANDLE)
    unlocked = bool(session_token) and kvstore.get_value(_session_id(session_token)) is not None
    return {"has_key": has_key(actor.user_id), "unlocked": unlocked,
            "expires_in": SESSION_SECONDS if unlocked else None}
